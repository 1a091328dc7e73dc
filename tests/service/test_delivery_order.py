"""Several messages due for one member at once: the sender loop keeps them in order, and does
not let them hold up everyone else; and a stopping bot stops sending at once.

Virtual time (see :mod:`tests.support.virtual_time`): the counts do not depend on this machine.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from tests.support.network import join_all
from tests.support.virtual_time import FakeTelegram, VirtualTime

MEMBERS = 60
FIRST = 7000
PARTS = 3  # messages per member, queued one member after the other (as a new member's are)


@pytest.fixture
async def clustered(database: Database, clock: FixedClock) -> Database:
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await join_all(database, clock, range(FIRST, FIRST + MEMBERS))
    messages = [
        NewMessage(
            key=f"m|{user}|{part}",
            kind="meeting",
            recipient=user,
            text=f"deel {part}",
            due_at=clock.now(),
        )
        for user in range(FIRST, FIRST + MEMBERS)
        for part in range(1, PARTS + 1)
    ]
    await database.run(enqueue, clock.now(), messages)
    return database


async def test_a_members_messages_due_at_once_go_in_order_without_holding_up_the_rest(
    clustered: Database, clock: FixedClock
) -> None:
    time = VirtualTime()
    telegram = FakeTelegram(time, round_trip=0.005)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        report = await deliver_due(clustered, clock, telegram, pacer)

    assert report.sent == MEMBERS * PARTS
    assert all(texts == ["deel 1", "deel 2", "deel 3"] for texts in telegram.texts.values())
    # 180 messages at 30/s take 6 s; workers waiting out one chat's second each would take
    # well over half a minute.
    assert max(max(times) for times in telegram.answered_at.values()) < 10


async def test_a_stopping_bot_stops_sending_and_puts_back_what_it_claimed(
    clustered: Database, clock: FixedClock
) -> None:
    time = VirtualTime()
    telegram = FakeTelegram(time, round_trip=0.005)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        report = await deliver_due(
            clustered, clock, telegram, pacer, keep_going=lambda: time.now < 1.0
        )

    assert 0 < report.sent < 60
    async with clustered.transaction() as session:
        rows = await session.execute(select(OutboxMessageRow.status, OutboxMessageRow.attempts))
        statuses = [(status, attempts) for status, attempts in rows]
    assert statuses.count((OutboxStatus.SENT, 1)) == report.sent
    assert statuses.count((OutboxStatus.PENDING, 0)) == MEMBERS * PARTS - report.sent
