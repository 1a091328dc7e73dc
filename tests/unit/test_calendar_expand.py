"""Expanding a plan into calendar entries: derivation, recurrence, month precision, ranges."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from planning.calendar.expand import CalendarEntry, DerivationError, entries
from planning.calendar.model import (
    Derivation,
    Meeting,
    Milestone,
    OccurrenceChange,
    Overleg,
    Plan,
    Product,
    Recurrence,
    When,
    YearMonth,
)
from tests.support.plans import AMSTERDAM, jaarplan_2011

YEAR = (date(2011, 1, 1), date(2011, 12, 31))


def _overleg(code: str, derived: Derivation | None = None) -> Overleg:
    return Overleg(code, code.upper(), "doel", "coordinatie", (f"{code}-groep",), derived=derived)


def _deriving(*links: tuple[str, str | None, int]) -> Plan:
    """A plan of overleggen (code, the overleg it derives from or None, days before)."""
    overleggen = tuple(
        _overleg(code, Derivation(parent, days) if parent else None) for code, parent, days in links
    )
    return Plan(name="afgeleid", zone=AMSTERDAM, overleggen=overleggen)


def _of(found: list[CalendarEntry], overleg: str) -> list[CalendarEntry]:
    return [e for e in found if e.overleg == overleg]


def _meeting(plan: Plan, uid: str) -> Meeting:
    [meeting] = [m for m in plan.meetings if m.uid == uid]
    return meeting


def _with(plan: Plan, changed: Meeting) -> Plan:
    """The plan with the meeting of the same uid replaced, as a coordinator's change does."""
    meetings = tuple(changed if m.uid == changed.uid else m for m in plan.meetings)
    return replace(plan, meetings=meetings)


def test_a_moved_ao_moves_its_petit_comite_and_raises_its_sequence() -> None:
    plan = jaarplan_2011()
    ao = _meeting(plan, "ao-2011-03-22")
    plan = _with(plan, replace(ao, when=When(day=date(2011, 3, 29)), sequence=1))
    [pc] = [e for e in _of(entries(plan, *YEAR), "pc") if e.key == "ao-2011-03-22~pc"]
    assert pc.when.day == date(2011, 3, 15)
    assert pc.sequence == 1 and not pc.cancelled


def test_a_cancelled_ao_cancels_its_petit_comite_but_both_stay_listed() -> None:
    plan = jaarplan_2011()
    plan = _with(plan, replace(_meeting(plan, "ao-2011-06-21"), cancelled=True))
    found = entries(plan, date(2011, 6, 1), date(2011, 6, 30))
    cancelled = {e.key for e in found if e.cancelled}
    assert cancelled == {"ao-2011-06-21", "ao-2011-06-21~pc"}


def test_a_derived_meeting_keeps_its_parents_time() -> None:
    plan = jaarplan_2011()
    ao = _meeting(plan, "ao-2011-03-22")
    plan = _with(plan, replace(ao, when=When(date(2011, 3, 22), None, time(10), time(12))))
    [pc] = _of(entries(plan, date(2011, 3, 8), date(2011, 3, 8)), "pc")
    assert pc.start(AMSTERDAM) == datetime(2011, 3, 8, 9, 0, tzinfo=UTC)
    assert pc.end(AMSTERDAM) == datetime(2011, 3, 8, 11, 0, tzinfo=UTC)


def test_derivation_chains_follow_every_link() -> None:
    plan = _deriving(("c", "b", 3), ("b", "a", 7), ("a", None, 0))
    plan = replace(plan, meetings=(Meeting("a1", "a", When(day=date(2011, 5, 20))),))
    found = entries(plan, *YEAR)
    assert [(e.key, e.when.day, e.derived_from) for e in found] == [
        ("a1~b~c", date(2011, 5, 10), "b"),
        ("a1~b", date(2011, 5, 13), "a"),
        ("a1", date(2011, 5, 20), None),
    ]


def test_a_derived_meeting_in_range_comes_from_a_parent_outside_it() -> None:
    found = entries(jaarplan_2011(), date(2011, 1, 1), date(2011, 1, 10))
    assert [(e.key, e.when.day) for e in found if e.kind == "meeting"] == [
        ("ao-2011-01-18~pc", date(2011, 1, 4)),
        ("kwg-2011-01-06", date(2011, 1, 6)),
    ]


@pytest.mark.timeout(5)
def test_a_derivation_cycle_is_refused_instead_of_looping() -> None:
    plan = _deriving(("x", "z", 1), ("y", "x", 1), ("z", "y", 1))
    with pytest.raises(DerivationError, match="cycle: x -> z -> y -> x"):
        entries(plan, *YEAR)
    with pytest.raises(DerivationError, match="cycle"):
        entries(_deriving(("x", "x", 1)), *YEAR)


def test_a_derivation_from_an_unknown_overleg_is_refused() -> None:
    plan = _deriving(("x", "ao", 14))
    with pytest.raises(DerivationError, match="unknown overleg 'ao'"):
        entries(plan, *YEAR)


def _steering(*changes: OccurrenceChange, until: str = "20110705") -> Plan:
    stuur = replace(
        _overleg("stuur"),
        recurrence=Recurrence(
            rule=f"FREQ=WEEKLY;INTERVAL=3;UNTIL={until}",
            begin=date(2011, 1, 4),
            start=time(10),
            end=time(12),
            location="Utrecht",
        ),
    )
    return Plan(
        name="stuurgroep",
        zone=AMSTERDAM,
        overleggen=(stuur, _overleg("voor", Derivation("stuur", 1))),
        occurrence_changes=changes,
    )


MOVED = OccurrenceChange("stuur", date(2011, 3, 29), When(date(2011, 3, 30), None, time(14)))
CANCELLED = OccurrenceChange("stuur", date(2011, 4, 19), None)


def test_a_recurrence_every_three_weeks_until_a_date_with_changes() -> None:
    found = _of(entries(_steering(MOVED, CANCELLED), *YEAR), "stuur")
    assert [(e.when.day, e.cancelled, e.sequence) for e in found] == [
        (date(2011, 1, 4), False, 0),
        (date(2011, 1, 25), False, 0),
        (date(2011, 2, 15), False, 0),
        (date(2011, 3, 8), False, 0),
        (date(2011, 3, 30), False, 1),
        (date(2011, 4, 19), True, 1),
        (date(2011, 5, 10), False, 0),
        (date(2011, 5, 31), False, 0),
        (date(2011, 6, 21), False, 0),
    ]
    moved = found[4]
    assert moved.key == "stuur@2011-03-29" and moved.when.start == time(14)
    assert found[0].location == "Utrecht" and found[0].title == "STUUR"


def test_a_recurrence_keeps_its_wall_clock_time_across_dst() -> None:
    found = _of(entries(_steering(), date(2011, 3, 1), date(2011, 4, 30)), "stuur")
    assert [e.start(AMSTERDAM) for e in found] == [
        datetime(2011, 3, 8, 9, 0, tzinfo=UTC),
        datetime(2011, 3, 29, 8, 0, tzinfo=UTC),
        datetime(2011, 4, 19, 8, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize("until", ["20110621", "20110621T080000Z", "20110621T100000"])
def test_until_includes_the_last_day_however_it_is_written(until: str) -> None:
    found = _of(entries(_steering(until=until), *YEAR), "stuur")
    assert found[-1].when.day == date(2011, 6, 21)


def test_derived_meetings_follow_moved_and_cancelled_occurrences() -> None:
    found = _of(entries(_steering(MOVED, CANCELLED), date(2011, 3, 1), date(2011, 4, 30)), "voor")
    assert [(e.key, e.when.day, e.cancelled) for e in found] == [
        ("stuur@2011-03-08~voor", date(2011, 3, 7), False),
        ("stuur@2011-03-29~voor", date(2011, 3, 29), False),
        ("stuur@2011-04-19~voor", date(2011, 4, 18), True),
    ]


def test_an_occurrence_moved_into_the_range_from_outside_is_listed() -> None:
    into = OccurrenceChange("stuur", date(2011, 6, 21), When(day=date(2011, 3, 10)))
    found = entries(_steering(into), date(2011, 3, 9), date(2011, 3, 11))
    assert [(e.key, e.when.day) for e in found] == [
        ("stuur@2011-06-21~voor", date(2011, 3, 9)),
        ("stuur@2011-06-21", date(2011, 3, 10)),
    ]
    # The occurrence moved away from 29 March is gone from that day; its derived one is there.
    away = entries(_steering(MOVED), date(2011, 3, 29), date(2011, 3, 29))
    assert [e.key for e in away] == ["stuur@2011-03-29~voor"]


def test_a_change_on_a_day_the_rule_does_not_meet_is_ignored() -> None:
    stray = OccurrenceChange("stuur", date(2011, 3, 30), When(day=date(2011, 3, 31)))
    found = _of(entries(_steering(stray), date(2011, 3, 28), date(2011, 4, 1)), "stuur")
    assert [e.when.day for e in found] == [date(2011, 3, 29)]


def test_a_month_precision_meeting_overlaps_ranges_by_its_month() -> None:
    plan = jaarplan_2011()
    inside = [e for e in entries(plan, date(2011, 10, 20), date(2011, 10, 20)) if e.overleg]
    assert [(e.key, e.when.month) for e in inside] == [
        ("bo-2011-10-1", YearMonth(2011, 10)),
        ("bo-2011-10-2", YearMonth(2011, 10)),
    ]
    assert inside[1].participants == ("bestuurders", "rijk")
    assert inside[0].start(AMSTERDAM) is None
    assert not [e for e in entries(plan, date(2011, 11, 1), date(2011, 11, 7)) if e.overleg]


@pytest.mark.parametrize(("days", "month"), [(14, YearMonth(2011, 10)), (40, YearMonth(2011, 9))])
def test_a_derived_meeting_of_a_month_is_in_the_month_of_its_latest_day(
    days: int, month: YearMonth
) -> None:
    plan = Plan(
        name="maand",
        zone=AMSTERDAM,
        overleggen=(_overleg("bo"), _overleg("voor", Derivation("bo", days))),
        meetings=(Meeting("bo-okt", "bo", When(month=YearMonth(2011, 10))),),
    )
    [derived] = _of(entries(plan, *YEAR), "voor")
    assert derived.when == When(month=month)


def test_milestones_are_listed_by_their_month() -> None:
    plan = Plan(
        name="producten",
        zone=AMSTERDAM,
        products=(
            Product(
                "Monitor",
                "bzk",
                ("alle",),
                (
                    Milestone("m1", "Start", When(month=YearMonth(2011, 5))),
                    Milestone("m2", "Concept", When(day=date(2011, 6, 1)), done=True),
                ),
            ),
        ),
    )
    [may] = entries(plan, date(2011, 5, 31), date(2011, 6, 30))[:1]
    assert (may.kind, may.title, may.product, may.owner, may.participants) == (
        "milestone",
        "Start",
        "Monitor",
        "bzk",
        ("alle",),
    )
    assert [e.key for e in entries(plan, date(2011, 6, 1), date(2011, 6, 1))] == ["m2"]
    assert entries(plan, date(2011, 6, 1), date(2011, 6, 1))[0].done


def test_a_day_sorts_month_then_whole_day_then_by_time() -> None:
    plan = Plan(
        name="volgorde",
        zone=AMSTERDAM,
        overleggen=(_overleg("a"),),
        meetings=(
            Meeting("late", "a", When(date(2011, 10, 1), None, time(14))),
            Meeting("early", "a", When(date(2011, 10, 1), None, time(9))),
            Meeting("whole", "a", When(day=date(2011, 10, 1))),
            Meeting("month", "a", When(month=YearMonth(2011, 10))),
        ),
    )
    assert [e.key for e in entries(plan, *YEAR)] == ["month", "whole", "early", "late"]


def test_calendar_json_has_the_agreed_shape() -> None:
    plan = jaarplan_2011()
    listed = _meeting(plan, "ao-2011-01-18")
    plan = _with(plan, replace(listed, when=When(date(2011, 1, 18), None, time(10))))
    found = {e.key: e.as_json(AMSTERDAM) for e in entries(plan, *YEAR)}
    assert json.loads(json.dumps(found)) == found
    ao = found["ao-2011-01-18"]
    assert {k: ao[k] for k in ("kind", "overleg", "title", "start", "precision")} == {
        "kind": "meeting",
        "overleg": "ao",
        "title": "Ambtelijk overleg",
        "start": "2011-01-18T10:00:00+01:00",
        "precision": "time",
    }
    assert (ao["derived_from"], ao["cancelled"], ao["key"]) == (None, False, "ao-2011-01-18")
    pc = found["ao-2011-03-22~pc"]
    assert (pc["start"], pc["precision"], pc["derived_from"]) == ("2011-03-08", "day", "ao")
    assert pc["closes_agenda_of"] == "ao"
    bo = found["bo-2011-10-1"]
    assert (bo["start"], bo["precision"]) == ("2011-10", "month")
    milestone = found["Jaarplan 2011/1"]
    assert (milestone["kind"], milestone["overleg"], milestone["start"]) == (
        "milestone",
        None,
        "2011-03",
    )
