"""The queue runs on every wake of the outbox job: with nothing changed it must write nothing,
and what changed it must bring in line in one go (see the README's queue benchmark)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

from berichten.reminders.queue import queue_reminders
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.example import import_example_plan
from planning.preferences.services import set_hour, set_muted
from tests.support.network import join
from tests.support.outbox import pending_firsts

FATIMA, JAN = 501, 502
MONDAY = datetime(2011, 1, 3, 12, 0, tzinfo=UTC)  # the AO and TS reminders are due on the 4th
TWO_PM = datetime(2011, 1, 4, 13, 0, tzinfo=UTC)  # 14:00 in Amsterdam
NINE = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    for user_id in (FATIMA, JAN):
        await join(database, clock, user_id, "gouda", "contactpersonen")
    clock.set(MONDAY)
    return database


@contextmanager
def outbox_writes(db: Database) -> Iterator[list[str]]:
    """The INSERT and UPDATE statements sent for the outbox table while the block runs."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.startswith(("INSERT INTO outbox ", "UPDATE outbox ")):
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", before)


async def test_queueing_again_with_nothing_changed_writes_nothing(
    planned: Database, clock: FixedClock
) -> None:
    first = await planned.run(queue_reminders, clock)
    assert first.queued == 4

    with outbox_writes(planned) as writes:
        again = await planned.run(queue_reminders, clock)

    assert (again.queued, again.withdrawn) == (0, 0)
    assert writes == []


async def test_a_moved_reminder_and_one_brought_back_change_in_the_same_run(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(queue_reminders, clock)
    await planned.run(set_muted, clock, FATIMA, "ao", True)
    await planned.run(queue_reminders, clock)  # her AO reminder withdrawn, her TS one pending
    await planned.run(set_muted, clock, FATIMA, "ao", False)
    await planned.run(set_hour, clock, FATIMA, 14)

    await planned.run(queue_reminders, clock)

    assert await pending_firsts(planned, FATIMA) == [
        ("<b>Herinnering: Ambtelijk overleg</b>", TWO_PM),
        ("<b>Herinnering: Themasessie</b>", TWO_PM),
    ]
    assert [moment for _, moment in await pending_firsts(planned, JAN)] == [NINE, NINE]
