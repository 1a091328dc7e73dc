"""Submitting agenda items on a real database: which meetings are offered to whom, what is
stored, and what is refused (storing nothing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.services import my_items, open_meetings, submit, waiting_items
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus
from planning.calendar.expand import entries
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_items import BZK, CONTACT, COORDINATOR, STRANGER, march_ao
from tests.support.plans import amsterdam_time, stored_plan


async def _stored(db: Database) -> list[AgendaItemRow]:
    async with db.transaction() as session:
        return list(await session.scalars(select(AgendaItemRow).order_by(AgendaItemRow.id)))


async def test_a_contact_person_is_offered_the_next_ao_whose_agenda_is_open(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await march_ao(planned, clock)

    # January's AO closed this morning with its petit comité; March's closes with its own.
    assert meeting.closer is not None and meeting.closer.title == "Petit comité"
    assert meeting.closes_at == amsterdam_time(date(2011, 3, 8))


async def test_a_coordinator_is_offered_each_overleg_that_accepts_items_in_agenda_order(
    planned: Database, clock: FixedClock
) -> None:
    offered = await planned.run(open_meetings, clock, COORDINATOR)

    assert [(m.entry.overleg, m.entry.when.day) for m in offered] == [
        ("kwg", date(2011, 1, 6)),
        ("ao", date(2011, 3, 22)),
        ("bo", date(2011, 5, 16)),
    ]


async def test_the_rijk_is_offered_its_month_only_bo_until_that_month_begins(
    planned: Database, clock: FixedClock
) -> None:
    [meeting] = await planned.run(open_meetings, clock, BZK)

    assert (meeting.entry.title, str(meeting.entry.when.in_month), meeting.entry.when.day) == (
        "Bestuurlijk overleg met het Rijk",
        "2011-10",
        None,
    )
    assert meeting.closes_at == datetime(2011, 9, 30, 22, tzinfo=UTC)  # 1 October, 00:00 CEST
    assert await planned.run(open_meetings, clock, STRANGER) == []


async def test_a_submitted_item_waits_for_review_with_who_submitted_it(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await march_ao(planned, clock)

    item = await planned.run(
        submit, clock, CONTACT, meeting.entry.key, "  Cijfers   2010 ", " Graag bespreken. "
    )

    assert (item.title, item.explanation, item.status) == (
        "Cijfers 2010",
        "Graag bespreken.",
        AgendaItemStatus.WAITING,
    )
    assert (item.submitter_name, item.submitter_organisation) == ("Fatima", "Gemeente Gouda")
    assert (item.meeting_title, item.overleg_code) == ("Ambtelijk overleg", "ao")
    assert item.submitted_at == clock.now()
    assert [i.id for i in await planned.run(my_items, clock, CONTACT)] == [item.id]
    assert [i.id for i in await planned.run(waiting_items, clock)] == [item.id]


async def test_refusals_store_nothing(planned: Database, clock: FixedClock) -> None:
    meeting = await march_ao(planned, clock)
    [january] = [
        m
        for m in await planned.run(
            open_meetings, FixedClock(datetime(2011, 1, 2, tzinfo=UTC)), CONTACT
        )
    ]
    [theme] = [
        m for m in await planned.run(open_meetings, clock, COORDINATOR) if m.entry.overleg == "kwg"
    ]
    cases = [
        (STRANGER, meeting.entry.key, "Titel", None, AgendaItemRefusal.NOT_MEMBER),
        (BZK, meeting.entry.key, "Titel", None, AgendaItemRefusal.NOT_MEMBER),  # not a participant
        (
            CONTACT,
            january.entry.key,
            "Titel",
            None,
            AgendaItemRefusal.NOT_OPEN,
        ),  # closed this morning
        (CONTACT, "no-such-meeting", "Titel", None, AgendaItemRefusal.NOT_OPEN),
        (CONTACT, meeting.entry.key, "   ", None, AgendaItemRefusal.TITLE_EMPTY),
        (CONTACT, meeting.entry.key, "x" * 201, None, AgendaItemRefusal.TITLE_TOO_LONG),
        (CONTACT, meeting.entry.key, "Titel", "x" * 1001, AgendaItemRefusal.EXPLANATION_TOO_LONG),
        (CONTACT, theme.entry.key, "Titel", None, AgendaItemRefusal.NOT_MEMBER),  # not in the kwg
    ]
    for user, key, title, explanation, reason in cases:
        with pytest.raises(AgendaItemError) as refused:
            await planned.run(submit, clock, user, key, title, explanation)
        assert refused.value.reason == reason, (user, key, title)

    assert await _stored(planned) == []


async def test_overleggen_without_agenda_items_take_none(
    planned: Database, clock: FixedClock
) -> None:
    # A theme session (ts) is for everyone, but accepts no items; coordinators may not either.
    plan_clock = FixedClock(datetime(2011, 3, 1, 8, tzinfo=UTC))
    plan = await stored_plan(planned)
    [theme] = [e for e in entries(plan, date(2011, 3, 1), date(2011, 3, 31)) if e.overleg == "ts"]
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(submit, plan_clock, COORDINATOR, theme.key, "Titel", None)
    assert refused.value.reason == AgendaItemRefusal.NOT_OPEN


async def test_a_draft_for_an_agenda_that_closed_in_the_meantime_is_refused(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await march_ao(planned, clock)
    clock.set(amsterdam_time(date(2011, 3, 7), 23) + timedelta(minutes=59))
    await planned.run(submit, clock, CONTACT, meeting.entry.key, "Net op tijd", None)

    clock.set(amsterdam_time(date(2011, 3, 8)))
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(submit, clock, CONTACT, meeting.entry.key, "Te laat", None)

    assert refused.value.reason == AgendaItemRefusal.NOT_OPEN
    assert [row.title for row in await _stored(planned)] == ["Net op tijd"]
    assert [
        (m.entry.overleg, m.entry.when.day)
        for m in await planned.run(open_meetings, clock, CONTACT)
    ] == [("ao", date(2011, 6, 21))]
