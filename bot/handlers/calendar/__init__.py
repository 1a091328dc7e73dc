"""/agenda, /deadlines and /volgende: what is coming up (commands), and how it reads (prompts)."""
