"""Button conversations (/uitnodigen, /wijzig, /mijlpaal, /agendapunt, /publiceer, a pause date):
one way to build them and one way to cancel them.

PTB warns that with ``per_message=False`` button presses are tracked per chat and user, not per
message. That is what we want: one draft per person, whichever message the buttons sit under
(PTB wiki, FAQ "What do the per_* settings in ConversationHandler do?"). /annuleren ends any of
them and drops every draft: nothing is stored before a conversation's last step.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from bot.context import OverlegContext
from planning import catalogue

Handlers = Sequence[BaseHandler[Update, OverlegContext, Any]]


def conversation(
    entry_points: Handlers, states: dict[object, Handlers], **options: Any
) -> ConversationHandler[OverlegContext]:
    """A conversation that /annuleren ends; ``options`` go to PTB's ConversationHandler."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=list(entry_points),
            states={state: list(handlers) for state, handlers in states.items()},
            fallbacks=[CommandHandler("annuleren", cancel)],
            **options,
        )


async def cancel(update: Update, context: OverlegContext) -> int:
    """/annuleren: drop the drafts; nothing was stored yet."""
    assert update.effective_message is not None
    drafts = context.user_state
    drafts.invite = drafts.adjust = drafts.milestone = drafts.agenda_item = drafts.publish = None
    await update.effective_message.reply_text(catalogue.html("conversation.cancelled"))
    return ConversationHandler.END
