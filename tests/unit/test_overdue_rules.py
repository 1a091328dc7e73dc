"""The overdue rules on their own: working days, when owners are asked, when lists come."""

from __future__ import annotations

from datetime import date

import pytest

from planning.calendar.model import YearMonth
from planning.milestones.overdue import (
    Deadline,
    ask_day,
    escalated,
    escalation_day,
    is_list_day,
    is_overview_day,
    member_ask_day,
    overview,
    working_day_after,
    working_days_late,
)


def _deadline(due: date, *, done: bool = False, uid: str = "m1") -> Deadline:
    return Deadline(uid, "Jaarplan 2011", "coordinatie", "Coördinatie", "Vastgesteld", due, done)


@pytest.mark.parametrize(
    ("due", "asked"),
    [
        (date(2011, 3, 31), date(2011, 4, 1)),  # Thursday -> Friday
        (date(2011, 4, 1), date(2011, 4, 4)),  # Friday -> Monday
        (date(2011, 4, 30), date(2011, 5, 2)),  # Saturday, end of April -> Monday
        (date(2011, 5, 1), date(2011, 5, 2)),  # Sunday -> Monday
    ],
)
def test_the_owner_is_asked_the_next_working_day(due: date, asked: date) -> None:
    assert ask_day(_deadline(due)) == asked


@pytest.mark.parametrize(
    ("resume_on", "asked"),
    [
        (None, date(2011, 4, 1)),  # no pause: Friday, the usual day
        (date(2011, 3, 20), date(2011, 4, 1)),  # a pause that ended before
        (date(2011, 4, 1), date(2011, 4, 1)),  # back that very day
        (date(2011, 4, 5), date(2011, 4, 5)),  # back on Tuesday: asked then
        (date(2011, 4, 2), date(2011, 4, 4)),  # back on Saturday: asked Monday
    ],
)
def test_a_paused_member_is_asked_on_the_first_working_day_back(
    resume_on: date | None, asked: date
) -> None:
    assert member_ask_day(_deadline(date(2011, 3, 31)), resume_on) == asked


def test_escalation_counts_working_days_after_the_due_day() -> None:
    assert escalation_day(_deadline(date(2011, 3, 31)), 5) == date(2011, 4, 7)
    assert escalation_day(_deadline(date(2011, 4, 30)), 5) == date(2011, 5, 6)
    assert escalation_day(_deadline(date(2011, 3, 31)), 1) == date(2011, 4, 1)


def test_working_days_late() -> None:
    assert working_days_late(date(2011, 3, 31), date(2011, 3, 31)) == 0
    assert working_days_late(date(2011, 3, 31), date(2011, 4, 3)) == 1  # Friday only
    assert working_days_late(date(2011, 3, 31), date(2011, 4, 7)) == 5
    with pytest.raises(ValueError, match="at least 1"):
        working_day_after(date(2011, 3, 31), 0)


def test_lists_come_on_an_escalation_day_and_on_mondays_while_anything_is_late() -> None:
    items = [_deadline(date(2011, 3, 31))]
    days = {day: is_list_day(items, day, 5) for day in _april(6, 12)}
    assert days == {
        date(2011, 4, 6): False,
        date(2011, 4, 7): True,  # escalated today
        date(2011, 4, 8): False,
        date(2011, 4, 9): False,
        date(2011, 4, 10): False,
        date(2011, 4, 11): True,  # Monday, still late
        date(2011, 4, 12): False,
    }
    done = [_deadline(date(2011, 3, 31), done=True)]
    assert not any(is_list_day(done, day, 5) for day in _april(6, 12))
    assert escalated(done, date(2011, 4, 11), 5) == []


def test_the_overview_comes_on_the_first_working_day() -> None:
    assert is_overview_day(date(2011, 3, 1))  # Tuesday
    assert not is_overview_day(date(2011, 5, 1))  # Sunday
    assert is_overview_day(date(2011, 5, 2))
    assert not is_overview_day(date(2011, 5, 3))


def test_the_overview_sorts_milestones_into_overdue_this_month_done_and_later() -> None:
    items = [
        _deadline(date(2011, 3, 31), uid="late"),
        _deadline(date(2011, 5, 1), uid="sunday"),  # passed before the overview's Monday
        _deadline(date(2011, 5, 31), uid="may"),
        _deadline(date(2011, 4, 30), done=True, uid="done"),
        _deadline(date(2011, 10, 31), uid="october"),
    ]
    state = overview(items, date(2011, 5, 2))
    assert state.month == YearMonth(2011, 5)
    assert [item.uid for item in state.overdue] == ["late", "sunday"]
    assert [item.uid for item in state.this_month] == ["may"]
    assert [item.uid for item in state.done] == ["done"]
    assert state.later == 1


def _april(first: int, last: int) -> list[date]:
    return [date(2011, 4, day) for day in range(first, last + 1)]
