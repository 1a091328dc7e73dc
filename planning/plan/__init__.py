"""The year plan file: reading, checking, converting to the calendar model, writing back."""
