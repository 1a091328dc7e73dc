"""What members are told about their calendar, on a real database holding the jaarplan 2011.

The clock starts on Tuesday 4 January 2011, 09:00 in Amsterdam: the day of the first petit
comité, two weeks before the first AO and themasessie.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from planning.calendar.listings import (
    Concern,
    DeadlineItem,
    MeetingListing,
    agenda_page,
    my_calendar,
    next_for,
    upcoming_deadlines,
    upcoming_meetings,
)
from planning.calendar.model import Precision
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import leave
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan
from planning.plan.tables import MilestoneRow
from tests.support.network import join
from tests.support.plans import plan_of

CONTACT, PC_MEMBER, BZK_MEMBER, COMMUNICATIONS = 101, 102, 103, 104


async def _planned(database: Database, clock: FixedClock) -> None:
    await database.run(import_plan, clock, plan_of(example_plan_text()))
    await join(database, clock, CONTACT, "gouda", "contactpersonen")
    await join(database, clock, PC_MEMBER, "utrecht", "petit-comite", "bestuurders")
    await join(database, clock, BZK_MEMBER, "bzk", "rijk")
    await join(database, clock, COMMUNICATIONS, "vng", "communicatieadviseurs")


def _shown(items: list[MeetingListing]) -> list[tuple[str, date | str]]:
    return [
        (item.meeting.title, item.meeting.when.day or str(item.meeting.when.in_month))
        for item in items
    ]


def _deadlines(items: list[DeadlineItem]) -> list[tuple[str, str, Concern, bool]]:
    return [
        (item.milestone.product or "", item.milestone.title, item.concern, item.overdue)
        for item in items
    ]


async def test_a_contact_person_sees_the_ao_with_its_petit_comite_and_the_themasessies(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)

    items = await database.run(upcoming_meetings, clock, CONTACT)

    assert _shown(items)[:4] == [
        ("Ambtelijk overleg", date(2011, 1, 18)),
        ("Themasessie", date(2011, 1, 18)),
        ("Ambtelijk overleg", date(2011, 3, 22)),
        ("Themasessie", date(2011, 3, 22)),
    ]
    assert len(items) == 9  # five AOs and four themasessies; no KWG, petit comité or BO
    ao_days = [
        [(d.title, d.when.day) for d in item.derived]
        for item in items
        if item.meeting.overleg == "ao"
    ]
    assert ao_days[:2] == [
        [("Petit comité", date(2011, 1, 4))],
        [("Petit comité", date(2011, 3, 8))],
    ]
    assert items[1].meeting.theme == "Vertaalslag monitor naar praktijk"


async def test_todays_petit_comite_is_listed_with_the_agenda_it_closes(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)

    items = await database.run(upcoming_meetings, clock, PC_MEMBER)

    first = items[0]
    assert (first.meeting.title, first.meeting.when.day) == ("Petit comité", date(2011, 1, 4))
    assert first.closes_agenda_of is not None
    assert first.closes_agenda_of.overleg == "ao"
    assert first.closes_agenda_of.when.day == date(2011, 1, 18)


async def test_month_precision_meetings_are_listed_until_their_month_is_over(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)
    clock.set(datetime(2011, 10, 20, 12, 0, tzinfo=UTC))

    items = await database.run(upcoming_meetings, clock, PC_MEMBER)

    months = [item.meeting for item in items if item.meeting.precision == Precision.MONTH]
    assert [m.title for m in months] == [
        "Bestuurlijk overleg",
        "Bestuurlijk overleg met het Rijk",
    ]
    # After October they are over, as far as the calendar knows.
    clock.set(datetime(2011, 11, 1, 8, 0, tzinfo=UTC))
    later = await database.run(upcoming_meetings, clock, PC_MEMBER)
    assert all(item.meeting.precision != Precision.MONTH for item in later)


async def test_past_and_cancelled_meetings_are_left_out_but_stay_in_the_calendar_file(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)
    await database.run(
        import_plan,
        clock,
        plan_of(example_plan_text().replace("2011-03-22, 2011-06-21", "2011-06-21")),
    )
    clock.set(datetime(2011, 1, 19, 8, 0, tzinfo=UTC))

    items = await database.run(upcoming_meetings, clock, CONTACT)

    assert _shown(items)[:3] == [
        ("Themasessie", date(2011, 3, 22)),
        ("Ambtelijk overleg", date(2011, 6, 21)),
        ("Themasessie", date(2011, 6, 21)),
    ]
    calendar = await database.run(my_calendar, clock, CONTACT)
    assert calendar is not None
    cancelled = [e for e in calendar.entries if e.cancelled]
    assert [(e.overleg, e.when.day) for e in cancelled] == [("ao", date(2011, 3, 22))]


async def test_the_calendar_file_holds_my_meetings_and_my_products_milestones(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)

    calendar = await database.run(my_calendar, clock, CONTACT)

    assert calendar is not None
    assert calendar.zone.key == "Europe/Amsterdam"
    assert {e.overleg for e in calendar.entries if e.kind == "meeting"} == {"ao", "ts"}
    products = {e.product for e in calendar.entries if e.kind == "milestone"}
    assert "Model beleidsprogramma" in products  # contactpersonen are involved
    assert "Communicatieplan" not in products  # only the communicatieadviseurs are


async def test_deadlines_come_mine_first_then_my_groups_then_the_rest(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)

    items = _deadlines(await database.run(upcoming_deadlines, clock, BZK_MEMBER))

    assert items[:2] == [
        ("Monitor 2011 (over 2010)", "Start", Concern.OWNER, False),
        ("Monitor 2011 (over 2010)", "Concept gereed", Concern.OWNER, False),
    ]
    concerns = [concern for _, _, concern, _ in items]
    assert concerns == sorted(concerns)
    assert ("Jaarplan 2011", "Jaarplan vastgesteld", Concern.INVOLVED, False) in items
    assert ("Communicatieplan", "Communicatieplan gereed", Concern.OTHER, False) in items
    assert len(items) == 9


async def test_overdue_deadlines_are_flagged_and_done_ones_left_out(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)
    async with database.transaction() as session:
        await session.execute(
            update(MilestoneRow)
            .where(MilestoneRow.description == "Communicatieplan gereed")
            .values(done=True)
        )
    clock.set(datetime(2011, 4, 5, 8, 0, tzinfo=UTC))

    items = _deadlines(await database.run(upcoming_deadlines, clock, COMMUNICATIONS))

    assert items[0] == ("Jaarplan 2011", "Jaarplan vastgesteld", Concern.INVOLVED, True)
    assert all(not overdue for _, _, _, overdue in items[1:])
    assert not any(product == "Communicatieplan" for product, _, _, _ in items)


async def test_the_next_thing_is_the_first_of_my_meetings_and_my_milestones(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)

    first = await database.run(next_for, clock, PC_MEMBER)
    assert isinstance(first, MeetingListing)
    assert (first.meeting.title, first.meeting.when.day) == ("Petit comité", date(2011, 1, 4))

    # After the last themasessie only a milestone is left; the overdue Monitor concept is not
    # "next", and the BZK member's group rijk has no more meetings.
    clock.set(datetime(2011, 11, 23, 8, 0, tzinfo=UTC))
    later = await database.run(next_for, clock, BZK_MEMBER)
    assert isinstance(later, DeadlineItem)
    assert (later.milestone.product, later.due) == (
        "Inventarisatie ervaringen regulier/maatwerk",
        date(2011, 11, 30),
    )


async def test_pages_are_clamped_to_the_pages_there_are(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)

    second = await database.run(agenda_page, clock, CONTACT, 1)
    beyond = await database.run(agenda_page, clock, CONTACT, 7)

    assert (second.number, second.count, second.total, len(second.items)) == (1, 2, 9, 4)
    assert beyond == second
    assert second.has_previous and not second.has_next


async def test_nothing_without_a_plan_or_for_someone_who_left(
    network: Database, clock: FixedClock
) -> None:
    database = network
    await join(database, clock, CONTACT, "gouda", "contactpersonen")
    assert await database.run(upcoming_meetings, clock, CONTACT) == []
    assert await database.run(my_calendar, clock, CONTACT) is None

    await database.run(import_plan, clock, plan_of(example_plan_text()))
    await database.run(leave, clock, CONTACT)

    assert await database.run(upcoming_meetings, clock, CONTACT) == []
    assert await database.run(upcoming_deadlines, clock, CONTACT) == []
    assert await database.run(next_for, clock, CONTACT) is None
    assert await database.run(upcoming_meetings, clock, 999) == []
