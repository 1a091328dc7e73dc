"""Members and coordinators on holiday (a pause): asked after it, and the coordinators' list
and overview reach someone all the same."""

from __future__ import annotations

from datetime import UTC, date, datetime

from berichten.milestones import queue_deadline_messages
from berichten.outbox.tables import OutboxStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.milestones.services import mark_done
from planning.preferences.services import lift_pause, pause_until
from tests.support.milestones import (
    BZK,
    BZK_2,
    COORDINATOR,
    SECOND,
    TUESDAY_7_JUNE,
    WEDNESDAY_1_JUNE,
    milestone_uid,
    questions_to,
)
from tests.support.network import join
from tests.support.outbox import outbox_rows


async def _monitor_start_while_away(
    db: Database, clock: FixedClock, back: date, *members: int
) -> str:
    """The uid of the Monitor's start (due by Tuesday 31 May), with ``members`` of BZK on
    holiday from Monday 30 May until ``back``."""
    clock.set(datetime(2011, 5, 30, 12, 0, tzinfo=UTC))
    for member in members:
        await db.run(pause_until, clock, member, back)
    return await milestone_uid(db, "Monitor 2011 (over 2010)", "Start")


async def test_a_member_on_holiday_is_asked_on_the_first_working_day_after_the_pause(
    planned: Database, clock: FixedClock
) -> None:
    # Back on Saturday 4 June.
    uid = await _monitor_start_while_away(planned, clock, date(2011, 6, 4), BZK)

    clock.set(WEDNESDAY_1_JUNE)
    await planned.run(queue_deadline_messages, clock)
    assert await questions_to(planned, uid, BZK) == []
    assert len(await questions_to(planned, uid, BZK_2)) == 1  # a colleague is asked on time

    clock.set(datetime(2011, 6, 6, 7, 0, tzinfo=UTC))  # Monday 6 June, 09:00
    await planned.run(queue_deadline_messages, clock)

    [asked] = await questions_to(planned, uid, BZK)
    assert asked.key == f"overdue|{uid}|2011-05-31|{BZK}"
    assert asked.due_at == datetime(2011, 6, 6, 7, 0, tzinfo=UTC)
    assert asked.status == OutboxStatus.PENDING


async def test_a_question_queued_before_the_member_paused_waits_for_the_pause_to_end(
    planned: Database, clock: FixedClock
) -> None:
    uid = await milestone_uid(planned, "Monitor 2011 (over 2010)", "Start")
    clock.set(datetime(2011, 6, 1, 6, 0, tzinfo=UTC))
    await planned.run(queue_deadline_messages, clock)  # an hour ahead: queued
    await planned.run(pause_until, clock, BZK, date(2011, 6, 2))

    await planned.run(queue_deadline_messages, clock)
    [held] = await questions_to(planned, uid, BZK)
    assert held.status == OutboxStatus.SKIPPED

    clock.set(datetime(2011, 6, 2, 6, 0, tzinfo=UTC))  # Thursday, an hour before 09:00
    await planned.run(queue_deadline_messages, clock)
    [asked] = await questions_to(planned, uid, BZK)
    assert asked.status == OutboxStatus.PENDING
    assert asked.due_at == datetime(2011, 6, 2, 7, 0, tzinfo=UTC)


async def test_lifting_the_pause_brings_the_question_today(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _monitor_start_while_away(planned, clock, date(2011, 6, 20), BZK)
    clock.set(WEDNESDAY_1_JUNE)
    await planned.run(queue_deadline_messages, clock)

    clock.set(datetime(2011, 6, 3, 6, 0, tzinfo=UTC))  # Friday, 08:00
    await planned.run(lift_pause, clock, BZK)
    await planned.run(queue_deadline_messages, clock)

    [asked] = await questions_to(planned, uid, BZK)
    assert asked.due_at == datetime(2011, 6, 3, 7, 0, tzinfo=UTC)


async def test_the_coordinators_list_does_not_wait_for_the_owners_holiday(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _monitor_start_while_away(planned, clock, date(2011, 6, 20), BZK, BZK_2)

    clock.set(TUESDAY_7_JUNE)
    await planned.run(queue_deadline_messages, clock)

    [listed] = await outbox_rows(planned, "overdue-list")
    assert listed.key == f"overdue-list|2011-06-07|{COORDINATOR}"
    assert "• Monitor 2011 (over 2010): Start" in listed.text
    assert await questions_to(planned, uid, BZK) == []

    clock.set(datetime(2011, 6, 9, 12, 0, tzinfo=UTC))
    await planned.run(mark_done, clock, uid, COORDINATOR)  # done meanwhile: nobody is asked
    clock.set(datetime(2011, 6, 20, 7, 0, tzinfo=UTC))
    await planned.run(queue_deadline_messages, clock)
    assert await questions_to(planned, uid, BZK) == await questions_to(planned, uid, BZK_2) == []


async def test_a_coordinator_on_holiday_gets_no_list_and_the_next_monday_list_has_it_all(
    planned: Database, clock: FixedClock
) -> None:
    await join(planned, clock, SECOND, "coordinatie", "alle", role=Role.COORDINATOR)
    await planned.run(pause_until, clock, COORDINATOR, date(2011, 4, 8))

    clock.set(datetime(2011, 4, 7, 7, 0, tzinfo=UTC))  # Thursday: the Jaarplan escalates
    await planned.run(queue_deadline_messages, clock)
    assert [r.recipient for r in await outbox_rows(planned, "overdue-list")] == [SECOND]

    clock.set(datetime(2011, 4, 11, 7, 0, tzinfo=UTC))  # Monday 11 April
    await planned.run(queue_deadline_messages, clock)
    [listed] = [r for r in await outbox_rows(planned, "overdue-list") if r.recipient == COORDINATOR]
    assert listed.key == f"overdue-list|2011-04-11|{COORDINATOR}"
    assert "Jaarplan vastgesteld" in listed.text


async def test_when_every_coordinator_is_on_holiday_the_list_and_overview_still_reach_them(
    planned: Database, clock: FixedClock
) -> None:
    await join(planned, clock, SECOND, "coordinatie", "alle", role=Role.COORDINATOR)
    await planned.run(pause_until, clock, COORDINATOR, date(2011, 4, 18))
    await planned.run(pause_until, clock, SECOND, date(2011, 4, 12))

    clock.set(datetime(2011, 4, 1, 7, 0, tzinfo=UTC))  # Friday 1 April: April's overview
    await planned.run(queue_deadline_messages, clock)
    clock.set(datetime(2011, 4, 7, 7, 0, tzinfo=UTC))  # Thursday: the Jaarplan escalates
    await planned.run(queue_deadline_messages, clock)

    overviews = await outbox_rows(planned, "overview")
    assert sorted(r.key for r in overviews) == [
        f"overview|2011-04|{COORDINATOR}",
        f"overview|2011-04|{SECOND}",
    ]
    lists = await outbox_rows(planned, "overdue-list")
    assert sorted(r.key for r in lists) == [
        f"overdue-list|2011-04-07|{COORDINATOR}",
        f"overdue-list|2011-04-07|{SECOND}",
    ]
    assert all("Jaarplan vastgesteld" in r.text for r in lists)
