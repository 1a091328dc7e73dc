"""Virtual time for the sender loop: a clock and a sleep that take no real time, and a fake
Telegram that answers after a round trip of it, so counts do not depend on this machine."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from berichten.outbox.media import Media
from berichten.outbox.store import Buttons

# Loop turns that let every woken task run on to its next virtual sleep before time moves.
SETTLE_TURNS = 200


@dataclass
class VirtualTime:
    """A monotonic clock and a sleep for the pacer and the fake sender that take no real time.

    :meth:`run` moves the time to the earliest sleeper's deadline once the event loop has had
    :data:`SETTLE_TURNS` turns to let the woken tasks go to sleep again. Sends wait only on
    virtual time; should the database (claiming or recording, in its own thread) hold the loop
    up longer, time moves too early, which can only make the loop look slower than it is.
    """

    now: float = 0.0
    _sleepers: list[tuple[float, int, asyncio.Future[None]]] = field(default_factory=list)
    _order: itertools.count[int] = field(default_factory=itertools.count)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._order), future))
        await future

    @asynccontextmanager
    async def run(self) -> AsyncIterator[None]:
        async def advance() -> None:
            while True:
                for _ in range(SETTLE_TURNS):
                    await asyncio.sleep(0)
                if self._sleepers:
                    deadline, _, future = heapq.heappop(self._sleepers)
                    self.now = max(self.now, deadline)
                    future.set_result(None)

        driver = asyncio.create_task(advance())
        try:
            yield
        finally:
            driver.cancel()


@dataclass
class FakeTelegram:
    """A :class:`berichten.outbox.delivery.Sender` answering after ``round_trip`` seconds of
    virtual time; it remembers who got what, when."""

    time: VirtualTime
    round_trip: float
    answered_at: dict[int, list[float]] = field(default_factory=dict)
    texts: dict[int, list[str]] = field(default_factory=dict)  # per chat, in the order answered
    media: dict[int, list[Media | None]] = field(default_factory=dict)  # with texts, likewise
    started_at: list[float] = field(default_factory=list)
    pacer_sleeps: int = 0  # how often a sender slept in the pacer
    in_flight: int = 0
    most_in_flight: int = 0

    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        self.started_at.append(self.time.now)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await self.time.sleep(self.round_trip)
        self.in_flight -= 1
        self.answered_at.setdefault(chat_id, []).append(self.time.now)
        self.texts.setdefault(chat_id, []).append(text)
        self.media.setdefault(chat_id, []).append(media)
        return sum(len(times) for times in self.answered_at.values())

    def answered_within(self, seconds: float) -> int:
        return sum(1 for times in self.answered_at.values() for at in times if at <= seconds)
