"""The calendar: the plan as data, and the pure rules for what happens when and who is reminded."""
