"""Button conversations (/uitnodigen, /wijzig, /mijlpaal, /agendapunt, /publiceer, /nieuws,
/nieuwsbrief, /incident, /sjablonen, a pause date):
one way to build them, to cancel them, and to leave one for another.

PTB warns that with ``per_message=False`` button presses are tracked per chat and user, not per
message. That is what we want: one draft per person, whichever message the buttons sit under
(PTB wiki, FAQ "What do the per_* settings in ConversationHandler do?"). /annuleren ends the
conversation that handles it and drops its draft: nothing is stored before a conversation's
last step.

One conversation at a time per person. Each conversation is its own ConversationHandler, and
PTB gives a typed message to the first one (in handler order) waiting for text: a member halfway
/mijlpaal who starts /agendapunt would have the title read as a date. So a conversation that
starts ends every other one this person has open, and says so after its first question; only
an agenda item with a title typed is kept (/agendapunt goes on with it), the other drafts are a
few presses and are dropped. An entry that is refused (not a coordinator, nothing to choose)
starts nothing and ends nothing. PTB has no public way to end a conversation from outside
(python-telegram-bot#1640 declined one); :class:`Conversation` does it through
:func:`bot.ptb_internals.end_conversation`, the one place that uses PTB's private members.

Conversations are persistent (named by their command): their states and the drafts in
``user_data`` are stored by :class:`bot.persistence.DatabasePersistence`, so a restart does not
lose a person's place.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Literal

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.context import OverlegContext
from bot.ptb_internals import end_conversation
from planning import catalogue

Handlers = Sequence[BaseHandler[Update, OverlegContext, Any]]


Draft = Literal[
    "invite",
    "meeting_change",
    "milestone",
    "agenda_item",
    "agenda_item_document",
    "publish",
    "agenda_decline",
    "kopij",
    "kopij_decline",
    "newsletter_reject",
    "newsletter_move",
    "newsletter_rewrite",
    "newsletter",
    "incident",
    "newsletter_correction",
    "incident_update",
    "incident_template",
]
# What happens to a conversation's draft when the person starts another one; returns the notice.
Interrupted = Callable[[OverlegContext, object], str]
# What /annuleren says, read before the draft is dropped (default: nothing was stored).
Cancelled = Callable[[OverlegContext], str]


class Conversation(ConversationHandler[OverlegContext]):
    """A ConversationHandler that another conversation's start can end for one person."""

    def __init__(self, *, command: str, interrupted: Interrupted, **options: Any) -> None:
        super().__init__(**options)
        self.command = command
        self.interrupted = interrupted

    def end_for(self, update: Update) -> object | None:
        """End this person's conversation here, if open; the state it was in, or None."""
        return end_conversation(self, update)


def conversation(
    entry_points: Handlers,
    states: dict[object, Handlers],
    *,
    draft: Draft | None,
    command: str | None = None,
    interrupted: Interrupted | None = None,
    cancelled: Cancelled | None = None,
    **options: Any,
) -> Conversation:
    """A conversation that /annuleren ends, dropping its ``draft`` (a :class:`UserData` field),
    and that ends the person's other conversations when it starts.

    ``command`` names it in the notice (default: its entry command); ``interrupted`` decides
    about its draft when another one starts (default: drop it); ``cancelled`` says what /annuleren
    dropped (default: that nothing was stored); ``options`` go to PTB.
    """
    if command is None:
        command = next(
            min(entry.commands) for entry in entry_points if isinstance(entry, CommandHandler)
        )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        handler = Conversation(
            command=command,
            interrupted=interrupted or _dropper(draft, command),
            entry_points=list(entry_points),
            states={state: list(handlers) for state, handlers in states.items()},
            fallbacks=[CommandHandler("annuleren", _canceller(draft, cancelled))],
            # Stored in the database with the drafts, so a restart does not lose a person's
            # place (docs/decisions/persistence.md); the command is the stored name.
            name=command,
            persistent=True,
            **options,
        )
    for entry in handler.entry_points:
        entry.callback = _starting(handler, entry.callback)
    return handler


def _starting(handler: Conversation, callback: Any) -> Any:
    async def start(update: Update, context: OverlegContext) -> object:
        """Start ``handler``'s conversation; if it did start, end the person's others."""
        state = await callback(update, context)
        if state is not None and state != ConversationHandler.END:
            await _end_others(handler, update, context)
        return state

    return start


async def _end_others(started: Conversation, update: Update, context: OverlegContext) -> None:
    assert update.effective_chat is not None
    for group in context.application.handlers.values():
        for other in group:
            if not isinstance(other, Conversation) or other is started:
                continue
            state = other.end_for(update)
            if state is not None:
                notice = other.interrupted(context, state)
                await context.bot.send_message(update.effective_chat.id, notice)


def _dropper(draft: Draft | None, command: str) -> Interrupted:
    def drop(context: OverlegContext, _state: object) -> str:
        if draft is not None:
            setattr(context.user_state, draft, None)
        return catalogue.html("conversation.interrupted", command=command)

    return drop


def buttons_expected(state: int) -> BaseHandler[Update, OverlegContext, int]:
    """Typed text where a conversation waits for a press on the buttons above: say so and
    wait on, rather than the general answer to free text, which sounds as if it ended."""

    async def remind(update: Update, _context: OverlegContext) -> int:
        assert update.effective_message is not None
        await update.effective_message.reply_text(catalogue.html("conversation.use_buttons"))
        return state

    return MessageHandler(filters.TEXT & ~filters.COMMAND, remind)


def aborter(draft: Draft) -> Callable[[Update, OverlegContext], Coroutine[Any, Any, int]]:
    """The "Afbreken"/"Annuleren" button under a confirmation: drop the draft, store nothing."""

    async def abort(update: Update, context: OverlegContext) -> int:
        query = update.callback_query
        assert query is not None
        await query.answer()
        setattr(context.user_state, draft, None)
        await query.edit_message_text(catalogue.html("conversation.cancelled"))
        return ConversationHandler.END

    return abort


def _canceller(
    draft: Draft | None, cancelled: Cancelled | None
) -> Callable[[Update, OverlegContext], Coroutine[Any, Any, int]]:
    async def cancel(update: Update, context: OverlegContext) -> int:
        """/annuleren: drop this conversation's draft; nothing was stored yet."""
        assert update.effective_message is not None
        if cancelled is not None:
            text = cancelled(context)
        else:
            text = catalogue.html("conversation.cancelled")
        if draft is not None:
            setattr(context.user_state, draft, None)
        await update.effective_message.reply_text(text)
        return ConversationHandler.END

    return cancel
