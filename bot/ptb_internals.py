"""The one module that uses PTB's private members; ``tests/unit/test_ptb_internals.py`` fails,
naming the member, when a PTB upgrade renames, removes or re-signs one of them.

PTB has no public way to end a conversation from outside its handler (python-telegram-bot#1640
declined one). :func:`end_conversation` does what PTB itself does when a conversation times out:
``_get_key`` for the update's key, ``_conversations`` for the state, ``_update_state(END, key)``.

With ``persistent=True`` that reaches the persistence too. At ``Application.initialize`` PTB
replaces the handler's ``_conversations`` with a ``TrackingDict`` (``_initialize_persistence``),
which records the deletion ``_update_state(END)`` makes; the next ``update_persistence`` reads
it (``pop_accessed_write_items``) and calls ``update_conversation(name, key, None)``.

Telegram objects are frozen once made. :func:`replace_callback_data` hands the handlers a
press's data without its signature (:mod:`bot.button_data`) the way PTB's own callback data
cache does: inside ``_unfrozen``.
"""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import ConversationHandler
from telegram.ext._handlers.conversationhandler import PendingState


def end_conversation(handler: ConversationHandler[Any], update: Update) -> object | None:
    """End the conversation ``update`` belongs to in ``handler``, if one is open, and return the
    state it was in (None: none was open). A persistent handler's persistence forgets it on its
    next update; a timeout scheduled for it is cancelled.

    If a non-blocking callback is still choosing the next state, the state before it is
    returned; when that callback ends, its state is ignored.
    """
    key = handler._get_key(update)
    state = handler._conversations.get(key)
    if state is None:
        return None
    if isinstance(state, PendingState):
        state = state.resolve() if state.done() else state.old_state
    handler._update_state(ConversationHandler.END, key)
    timeout = handler.timeout_jobs.pop(key, None)
    if timeout is not None:
        timeout.schedule_removal()
    return None if state == ConversationHandler.END else state


def replace_callback_data(query: CallbackQuery, data: str) -> None:
    """Let every handler after this one see ``data`` as the press's callback data."""
    with query._unfrozen():
        query.data = data
