"""Updates from different chats are handled at the same time, each chat's (and person's) in
order: PTB's ``BaseUpdateProcessor`` with a lock per chat and per person.

PTB's update fetcher starts a task per update, in the order Telegram gave them, when
``max_concurrent_updates`` is above 1 (``Application.__update_fetcher``); each task takes PTB's
semaphore (first come, first served) and then calls :meth:`ChatOrder.do_process_update`. Here
it takes the lock of its chat and then of its person, before any other await: asyncio's locks
are first come, first served, so a chat's updates run one after the other in the order they
came. Only then does it wait for one of :data:`HANDLING` places, so updates waiting for their
chat do not keep other chats waiting.

What this keeps consistent (docs/decisions/replies.md): a ``ConversationHandler`` keys its
state by chat and person, and the gate (group -1) and the conversation's step for one update
run before the next update of that chat starts, as PTB's documentation asks of concurrent
updates. ``user_data`` is per person, and a person's updates in a group and in their private
chat are ordered too. The persistence reads what to store synchronously (PTB deep-copies
``user_data`` and pops the conversation states between awaits, and
:class:`bot.persistence.DatabasePersistence` encodes before its first await), so an update
running meanwhile changes only what the next run stores.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates handled at once. Under Telegram's limits an update holds its place while its reply
# waits for the chat's second, so a place per chat the pacer could serve in a second or so; on
# two cores more handled at once gain nothing (bench/replies.py, docs/benchmarks.md).
HANDLING = 32
# PTB's own limit on updates taken in: high, so that updates waiting for their chat or for a
# place stay in Telegram's order here rather than in PTB's semaphore.
TAKEN_IN = 4096


def lock_keys(update: object) -> list[tuple[str, int]]:
    """The locks an update takes, in this order: its chat, then its person (when they differ)."""
    if not isinstance(update, Update):
        return []  # an error or a custom update: nothing to order it with
    keys: list[tuple[str, int]] = []
    if update.effective_chat is not None:
        keys.append(("chat", update.effective_chat.id))
    user = update.effective_user
    if user is not None and (update.effective_chat is None or update.effective_chat.id != user.id):
        keys.append(("person", user.id))
    return keys


class ChatOrder(BaseUpdateProcessor):
    """Handles up to :data:`HANDLING` updates at once, one at a time per chat and per person."""

    def __init__(self, handling: int = HANDLING) -> None:
        super().__init__(max_concurrent_updates=TAKEN_IN)
        self._places = asyncio.Semaphore(handling)
        self._locks: dict[tuple[str, int], tuple[asyncio.Lock, int]] = {}  # lock, users

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for the updates in hand before it shuts down."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run ``coroutine`` once ``update``'s chat and person are free and a place is."""
        started = False
        try:
            async with AsyncExitStack() as stack:
                for key in lock_keys(update):
                    await stack.enter_async_context(self._held(key))
                async with self._places:
                    started = True
                    await coroutine
        finally:
            if not started and inspect.iscoroutine(coroutine):
                coroutine.close()  # cancelled while waiting: never started, so never awaited

    @asynccontextmanager
    async def _held(self, key: tuple[str, int]) -> AsyncIterator[None]:
        """Hold ``key``'s lock; the lock is forgotten once nobody holds or waits for it."""
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)
