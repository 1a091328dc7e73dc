"""Which days a recurring overleg meets: an RFC 5545 RRULE read as local wall-clock time.

The rule is expanded with naive datetimes on purpose: python-dateutil then steps through
wall-clock time, so a steering group at 10:00 stays at 10:00 when the clocks change. The plan's
zone is attached only afterwards (:meth:`planning.calendar.model.When.start_in`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rruleset, rrulestr

from planning.calendar.model import Recurrence

_UNTIL = re.compile(r"UNTIL=(\d{8})(T\d{6})?(Z)?", re.IGNORECASE)


def _local_until(rule: str, zone: ZoneInfo) -> str:
    """The rule with its UNTIL as a naive local value that dateutil accepts with a naive start.

    A date-only UNTIL ("UNTIL=20110701", as the plan file writes it) would be read as midnight
    and drop a 10:00 meeting on that very day; members mean "up to and including", so it
    becomes the end of that day. A UTC UNTIL ("...Z") is turned into the plan's wall clock,
    because dateutil refuses a UTC UNTIL next to a naive DTSTART.
    """

    def local(match: re.Match[str]) -> str:
        day, clock, utc = match.group(1), match.group(2), match.group(3)
        if clock is None:
            return f"UNTIL={day}T235959"
        if utc is None:
            return match.group(0)
        moment = datetime.strptime(f"{day}{clock}+0000", "%Y%m%dT%H%M%S%z").astimezone(zone)
        return f"UNTIL={moment:%Y%m%dT%H%M%S}"

    return _UNTIL.sub(local, rule)


def _expanded(recurrence: Recurrence, zone: ZoneInfo) -> rrule | rruleset:
    start = datetime.combine(recurrence.begin, recurrence.start or time())
    return rrulestr(_local_until(recurrence.rule, zone), dtstart=start)


def occurrence_days(
    recurrence: Recurrence, zone: ZoneInfo, first: date, last: date
) -> Iterator[date]:
    """The original days of the occurrences from ``first`` through ``last``, in order."""
    rule = _expanded(recurrence, zone)
    # Naive bounds because the rule runs on naive wall-clock time (see the module docstring).
    after = datetime.combine(first, time())
    before = datetime.combine(last, time.max)
    for moment in rule.between(after, before, inc=True):
        yield moment.date()


def is_occurrence(recurrence: Recurrence, zone: ZoneInfo, day: date) -> bool:
    """Whether the rule meets on ``day``: a change to any other day is ignored, not invented."""
    return any(True for _ in occurrence_days(recurrence, zone, day, day))
