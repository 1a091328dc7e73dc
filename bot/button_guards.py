"""Who may press a button, checked now, before the handler acts: one guard per kind of button.

The signature (:mod:`bot.button_data`) proves the bot showed this button to this person. What
it cannot prove is that the press still makes sense: the member may have left the group of
that meeting since, the overleg may be gone from the plan, the question may have been answered.
Each callback handler declares its guard where it is registered (:func:`guarded`), and a press
the guard refuses gets the polite stale answer and changes nothing.

Guards that need no guard of their own:

- a conversation's buttons: PTB's ``ConversationHandler`` takes a press only in the state that
  shows them, for the person whose conversation it is; anything else reaches
  :func:`bot.buttons.stale_press`;
- a value outside what the message offered now: :class:`bot.buttons.StaleButtonError`;
- withdrawing agenda items: the service checks the submitter against the item as it is
  (:mod:`planning.agenda_items.services`), in the same transaction as the withdrawal; so for
  attaching and seeing documents (:mod:`planning.agenda_items.attachments`).

The review buttons of agenda items have a guard (the presser may review that item now:
:func:`planning.agenda_items.reviewing.may_review`, a coordinator or one of the overleg's
beoordelaars), and the service asks the same rule again in the decision's transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update

from bot.buttons import refuse_press
from bot.context import OverlegContext

Result = TypeVar("Result")
Guard = Callable[[Update, OverlegContext], Awaitable[bool]]
Callback = Callable[[Update, OverlegContext], Coroutine[Any, Any, Result]]


def guarded(callback: Callback[Result], guard: Guard) -> Callback[Result | None]:
    """``callback``, run only for a press ``guard`` allows; any other is refused politely."""

    async def checked(update: Update, context: OverlegContext) -> Result | None:
        assert update.callback_query is not None
        if not await guard(update, context):
            await refuse_press(update.callback_query)
            return None  # a conversation stays where it was
        return await callback(update, context)

    return checked


def pressed(update: Update) -> tuple[int, str]:
    """The presser's Telegram id and the button's data."""
    query = update.callback_query
    assert query is not None and query.data is not None
    return query.from_user.id, query.data
