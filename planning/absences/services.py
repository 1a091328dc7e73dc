"""Absences ("Ik kan niet"), and finding the meeting a reminder's button names.

A button carries only the meeting's calendar key (no state in memory), so every press looks the
meeting up again in the stored plan: a press after a move finds the meeting at its new time, a
press after a cancellation is told the meeting is gone.

Decisions:

- **Who hears "Ik kan niet"**: the trekker's side, i.e. the active coordinators and the active
  members of the overleg's trekker organisation; never the member who pressed. Someone paused
  (/instellingen) on the day of the press is left out, not told when the pause ends. If that
  leaves nobody, the coordinators get it anyway, paused or not, as they do the overdue list
  (:mod:`planning.milestones.overdue`): an absence must reach someone who can act on it. See
  docs/decisions/reminder-buttons.md.
- **Once**: the absence is stored per member and meeting key; a second press tells the member
  it was passed on already and tells nobody new. The notes are queued by the caller in the same
  unit of work (:func:`berichten.absences.tell_trekker`).
- A meeting that has begun (or, without a time, whose day is over) can no longer be declined,
  nor can a cancelled one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from planning.absences.tables import AbsenceRow
from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Plan
from planning.clock import Clock
from planning.membership.lookups import active_coordinators, find_member, members_of_organisation
from planning.membership.rules import in_audience
from planning.membership.tables import MemberRow
from planning.plan.store import load_plan
from planning.preferences.services import paused_on

# How far around today a key is looked for: a reminder comes at most weeks before its meeting;
# a year ahead also covers a button pressed long after the reminder arrived.
BUTTON_BACK = timedelta(days=1)
BUTTON_AHEAD = timedelta(days=400)


@dataclass(frozen=True)
class FoundMeeting:
    """A meeting named by a button, with what is needed to show or export it."""

    entry: CalendarEntry
    zone: ZoneInfo
    plan_name: str
    trekker_name: str


async def find_meeting(session: AsyncSession, clock: Clock, entry_key: str) -> FoundMeeting | None:
    """The meeting with this calendar key, as the plan now has it; None when it is not there."""
    plan = await load_plan(session)
    if plan is None:
        return None
    today = clock.now().astimezone(plan.zone).date()
    entry = meeting_by_key(plan, entry_key, today)
    if entry is None:
        return None
    names = {organisation.code: organisation.name for organisation in plan.organisations}
    return FoundMeeting(entry, plan.zone, plan.name, names.get(entry.trekker or "", ""))


async def takes_part(
    session: AsyncSession, clock: Clock, telegram_user_id: int, entry_key: str
) -> bool:
    """Whether the meeting a reminder's button names is one the member takes part in now: an
    active member in its audience. A meeting the plan no longer has concerns the member as far
    as this goes; pressing for it only tells them it is gone."""
    found = await find_meeting(session, clock, entry_key)
    if found is None:
        return True
    member = await find_member(session, telegram_user_id)
    return member is not None and member.is_active and in_audience(member, found.entry.participants)


def meeting_by_key(plan: Plan, entry_key: str, today: date) -> CalendarEntry | None:
    for entry in entries(plan, today - BUTTON_BACK, today + BUTTON_AHEAD):
        if entry.key == entry_key and entry.kind == "meeting":
            return entry
    return None


class AbsenceOutcome(enum.StrEnum):
    REPORTED = "reported"  # stored now: the trekker's side is to be told
    ALREADY = "already"  # reported before: nobody is told again
    GONE = "gone"  # no such meeting (any more), or it was cancelled
    OVER = "over"  # the meeting has begun or is over
    NOT_A_MEMBER = "not_a_member"


@dataclass(frozen=True)
class AbsenceReport:
    outcome: AbsenceOutcome
    meeting: FoundMeeting | None = None
    member: MemberRow | None = None
    tell: tuple[int, ...] = ()  # Telegram user ids of the trekker's side
    told_trekker: bool = False  # someone of the trekker organisation is among ``tell``
    told_coordinators: bool = False  # a coordinator outside it is among ``tell``


async def report_absence(
    session: AsyncSession, clock: Clock, telegram_user_id: int, entry_key: str
) -> AbsenceReport:
    """Record that the member cannot attend; say whom to tell (only the first time)."""
    found = await find_meeting(session, clock, entry_key)
    if found is None or found.entry.cancelled:
        return AbsenceReport(AbsenceOutcome.GONE, found)
    now = clock.now()
    if _has_begun(found, now):
        return AbsenceReport(AbsenceOutcome.OVER, found)
    member = await find_member(session, telegram_user_id)
    if member is None or not member.is_active:
        return AbsenceReport(AbsenceOutcome.NOT_A_MEMBER, found)
    if await session.get(AbsenceRow, (member.id, entry_key)) is not None:
        return AbsenceReport(AbsenceOutcome.ALREADY, found, member)
    session.add(AbsenceRow(member_id=member.id, entry_key=entry_key, reported_at=now))
    today = now.astimezone(found.zone).date()
    tell = await trekker_side(session, found.entry, member.telegram_user_id, today)
    trekker = (
        {p.telegram_user_id for p in await members_of_organisation(session, found.entry.trekker)}
        if found.entry.trekker is not None
        else set()
    )
    return AbsenceReport(
        AbsenceOutcome.REPORTED,
        found,
        member,
        tell,
        told_trekker=not trekker.isdisjoint(tell),
        told_coordinators=not trekker.issuperset(tell),
    )


async def trekker_side(
    session: AsyncSession, entry: CalendarEntry, absent: int, today: date
) -> tuple[int, ...]:
    """Whom an absence from ``entry`` concerns, as Telegram user ids: the active coordinators
    and the trekker's active members who are not paused ``today``, or, if all are, the
    coordinators (see the module's decisions); never the member ``absent`` themselves."""
    coordinators = {person.telegram_user_id for person in await active_coordinators(session)}
    people = set(coordinators)
    if entry.trekker is not None:
        people |= {
            p.telegram_user_id for p in await members_of_organisation(session, entry.trekker)
        }
    people -= {absent}
    present = people - await paused_on(session, people, today)
    return tuple(sorted(present or coordinators - {absent}))


def _has_begun(found: FoundMeeting, now: datetime) -> bool:
    start = found.entry.start(found.zone)
    if start is not None:
        return start <= now
    return found.entry.when.latest_day < now.astimezone(found.zone).date()
