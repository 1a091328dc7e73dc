"""The question to an overdue milestone's owner: asked on the next working day, only the
owner organisation, never about what is done, late if the bot was down; queueing again changes
nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from berichten.milestones import queue_deadline_messages
from berichten.outbox.tables import OutboxStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.milestones.services import mark_done
from tests.support.milestones import BZK, COORDINATOR, GOUDA, milestone_uid
from tests.support.outbox import outbox_rows


async def test_the_owners_members_are_asked_the_next_working_day(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 3, 31, 12, 0, tzinfo=UTC))  # the due day itself: nothing yet
    await planned.run(queue_deadline_messages, clock)
    assert await outbox_rows(planned, "overdue") == []

    clock.set(datetime(2011, 4, 1, 7, 0, tzinfo=UTC))  # Friday 1 April, 09:00
    report = await planned.run(queue_deadline_messages, clock)

    uid = await milestone_uid(planned, "Jaarplan 2011", "Jaarplan vastgesteld")
    [asked] = await outbox_rows(planned, "overdue")
    assert report.queued == 2  # the question, and April's overview (Friday 1 April)
    assert asked.key == f"overdue|{uid}|2011-03-31|{COORDINATOR}"
    assert asked.due_at == datetime(2011, 4, 1, 7, 0, tzinfo=UTC)
    assert asked.text == (
        "<b>Mijlpaal over tijd</b>\n"
        "Mijlpaal “Jaarplan vastgesteld” van product “Jaarplan 2011” was uiterlijk "
        "donderdag 31 maart 2011. Is die klaar, of komt er een nieuwe datum?\n"
        "Met /mijlpaal vinkt u de mijlpaal af of geeft u een nieuwe datum op."
    )


async def test_a_deadline_at_a_weekend_month_end_is_asked_about_on_monday(
    planned: Database, clock: FixedClock
) -> None:
    # Due by Saturday 30 April.
    uid = await milestone_uid(planned, "Communicatieplan", "Communicatieplan gereed")
    clock.set(datetime(2011, 5, 1, 12, 0, tzinfo=UTC))  # Sunday
    await planned.run(queue_deadline_messages, clock)
    assert not [r for r in await outbox_rows(planned, "overdue") if uid in r.key]

    clock.set(datetime(2011, 5, 2, 7, 0, tzinfo=UTC))  # Monday 2 May, 09:00
    await planned.run(queue_deadline_messages, clock)

    [asked] = [r for r in await outbox_rows(planned, "overdue") if uid in r.key]
    assert asked.key == f"overdue|{uid}|2011-04-30|{COORDINATOR}"
    assert asked.due_at == datetime(2011, 5, 2, 7, 0, tzinfo=UTC)
    assert "was uiterlijk zaterdag 30 april 2011" in asked.text


async def test_the_question_goes_only_to_the_owner_organisation(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 6, 1, 7, 0, tzinfo=UTC))  # the Monitor's start was due by 31 May
    await planned.run(queue_deadline_messages, clock)

    uid = await milestone_uid(planned, "Monitor 2011 (over 2010)", "Start")
    asked = Counter(
        (r.key.split("|")[1], r.recipient) for r in await outbox_rows(planned, "overdue")
    )
    assert asked[uid, BZK] == 1
    assert (uid, COORDINATOR) not in asked
    assert GOUDA not in {recipient for _, recipient in asked}


async def test_nothing_is_asked_about_a_milestone_marked_done(
    planned: Database, clock: FixedClock
) -> None:
    uid = await milestone_uid(planned, "Jaarplan 2011", "Jaarplan vastgesteld")
    clock.set(datetime(2011, 4, 1, 6, 0, tzinfo=UTC))  # an hour before: queued ahead
    await planned.run(queue_deadline_messages, clock)
    [queued] = await outbox_rows(planned, "overdue")
    assert queued.status == OutboxStatus.PENDING

    await planned.run(mark_done, clock, uid, COORDINATOR)
    report = await planned.run(queue_deadline_messages, clock)

    [withdrawn] = await outbox_rows(planned, "overdue")
    assert report.withdrawn == 1
    assert withdrawn.status == OutboxStatus.SKIPPED
    clock.set(datetime(2011, 4, 11, 7, 0, tzinfo=UTC))  # a Monday list day, were it late
    await planned.run(queue_deadline_messages, clock)
    assert await outbox_rows(planned, "overdue-list") == []


async def test_a_bot_that_was_down_sends_the_question_late(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 4, 5, 12, 0, tzinfo=UTC))  # down since before Friday 1 April

    await planned.run(queue_deadline_messages, clock)

    [asked] = await outbox_rows(planned, "overdue")
    assert asked.due_at == datetime(2011, 4, 1, 7, 0, tzinfo=UTC)
    assert asked.status == OutboxStatus.PENDING


async def test_queueing_again_changes_nothing(planned: Database, clock: FixedClock) -> None:
    clock.set(datetime(2011, 5, 2, 7, 0, tzinfo=UTC))  # questions and the overview at once
    first = await planned.run(queue_deadline_messages, clock)
    again = await planned.run(queue_deadline_messages, clock)

    assert first.queued > 0
    assert (again.queued, again.withdrawn, again.updated) == (0, 0, 0)
    keys = [r.key for r in await outbox_rows(planned)]
    assert len(keys) == len(set(keys)) == first.queued
