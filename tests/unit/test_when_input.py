"""Dates typed in chat: the Dutch ways of writing them are read, anything unclear is refused."""

from __future__ import annotations

from datetime import date, time

import pytest

from planning.calendar.model import YearMonth
from planning.calendar.when_input import WhenInput, WhenInputError, WhenInputProblem, read_when

TODAY = date(2011, 1, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29-3-2011 10:00", WhenInput(day=date(2011, 3, 29), start=time(10))),
        ("2011-03-29 10:00", WhenInput(day=date(2011, 3, 29), start=time(10))),
        ("dinsdag 29 maart 2011, 10.00", WhenInput(day=date(2011, 3, 29), start=time(10))),
        ("29/3/2011 om 10u", WhenInput(day=date(2011, 3, 29), start=time(10))),
        ("29.03.2011", WhenInput(day=date(2011, 3, 29))),
        ("29 mrt", WhenInput(day=date(2011, 3, 29))),
        ("3-1", WhenInput(day=date(2012, 1, 3))),  # without a year: the next 3 January
        (
            "29-3-2011 van 10:00 tot 12:30",
            WhenInput(day=date(2011, 3, 29), start=time(10), end=time(12, 30)),
        ),
        ("29-3-2011 10:00-12:00", WhenInput(day=date(2011, 3, 29), start=time(10), end=time(12))),
    ],
)
def test_dutch_ways_of_writing_a_day_and_time(text: str, expected: WhenInput) -> None:
    assert read_when(text, TODAY) == expected


@pytest.mark.parametrize("text", ["mei 2011", "2011-05", "5-2011"])
def test_a_month_where_a_month_will_do(text: str) -> None:
    assert read_when(text, TODAY, allow_month=True) == WhenInput(month=YearMonth(2011, 5))


@pytest.mark.parametrize(
    ("text", "problem", "allow_month"),
    [
        ("morgen", WhenInputProblem.UNREADABLE, False),
        ("29 maart 10", WhenInputProblem.UNREADABLE, False),
        ("30-2-2011", WhenInputProblem.NO_SUCH_DAY, False),
        ("29-3-2011 25:00", WhenInputProblem.BAD_TIME, False),
        ("29-3-2011 12:00-10:00", WhenInputProblem.BAD_TIME, False),
        ("mei 2011", WhenInputProblem.MONTH_NOT_ALLOWED, False),
        ("", WhenInputProblem.UNREADABLE, True),
    ],
)
def test_unclear_input_is_refused_with_a_reason(
    text: str, problem: WhenInputProblem, allow_month: bool
) -> None:
    with pytest.raises(WhenInputError) as refused:
        read_when(text, TODAY, allow_month=allow_month)
    assert refused.value.problem == problem


def test_a_time_is_refused_where_only_a_day_is_wanted() -> None:
    with pytest.raises(WhenInputError) as refused:
        read_when("31-5-2011 10:00", TODAY, allow_time=False)
    assert refused.value.problem == WhenInputProblem.TIME_NOT_ALLOWED


@pytest.mark.parametrize("typed", ["1-1-0000", "31-12-9999", "0000-01", "mei 2200", "1 jan 1899"])
def test_a_year_outside_1900_to_2199_is_refused(typed: str) -> None:
    with pytest.raises(WhenInputError) as refused:
        read_when(typed, date(2011, 1, 4), allow_month=True)
    assert refused.value.problem is WhenInputProblem.YEAR_OUT_OF_RANGE


@pytest.mark.parametrize("typed", ["", "   ", "\u200b\u200b", "\u202e\x00", "\u3164"])
def test_blank_text_is_unreadable(typed: str) -> None:
    with pytest.raises(WhenInputError) as refused:
        read_when(typed, date(2011, 1, 4))
    assert refused.value.problem is WhenInputProblem.UNREADABLE


def test_bidi_and_control_characters_around_a_date_are_ignored() -> None:
    assert read_when("\u202a29-3-2011\x00\u202c", date(2011, 1, 4)).day == date(2011, 3, 29)
