"""What a member wishes to receive, and the pure rules that apply it (no I/O).

The reminder queue (:mod:`berichten.reminders.queue`) asks :func:`reminder_moment` per member and
reminder, the digest :func:`digest_moment`; the settings screen shows :class:`MySettings`. The
decisions these rules follow are described in :mod:`planning.preferences.services`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planning.calendar.reminders import Reminder
from planning.plan.store import DEFAULT_ZONE

HOURS = tuple(range(7, 21))
DIGEST_HOUR = 8
PAUSE_WEEKS = (1, 2, 3)
LONGEST_PAUSE = timedelta(days=366)
DIGEST_KINDS = ("meeting", "milestone")  # the single reminders a digest replaces


@dataclass(frozen=True)
class Preferences:
    """One member's wishes; the defaults are what a member without settings gets."""

    muted: frozenset[str] = frozenset()
    hour: int | None = None
    digest: bool = False
    resume_on: date | None = None

    def paused_on(self, today: date) -> bool:
        return self.resume_on is not None and today < self.resume_on

    def before_resume(self, moment: datetime, zone: ZoneInfo) -> bool:
        """Whether ``moment`` falls in the pause (before the day messages come again)."""
        return self.resume_on is not None and moment.astimezone(zone).date() < self.resume_on


DEFAULTS = Preferences()


def reminder_moment(
    wishes: Preferences, reminder: Reminder, meeting_start: datetime | None, zone: ZoneInfo
) -> datetime | None:
    """When this member gets ``reminder`` (aware UTC), or None when not at all."""
    if reminder.kind == "meeting" and reminder.overleg in wishes.muted:
        return None
    if wishes.digest and reminder.kind in DIGEST_KINDS:
        return None
    return _own_moment(wishes, reminder.at, meeting_start, zone)


def call_moment(
    wishes: Preferences, overleg: str | None, at: datetime, closes_at: datetime, zone: ZoneInfo
) -> datetime | None:
    """When this member gets the call for items of ``overleg`` planned ``at`` (aware UTC), or
    None: as a meeting reminder (a muted overleg gets none, the hour moves it within its day
    but not past the closing moment, a pause holds it back for good); the weekly digest does
    not replace it, since it asks for something before a moment."""
    if overleg in wishes.muted:
        return None
    return _own_moment(wishes, at, closes_at, zone)


def _own_moment(
    wishes: Preferences, moment: datetime, bound: datetime | None, zone: ZoneInfo
) -> datetime | None:
    """``moment`` at the member's hour on its day (if before ``bound``), None in a pause."""
    if wishes.hour is not None:
        moved = at_hour(moment.astimezone(zone).date(), wishes.hour, zone)
        if bound is None or moved < bound:
            moment = moved
    if wishes.before_resume(moment, zone):
        return None
    return moment


def digest_moment(wishes: Preferences, monday: date, zone: ZoneInfo) -> datetime | None:
    """When the digest of the week starting ``monday`` is due, or None during a pause."""
    moment = at_hour(monday, wishes.hour if wishes.hour is not None else DIGEST_HOUR, zone)
    return None if wishes.before_resume(moment, zone) else moment


def at_hour(day: date, hour: int, zone: ZoneInfo) -> datetime:
    # Hours 07-20 never fall in a DST gap or overlap, so the local reading is unambiguous.
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class OverlegChoice:
    code: str
    name: str
    muted: bool


@dataclass(frozen=True)
class MySettings:
    """What /instellingen shows: the wishes, and the overleggen that may be muted."""

    preferences: Preferences
    overleggen: tuple[OverlegChoice, ...]
    today: date
    zone: ZoneInfo = field(default=DEFAULT_ZONE)

    @property
    def paused(self) -> bool:
        return self.preferences.paused_on(self.today)


class PauseProblem(enum.StrEnum):
    NOT_AFTER_TODAY = "not_after_today"
    TOO_FAR = "too_far"


class PauseError(ValueError):
    def __init__(self, problem: PauseProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def check_resume_on(resume_on: date, today: date) -> None:
    """Refuse a pause that ends (``resume_on``) on or before today or more than a year away."""
    if resume_on <= today:
        raise PauseError(PauseProblem.NOT_AFTER_TODAY)
    if resume_on - today > LONGEST_PAUSE:
        raise PauseError(PauseProblem.TOO_FAR)
