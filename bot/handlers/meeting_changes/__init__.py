"""/wijzig: coordinators change the calendar in chat (commands), and what it shows (prompts)."""
