"""Milestone status on a real database: done, a new date with a reason, history, permission."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planning.calendar.model import When, YearMonth
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.milestones.services import (
    MilestoneError,
    MilestoneRefusal,
    history,
    mark_done,
    milestone,
    open_milestones,
    reschedule,
)
from planning.plan.example import import_example_plan
from tests.support.network import join

BZK_MEMBER, GOUDA_MEMBER, COORDINATOR = 21, 22, 23


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    await join(database, clock, BZK_MEMBER, "bzk")
    await join(database, clock, GOUDA_MEMBER, "gouda")
    await join(database, clock, COORDINATOR, "gouda", role=Role.COORDINATOR)
    return database


async def _monitor_start(database: Database) -> str:
    [start] = [
        m
        for m in await database.run(open_milestones, BZK_MEMBER)
        if m.product == "Monitor 2011 (over 2010)" and m.description == "Start"
    ]
    return start.uid


async def test_a_member_of_the_owner_sees_only_their_products_milestones(
    planned: Database,
) -> None:
    mine = await planned.run(open_milestones, BZK_MEMBER)

    assert {m.product for m in mine} == {"Monitor 2011 (over 2010)"}
    assert [m.when.month for m in mine] == [YearMonth(2011, 5), YearMonth(2011, 10)]
    assert await planned.run(open_milestones, GOUDA_MEMBER) == []
    assert len(await planned.run(open_milestones, COORDINATOR)) == 9


async def test_marking_done_is_kept_in_the_history(planned: Database, clock: FixedClock) -> None:
    uid = await _monitor_start(planned)
    clock.advance(timedelta(days=3))

    done = await planned.run(mark_done, clock, uid, BZK_MEMBER)

    assert done.done and (await planned.run(milestone, uid)).done
    [line] = await planned.run(history, uid)
    assert (line.action, line.by_telegram_user_id, line.old_when) == ("done", BZK_MEMBER, "2011-05")
    assert line.at.startswith("2011-01-07")
    assert uid not in {m.uid for m in await planned.run(open_milestones, BZK_MEMBER)}
    with pytest.raises(MilestoneError) as again:
        await planned.run(mark_done, clock, uid, COORDINATOR)
    assert again.value.reason == MilestoneRefusal.DONE_ALREADY


async def test_a_new_date_needs_a_reason_and_is_kept_in_the_history(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _monitor_start(planned)

    with pytest.raises(MilestoneError) as no_reason:
        await planned.run(reschedule, clock, uid, When(month=YearMonth(2011, 6)), " ", BZK_MEMBER)
    assert no_reason.value.reason == MilestoneRefusal.NO_REASON
    with pytest.raises(MilestoneError) as past:
        await planned.run(
            reschedule, clock, uid, When(day=date(2010, 12, 1)), "Te laat", BZK_MEMBER
        )
    assert past.value.reason == MilestoneRefusal.IN_PAST

    await planned.run(
        reschedule, clock, uid, When(month=YearMonth(2011, 6)), "Gegevens komen later", BZK_MEMBER
    )
    moved = await planned.run(
        reschedule, clock, uid, When(day=date(2011, 6, 15)), "Vaste datum", COORDINATOR
    )

    assert moved.when == When(day=date(2011, 6, 15))
    lines = await planned.run(history, uid)
    assert [(line.old_when, line.new_when, line.reason) for line in lines] == [
        ("2011-05", "2011-06", "Gegevens komen later"),
        ("2011-06", "2011-06-15", "Vaste datum"),
    ]
    assert [line.by_telegram_user_id for line in lines] == [BZK_MEMBER, COORDINATOR]


async def test_another_organisation_is_refused_and_nothing_is_stored(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _monitor_start(planned)

    for attempt in (
        planned.run(mark_done, clock, uid, GOUDA_MEMBER),
        planned.run(reschedule, clock, uid, When(month=YearMonth(2011, 7)), "Zo", GOUDA_MEMBER),
        planned.run(mark_done, clock, uid, 999),  # a stranger
    ):
        with pytest.raises(MilestoneError) as refused:
            await attempt
        assert refused.value.reason == MilestoneRefusal.NOT_ALLOWED

    assert not (await planned.run(milestone, uid)).done
    assert await planned.run(history, uid) == []
