"""The moment a coordinator types for a scheduled newsletter: ``12-03-2011 09:00``.

Pure. Typed as a Dutch date and a clock time in the plan's zone; kept as aware UTC. Parsed
strictly (one shape, day first), since a guess that swaps day and month would send a
newsletter on the wrong day without a word.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from planning.newsletters.issues import IssueError, IssueProblem

# Day-month-year and hours:minutes; a dot or a slash as Dutch writers also use.
_MOMENT = re.compile(
    r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s+(?:om\s+)?(\d{1,2})[:.](\d{2})(?:\s*uur)?\s*$",
    re.IGNORECASE,
)
# A newsletter planned further ahead is a typing mistake (a wrong year) more often than a plan.
FURTHEST = timedelta(days=366)


def typed_moment(typed: str, zone: ZoneInfo, now: datetime) -> datetime:
    """The moment ``typed`` names in ``zone``, as aware UTC; raise :class:`IssueError` when it
    is no moment, a clock time that does not exist that day, passed, or over a year ahead."""
    found = _MOMENT.match(typed)
    if found is None:
        raise IssueError(IssueProblem.BAD_MOMENT)
    day, month, year, hour, minute = (int(part) for part in found.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=zone)
    except ValueError as error:
        raise IssueError(IssueProblem.BAD_MOMENT) from error
    moment = local.astimezone(UTC)
    # A clock time the switch to summer time skips comes back an hour on: it does not exist.
    back = moment.astimezone(zone)
    if (back.date(), back.hour, back.minute) != (local.date(), hour, minute):
        raise IssueError(IssueProblem.NO_SUCH_MOMENT)
    if moment <= now:
        raise IssueError(IssueProblem.PAST)
    if moment - now > FURTHEST:
        raise IssueError(IssueProblem.TOO_FAR)
    return moment
