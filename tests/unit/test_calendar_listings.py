"""The rules behind /agenda, /deadlines and /volgende, on hand-made plans without I/O."""

from __future__ import annotations

from datetime import date, time

from planning.calendar.listings import (
    PAGE_SIZE,
    Concern,
    calendar_entries_for,
    deadlines_for,
    meetings_for,
    next_of,
)
from planning.calendar.model import Meeting, Milestone, Organisation, Overleg, Plan, Product, When
from planning.paging import paginate
from tests.support.plans import AMSTERDAM, PETIT_COMITE, amsterdam_time, member_row

DAY = date(2011, 3, 22)


def _plan(*meetings: Meeting, products: tuple[Product, ...] = ()) -> Plan:
    return Plan(
        name="Proef",
        zone=AMSTERDAM,
        organisations=(Organisation("bzk", "Ministerie van BZK", "rijk"),),
        overleggen=(
            Overleg("ao", "Ambtelijk overleg", "doel", "coordinatie", ("contactpersonen",)),
            PETIT_COMITE,
        ),
        meetings=meetings,
        products=products,
    )


AO = Meeting("ao-1", "ao", When(day=DAY, start=time(10), end=time(12)), location="Utrecht")


def test_a_timed_meeting_is_listed_until_it_ends() -> None:
    plan, member = _plan(AO), member_row("contactpersonen")

    assert len(meetings_for(member, plan, amsterdam_time(DAY, 11, 59))) == 1
    assert meetings_for(member, plan, amsterdam_time(DAY, 12)) == []


def test_a_timed_meeting_without_end_is_listed_until_it_starts() -> None:
    plan = _plan(Meeting("ao-1", "ao", When(day=DAY, start=time(10))))
    member = member_row("contactpersonen")

    assert len(meetings_for(member, plan, amsterdam_time(DAY, 9, 59))) == 1
    assert meetings_for(member, plan, amsterdam_time(DAY, 10)) == []


def test_a_day_only_meeting_is_listed_the_whole_day() -> None:
    plan = _plan(Meeting("ao-1", "ao", When(day=DAY)))
    member = member_row("contactpersonen")

    assert len(meetings_for(member, plan, amsterdam_time(DAY, 23, 59))) == 1
    assert meetings_for(member, plan, amsterdam_time(date(2011, 3, 23), 0)) == []


def test_the_ao_carries_its_petit_comite_even_for_those_not_in_it() -> None:
    plan, member = _plan(AO), member_row("contactpersonen")

    [item] = meetings_for(member, plan, amsterdam_time(date(2011, 3, 1), 9))

    assert [(d.title, d.when.day, d.when.start) for d in item.derived] == [
        ("Petit comité", date(2011, 3, 8), time(10))
    ]
    assert item.closes_agenda_of is None


def test_a_petit_comite_says_which_agenda_it_closes() -> None:
    plan, member = _plan(AO), member_row("petit-comite")

    [item] = meetings_for(member, plan, amsterdam_time(date(2011, 3, 1), 9))

    assert item.meeting.overleg == "pc"
    assert item.closes_agenda_of is not None and item.closes_agenda_of.key == "ao-1"


def test_cancelled_meetings_are_left_out_of_lists_but_not_out_of_the_calendar_file() -> None:
    plan = _plan(Meeting("ao-1", "ao", When(day=DAY), cancelled=True))
    member = member_row("contactpersonen")
    now = amsterdam_time(date(2011, 3, 1), 9)

    assert meetings_for(member, plan, now) == []
    assert [e.key for e in calendar_entries_for(member, plan, now)] == ["ao-1"]


def test_a_member_outside_the_groups_sees_nothing() -> None:
    plan, member = _plan(AO), member_row("kenniswerkgroep")

    assert meetings_for(member, plan, amsterdam_time(date(2011, 3, 1), 9)) == []


MONITOR = Product(
    "Monitor",
    "bzk",
    ("rijk",),
    (
        Milestone("m-1", "Start", When(day=date(2011, 2, 1))),
        Milestone("m-2", "Concept", When(day=date(2011, 5, 1))),
        Milestone("m-3", "Klaar", When(day=date(2011, 6, 1)), done=True),
    ),
)
PLAN_PRODUCT = Product(
    "Plan", "coordinatie", ("contactpersonen",), (Milestone("p-1", "Af", When(day=DAY)),)
)


def test_deadlines_mine_first_overdue_flagged_done_left_out() -> None:
    plan = _plan(products=(PLAN_PRODUCT, MONITOR))
    now = amsterdam_time(date(2011, 3, 1), 9)

    found = deadlines_for(member_row(organisation="bzk"), plan, now)

    assert [(d.milestone.key, d.concern, d.overdue) for d in found] == [
        ("m-1", Concern.OWNER, True),
        ("m-2", Concern.OWNER, False),
        ("p-1", Concern.OTHER, False),
    ]
    assert found[0].owner_name == "Ministerie van BZK"
    involved = deadlines_for(member_row("contactpersonen"), plan, now)
    assert [d.concern for d in involved] == [Concern.INVOLVED, Concern.OTHER, Concern.OTHER]


def test_next_is_the_meeting_on_a_tie_and_never_an_overdue_or_others_milestone() -> None:
    plan = _plan(Meeting("ao-1", "ao", When(day=date(2011, 5, 1))), products=(MONITOR,))
    member = member_row("contactpersonen", organisation="bzk")
    now = amsterdam_time(date(2011, 3, 1), 9)

    thing = next_of(meetings_for(member, plan, now), deadlines_for(member, plan, now))
    assert thing is not None and thing == meetings_for(member, plan, now)[0]

    stranger = member_row()
    assert next_of([], deadlines_for(stranger, plan, now)) is None


def test_paging_clamps_and_counts() -> None:
    plan = _plan(*(Meeting(f"ao-{n}", "ao", When(day=date(2011, 4, n))) for n in range(1, 12)))
    items = meetings_for(member_row("contactpersonen"), plan, amsterdam_time(date(2011, 3, 1), 9))

    first, last = paginate(items, 0, PAGE_SIZE), paginate(items, 99, PAGE_SIZE)

    assert (first.count, first.total, first.first_position, len(first.items)) == (3, 11, 1, 5)
    assert (last.number, last.first_position, len(last.items)) == (2, 11, 1)
    assert not first.has_previous and first.has_next
    assert last.has_previous and not last.has_next
    assert paginate([], 3, PAGE_SIZE).count == 1
