"""Pressed inline buttons: answering the press, reading its data, redrawing the message.

Every button handler does these the same way, so they live here, once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

Draft = TypeVar("Draft")
Item = TypeVar("Item")


async def answered(update: Update, draft: Draft | None) -> tuple[CallbackQuery, Draft]:
    """Answer the press (Telegram shows a spinner until then) and hand back the draft of the
    conversation it belongs to."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    # The conversation's states exist only while a draft does: both are set and dropped together.
    assert draft is not None
    return query, draft


def last_field(data: str | None) -> str:
    """``7`` from ``ai:w:7``: buttons carry an id or index after the last colon."""
    assert data is not None
    return data.rsplit(":", 1)[1]


def chosen(query: CallbackQuery, choices: Sequence[Item]) -> Item:
    """The item of ``choices`` whose index the pressed button carries (``adj:m:3``).

    Buttons carry indexes into the draft's own list, so callback data stays short whatever the
    item is; an index outside it is a bug, not a member's mistake.
    """
    index = int(last_field(query.data))
    if not 0 <= index < len(choices):
        raise ValueError(f"button index {index} outside 0..{len(choices) - 1}")
    return choices[index]


async def redraw(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Show ``text`` in place of the message under the pressed button.

    A second press before the first edit arrived, or a stale message that already shows what it
    would show now: Telegram refuses such an edit ("message is not modified"), which is fine.
    """
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "message is not modified" not in error.message:
            raise
