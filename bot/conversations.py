"""Button conversations (/uitnodigen, /wijzig, /mijlpaal, /agendapunt, /publiceer, a pause date):
one way to build them and one way to cancel them.

PTB warns that with ``per_message=False`` button presses are tracked per chat and user, not per
message. That is what we want: one draft per person, whichever message the buttons sit under
(PTB wiki, FAQ "What do the per_* settings in ConversationHandler do?"). /annuleren ends the
conversation that handles it and drops its draft: nothing is stored before a conversation's
last step.

A member can have two conversations open (/agendapunt halfway, then /mijlpaal): each is its own
ConversationHandler, and PTB gives /annuleren to the first of them in handler order. That one
ends; the other keeps its draft and its state, so its next step still works (dropping every
draft here would leave the other conversation waiting for input with nothing to add it to), and
a second /annuleren ends it too.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Literal

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.context import OverlegContext
from planning import catalogue

Handlers = Sequence[BaseHandler[Update, OverlegContext, Any]]


Draft = Literal["invite", "adjust", "milestone", "agenda_item", "publish"]


def conversation(
    entry_points: Handlers,
    states: dict[object, Handlers],
    *,
    draft: Draft | None,
    **options: Any,
) -> ConversationHandler[OverlegContext]:
    """A conversation that /annuleren ends, dropping its ``draft`` (a :class:`UserData` field);
    ``options`` go to PTB's ConversationHandler."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=list(entry_points),
            states={state: list(handlers) for state, handlers in states.items()},
            fallbacks=[CommandHandler("annuleren", _canceller(draft))],
            **options,
        )


def _canceller(draft: Draft | None) -> Callable[[Update, OverlegContext], Coroutine[Any, Any, int]]:
    async def cancel(update: Update, context: OverlegContext) -> int:
        """/annuleren: drop this conversation's draft; nothing was stored yet."""
        assert update.effective_message is not None
        if draft is not None:
            setattr(context.user_state, draft, None)
        await update.effective_message.reply_text(catalogue.html("conversation.cancelled"))
        return ConversationHandler.END

    return cancel
