"""Clocks: every piece of code that asks "what time is it" is handed one.

Tests hand in a :class:`FixedClock` and move it forward instead of sleeping until a reminder is
due; production uses :class:`SystemClock`. Both answer in aware UTC, because the database stores
UTC and only the edges (messages, the plan file) speak the plan's zone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current moment as an aware UTC datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, moment: datetime) -> None:
        self._moment = _require_aware(moment)

    def now(self) -> datetime:
        return self._moment

    def set(self, moment: datetime) -> None:
        self._moment = _require_aware(moment)

    def advance(self, delta: timedelta) -> None:
        self._moment += delta


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a clock needs an aware datetime; naive times are ambiguous across DST")
    return moment.astimezone(UTC)


class ShiftedClock:
    """Real time moved to another moment: it starts at ``start`` and then runs on.

    The sandbox plays in the example plan's year (2011), so "my next meetings" has an answer,
    while reminders and expiry still see time pass.
    """

    def __init__(self, start: datetime, real: Clock | None = None) -> None:
        self._real = real or SystemClock()
        self._offset = _require_aware(start) - self._real.now()

    def now(self) -> datetime:
        return self._real.now() + self._offset
