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

import itertools

import pytest

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import SPREAD, Pacer
from berichten.outbox.store import NewMessage, enqueue
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from tests.support.network import join_all
from tests.support.virtual_time import FakeTelegram, VirtualTime

ROUND_TRIP = 0.2  # seconds: 4 sends in flight would give at most 20 a second
MEMBERS = 150
FIRST = 7000


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
    telegram = FakeTelegram(time, ROUND_TRIP)

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
