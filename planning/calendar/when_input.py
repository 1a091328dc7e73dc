"""Reading a date (and time) as a Dutch civil servant types it in chat.

Coordinators move meetings and milestones by typing the new moment, so the reader accepts the
ways people write dates in the Netherlands rather than one machine format:

- ``29-3-2011``, ``29/3/2011``, ``29.03.2011`` (day first, as Dutch people write it) and the
  ISO form ``2011-03-29``; ``29 maart 2011`` and ``29 mrt 2011`` with Dutch month names (from
  Babel's CLDR data); a leading weekday (``dinsdag``) is ignored.
- A year may be left out (``29-3``, ``29 maart``): the first such day from today on is meant,
  since nobody plans meetings in the past.
- An optional time ``10:00``, ``10.00`` or ``10u``, or a range ``10:00-12:00``; ``uur`` and
  ``om`` are words people add and are skipped.
- Where a month suffices (a milestone "by the end of May"): ``5-2011``, ``2011-05``,
  ``mei 2011``.

Anything else raises :class:`WhenInputError` with a reason the bot turns into Dutch; nothing is
guessed, so a typo never silently moves a meeting to the wrong day.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, time
from functools import cache

from babel.dates import get_day_names, get_month_names

from planning.calendar.model import When, YearMonth
from planning.typed_text import clean_line


class WhenInputProblem(enum.StrEnum):
    UNREADABLE = "unreadable"  # not a date we know how to read
    NO_SUCH_DAY = "no_such_day"  # 30-2-2011
    BAD_TIME = "bad_time"  # 25:00, or an end before the start
    MONTH_NOT_ALLOWED = "month_not_allowed"  # a month where a day is needed
    TIME_NOT_ALLOWED = "time_not_allowed"  # a time for a milestone
    YEAR_OUT_OF_RANGE = "year_out_of_range"  # 0000 or 9999: outside FIRST_YEAR..LAST_YEAR


class WhenInputError(ValueError):
    def __init__(self, problem: WhenInputProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class WhenInput:
    """What was typed: a day or a month, and perhaps a start and end time."""

    day: date | None = None
    month: YearMonth | None = None
    start: time | None = None
    end: time | None = None

    def as_when(self) -> When:
        return When(day=self.day, month=self.month, start=self.start, end=self.end)


_NUMERIC_DAY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_MONTH = re.compile(r"^(?:(\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2}))$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2})|u)?$")
# A time as a word of its own: 10:00, 10.00, 10u, or a range 10:00-12:00 / 10-12u.
_TIME_WORD = re.compile(
    r"^\d{1,2}(?:[:.]\d{2}|u)(?:[-–]\d{1,2}(?:[:.]\d{2}|u)?)?$|^\d{1,2}[-–]\d{1,2}u$"
)
_FILLER = {"om", "uur", "van", "tot"}
# The years a typed date may have, as on the command line: a day in 9999 would overflow the
# reminder arithmetic, and nobody plans a meeting in the year 0.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def read_when(
    text: str, today: date, *, allow_month: bool = False, allow_time: bool = True
) -> WhenInput:
    """The moment in ``text``; raises :class:`WhenInputError` for anything unclear."""
    typed = clean_line(text).lower()  # blank (zero-width only, say) reads as nothing at all
    words = [w for w in re.split(r"[\s,]+", typed) if w and w not in _FILLER]
    if words and words[0] in _weekdays():
        words = words[1:]
    times, date_words = _split_times(words)
    if not date_words:
        raise WhenInputError(WhenInputProblem.UNREADABLE)
    start, end = _read_times(times)
    found = _read_date(date_words, today)
    if isinstance(found, YearMonth):
        if not allow_month or start is not None:
            raise WhenInputError(WhenInputProblem.MONTH_NOT_ALLOWED)
        return WhenInput(month=found)
    if start is not None and not allow_time:
        raise WhenInputError(WhenInputProblem.TIME_NOT_ALLOWED)
    return WhenInput(day=found, start=start, end=end)


def _split_times(words: list[str]) -> tuple[list[str], list[str]]:
    """Time words follow the date: from the first later word that looks like a time on."""
    for index in range(1, len(words)):
        if _TIME_WORD.match(words[index]):
            return words[index:], words[:index]
    return [], words


def _read_times(words: list[str]) -> tuple[time | None, time | None]:
    parts = [part for word in words for part in re.split(r"[-–]", word) if part]
    if not parts:
        return None, None
    if len(parts) > 2:
        raise WhenInputError(WhenInputProblem.UNREADABLE)
    start = _read_time(parts[0])
    end = _read_time(parts[1]) if len(parts) == 2 else None
    if end is not None and end <= start:
        raise WhenInputError(WhenInputProblem.BAD_TIME)
    return start, end


def _read_time(word: str) -> time:
    match = _TIME.match(word)
    if match is None:
        raise WhenInputError(WhenInputProblem.UNREADABLE)
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise WhenInputError(WhenInputProblem.BAD_TIME)
    return time(hour, minute)


def _read_date(words: list[str], today: date) -> date | YearMonth:
    if len(words) == 1:
        return _read_numeric(words[0], today)
    months = _month_numbers()
    if len(words) == 2 and words[0] in months and words[1].isdigit() and len(words[1]) == 4:
        return _month(int(words[1]), months[words[0]])
    if len(words) in (2, 3) and words[0].isdigit() and words[1] in months:
        year = None
        if len(words) == 3:
            if not (words[2].isdigit() and len(words[2]) == 4):
                raise WhenInputError(WhenInputProblem.UNREADABLE)
            year = int(words[2])
        return _day(year, months[words[1]], int(words[0]), today)
    raise WhenInputError(WhenInputProblem.UNREADABLE)


def _read_numeric(word: str, today: date) -> date | YearMonth:
    if match := _ISO_DAY.match(word):
        return _day(int(match.group(1)), int(match.group(2)), int(match.group(3)), today)
    if match := _NUMERIC_MONTH.match(word):
        if match.group(1) is not None:
            return _month(int(match.group(2)), int(match.group(1)))
        return _month(int(match.group(3)), int(match.group(4)))
    if match := _NUMERIC_DAY.match(word):
        year = int(match.group(3)) if match.group(3) else None
        return _day(year, int(match.group(2)), int(match.group(1)), today)
    raise WhenInputError(WhenInputProblem.UNREADABLE)


def _day(year: int | None, month: int, day: int, today: date) -> date:
    _check_year(year if year is not None else today.year)
    try:
        if year is not None:
            return date(year, month, day)
        found = date(today.year, month, day)
        return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        raise WhenInputError(WhenInputProblem.NO_SUCH_DAY) from None


def _month(year: int, month: int) -> YearMonth:
    _check_year(year)
    try:
        return YearMonth(year, month)
    except ValueError:
        raise WhenInputError(WhenInputProblem.NO_SUCH_DAY) from None


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise WhenInputError(WhenInputProblem.YEAR_OUT_OF_RANGE)


@cache
def _month_numbers() -> dict[str, int]:
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale="nl").items():
            names[str(name).lower().rstrip(".")] = int(number)
    return names


@cache
def _weekdays() -> frozenset[str]:
    return frozenset(str(name).lower() for name in get_day_names("wide", locale="nl").values())
