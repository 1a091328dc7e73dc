"""Several messages due for one member at once: the sender loop keeps them in order, and does
not let them hold up everyone else; a stopping bot stops sending at once; and a reminder that
falls due during a newsletter goes before the rest of it.

Virtual time (see :mod:`tests.support.virtual_time`): the counts do not depend on this machine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus, Priority
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


@dataclass
class _VirtualClock:
    """The outbox's clock, moving with the virtual time from ``start``."""

    time: VirtualTime
    start: datetime

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.time.now)


async def _newsletter(
    database: Database, clock: FixedClock, size: int
) -> tuple[list[int], list[NewMessage]]:
    """``size`` members of Gouda, and a newsletter for each, due now."""
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    members = list(range(FIRST, FIRST + size))
    await join_all(database, clock, members)
    newsletter = [
        NewMessage(
            key=f"n|{user}",
            kind="newsletter",
            recipient=user,
            text="nieuwsbrief",
            due_at=clock.now(),
            priority=Priority.NEWSLETTER,
        )
        for user in members
    ]
    return members, newsletter


async def test_a_reminder_due_during_a_newsletter_goes_before_the_rest_of_it(
    database: Database, clock: FixedClock
) -> None:
    # 200 members get a newsletter (about 7 s at 30/s); 3 s in, a reminder falls due for one
    # whose copy goes out just before and for one whose copy comes much later.
    members, newsletter = await _newsletter(database, clock, 200)
    reader, other = members[85], members[190]
    due = clock.now() + timedelta(seconds=3)
    reminders = [
        NewMessage(key=f"r|{user}", kind="meeting", recipient=user, text="herinnering", due_at=due)
        for user in (reader, other)
    ]
    await database.run(enqueue, clock.now(), [*newsletter, *reminders])
    time = VirtualTime()
    telegram = FakeTelegram(time, round_trip=0.005)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        report = await deliver_due(database, _VirtualClock(time, clock.now()), telegram, pacer)

    assert report.sent == len(members) + 2
    assert telegram.texts[other] == ["herinnering", "nieuwsbrief"]
    # Within the 2 s of its moment, plus, for the reader, the second their chat must
    # wait if their copy went first (it is due just before; on a busy machine the virtual time
    # runs ahead while the database works, and the copy may come after): claimed within half a
    # second, plus the database's real time (1.3 s seen). With whole batches of 200 it waited
    # for the newsletter's end (3.6 s).
    sent = dict(zip(telegram.texts[reader], telegram.answered_at[reader], strict=True))
    assert set(sent) == {"nieuwsbrief", "herinnering"}
    copy, reminder = sent["nieuwsbrief"], sent["herinnering"]
    waited = max(0.0, copy + 1.0 - 3.0) if copy < reminder else 0.0
    assert reminder - 3.0 <= 2.0 + waited
    assert telegram.answered_at[other][0] - 3.0 <= 2.0


async def test_an_incident_confirmed_during_a_newsletter_reaches_its_50_first(
    database: Database, clock: FixedClock
) -> None:
    # Issue 14, in virtual time: 300 members get a newsletter (10 s at 30/s); 3 s in, an
    # incident for 50 of them (every sixth: some just had their copy) falls due. Its first copy
    # within 2 s, all 50 within 2 s + 50/30 s; the newsletter still reaches everyone once.
    members, newsletter = await _newsletter(database, clock, 300)
    advisers = members[::6]
    confirmed = clock.now() + timedelta(seconds=3)
    incident = [
        NewMessage(
            key=f"i|{user}",
            kind="incident",
            recipient=user,
            text="incident",
            due_at=confirmed,
            priority=Priority.INCIDENT,
        )
        for user in advisers
    ]
    await database.run(enqueue, clock.now(), [*newsletter, *incident])
    time = VirtualTime()
    telegram = FakeTelegram(time, round_trip=0.005)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        report = await deliver_due(database, _VirtualClock(time, clock.now()), telegram, pacer)

    assert report.sent == len(members) + len(advisers)
    assert all(telegram.texts[user].count("nieuwsbrief") == 1 for user in members)
    arrivals = sorted(
        at - 3.0
        for user in advisers
        for text, at in zip(telegram.texts[user], telegram.answered_at[user], strict=True)
        if text == "incident"
    )
    assert len(arrivals) == len(advisers)
    print(f"\nincident: first {arrivals[0]:.2f} s, last {arrivals[-1]:.2f} s")
    assert arrivals[0] <= 2.0, arrivals[0]
    assert arrivals[-1] <= 2.0 + len(advisers) / 30.0, arrivals[-1]
