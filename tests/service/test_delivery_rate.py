"""How fast the sender loop delivers at the overall rate it is given, on a virtual clock.

Telegram answers in a round trip, so the number of sends in flight caps the rate at
``in flight / round trip`` whatever the pacer allows. With paid broadcast (1,000 a second) the
loop must keep enough sends in flight to go well past 30 a second; at the ordinary 30 a second
it keeps few, so a slow answer never lets it burst.

The fake sender answers after :data:`ROUND_TRIP` seconds of virtual time. Virtual time moves
only when every send and every waiting pacer slot is asleep in it (see :class:`VirtualTime`),
so the counts below do not depend on this machine's speed.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import SPREAD, Pacer
from berichten.outbox.store import Buttons, NewMessage, enqueue
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from tests.support.network import join_all

ROUND_TRIP = 0.2  # seconds: 4 sends in flight would give at most 20 a second
MEMBERS = 150
FIRST = 7000
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
    """A :class:`berichten.outbox.delivery.Sender` answering after a virtual round trip."""

    time: VirtualTime
    answered_at: dict[int, list[float]] = field(default_factory=dict)
    started_at: list[float] = field(default_factory=list)
    pacer_sleeps: int = 0  # how often a sender slept in the pacer
    in_flight: int = 0
    most_in_flight: int = 0

    async def send(self, chat_id: int, text: str, buttons: Buttons | None) -> int:
        self.started_at.append(self.time.now)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await self.time.sleep(ROUND_TRIP)
        self.in_flight -= 1
        self.answered_at.setdefault(chat_id, []).append(self.time.now)
        return sum(len(times) for times in self.answered_at.values())

    def answered_within(self, seconds: float) -> int:
        return sum(1 for times in self.answered_at.values() for at in times if at <= seconds)


@pytest.fixture
async def queued(database: Database, clock: FixedClock) -> Database:
    """One message due now for each of :data:`MEMBERS` active members."""
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await join_all(database, clock, range(FIRST, FIRST + MEMBERS))
    messages = [
        NewMessage(
            key=f"m|{user}", kind="reminder", recipient=user, text="Hallo", due_at=clock.now()
        )
        for user in range(FIRST, FIRST + MEMBERS)
    ]
    await database.run(enqueue, clock.now(), messages)
    return database


async def _deliver(db: Database, clock: FixedClock, per_second: float) -> FakeTelegram:
    time = VirtualTime()
    telegram = FakeTelegram(time)

    async def pacer_sleep(seconds: float) -> None:
        telegram.pacer_sleeps += 1
        await time.sleep(seconds)

    pacer = Pacer(per_second=per_second, monotonic=time.monotonic, sleep=pacer_sleep)
    async with time.run():
        report = await deliver_due(db, clock, telegram, pacer)
    assert report.sent == MEMBERS
    assert all(len(times) == 1 for times in telegram.answered_at.values())
    return telegram


async def test_paid_broadcast_keeps_enough_sends_in_flight_to_pass_30_a_second(
    queued: Database, clock: FixedClock
) -> None:
    telegram = await _deliver(queued, clock, per_second=1000.0)

    # All of them in the first second, where 4 in flight would answer 20 (4 per round trip).
    assert telegram.answered_within(1.0) == MEMBERS
    assert telegram.most_in_flight > 30
    # Senders do not wake each other for nothing: spreading starts 0.8 ms apart had every
    # start wake the 130 waiting senders (8,385 sleeps here, a core's worth of CPU at 1000/s).
    assert telegram.pacer_sleeps <= 2 * MEMBERS


async def test_at_30_a_second_few_sends_are_in_flight_and_the_rate_holds(
    queued: Database, clock: FixedClock
) -> None:
    telegram = await _deliver(queued, clock, per_second=30.0)

    assert telegram.most_in_flight <= 4
    assert telegram.answered_within(1.0) <= 30


async def test_at_30_a_second_sends_start_spread_out_never_in_a_heap(
    queued: Database, clock: FixedClock
) -> None:
    """A heap of sends (all 30 of a second's slots free at once, as at the start or after a
    stall) would be answered in a heap and free the next second's slots in a heap: sends
    queue behind each other there and the rate drops below 30 (bench/delivery.py)."""
    telegram = await _deliver(queued, clock, per_second=30.0)

    starts = sorted(telegram.started_at)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    assert min(gaps) >= SPREAD / 30.0 - 1e-9
