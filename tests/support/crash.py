"""A bot killed at a moment of virtual time, for crash tests of the sender loop.

From the kill on, its database takes no more work (a transaction already under way may still
finish, as it may when a process is killed); the test then cancels the sender loop, which gets
no chance to record anything.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.media import Media
from berichten.outbox.store import Buttons
from planning.db import Database
from tests.support.virtual_time import FakeTelegram, VirtualTime

P = ParamSpec("P")
T = TypeVar("T")


class Killed(Exception):  # noqa: N818 - what a kill -9 does to the work that was to come
    pass


class KillableDatabase(Database):
    """The real database, which stops taking new units of work once the process is killed."""

    killed = False

    async def run(
        self,
        work: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        if self.killed:
            raise Killed
        return await super().run(work, *args, **kwargs)


class FirstSendTelegram(FakeTelegram):
    """Says when the first send starts."""

    def __init__(self, time: VirtualTime, round_trip: float) -> None:
        super().__init__(time, round_trip)
        self.first = asyncio.Event()

    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        self.first.set()
        return await super().send(chat_id, text, buttons, media)
