"""The moment a coordinator types for a scheduled newsletter: day first, in the plan's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from planning.newsletters.issues import IssueError, IssueProblem
from planning.newsletters.moments import typed_moment

ZONE = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "moment"),
    [
        ("12-03-2011 09:00", datetime(2011, 3, 12, 8, 0, tzinfo=UTC)),
        ("1-4-2011 9.30", datetime(2011, 4, 1, 7, 30, tzinfo=UTC)),  # summer time: UTC+2
        (" 12/03/2011 om 09:00 uur ", datetime(2011, 3, 12, 8, 0, tzinfo=UTC)),
    ],
)
def test_a_dutch_date_and_time_is_a_moment_in_the_plans_zone(typed: str, moment: datetime) -> None:
    assert typed_moment(typed, ZONE, NOW) == moment


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("morgen om negen", IssueProblem.BAD_MOMENT),
        ("2011-03-12 09:00", IssueProblem.BAD_MOMENT),  # year first: not guessed
        ("12-03-2011", IssueProblem.BAD_MOMENT),
        ("31-02-2011 09:00", IssueProblem.BAD_MOMENT),
        ("12-03-2011 25:00", IssueProblem.BAD_MOMENT),
        ("27-03-2011 02:30", IssueProblem.NO_SUCH_MOMENT),  # the clock jumps 02:00 to 03:00
        ("12-01-2011 10:00", IssueProblem.PAST),  # 09:00 UTC is 10:00 there: now, not later
        ("11-01-2011 09:00", IssueProblem.PAST),
        ("12-03-2012 09:00", IssueProblem.TOO_FAR),
    ],
)
def test_anything_else_is_refused_with_its_reason(typed: str, problem: IssueProblem) -> None:
    with pytest.raises(IssueError) as refused:
        typed_moment(typed, ZONE, NOW)
    assert refused.value.problem is problem
