"""The coordinators' list of milestones overdue for five working days (a setting), and only
the newest after the bot was down."""

from __future__ import annotations

from datetime import UTC, datetime

from berichten.milestones import queue_deadline_messages
from planning.clock import FixedClock
from planning.db import Database
from tests.support.milestones import COORDINATOR
from tests.support.outbox import outbox_rows


async def test_coordinators_get_the_list_after_five_working_days(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 4, 6, 7, 0, tzinfo=UTC))  # 4 working days late
    await planned.run(queue_deadline_messages, clock)
    assert await outbox_rows(planned, "overdue-list") == []

    clock.set(datetime(2011, 4, 7, 7, 0, tzinfo=UTC))  # Thursday: the fifth working day
    await planned.run(queue_deadline_messages, clock)

    [listed] = await outbox_rows(planned, "overdue-list")
    assert listed.key == f"overdue-list|2011-04-07|{COORDINATOR}"
    assert listed.recipient == COORDINATOR
    assert listed.text.startswith("<b>Deze mijlpalen zijn over tijd:</b>\n")
    assert (
        "• Jaarplan 2011: Jaarplan vastgesteld (Coördinatie Samenwerkingsverband, gemeente "
        "Utrecht), uiterlijk donderdag 31 maart 2011, 5 werkdagen over tijd"
    ) in listed.text

    clock.set(datetime(2011, 4, 8, 7, 0, tzinfo=UTC))  # Friday: nothing new, no list
    await planned.run(queue_deadline_messages, clock)
    assert len(await outbox_rows(planned, "overdue-list")) == 1


async def test_escalation_days_is_a_setting(planned: Database, clock: FixedClock) -> None:
    clock.set(datetime(2011, 4, 4, 7, 0, tzinfo=UTC))  # Monday, 2 working days late
    await planned.run(queue_deadline_messages, clock, escalation_days=2)

    [listed] = await outbox_rows(planned, "overdue-list")
    assert listed.key == f"overdue-list|2011-04-04|{COORDINATOR}"
    assert "2 werkdagen over tijd" in listed.text


async def test_a_bot_that_was_down_sends_only_the_newest_list(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 4, 12, 10, 0, tzinfo=UTC))  # Tuesday; lists were due 7 and 11 April

    await planned.run(queue_deadline_messages, clock)

    assert [r.key for r in await outbox_rows(planned, "overdue-list")] == [
        f"overdue-list|2011-04-11|{COORDINATOR}"
    ]
