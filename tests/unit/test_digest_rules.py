"""Which meetings a weekly digest lists, and in what order."""

from __future__ import annotations

from datetime import date, time

from berichten.reminders.digest import week_for
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import When
from planning.membership.recipients import Recipient
from planning.preferences.rules import Preferences

MONDAY = date(2011, 1, 17)
READER = Recipient(1001, is_coordinator=False, organisation="gouda", group_codes=frozenset())


def _meeting(key: str, title: str, start: time | None) -> CalendarEntry:
    return CalendarEntry(
        kind="meeting",
        key=key,
        title=title,
        when=When(day=date(2011, 1, 18), start=start),
        overleg=key.split("@")[0],
        participants=("alle",),
    )


def test_meetings_on_one_day_are_listed_by_starting_time() -> None:
    afternoon = _meeting("ao@2011-01-18", "Ambtelijk overleg", time(14, 0))
    morning = _meeting("ts@2011-01-18", "Themasessie", time(9, 30))
    week = week_for(READER, Preferences(), [afternoon, morning], MONDAY, MONDAY)
    assert [entry.title for entry in week.meetings] == ["Themasessie", "Ambtelijk overleg"]


def test_the_order_does_not_depend_on_the_order_the_calendar_gave() -> None:
    """The queue compares a digest's text with what it queued before; another order would
    rewrite it for nothing."""
    first = _meeting("ao@2011-01-18", "Ambtelijk overleg", None)
    second = _meeting("ts@2011-01-18", "Themasessie", None)
    one = week_for(READER, Preferences(), [first, second], MONDAY, MONDAY)
    other = week_for(READER, Preferences(), [second, first], MONDAY, MONDAY)
    assert one.meetings == other.meetings
