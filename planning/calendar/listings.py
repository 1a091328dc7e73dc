"""What a member asks about the calendar: my next meetings, the deadlines, the next thing.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
Each async function answers one question (``/agenda``, ``/deadlines``, ``/volgende``, the ``.ics``
file): it reads the member and the stored plan and hands them to a pure rule below
(:func:`meetings_for`, :func:`deadlines_for`, :func:`next_of`, :func:`calendar_entries_for`),
which answers from the same expansion (:func:`planning.calendar.expand.entries`) the CLI, the
feeds and the reminders use, so the bot never tells a member something the calendar does not
say. The time comes from the clock passed in; days are read in the plan's zone.

Decisions:

- **My meetings** are those whose participants concern the member (:func:`in_audience`; the
  group ``alle`` means everyone). Cancelled meetings are left out of the lists, but are in the
  ``.ics`` file, so a calendar program that imported them earlier removes them.
- **Upcoming** means: a timed meeting until its end (its start, without an end time), a
  day-only meeting the whole day, a month-precision meeting until its month is over (it is
  listed as "in oktober 2011, dag volgt"). The lists look :data:`LISTING_AHEAD` ahead.
- **A meeting and its derived meetings**: with each meeting come the meetings derived from it
  (the petit comité under its AO), whether or not the member takes part in them, since for the
  AO's participants the petit comité is when the agenda closes. They may lie in the past.
- **Closing an agenda**: a meeting whose overleg ``sluit_agenda_van`` another names the
  meeting whose agenda it closes: its parent when it is derived from that overleg, else the
  first meeting of that overleg from its day on.
- **Order** of meetings: by day (a month's first day), month before day before timed, start
  time, then title and key, so two meetings on one day always come in the same order.
- **Deadlines, mine first**: milestones not done, due from today on (a month means: by its
  last day), plus overdue ones flagged. First those whose product the member's organisation
  owns, then those of products that involve the member's groups, then the rest; by due day
  within each.
- **The next thing** (``/volgende``) is the first of my meetings or my (owned or involved)
  milestones that is not overdue; a meeting counts from its (first) day, a milestone from its
  due day, and a meeting wins a tie.
- **Paging** is by page number, recomputed at every press from the current list, so a button
  works after other messages and after a restart; a number past the end shows the last page.
- Without a stored plan, or for someone who is not an active member, every list is empty.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Plan
from planning.clock import Clock
from planning.membership.lookups import known_member
from planning.membership.rules import in_audience
from planning.membership.tables import MemberRow
from planning.paging import Page, paginate
from planning.plan.store import load_plan

LISTING_AHEAD = timedelta(days=365)  # how far ahead the lists look
PAGE_SIZE = 5


@dataclass(frozen=True)
class MeetingListing:
    """One of my meetings, with what a participant should know along with it."""

    meeting: CalendarEntry
    derived: tuple[CalendarEntry, ...] = ()  # meetings derived from this one: an AO's petit comité
    closes_agenda_of: CalendarEntry | None = None  # the meeting whose agenda closes at this one


AgendaPage = Page[MeetingListing]


class Concern(enum.IntEnum):
    """How much a milestone is the member's business; lower comes first."""

    OWNER = 0  # the member's organisation is responsible for the product
    INVOLVED = 1  # the product involves one of the member's groups
    OTHER = 2


@dataclass(frozen=True)
class DeadlineItem:
    milestone: CalendarEntry
    concern: Concern
    overdue: bool
    owner_name: str  # the responsible organisation, as members call it

    @property
    def due(self) -> date:
        """The day by which it must be done: its day, or its month's last day."""
        return self.milestone.when.latest_day


class MyCalendar(NamedTuple):
    """What the member's ``.ics`` file holds: entries in ``zone``, under ``name``."""

    entries: list[CalendarEntry]
    zone: ZoneInfo
    name: str


async def upcoming_meetings(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    *,
    horizon: timedelta = LISTING_AHEAD,
) -> list[MeetingListing]:
    """My meetings from now until ``horizon`` ahead, each with its derived meetings."""
    found = await _read(session, telegram_user_id)
    if found is None:
        return []
    return meetings_for(*found, clock.now(), horizon)


async def agenda_page(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    number: int,
    *,
    size: int = PAGE_SIZE,
) -> AgendaPage:
    """Page ``number`` of my upcoming meetings, as a button asks for it."""
    return paginate(await upcoming_meetings(session, clock, telegram_user_id), number, size)


async def upcoming_deadlines(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    *,
    horizon: timedelta = LISTING_AHEAD,
) -> list[DeadlineItem]:
    """Milestones not done, overdue or due until ``horizon`` ahead, mine first."""
    found = await _read(session, telegram_user_id)
    if found is None:
        return []
    return deadlines_for(*found, clock.now(), horizon)


async def next_for(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> MeetingListing | DeadlineItem | None:
    """The single next thing for me: a meeting of mine or a milestone of my products."""
    found = await _read(session, telegram_user_id)
    if found is None:
        return None
    now = clock.now()
    return next_of(meetings_for(*found, now), deadlines_for(*found, now))


async def my_calendar(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> MyCalendar | None:
    """My meetings (cancelled ones too) and my products' milestones, for the ``.ics`` file.

    None without a plan or for someone who is not an active member.
    """
    found = await _read(session, telegram_user_id)
    if found is None:
        return None
    member, plan = found
    return MyCalendar(calendar_entries_for(member, plan, clock.now()), plan.zone, plan.name)


async def _read(session: AsyncSession, telegram_user_id: int) -> tuple[MemberRow, Plan] | None:
    """The member, if active, and the plan: both read-only, so from the read cache."""
    member = await known_member(session, telegram_user_id)
    if member is None or not member.is_active:
        return None
    plan = await load_plan(session)
    if plan is None:
        return None
    return member, plan


# ------------------------------------------------------------------ the rules, without I/O


def meetings_for(
    member: MemberRow, plan: Plan, now: datetime, horizon: timedelta = LISTING_AHEAD
) -> list[MeetingListing]:
    """The member's meetings that are not over at ``now``, until ``horizon`` ahead."""
    today = now.astimezone(plan.zone).date()
    reach = plan.derivation_reach
    everything = [
        entry
        for entry in entries(plan, today - reach, today + horizon + reach)
        if entry.kind == "meeting" and not entry.cancelled
    ]
    by_key = {entry.key: entry for entry in everything}
    derived: dict[str, list[CalendarEntry]] = {}
    for entry in everything:
        if entry.parent_key is not None:
            derived.setdefault(entry.parent_key, []).append(entry)
    mine = [
        entry
        for entry in everything
        if in_audience(member, entry.participants)
        and entry.overlaps(today, today + horizon)
        and not is_over(entry, now, plan.zone)
    ]
    return [
        MeetingListing(
            meeting=entry,
            derived=tuple(sorted(derived.get(entry.key, ()), key=meeting_order)),
            closes_agenda_of=closed_agenda(entry, everything, by_key),
        )
        for entry in sorted(mine, key=meeting_order)
    ]


def deadlines_for(
    member: MemberRow, plan: Plan, now: datetime, horizon: timedelta = LISTING_AHEAD
) -> list[DeadlineItem]:
    """Milestones not done, overdue or due until ``horizon`` ahead, the member's first."""
    today = now.astimezone(plan.zone).date()
    milestones = [m for product in plan.products for m in product.milestones if not m.done]
    if not milestones:
        return []
    # Only the products are expanded: overdue milestones may lie far back, and expanding the
    # meetings' recurrences over all those years would be work thrown away.
    products_only = replace(plan, overleggen=(), meetings=(), occurrence_changes=())
    earliest = min(m.when.in_month.first_day for m in milestones)
    names = {organisation.code: organisation.name for organisation in plan.organisations}
    found = [
        DeadlineItem(
            milestone=entry,
            concern=_concern(member, entry),
            overdue=entry.when.latest_day < today,
            owner_name=names.get(entry.owner or "", entry.owner or ""),
        )
        for entry in entries(products_only, min(earliest, today), today + horizon)
        if entry.kind == "milestone" and not entry.done
    ]
    return sorted(
        found,
        key=lambda item: (item.concern, item.due, item.milestone.product or "", item.milestone.key),
    )


def next_of(
    meetings: list[MeetingListing], deadlines: list[DeadlineItem]
) -> MeetingListing | DeadlineItem | None:
    """The first of the meetings and of the member's own deadlines that are not overdue."""
    mine = [d for d in deadlines if d.concern != Concern.OTHER and not d.overdue]
    meeting = meetings[0] if meetings else None
    milestone = min(mine, key=lambda item: item.due) if mine else None
    if meeting is None or milestone is None:
        return meeting or milestone
    return meeting if meeting.meeting.first_day <= milestone.due else milestone


def calendar_entries_for(member: MemberRow, plan: Plan, now: datetime) -> list[CalendarEntry]:
    """What the member's .ics holds: their meetings, cancelled too, and their milestones."""
    today = now.astimezone(plan.zone).date()
    return [
        entry
        for entry in entries(plan, today, today + LISTING_AHEAD)
        if (entry.kind == "meeting" and in_audience(member, entry.participants))
        or (entry.kind == "milestone" and _concern(member, entry) != Concern.OTHER)
    ]


def is_over(entry: CalendarEntry, now: datetime, zone: ZoneInfo) -> bool:
    """Whether a meeting is over: timed ones at their end (or start), others after their day."""
    ends = entry.end(zone) or entry.start(zone)
    if ends is not None:
        return ends <= now
    return entry.when.latest_day < now.astimezone(zone).date()


def closed_agenda(
    entry: CalendarEntry, meetings: list[CalendarEntry], by_key: dict[str, CalendarEntry]
) -> CalendarEntry | None:
    """The meeting whose agenda ``entry`` closes (see the module's decisions), or None.

    Shared with :mod:`planning.agenda_items`, so /agenda and the agenda items agree on which
    AO a petit comité closes.
    """
    code = entry.closes_agenda_of
    if code is None:
        return None
    parent = by_key.get(entry.parent_key) if entry.parent_key is not None else None
    if parent is not None and parent.overleg == code:
        return parent
    later = [m for m in meetings if m.overleg == code and m.first_day >= entry.first_day]
    return min(later, key=meeting_order, default=None)


def meeting_order(entry: CalendarEntry) -> tuple[date, int, time, str, str]:
    """The sort key of meetings everywhere a member sees a list of them."""
    return (*entry.chronology, entry.title, entry.key)


def _concern(member: MemberRow, milestone: CalendarEntry) -> Concern:
    organisation = member.organisation
    if organisation is not None and organisation.code == milestone.owner:
        return Concern.OWNER
    if in_audience(member, milestone.participants):
        return Concern.INVOLVED
    return Concern.OTHER
