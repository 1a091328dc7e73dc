"""/instellingen: a member's wishes for reminders (commands), and how they read (prompts)."""
