"""A meeting's agenda for the operator's export (``overlegbot agenda export``): any meeting
the plan knows, past or coming, cancelled or not, without a coordinator to ask.

Service functions take the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.publication import AgendaDraft, load_draft
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal, meetings_around
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus
from planning.agenda_items.views import DESCRIBED_BACK
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import LISTING_AHEAD, meeting_order
from planning.clock import Clock
from planning.plan.store import load_plan


@dataclass(frozen=True)
class AgendaExport:
    """A meeting's agenda for ``overlegbot agenda export``: the draft as it stands, and the
    overleg's name for the heading ("" when the plan no longer knows the overleg)."""

    draft: AgendaDraft
    overleg_name: str


@dataclass(frozen=True)
class MeetingWithAgenda:
    """A meeting with accepted items, for the operator to pick its key from."""

    meeting: CalendarEntry
    accepted: int


async def meetings_with_agenda(session: AsyncSession, clock: Clock) -> list[MeetingWithAgenda]:
    """Every meeting the plan knows that has accepted items, past or coming, cancelled or not,
    in calendar order, with how many."""
    rows = await session.execute(
        select(AgendaItemRow.meeting_key, func.count())
        .where(AgendaItemRow.status == AgendaItemStatus.ACCEPTED)
        .group_by(AgendaItemRow.meeting_key)
    )
    counts: dict[str, int] = {key: count for key, count in rows}
    known = await _known_meetings(session, clock)
    found = [known[key] for key in counts if key in known]
    return [
        MeetingWithAgenda(entry, counts[entry.key]) for entry in sorted(found, key=meeting_order)
    ]


async def export_draft(session: AsyncSession, clock: Clock, meeting_key: str) -> AgendaExport:
    """One meeting's agenda for the operator: no coordinator is asked (the command line is the
    operator's), and a past or cancelled meeting is exported as well.

    NOT_OPEN when the plan knows no such meeting, NOTHING_ACCEPTED when none of its items is
    accepted.
    """
    entry = await meeting_by_key(session, clock, meeting_key)
    if entry is None:
        raise AgendaItemError(AgendaItemRefusal.NOT_OPEN)
    draft = await load_draft(session, entry)
    if not draft.items:
        raise AgendaItemError(AgendaItemRefusal.NOTHING_ACCEPTED)
    plan = await load_plan(session)
    names = {o.code: o.name for o in plan.overleggen} if plan is not None else {}
    return AgendaExport(draft, names.get(entry.overleg or "", ""))


async def meeting_by_key(
    session: AsyncSession, clock: Clock, meeting_key: str
) -> CalendarEntry | None:
    """The meeting with this key, past or coming, cancelled or not; None if the plan has none."""
    return (await _known_meetings(session, clock)).get(meeting_key)


async def _known_meetings(session: AsyncSession, clock: Clock) -> dict[str, CalendarEntry]:
    """The plan's meetings by key, whatever today is: from the plan's first explicit meeting,
    first recurrence or earliest item (or a year and a bit ago) to a year after the last of
    those or of today. An item is submitted at most :data:`LISTING_AHEAD` before its meeting."""
    plan = await load_plan(session)
    if plan is None:
        return {}
    today = clock.now().astimezone(plan.zone).date()
    submitted = (
        await session.execute(
            select(func.min(AgendaItemRow.submitted_at), func.max(AgendaItemRow.submitted_at))
        )
    ).one()
    days = [today - DESCRIBED_BACK, today]
    days += [m.when.in_month.first_day for m in plan.meetings]
    days += [m.when.latest_day for m in plan.meetings]
    days += [o.recurrence.begin for o in plan.overleggen if o.recurrence is not None]
    days += [moment.astimezone(plan.zone).date() for moment in submitted if moment is not None]
    first, last = min(days), max(days) + LISTING_AHEAD
    moment = datetime.combine(first, time(0), tzinfo=plan.zone)
    return {entry.key: entry for entry in meetings_around(plan, moment, last - first, timedelta(0))}
