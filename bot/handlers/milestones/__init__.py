"""/mijlpaal: members keep product status in chat (commands), and what it shows (prompts)."""
