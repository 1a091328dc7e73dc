"""Reviewing and withdrawing agenda items on a real database: numbered in the order of
acceptance, decided once, by active coordinators only, following their meeting."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from bot.handlers.agenda_items.prompts import review_result
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.services import (
    agenda_of,
    my_items,
    open_meetings,
    review,
    submit,
    waiting_items,
    withdraw_item,
)
from planning.agenda_items.tables import AgendaItemStatus
from planning.calendar.model import When
from planning.clock import FixedClock
from planning.db import Database
from planning.meeting_changes.services import cancel_meeting, move_meeting
from tests.support.agenda_items import (
    CONTACT,
    COORDINATOR,
    PETIT,
    SECOND_COORDINATOR,
    STRANGER,
    submitted,
)
from tests.support.plans import amsterdam_time


async def test_accepted_items_are_numbered_in_the_order_of_acceptance(
    planned: Database, clock: FixedClock
) -> None:
    first = await submitted(planned, clock, "Eerste")
    second = await submitted(planned, clock, "Tweede")
    third = await submitted(planned, clock, "Derde")

    await planned.run(review, clock, COORDINATOR, third.id, accept=True)
    declined = await planned.run(review, clock, COORDINATOR, second.id, accept=False)
    await planned.run(review, clock, SECOND_COORDINATOR, first.id, accept=True)

    agenda = await planned.run(agenda_of, [first.meeting_key])
    assert [(i.title, i.position) for i in agenda[first.meeting_key]] == [
        ("Derde", 1),
        ("Eerste", 2),
    ]
    assert (declined.item.status, declined.item.position) == (AgendaItemStatus.DECLINED, None)
    assert await planned.run(waiting_items, clock) == []


async def test_a_second_review_says_what_happened_instead_of_changing_it(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)
    first = await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    clock.advance(timedelta(minutes=5))
    second = await planned.run(review, clock, SECOND_COORDINATOR, item.id, accept=False)
    again = await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    assert first.changed and not second.changed and not again.changed
    assert (second.item.status, second.item.reviewer_name, second.item.position) == (
        AgendaItemStatus.ACCEPTED,
        "Cora",
        1,
    )
    assert second.item.reviewed_at == first.item.reviewed_at
    assert "Dit punt was al beoordeeld: Op de agenda gezet door Cora (punt 1)." in review_result(
        second
    )


async def test_two_presses_at_once_decide_once_and_numbers_never_clash(
    planned: Database, clock: FixedClock
) -> None:
    same = await submitted(planned, clock, "Tegelijk")
    others = [await submitted(planned, clock, f"Punt {n}") for n in range(4)]

    outcomes = await asyncio.gather(
        planned.run(review, clock, COORDINATOR, same.id, accept=True),
        planned.run(review, clock, SECOND_COORDINATOR, same.id, accept=False),
    )
    await asyncio.gather(
        *(planned.run(review, clock, COORDINATOR, item.id, accept=True) for item in others)
    )

    assert sorted(outcome.changed for outcome in outcomes) == [False, True]
    assert {outcome.item.status for outcome in outcomes} == {outcomes[0].item.status}
    agenda = (await planned.run(agenda_of, [same.meeting_key]))[same.meeting_key]
    accepted = 5 if outcomes[0].item.status == AgendaItemStatus.ACCEPTED else 4
    assert [item.position for item in agenda] == list(range(1, accepted + 1))


async def test_without_beoordelaars_only_active_coordinators_review(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)
    for who in (CONTACT, PETIT, STRANGER):
        with pytest.raises(AgendaItemError) as refused:
            await planned.run(review, clock, who, item.id, accept=True)
        assert refused.value.reason == AgendaItemRefusal.NOT_REVIEWER
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(review, clock, COORDINATOR, 9999, accept=True)
    assert refused.value.reason == AgendaItemRefusal.UNKNOWN_ITEM
    assert [i.status for i in await planned.run(waiting_items, clock)] == [AgendaItemStatus.WAITING]


async def test_the_submitter_withdraws_a_waiting_item_only(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)
    reviewed = await submitted(planned, clock, "Al beoordeeld")
    await planned.run(review, clock, COORDINATOR, reviewed.id, accept=False)

    with pytest.raises(AgendaItemError) as someone_else:
        await planned.run(withdraw_item, clock, PETIT, item.id)
    withdrawn = await planned.run(withdraw_item, clock, CONTACT, item.id)
    with pytest.raises(AgendaItemError) as twice:
        await planned.run(withdraw_item, clock, CONTACT, item.id)
    with pytest.raises(AgendaItemError) as after_review:
        await planned.run(withdraw_item, clock, CONTACT, reviewed.id)
    late_review = await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    assert someone_else.value.reason == AgendaItemRefusal.UNKNOWN_ITEM
    assert withdrawn.status == AgendaItemStatus.WITHDRAWN
    assert twice.value.reason == after_review.value.reason == AgendaItemRefusal.NOT_WAITING
    assert not late_review.changed and late_review.item.status == AgendaItemStatus.WITHDRAWN
    assert [(i.title, i.status) for i in await planned.run(my_items, clock, CONTACT)] == [
        ("Cijfers 2010", AgendaItemStatus.WITHDRAWN),
        ("Al beoordeeld", AgendaItemStatus.DECLINED),
    ]


async def test_items_follow_a_moved_meeting_and_stay_visible_when_it_is_cancelled(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)

    await planned.run(move_meeting, clock, item.meeting_key, When(day=date(2011, 3, 29)))
    [moved] = await planned.run(waiting_items, clock)
    await planned.run(cancel_meeting, clock, item.meeting_key)
    [cancelled] = await planned.run(waiting_items, clock)

    assert moved.meeting_when == When(day=date(2011, 3, 29))
    assert (cancelled.id, cancelled.meeting_cancelled) == (item.id, True)
    assert [(m.entry.when.day) for m in await planned.run(open_meetings, clock, CONTACT)] == [
        date(2011, 6, 21)
    ]
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(submit, clock, CONTACT, item.meeting_key, "Nog een", None)
    assert refused.value.reason == AgendaItemRefusal.NOT_OPEN


async def test_items_of_meetings_that_are_over_leave_the_lists(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)

    clock.set(amsterdam_time(date(2011, 3, 22), 23))
    assert [i.id for i in await planned.run(waiting_items, clock)] == [item.id]
    clock.set(amsterdam_time(date(2011, 3, 23)))
    assert await planned.run(waiting_items, clock) == []
    assert await planned.run(my_items, clock, CONTACT) == []
