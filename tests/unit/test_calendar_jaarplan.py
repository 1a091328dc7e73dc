"""The calendar and reminder rules on jaarplan 2011, built by hand as the file describes it
(:func:`tests.support.plans.jaarplan_2011`): the issue's "done when" figures, the petit comité
dates and 09:00 Amsterdam in UTC on both sides of a DST change, checked without the file
converter.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from planning.calendar.expand import entries
from planning.calendar.reminders import schedule
from tests.support.plans import AMSTERDAM, jaarplan_2011


def _year() -> tuple[datetime, datetime]:
    return datetime(2011, 1, 1, tzinfo=AMSTERDAM), datetime(2012, 1, 1, tzinfo=AMSTERDAM)


def test_the_petit_comite_meets_14_days_before_each_ao() -> None:
    pc = [
        e
        for e in entries(jaarplan_2011(), date(2011, 1, 1), date(2011, 12, 31))
        if e.overleg == "pc"
    ]
    assert [e.when.day for e in pc] == [
        date(2011, 1, 4),
        date(2011, 3, 8),
        date(2011, 6, 7),
        date(2011, 9, 13),
        date(2011, 11, 8),
    ]
    assert {(e.derived_from, e.closes_agenda_of, e.participants) for e in pc} == {
        ("ao", "ao", ("petit-comite",))
    }
    assert pc[0].key == "ao-2011-01-18~pc" and pc[0].parent_key == "ao-2011-01-18"


def test_the_year_lists_every_meeting_and_milestone_once() -> None:
    year = entries(jaarplan_2011(), date(2011, 1, 1), date(2011, 12, 31))
    kinds = Counter(e.overleg or e.kind for e in year)
    assert kinds == {"ao": 5, "pc": 5, "kwg": 8, "bo": 3, "ts": 4, "milestone": 9}
    assert len({e.key for e in year}) == len(year)
    assert year == sorted(year, key=lambda e: e.first_day)


def test_ao_reminders_are_at_nine_amsterdam_in_utc_on_both_sides_of_dst() -> None:
    reminders = schedule(jaarplan_2011(), *_year())
    ao = {(r.event_date, r.days_before): r.at for r in reminders if r.overleg == "ao"}
    # Winter time (UTC+1) on 8 March, summer time (UTC+2) on 7 June.
    assert ao[date(2011, 3, 22), 14] == datetime(2011, 3, 8, 8, 0, tzinfo=UTC)
    assert ao[date(2011, 6, 21), 14] == datetime(2011, 6, 7, 7, 0, tzinfo=UTC)
    assert ao[date(2011, 3, 22), 2] == datetime(2011, 3, 20, 8, 0, tzinfo=UTC)
    assert ao[date(2011, 11, 22), 2] == datetime(2011, 11, 20, 8, 0, tzinfo=UTC)
    assert all(r.at.tzinfo is UTC for r in reminders)


def test_the_petit_comite_is_reminded_of_its_derived_days() -> None:
    reminders = schedule(jaarplan_2011(), *_year())
    pc = sorted(r.at for r in reminders if r.overleg == "pc" and r.days_before == 7)
    # 4 January's reminder a week before falls on 28 December 2010, before the range.
    assert pc == [
        datetime(2011, 3, 1, 8, 0, tzinfo=UTC),
        datetime(2011, 5, 31, 7, 0, tzinfo=UTC),
        datetime(2011, 9, 6, 7, 0, tzinfo=UTC),
        datetime(2011, 11, 1, 8, 0, tzinfo=UTC),
    ]


def test_the_months_bo_asks_its_trekker_to_fix_the_date() -> None:
    reminders = schedule(jaarplan_2011(), *_year())
    bo = [r for r in reminders if r.overleg == "bo"]
    fix = [r for r in bo if r.kind == "fix_date"]
    assert [(r.entry_key, r.audience_organisation, r.audience_groups) for r in fix] == [
        ("bo-2011-10-1", "coordinatie", ()),
        ("bo-2011-10-2", "coordinatie", ()),
    ]
    # Thursday 1 September 2011, 09:00 summer time; a month before October begins.
    assert {(r.at, r.event_date, r.days_before) for r in fix} == {
        (datetime(2011, 9, 1, 7, 0, tzinfo=UTC), date(2011, 10, 1), 30)
    }
    meeting = {(r.entry_key, r.days_before) for r in bo if r.kind == "meeting"}
    assert meeting == {("bo-2011-05-16", 14), ("bo-2011-05-16", 2)}


def test_milestones_are_reminded_before_their_months_last_day() -> None:
    reminders = schedule(jaarplan_2011(), *_year())
    jaarplan = [r for r in reminders if r.entry_key == "Jaarplan 2011/1"]
    assert [(r.at, r.event_date, r.days_before) for r in jaarplan] == [
        (datetime(2011, 3, 17, 8, 0, tzinfo=UTC), date(2011, 3, 31), 14),
        (datetime(2011, 3, 28, 7, 0, tzinfo=UTC), date(2011, 3, 31), 3),  # after the change
    ]
    monitor = {r.audience_organisation for r in reminders if r.entry_key.startswith("Monitor")}
    assert monitor == {"bzk"}
    assert {r.kind for r in reminders if r.overleg is None} == {"milestone"}
    assert len([r for r in reminders if r.kind == "milestone"]) == 9 * 2


def test_every_reminder_of_the_year_has_its_own_key() -> None:
    reminders = schedule(jaarplan_2011(), *_year())
    assert len({r.key for r in reminders}) == len(reminders)
    assert reminders == sorted(reminders, key=lambda r: r.at)
