"""When the items of a meeting not dealt with roll over by themselves: a day after it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from planning.agenda_items.after import over_at, rollover_at
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import When, YearMonth
from tests.support.plans import AMSTERDAM, amsterdam_time


def _meeting(when: When) -> CalendarEntry:
    return CalendarEntry(kind="meeting", key="ao-1", title="Ambtelijk overleg", when=when)


def test_a_timed_meeting_rolls_over_24_hours_after_it_ends() -> None:
    meeting = _meeting(When(day=date(2011, 3, 22), start=time(10), end=time(12, 30)))

    assert over_at(meeting, AMSTERDAM) == amsterdam_time(date(2011, 3, 22), 12, 30)
    assert rollover_at(meeting, AMSTERDAM) == amsterdam_time(date(2011, 3, 23), 12, 30)


def test_24_hours_stay_24_hours_across_the_change_to_summer_time() -> None:
    meeting = _meeting(When(day=date(2011, 3, 26), start=time(10)))  # clocks go on the 27th

    assert rollover_at(meeting, AMSTERDAM) == datetime(2011, 3, 27, 9, 0, tzinfo=UTC)


def test_a_day_only_meeting_rolls_over_at_nine_two_days_on() -> None:
    meeting = _meeting(When(day=date(2011, 3, 22)))

    assert over_at(meeting, AMSTERDAM) == amsterdam_time(date(2011, 3, 23))
    assert rollover_at(meeting, AMSTERDAM) == amsterdam_time(date(2011, 3, 24), 9)


def test_a_month_only_meeting_rolls_over_after_its_month() -> None:
    meeting = _meeting(When(month=YearMonth(2011, 10)))

    assert rollover_at(meeting, AMSTERDAM) == amsterdam_time(date(2011, 11, 2), 9)
