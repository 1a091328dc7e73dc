"""The rules of a coordinator's change to the calendar, pure: plan and request in, change out.

:mod:`planning.meeting_changes.services` stores what these rules decide; keeping them free of
I/O lets the bot preview a change for confirmation and then store exactly what was previewed.

Decisions:

- The change is made to the plan as data (:func:`changed_plan`) and both plans are expanded
  (:func:`planning.calendar.expand.entries`), so "before" and "after" come from the one reading
  of the calendar everyone uses: a moved AO's petit comité shows up moved because the expansion
  derives it, not because this module knows about petit comités.
- A derived meeting cannot be changed on its own (it follows its parent by construction); the
  refusal names the parent so the coordinator knows what to move instead.
- An explicit meeting keeps its uid and its ``sequence`` rises; a recurrence occurrence gets an
  occurrence change (keyed by its original day, so it stays the same event) whose sequence rises.
- A new day in the past is refused, and so is a change that changes nothing. Fixing the day of
  a month-precision meeting must pick a day in that month; anything else is a move.
- Moving with a new start time keeps the meeting's length; moving without a time keeps its times.
- A cancelled meeting is not moved or cancelled again (restoring one is a plan-file matter).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Meeting, OccurrenceChange, Plan, When
from planning.membership.tables import MemberRow


class MeetingChangeRefusal(enum.StrEnum):
    """Why a change was refused; the bot maps each to a Dutch sentence."""

    NO_PLAN = "no_plan"
    UNKNOWN_MEETING = "unknown_meeting"
    DERIVED = "derived"  # detail: the parent overleg's name
    CANCELLED = "cancelled"
    NOT_MONTH = "not_month"  # fixing the day of a meeting whose day is known
    OUTSIDE_MONTH = "outside_month"  # the fixed day is not in the meeting's month
    IN_PAST = "in_past"
    UNCHANGED = "unchanged"
    UNKNOWN_OVERLEG = "unknown_overleg"
    DERIVED_OVERLEG = "derived_overleg"
    STALE = "stale"  # someone else changed it since the preview


class MeetingChangeError(Exception):
    def __init__(self, reason: MeetingChangeRefusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


class MeetingChangeKind(enum.StrEnum):
    MOVED = "moved"
    CANCELLED = "cancelled"
    DAY_FIXED = "day_fixed"
    ADDED = "added"


@dataclass(frozen=True)
class Move:
    key: str
    when: When


@dataclass(frozen=True)
class Cancel:
    key: str


@dataclass(frozen=True)
class FixDay:
    key: str
    day: date
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Add:
    overleg: str
    when: When
    title: str | None = None
    location: str | None = None


Request = Move | Cancel | FixDay | Add


@dataclass(frozen=True)
class EntryChange:
    """One calendar entry before and after; ``before`` is None for an added meeting."""

    before: CalendarEntry | None
    after: CalendarEntry

    @property
    def participants(self) -> tuple[str, ...]:
        codes = (self.before.participants if self.before else ()) + self.after.participants
        return tuple(dict.fromkeys(codes))


@dataclass(frozen=True)
class MeetingChange:
    """What a change did: to the chosen meeting and to the meetings derived from it."""

    kind: MeetingChangeKind
    meeting: EntryChange
    derived: tuple[EntryChange, ...] = ()

    @property
    def key(self) -> str:
        return self.meeting.after.key

    @property
    def all(self) -> tuple[EntryChange, ...]:
        return (self.meeting, *self.derived)

    @property
    def participants(self) -> tuple[str, ...]:
        """The group codes of everyone concerned, the derived meetings' too."""
        return tuple(dict.fromkeys(code for item in self.all for code in item.participants))


@dataclass(frozen=True)
class Notice:
    """One member to tell, with just the entries that concern them."""

    member: MemberRow
    concerns: tuple[EntryChange, ...]


def describe(plan: Plan, request: Request, today: date, new_uid: str) -> MeetingChange:
    """What ``request`` does to ``plan``; raises :class:`MeetingChangeError` when it may not."""
    if isinstance(request, Add):
        return _describe_add(plan, request, today, new_uid)
    current, anchors = _locate(plan, request.key)
    before = _family(plan, request.key, anchors)
    meeting = before[request.key]
    if meeting.cancelled:
        raise MeetingChangeError(MeetingChangeRefusal.CANCELLED)
    if isinstance(request, Cancel):
        kind, when = MeetingChangeKind.CANCELLED, None
    elif isinstance(request, FixDay):
        if meeting.when.month is None:
            raise MeetingChangeError(MeetingChangeRefusal.NOT_MONTH)
        if request.day.strftime("%Y-%m") != str(meeting.when.month):
            raise MeetingChangeError(MeetingChangeRefusal.OUTSIDE_MONTH)
        kind, when = (
            MeetingChangeKind.DAY_FIXED,
            When(day=request.day, start=request.start, end=request.end),
        )
    else:
        kind, when = MeetingChangeKind.MOVED, request.when
    if when is not None:
        _check_new_when(when, meeting.when, today)
    changed = changed_plan(plan, current, when, meeting.sequence + 1)
    after = _family(changed, request.key, (*anchors, when) if when else anchors)
    return MeetingChange(
        kind,
        EntryChange(meeting, after[request.key]),
        tuple(EntryChange(before.get(k), e) for k, e in after.items() if k != request.key),
    )


def moved_when(current: When, day: date, start: time | None, end: time | None = None) -> When:
    """The new moment of a meeting moved to ``day``: times as typed, else as they were.

    A new start without an end keeps the meeting's length, so a 10:00-12:00 meeting moved to
    14:00 ends at 16:00.
    """
    if start is None:
        return When(day=day, start=current.start, end=current.end)
    if end is None and current.start is not None and current.end is not None:
        length = datetime.combine(day, current.end) - datetime.combine(day, current.start)
        moved_end = datetime.combine(day, start) + length
        end = moved_end.time() if moved_end.date() == day else None
    return When(day=day, start=start, end=end)


def changed_plan(
    plan: Plan, current: Meeting | OccurrenceChange, when: When | None, sequence: int
) -> Plan:
    """``plan`` with one meeting or occurrence moved to ``when`` (None: cancelled)."""
    if isinstance(current, Meeting):
        changed = replace(
            current, when=when or current.when, cancelled=when is None, sequence=sequence
        )
        meetings = tuple(changed if m.uid == current.uid else m for m in plan.meetings)
        return replace(plan, meetings=meetings)
    occurrence = replace(current, moved_to=when, sequence=sequence)
    others = tuple(
        c
        for c in plan.occurrence_changes
        if (c.overleg, c.original_day) != (current.overleg, current.original_day)
    )
    return replace(plan, occurrence_changes=(*others, occurrence))


def _describe_add(plan: Plan, request: Add, today: date, uid: str) -> MeetingChange:
    try:
        overleg = plan.overleg(request.overleg)
    except KeyError:
        raise MeetingChangeError(MeetingChangeRefusal.UNKNOWN_OVERLEG, request.overleg) from None
    if overleg.derived is not None:
        raise MeetingChangeError(
            MeetingChangeRefusal.DERIVED_OVERLEG, plan.overleg(overleg.derived.parent).name
        )
    _check_new_when(request.when, None, today)
    meeting = Meeting(uid, overleg.code, request.when, request.title, request.location)
    after = _family(replace(plan, meetings=(*plan.meetings, meeting)), uid, (request.when,))
    derived = tuple(EntryChange(None, entry) for key, entry in after.items() if key != uid)
    return MeetingChange(MeetingChangeKind.ADDED, EntryChange(None, after[uid]), derived)


def _check_new_when(when: When, old: When | None, today: date) -> None:
    if when == old:
        raise MeetingChangeError(MeetingChangeRefusal.UNCHANGED)
    if when.latest_day < today:
        raise MeetingChangeError(MeetingChangeRefusal.IN_PAST)


def _locate(plan: Plan, key: str) -> tuple[Meeting | OccurrenceChange, tuple[When, ...]]:
    """The meeting or occurrence behind ``key`` and the moments it occupies."""
    for meeting in plan.meetings:
        if meeting.uid == key:
            return meeting, (meeting.when,)
    code, _, day_text = key.rpartition("@")
    if code and "~" not in key:
        try:
            original = date.fromisoformat(day_text)
            overleg = plan.overleg(code)
        except (ValueError, KeyError):
            raise MeetingChangeError(MeetingChangeRefusal.UNKNOWN_MEETING, key) from None
        for change in plan.occurrence_changes:
            if (change.overleg, change.original_day) == (code, original):
                moved = (change.moved_to,) if change.moved_to else ()
                return change, (When(day=original), *moved)
        if overleg.recurrence is not None:
            return OccurrenceChange(code, original, When(day=original), 0), (When(day=original),)
    if "~" in key:
        parent = key.rsplit("~", 1)[0]
        parent_entry = _family(plan, parent, _locate(plan, parent)[1]).get(parent)
        raise MeetingChangeError(
            MeetingChangeRefusal.DERIVED, parent_entry.title if parent_entry else ""
        )
    raise MeetingChangeError(MeetingChangeRefusal.UNKNOWN_MEETING, key)


def _family(plan: Plan, key: str, anchors: Sequence[When]) -> dict[str, CalendarEntry]:
    """The meeting ``key`` and every meeting derived from it, however deep, by key."""
    span = timedelta(days=1) + plan.derivation_reach
    first = min(when.day or when.in_month.first_day for when in anchors) - span
    last = max(when.latest_day for when in anchors) + span
    found = {
        entry.key: entry
        for entry in entries(plan, first, last)
        if entry.kind == "meeting" and (entry.key == key or entry.key.startswith(f"{key}~"))
    }
    if key not in found:
        raise MeetingChangeError(MeetingChangeRefusal.UNKNOWN_MEETING, key)
    return found
