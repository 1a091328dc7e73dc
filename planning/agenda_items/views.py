"""Agenda items as texts show them: plain data read inside one session, never an ORM object.

A view carries the submitter's and reviewer's names and, where the calendar knows it, the
meeting's title and moment, so texts render it without further queries; the lists of
upcoming items (/mijnpunten, /punten) carry its documents too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.documents import DocumentView, documents_of
from planning.agenda_items.rules import meetings_around
from planning.agenda_items.tables import AgendaItemKind, AgendaItemRow, AgendaItemStatus
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import LISTING_AHEAD, is_over, meeting_order
from planning.calendar.model import When
from planning.clock import Clock
from planning.membership.tables import MemberRow
from planning.plan.store import load_plan

# How far back meetings are looked up to describe an item: a year and a bit, so the items of
# last year's meetings are still described.
DESCRIBED_BACK = timedelta(days=400)


@dataclass(frozen=True)
class AgendaItemView:
    """One item as texts show it.

    ``meeting_title`` and ``meeting_when`` are None when the meeting is not (or no longer) in
    the calendar around now, and when the caller knows the meetings already.
    """

    id: int
    meeting_key: str
    overleg_code: str
    title: str
    explanation: str | None
    status: AgendaItemStatus
    submitted_by: int
    submitter_name: str
    submitter_organisation: str  # the organisation's name; "" when unknown
    submitted_at: datetime
    reviewed_by: int | None = None
    reviewer_name: str | None = None
    reviewed_at: datetime | None = None
    position: int | None = None
    meeting_title: str | None = None
    meeting_when: When | None = None
    meeting_cancelled: bool = False
    opening: int = 0  # fixed items opening the meeting's agenda (known with the meeting)
    kind: AgendaItemKind = AgendaItemKind.DISCUSSION
    decline_reason: str | None = None
    held_over: bool = False  # aangehouden: carried over from ``carried_from``
    carried_from: str | None = None
    # Its documents, where the caller loaded them (:func:`upcoming_views` does).
    documents: tuple[DocumentView, ...] = ()
    carried_from_when: When | None = None  # that meeting's moment, where the calendar knows it

    @property
    def number(self) -> int | None:
        """Its number on the published agenda: the position after the opening fixed items
        (punt 3 after Opening and Verslag); None while not accepted."""
        return None if self.position is None else self.position + self.opening


async def people(session: AsyncSession, rows: Iterable[AgendaItemRow]) -> dict[int, MemberRow]:
    """The submitters and reviewers of ``rows``, by Telegram user id."""
    ids = {row.submitted_by for row in rows} | {
        row.reviewed_by for row in rows if row.reviewed_by is not None
    }
    if not ids:
        return {}
    found = await session.scalars(select(MemberRow).where(MemberRow.telegram_user_id.in_(ids)))
    return {member.telegram_user_id: member for member in found}


async def meeting_index(session: AsyncSession, clock: Clock) -> dict[str, CalendarEntry]:
    """The meetings an item may belong to, by key: from :data:`DESCRIBED_BACK` ago to a year
    ahead."""
    plan = await load_plan(session)
    if plan is None:
        return {}
    return {e.key: e for e in meetings_around(plan, clock.now(), LISTING_AHEAD, DESCRIBED_BACK)}


async def views(
    session: AsyncSession, clock: Clock, rows: Sequence[AgendaItemRow]
) -> list[AgendaItemView]:
    """Views of ``rows`` with names and, where the calendar knows it, the meeting."""
    meetings = await meeting_index(session, clock)
    found = await people(session, rows)
    return [view(row, found, meetings) for row in rows]


async def upcoming_views(
    session: AsyncSession, clock: Clock, rows: Sequence[AgendaItemRow]
) -> list[AgendaItemView]:
    """The rows whose meeting is known and not over, by meeting, then as given, each with its
    documents."""
    plan = await load_plan(session)
    if plan is None or not rows:
        return []
    now = clock.now()
    meetings = {e.key: e for e in meetings_around(plan, now, LISTING_AHEAD, DESCRIBED_BACK)}
    kept = [
        row
        for row in rows
        if row.meeting_key in meetings and not is_over(meetings[row.meeting_key], now, plan.zone)
    ]
    found = await people(session, kept)
    position = {row.id: index for index, row in enumerate(kept)}
    kept.sort(key=lambda row: (meeting_order(meetings[row.meeting_key]), position[row.id]))
    attached = await documents_of(session, position)
    return [replace(view(row, found, meetings), documents=attached.get(row.id, ())) for row in kept]


def view(
    row: AgendaItemRow, found: dict[int, MemberRow], meetings: dict[str, CalendarEntry]
) -> AgendaItemView:
    """``row`` as a view, with the names in ``found`` and its meeting if in ``meetings``."""
    submitter = found.get(row.submitted_by)
    reviewer = found.get(row.reviewed_by) if row.reviewed_by is not None else None
    organisation = submitter.organisation if submitter is not None else None
    plain = AgendaItemView(
        id=row.id,
        meeting_key=row.meeting_key,
        overleg_code=row.overleg_code,
        title=row.title,
        explanation=row.explanation,
        status=AgendaItemStatus(row.status),
        submitted_by=row.submitted_by,
        submitter_name=submitter.name if submitter is not None else "",
        submitter_organisation=organisation.name if organisation is not None else "",
        submitted_at=row.submitted_at,
        reviewed_by=row.reviewed_by,
        reviewer_name=reviewer.name if reviewer is not None else None,
        reviewed_at=row.reviewed_at,
        position=row.position,
        kind=AgendaItemKind(row.kind or AgendaItemKind.DISCUSSION),
        decline_reason=row.decline_reason,
        held_over=bool(row.held_over),
        carried_from=row.carried_from,
    )
    earlier = meetings.get(row.carried_from) if row.carried_from is not None else None
    if earlier is not None:
        plain = replace(plain, carried_from_when=earlier.when)
    meeting = meetings.get(row.meeting_key)
    return plain if meeting is None else with_meeting(plain, meeting)


def with_meeting(item: AgendaItemView, meeting: CalendarEntry) -> AgendaItemView:
    """``item`` described with its meeting's title, moment and whether it was cancelled."""
    return replace(
        item,
        meeting_title=meeting.title,
        meeting_when=meeting.when,
        meeting_cancelled=meeting.cancelled,
        opening=meeting.opening_items,
    )
