"""Inline keyboards: choices laid out in rows, each button's data signed for its member."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from berichten.outbox.store import BUTTON_DATA_LIMIT
from bot.button_data import sign


def inline_keyboard(choices: Sequence[tuple[str, str]], per_row: int = 2) -> InlineKeyboardMarkup:
    """Buttons for (label, callback data) pairs, ``per_row`` to a row.

    Telegram refuses callback data over 64 bytes (BUTTON_DATA_INVALID), and the signature
    (:mod:`bot.button_data`) takes 8 of them: data that does not fit fails here, in our code,
    where the culprit is obvious, rather than at the API.
    """
    for _label, data in choices:
        if not 1 <= len(data.encode()) <= BUTTON_DATA_LIMIT:
            raise ValueError(f"callback data must be 1-{BUTTON_DATA_LIMIT} bytes: {data!r}")
    buttons = [InlineKeyboardButton(label, callback_data=sign(data)) for label, data in choices]
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])
