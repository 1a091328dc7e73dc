"""The calendar as a list: every meeting and milestone of a plan in a range of days.

A plan lists few meetings itself; most follow from rules (a recurrence, a derivation). This
module turns the rules into concrete entries, so the calendar, the ``.ics`` feed, ``/agenda``
and the reminder schedule all see the same meetings. It is pure: plan and range in, entries out.

Decisions, so that every consumer can rely on them:

- An entry is in the range when its day falls in it; a month-precision entry when its month
  overlaps it.
- Cancelled meetings are listed with ``cancelled=True``: the ``.ics`` feed must send them as
  STATUS:CANCELLED so calendar programs drop them; members' lists filter them out.
- A derived meeting (``afgeleid_van``) falls ``days_before`` days before its parent, at the
  parent's wall-clock start and end: the model gives a derived overleg no time of its own. It
  has no location or theme of its own either (the parent's are the parent's meeting's), shares
  the parent's ``sequence`` (it moves when the parent moves) and is cancelled with it.
- A derived meeting of a month-precision parent has month precision too, in the month of the
  parent's month's last day minus ``days_before``: the latest it can fall, as "a month means by
  its last day" reads everywhere in the plan. Its day is fixed when the parent's is.
- A recurrence occurrence has the overleg's name as title; its key is its original day, so a
  moved occurrence stays the same event. A change naming a day on which the rule does not
  meet is ignored (the plan check reports it).
- Sorted by first day (a month's first day for month precision), then month before whole day
  before timed, then start time, then kind and key, so the order is stable.
- A derivation cycle or a parent that does not exist raises :class:`DerivationError`: such a
  plan never passes the plan check, and expanding it must not loop.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from planning.calendar.model import (
    Meeting,
    Overleg,
    Plan,
    Precision,
    When,
    YearMonth,
)
from planning.calendar.recurrence import is_occurrence, occurrence_days

CalendarEntryKind = Literal["meeting", "milestone"]


class DerivationError(ValueError):
    """A derivation names an unknown overleg or goes round in a circle."""


@dataclass(frozen=True)
class CalendarEntry:
    """One meeting or milestone as the calendar shows it.

    ``key`` is a stable identity across re-expansions and moves: a meeting's uid, a
    recurrence occurrence's ``overleg@original-day``, a derived meeting's ``parent-key~overleg``
    and a milestone's uid. Feeds use it as UID, the outbox in reminder keys.
    """

    kind: CalendarEntryKind
    key: str
    title: str
    when: When
    overleg: str | None = None  # meetings
    participants: tuple[str, ...] = ()  # group codes; for a milestone the involved groups
    location: str | None = None
    theme: str | None = None
    derived_from: str | None = None  # the parent's overleg code
    parent_key: str | None = None  # the parent meeting's key, so /agenda can pair AO and pc
    product: str | None = None  # milestones: the product's name
    owner: str | None = None  # milestones: the organisation responsible
    trekker: str | None = None  # meetings: the organisation that runs the overleg
    cancelled: bool = False
    done: bool = False  # milestones
    sequence: int = 0
    closes_agenda_of: str | None = None
    # Meetings: how many fixed items open the overleg's agenda, so an accepted item's number on
    # the published agenda is its position plus these (Opening, Verslag: punt 1 becomes 3).
    opening_items: int = 0

    @property
    def precision(self) -> Precision:
        return self.when.precision

    @property
    def first_day(self) -> date:
        """The first day it may fall on: its day, or its month's first day."""
        return self.when.day if self.when.day is not None else self.when.in_month.first_day

    @property
    def chronology(self) -> tuple[date, int, time]:
        """Where it falls in a list by time: its first day, then a month before a day before a
        time, then its start time; lists add their own tie-breakers after it."""
        return (self.first_day, self.precision.rank, self.when.start or time.min)

    def start(self, zone: ZoneInfo) -> datetime | None:
        """The aware start, or None when only the day or the month is known."""
        return self.when.start_in(zone)

    def end(self, zone: ZoneInfo) -> datetime | None:
        return self.when.end_in(zone)

    def overlaps(self, first: date, last: date) -> bool:
        """Whether it falls in [first, last]; a month when any of its days does."""
        return self.first_day <= last and self.when.latest_day >= first

    def as_json(self, zone: ZoneInfo) -> dict[str, object]:
        """The shape of ``overlegbot calendar --json``: local ISO dates and times."""
        start = self.start(zone)
        end = self.end(zone)
        if start is not None:
            start_text = start.isoformat()
        elif self.when.day is not None:
            start_text = self.when.day.isoformat()
        else:
            start_text = str(self.when.in_month)
        return {
            "kind": self.kind,
            "key": self.key,
            "overleg": self.overleg,
            "title": self.title,
            "start": start_text,
            "end": end.isoformat() if end is not None else None,
            "precision": self.precision.value,
            "derived_from": self.derived_from,
            "cancelled": self.cancelled,
            "location": self.location,
            "theme": self.theme,
            "participants": list(self.participants),
            "product": self.product,
            "owner": self.owner,
            "trekker": self.trekker,
            "done": self.done,
            "sequence": self.sequence,
            "closes_agenda_of": self.closes_agenda_of,
        }


def entries(plan: Plan, first: date, last: date) -> list[CalendarEntry]:
    """Every meeting (cancelled ones flagged) and milestone of ``plan`` in [first, last]."""
    overleggen = {overleg.code: overleg for overleg in plan.overleggen}
    _check_derivations(overleggen)
    windows = _windows(overleggen, first, last)
    explicit: dict[str, list[Meeting]] = {code: [] for code in overleggen}
    for meeting in plan.meetings:
        if meeting.overleg not in explicit:
            raise ValueError(f"meeting {meeting.uid} names unknown overleg {meeting.overleg!r}")
        explicit[meeting.overleg].append(meeting)
    expanded: dict[str, list[CalendarEntry]] = {}

    def meetings_of(code: str) -> list[CalendarEntry]:
        # Memoised: a parent with several derived overleggen is expanded once. No cycle can
        # reach here (checked above), so the recursion ends at a root.
        if code not in expanded:
            overleg = overleggen[code]
            found = [_meeting_entry(meeting, overleg) for meeting in explicit[code]]
            if overleg.recurrence is not None:
                found.extend(_occurrences(plan, overleg, *windows[code]))
            if overleg.derived is not None:
                days = overleg.derived.days_before
                found.extend(
                    _derive(parent, overleg, days) for parent in meetings_of(overleg.derived.parent)
                )
            expanded[code] = found
        return expanded[code]

    found: list[CalendarEntry] = []
    for code in overleggen:
        found.extend(meetings_of(code))
    found.extend(_milestones(plan))
    return sorted((entry for entry in found if entry.overlaps(first, last)), key=_order)


def _order(entry: CalendarEntry) -> tuple[date, int, time, str, str]:
    return (*entry.chronology, entry.kind, entry.key)


def _check_derivations(overleggen: dict[str, Overleg]) -> None:
    for code in overleggen:
        chain = [code]
        derived = overleggen[code].derived
        while derived is not None:
            if derived.parent not in overleggen:
                raise DerivationError(
                    f"{chain[-1]} is derived from unknown overleg {derived.parent!r}"
                )
            if derived.parent in chain:
                cycle = " -> ".join([*chain[chain.index(derived.parent) :], derived.parent])
                raise DerivationError(f"derivation cycle: {cycle}")
            chain.append(derived.parent)
            derived = overleggen[derived.parent].derived


def _windows(
    overleggen: dict[str, Overleg], first: date, last: date
) -> dict[str, tuple[date, date]]:
    """For each overleg, the days whose recurrence occurrences the range needs.

    A meeting derived ``n`` days before its parent is in range when the parent falls in
    [first + n, last + n]; so an overleg's window covers its own range and, shifted, the
    ranges of everything derived from it, however deep. Only recurrences need a window:
    explicit meetings are few and all taken, then filtered.
    """
    windows = {code: (first, last) for code in overleggen}
    for code in overleggen:
        offset = 0
        derived = overleggen[code].derived
        while derived is not None:
            offset += derived.days_before
            low, high = windows[derived.parent]
            windows[derived.parent] = (
                min(low, first + timedelta(days=offset)),
                max(high, last + timedelta(days=offset)),
            )
            derived = overleggen[derived.parent].derived
    return windows


def _meeting_entry(meeting: Meeting, overleg: Overleg) -> CalendarEntry:
    return CalendarEntry(
        kind="meeting",
        key=meeting.uid,
        title=meeting.title or overleg.name,
        when=meeting.when,
        overleg=overleg.code,
        participants=(
            meeting.participants if meeting.participants is not None else overleg.participants
        ),
        location=meeting.location,
        theme=meeting.theme,
        trekker=overleg.trekker,
        cancelled=meeting.cancelled,
        sequence=meeting.sequence,
        closes_agenda_of=overleg.closes_agenda_of,
        opening_items=len(overleg.opening_items),
    )


def _occurrences(plan: Plan, overleg: Overleg, first: date, last: date) -> Iterable[CalendarEntry]:
    """The recurrence's occurrences whose original day or changed day may be in range."""
    recurrence = overleg.recurrence
    assert recurrence is not None
    changes = {
        change.original_day: change
        for change in plan.occurrence_changes
        if change.overleg == overleg.code
    }
    days = set(occurrence_days(recurrence, plan.zone, first, last))
    # A change may move an occurrence from outside the window into it; the final filter drops
    # what ends up outside.
    days.update(
        day for day in changes if day not in days and is_occurrence(recurrence, plan.zone, day)
    )
    for day in sorted(days):
        when = When(day=day, start=recurrence.start, end=recurrence.end)
        change = changes.get(day)
        yield CalendarEntry(
            kind="meeting",
            key=f"{overleg.code}@{day.isoformat()}",
            title=overleg.name,
            when=change.moved_to if change is not None and change.moved_to is not None else when,
            overleg=overleg.code,
            participants=overleg.participants,
            location=recurrence.location,
            trekker=overleg.trekker,
            cancelled=change is not None and change.moved_to is None,
            sequence=change.sequence if change is not None else 0,
            closes_agenda_of=overleg.closes_agenda_of,
            opening_items=len(overleg.opening_items),
        )


def _derive(parent: CalendarEntry, overleg: Overleg, days_before: int) -> CalendarEntry:
    return CalendarEntry(
        kind="meeting",
        key=f"{parent.key}~{overleg.code}",
        title=overleg.name,
        when=_shifted(parent.when, days_before),
        overleg=overleg.code,
        participants=overleg.participants,
        derived_from=parent.overleg,
        parent_key=parent.key,
        trekker=overleg.trekker,
        cancelled=parent.cancelled,
        sequence=parent.sequence,
        closes_agenda_of=overleg.closes_agenda_of,
        opening_items=len(overleg.opening_items),
    )


def _shifted(when: When, days_before: int) -> When:
    if when.day is not None:
        return replace(when, day=when.day - timedelta(days=days_before))
    latest = when.in_month.last_day - timedelta(days=days_before)
    return When(month=YearMonth.of(latest))


def _milestones(plan: Plan) -> Iterable[CalendarEntry]:
    for product in plan.products:
        for milestone in product.milestones:
            yield CalendarEntry(
                kind="milestone",
                key=milestone.uid,
                title=milestone.description,
                when=milestone.when,
                participants=product.involved,
                product=product.name,
                owner=product.owner,
                done=milestone.done,
            )
