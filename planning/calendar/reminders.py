"""Who is reminded of what, and when: the plan's ``herinneringen`` applied to the calendar.

A pure function of the plan and a clock range, so the outbox can ask "what falls due between
my last run and now" and tests can ask about any moment without waiting for it. Sending is not
done here.

Decisions:

- A reminder is at the rule's local ``om`` on the event day minus ``dagen_vooraf``, in the
  plan's zone, then stored in UTC: 09:00 Amsterdam is 08:00Z in winter and 07:00Z in summer.
  A local time that does not exist (the spring-forward hour) is read with the offset before the
  change, so 02:30 becomes 03:30 summer time; an ambiguous one takes the first (summer) reading.
- Weekends are kept: a reminder computed for a Saturday is sent on Saturday. Shifting it would
  change what ``dagen_vooraf`` means and could land it on the same day as the next reminder;
  the network chose its numbers.
- Cancelled meetings and milestones marked done are not reminded.
- A month-precision milestone is reminded relative to its month's last day ("uiterlijk").
- A month-precision meeting is not reminded as if on the 1st. Instead its trekker organisation
  gets one ``fix_date`` reminder: at the rule's ``om`` on the first working day (Mon-Fri) of
  the month before, which leaves a month to fix the day and invite people before the month
  begins. Its ``event_date`` is that month's first day and ``days_before`` the days up to it.
  Several rules for the same overleg still ask once (the first rule's ``om`` wins). A derived
  month-precision meeting gets none: its day follows when its parent's is fixed.
- Audiences: ``deelnemers`` are the entry's participant groups (for a milestone the product's
  involved groups), ``verantwoordelijk`` is the product's owner organisation or the meeting's
  trekker, ``betrokken`` the product's involved groups (a meeting's participants), anything
  else is a group code.
- ``key`` names the entry, the kind, the event day, the days before and the rule's audience.
  The event day is in it so that a moved meeting is reminded again for its new day, while a
  changed ``om`` does not send the same reminder twice. Two rules giving the same key yield
  one reminder (the first in plan order), so keys are unique.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import PRODUCTS, Audience, Plan, Precision, ReminderRule, YearMonth

ReminderKind = Literal["meeting", "milestone", "fix_date"]

# How far past the range's last day an event can lie and still be reminded in the range: a
# fix_date reminder comes at most 31 + 3 days before its month begins, and the month must
# still overlap the expansion.
_FIX_DATE_REACH = timedelta(days=62)


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: to groups, or to the members of one organisation."""

    at: datetime  # aware, UTC
    kind: ReminderKind
    entry_key: str
    overleg: str | None
    event_date: date  # local
    days_before: int
    audience: str  # the rule's ``aan``, or "trekker" for fix_date
    audience_groups: tuple[str, ...]
    audience_organisation: str | None
    key: str

    def as_json(self) -> dict[str, object]:
        """The shape of ``overlegbot schedule --json``."""
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "overleg": self.overleg,
            "event_date": self.event_date.isoformat(),
            "days_before": self.days_before,
            "entry_key": self.entry_key,
            "audience": self.audience,
            "audience_groups": list(self.audience_groups),
            "audience_organisation": self.audience_organisation,
            "key": self.key,
        }


def schedule(plan: Plan, first: datetime, last: datetime) -> list[Reminder]:
    """Every reminder due at ``first <= at < last`` (aware datetimes), sorted by time."""
    if first.tzinfo is None or last.tzinfo is None:
        raise ValueError("schedule needs aware datetimes")
    zone = plan.zone
    offsets = [n for rule in plan.reminders for n in rule.days_before] or [0]
    # Expand generously around the range; the filter on ``at`` below is the exact one.
    expand_first = first.astimezone(zone).date() + timedelta(days=min(0, *offsets) - 1)
    expand_last = last.astimezone(zone).date() + timedelta(days=max(0, *offsets) + 1)
    calendar = entries(plan, expand_first, expand_last + _FIX_DATE_REACH)

    meetings: defaultdict[str, list[CalendarEntry]] = defaultdict(list)
    milestones: list[CalendarEntry] = []
    for entry in calendar:
        if entry.cancelled or entry.done:
            continue
        if entry.kind == "milestone":
            milestones.append(entry)
        elif entry.overleg is not None:
            meetings[entry.overleg].append(entry)

    # Deduplicated before filtering, so that which rule wins never depends on the range.
    found: dict[str, Reminder] = {}
    for rule in plan.reminders:
        targets = milestones if rule.target == PRODUCTS else meetings.get(rule.target, [])
        for entry in targets:
            for reminder in _reminders(rule, entry, zone):
                found.setdefault(reminder.key, reminder)
    due = (reminder for reminder in found.values() if first <= reminder.at < last)
    return sorted(due, key=lambda reminder: (reminder.at, reminder.key))


def _reminders(rule: ReminderRule, entry: CalendarEntry, zone: ZoneInfo) -> Iterator[Reminder]:
    if entry.kind == "meeting" and entry.precision is Precision.MONTH:
        if entry.derived_from is None:
            yield _fix_date(rule, entry, zone)
        return
    event_date = entry.when.latest_day
    groups, organisation = _audience(rule.audience, entry)
    for days_before in rule.days_before:
        day = event_date - timedelta(days=days_before)
        yield Reminder(
            at=_utc(day, rule, zone),
            kind=entry.kind,
            entry_key=entry.key,
            overleg=entry.overleg,
            event_date=event_date,
            days_before=days_before,
            audience=rule.audience,
            audience_groups=groups,
            audience_organisation=organisation,
            key=f"{entry.key}|{entry.kind}|{event_date.isoformat()}|{days_before}|{rule.audience}",
        )


def _fix_date(rule: ReminderRule, entry: CalendarEntry, zone: ZoneInfo) -> Reminder:
    month = entry.when.in_month
    day = first_working_day(_month_before(month))
    return Reminder(
        at=_utc(day, rule, zone),
        kind="fix_date",
        entry_key=entry.key,
        overleg=entry.overleg,
        event_date=month.first_day,
        days_before=(month.first_day - day).days,
        audience="trekker",
        audience_groups=(),
        audience_organisation=entry.trekker,
        key=f"{entry.key}|fix_date|{month}",
    )


def first_working_day(month: YearMonth) -> date:
    """The month's first Monday-to-Friday day (public holidays are not known to the plan)."""
    day = month.first_day
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _month_before(month: YearMonth) -> YearMonth:
    return YearMonth.of(month.first_day - timedelta(days=1))


def _utc(day: date, rule: ReminderRule, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, rule.at, tzinfo=zone).astimezone(UTC)


def _audience(audience: str, entry: CalendarEntry) -> tuple[tuple[str, ...], str | None]:
    """(groups, organisation) addressed by a rule's ``aan`` for this entry."""
    if audience in (Audience.PARTICIPANTS, Audience.INVOLVED):
        return entry.participants, None
    if audience == Audience.OWNER:
        return (), entry.owner if entry.kind == "milestone" else entry.trekker
    return (audience,), None
