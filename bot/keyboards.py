"""Inline keyboards: choices laid out in rows, callback data checked against Telegram's limit."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

# Telegram refuses callback data outside 1-64 bytes (BUTTON_DATA_INVALID); fail here, in our
# code, where the culprit is obvious, rather than at the API.
CALLBACK_DATA_LIMIT = 64


def inline_keyboard(choices: Sequence[tuple[str, str]], per_row: int = 2) -> InlineKeyboardMarkup:
    """Buttons for (label, callback data) pairs, ``per_row`` to a row."""
    for _label, data in choices:
        if not 1 <= len(data.encode()) <= CALLBACK_DATA_LIMIT:
            raise ValueError(f"callback data must be 1-64 bytes: {data!r}")
    buttons = [InlineKeyboardButton(label, callback_data=data) for label, data in choices]
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])
