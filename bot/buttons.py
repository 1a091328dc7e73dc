"""Pressed inline buttons: answering the press, refusing it, reading its data, redrawing.

Every button handler does these the same way, so they live here, once.

A press that is not (or no longer) for the presser gets one polite answer, "Deze knop is niet
(meer) voor u", and changes nothing: a signature that does not match (the gate), a guard that
says no (:mod:`bot.button_guards`), a button of a conversation that has ended, or a value
outside what the message offered now (:class:`StaleButtonError`, answered by the error handler).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from planning import catalogue

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


class StaleButtonError(Exception):
    """The press names something the message no longer offers; the presser is told politely."""


async def refuse_press(query: CallbackQuery) -> None:
    """Tell the presser this button is not (or no longer) for them; nothing else happens.

    As an alert when the press is still unanswered, else (the handler answered it before it
    found out) as a message.
    """
    try:
        await query.answer(catalogue.plain("button.not_for_you"), show_alert=True)
    except BadRequest:
        await query.get_bot().send_message(query.from_user.id, catalogue.html("button.refused"))


async def stale_press(update: Update, _context: object) -> None:
    """A press no handler took: a button of a conversation that has ended, or of a question
    answered already."""
    assert update.callback_query is not None
    await refuse_press(update.callback_query)


def last_field(data: str | None) -> str:
    """``7`` from ``ai:w:7``: buttons carry an id or index after the last colon."""
    if not data or ":" not in data:
        raise StaleButtonError(data)
    return data.rsplit(":", 1)[1]


def last_number(data: str | None) -> int:
    """The id or index after the last colon, as a number a database column can hold."""
    field = last_field(data)
    if not field.isdecimal() or len(field) > 18:
        raise StaleButtonError(data)
    return int(field)


def chosen(query: CallbackQuery, choices: Sequence[Item]) -> Item:
    """The item of ``choices`` whose index the pressed button carries (``adj:m:3``).

    Buttons carry indexes into the draft's own list, so callback data stays short whatever the
    item is; an index outside it (the list was made again meanwhile) is a stale button.
    """
    index = last_number(query.data)
    if not 0 <= index < len(choices):
        raise StaleButtonError(query.data)
    return choices[index]


async def redraw(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Show ``text`` in place of the message under the pressed button.

    A second press before the first edit arrived, or a stale message that already shows what it
    would show now: Telegram refuses such an edit ("message is not modified"), and the bot's
    rate limiter counts it as done, for every edit (bot/rate_limiter.py).
    """
    await query.edit_message_text(text, reply_markup=keyboard)
