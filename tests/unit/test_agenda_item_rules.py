"""The rules of agenda items without I/O: clean input, when an agenda closes, what is offered."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from planning.agenda_items.rules import (
    EXPLANATION_LIMIT,
    TITLE_LIMIT,
    AgendaItemError,
    AgendaItemRefusal,
    clean_explanation,
    clean_title,
    closers,
    closes_at,
    fixed_items,
    next_meeting,
    offered_meetings,
)
from planning.calendar.expand import entries
from planning.calendar.model import FixedItems, Meeting, Overleg, Plan, When, YearMonth
from planning.membership.tables import MemberStatus, Role
from tests.support.plans import (
    AMSTERDAM,
    PETIT_COMITE,
    amsterdam_time,
    jaarplan_2011,
    member_row,
)


def _plan(*meetings: Meeting) -> Plan:
    return Plan(
        name="Proef",
        zone=AMSTERDAM,
        overleggen=(
            Overleg("bo", "Bestuurlijk overleg", "doel", "coordinatie", ("bestuurders",), True),
            Overleg("ao", "Ambtelijk overleg", "doel", "coordinatie", ("contactpersonen",), True),
            PETIT_COMITE,
            Overleg("ts", "Themasessie", "doel", "coordinatie", ("alle",)),
        ),
        meetings=meetings,
    )


MARCH_AO = Meeting("ao-3", "ao", When(day=date(2011, 3, 22), start=time(10), end=time(12)))
JUNE_AO = Meeting("ao-6", "ao", When(day=date(2011, 6, 21)))
THEME = Meeting("ts-3", "ts", When(day=date(2011, 3, 15)))
OCTOBER_BO = Meeting("bo-10", "bo", When(month=YearMonth(2011, 10)))
NOVEMBER_BO = Meeting("bo-11", "bo", When(day=date(2011, 11, 7), start=time(14)))


# ---------------------------------------------------------------- title and explanation


def test_a_title_is_stripped_and_its_inner_whitespace_collapsed() -> None:
    assert clean_title("  Jeugdcriminaliteit \n in  Gouda ") == "Jeugdcriminaliteit in Gouda"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t"])
def test_an_empty_title_is_refused(raw: str) -> None:
    with pytest.raises(AgendaItemError) as refused:
        clean_title(raw)
    assert refused.value.reason == AgendaItemRefusal.TITLE_EMPTY


def test_a_title_may_have_200_characters_not_201_and_the_refusal_names_the_limit() -> None:
    assert clean_title("x" * TITLE_LIMIT) == "x" * 200
    with pytest.raises(AgendaItemError) as refused:
        clean_title("x" * 201)
    assert (refused.value.reason, refused.value.limit) == (AgendaItemRefusal.TITLE_TOO_LONG, 200)


def test_collapsed_whitespace_counts_once_towards_the_limit() -> None:
    assert len(clean_title("x" * 100 + " " * 50 + "y" * 99)) == 200


def test_an_explanation_is_optional_and_keeps_its_paragraphs() -> None:
    assert clean_explanation(None) is None
    assert clean_explanation("  \n ") is None
    assert clean_explanation(" Eerste alinea.\n\nTweede. ") == "Eerste alinea.\n\nTweede."


def test_an_explanation_may_have_1000_characters_not_1001() -> None:
    assert clean_explanation("x" * EXPLANATION_LIMIT) == "x" * 1000
    with pytest.raises(AgendaItemError) as refused:
        clean_explanation("x" * 1001)
    assert (refused.value.reason, refused.value.limit) == (
        AgendaItemRefusal.EXPLANATION_TOO_LONG,
        1000,
    )


# ---------------------------------------------------------------- closing moments


def test_the_ao_agenda_closes_when_its_petit_comite_begins() -> None:
    plan, member = _plan(MARCH_AO), member_row("contactpersonen")

    [offered] = offered_meetings(member, plan, amsterdam_time(date(2011, 3, 1), 9))

    assert offered.entry.key == "ao-3"
    assert offered.closer is not None and offered.closer.title == "Petit comité"
    # The petit comité is 14 days earlier, at the AO's time: 8 March, 10:00 (CET = UTC+1).
    assert offered.closes_at == datetime(2011, 3, 8, 9, 0, tzinfo=UTC)


def test_once_the_petit_comite_began_the_next_ao_is_offered() -> None:
    plan, member = _plan(MARCH_AO, JUNE_AO), member_row("contactpersonen")

    before = offered_meetings(member, plan, amsterdam_time(date(2011, 3, 8), 9, 59))
    after = offered_meetings(member, plan, amsterdam_time(date(2011, 3, 8), 10))

    assert [m.entry.key for m in before] == ["ao-3"]
    assert [m.entry.key for m in after] == ["ao-6"]
    # A meeting known to the day only: its petit comité (7 June, no time) begins at 00:00.
    assert (
        after[0].closes_at
        == amsterdam_time(date(2011, 6, 7))
        == datetime(2011, 6, 6, 22, tzinfo=UTC)
    )


def test_without_a_closer_the_agenda_closes_when_the_meeting_begins() -> None:
    plan, member = _plan(NOVEMBER_BO), member_row("bestuurders")

    [offered] = offered_meetings(member, plan, amsterdam_time(date(2011, 11, 1)))

    assert offered.closer is None
    assert offered.closes_at == amsterdam_time(date(2011, 11, 7), 14)
    assert offered_meetings(member, plan, amsterdam_time(date(2011, 11, 7), 14)) == []


def test_a_month_only_meeting_stays_open_until_its_month_begins() -> None:
    plan, member = _plan(OCTOBER_BO, NOVEMBER_BO), member_row("bestuurders")

    [september] = offered_meetings(member, plan, amsterdam_time(date(2011, 9, 30), 23, 59))
    [october] = offered_meetings(member, plan, amsterdam_time(date(2011, 10, 1)))

    assert september.entry.key == "bo-10"
    assert september.closes_at == amsterdam_time(date(2011, 10, 1))
    assert october.entry.key == "bo-11"


def test_a_cancelled_petit_comite_leaves_the_agenda_open_until_the_ao_begins() -> None:
    # Derived meetings are cancelled only with their parent, so this is a hand-made case of
    # the rule: a closer that does not take place closes nothing.
    meetings = entries(_plan(MARCH_AO), date(2011, 3, 1), date(2011, 3, 31))
    ao = next(e for e in meetings if e.key == "ao-3")
    pc = next(e for e in meetings if e.overleg == "pc")

    held = [ao, pc]
    cancelled = [ao, replace(pc, cancelled=True)]

    assert closers(held) == {"ao-3": pc}
    assert closers(cancelled) == {}
    # As open_calendar combines them: the petit comité's day, or the AO's own start.
    assert closes_at(ao, closers(held).get(ao.key), AMSTERDAM) == amsterdam_time(
        date(2011, 3, 8), 10
    )
    assert closes_at(ao, closers(cancelled).get(ao.key), AMSTERDAM) == amsterdam_time(
        date(2011, 3, 22), 10
    )


# ---------------------------------------------------------------- which meetings are offered


def test_only_overleggen_that_accept_items_and_meetings_the_member_attends_are_offered() -> None:
    plan = _plan(MARCH_AO, THEME, NOVEMBER_BO)

    contact = offered_meetings(
        member_row("contactpersonen"), plan, amsterdam_time(date(2011, 3, 1))
    )
    petit = offered_meetings(member_row("petit-comite"), plan, amsterdam_time(date(2011, 3, 1)))

    assert [m.entry.key for m in contact] == ["ao-3"]  # not the theme session, not the BO
    assert petit == []  # the petit comité itself accepts no items


def test_a_coordinator_is_offered_every_overleg_in_agenda_order() -> None:
    plan = _plan(NOVEMBER_BO, MARCH_AO, JUNE_AO, THEME)
    coordinator = member_row(role=Role.COORDINATOR)

    offered = offered_meetings(coordinator, plan, amsterdam_time(date(2011, 3, 1)))

    assert [m.entry.key for m in offered] == ["ao-3", "bo-11"]


def test_a_cancelled_meeting_is_not_offered_the_next_one_is() -> None:
    cancelled = Meeting("ao-3", "ao", MARCH_AO.when, cancelled=True)
    plan = _plan(cancelled, JUNE_AO)

    offered = offered_meetings(
        member_row("contactpersonen"), plan, amsterdam_time(date(2011, 3, 1))
    )

    assert [m.entry.key for m in offered] == ["ao-6"]


def test_someone_who_left_is_offered_nothing() -> None:
    member = member_row("contactpersonen")
    member.status = MemberStatus.LEFT

    assert offered_meetings(member, _plan(MARCH_AO), amsterdam_time(date(2011, 3, 1))) == []


def test_the_last_fixed_item_closes_the_agenda_and_a_single_one_opens_it() -> None:
    assert fixed_items(["Opening", "Verslag vorige vergadering", "Rondvraag"]) == (
        ("Opening", "Verslag vorige vergadering"),
        ("Rondvraag",),
    )
    assert fixed_items(["Opening"]) == (("Opening",), ())
    assert fixed_items([]) == ((), ())


def test_fixed_items_split_by_the_plan_keep_that_split() -> None:
    split = FixedItems(("Opening", "Mededelingen"), ("Rondvraag", "Sluiting"))
    assert fixed_items(split) == (("Opening", "Mededelingen"), ("Rondvraag", "Sluiting"))
    assert fixed_items(FixedItems((), ("Sluiting",))) == ((), ("Sluiting",))


def test_the_next_meeting_is_the_same_overlegs_following_one() -> None:
    """After the AO of 22 March comes that of 21 June; November's is the year's last."""
    plan = jaarplan_2011()
    march = next(
        e for e in entries(plan, date(2011, 3, 22), date(2011, 3, 22)) if e.overleg == "ao"
    )
    now = amsterdam_time(date(2011, 3, 1))
    following = next_meeting(plan, march, now)
    assert following is not None and following.first_day == date(2011, 6, 21)
    november = next(
        e for e in entries(plan, date(2011, 11, 22), date(2011, 11, 22)) if e.overleg == "ao"
    )
    assert next_meeting(plan, november, now) is None
