"""A meeting's agenda for the operator's export (``overlegbot agenda export``): any meeting
the plan knows, past or coming, cancelled or not, without a coordinator to ask.

Which agenda: once the meeting is over, the last published version (the items of its
``AgendaPublicationRow.items`` snapshot in that order, whatever their status now, each dealt
with or held over marked as such); before, the draft as it stands (what /publiceer would send),
or the last published version when nothing is accepted any more; never published, the draft.
A meeting is named by its key or by ``CODE@YYYY-MM-DD`` (:func:`short_name`).

Service functions take the session and never commit.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.changes import from_json
from planning.agenda_items.documents import documents_of
from planning.agenda_items.publication import AgendaDraft, load_draft
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal, meetings_around
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus, AgendaPublicationRow
from planning.agenda_items.views import DESCRIBED_BACK, people, view, with_meeting
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import LISTING_AHEAD, is_over, meeting_order
from planning.clock import Clock
from planning.plan.store import load_plan


class Outcome(enum.StrEnum):
    """What became of a published item after its meeting."""

    DEALT_WITH = "dealt_with"  # afgehandeld
    HELD_OVER = "held_over"  # aangehouden: now on a later meeting's agenda


@dataclass(frozen=True)
class AgendaExport:
    """A meeting's agenda for ``overlegbot agenda export``: the draft as it stands or as last
    published (``version``, 0 for the draft), the overleg's name for the heading ("" when the
    plan no longer knows the overleg), and the outcome of items dealt with or held over."""

    draft: AgendaDraft
    overleg_name: str
    version: int = 0
    outcomes: Mapping[int, Outcome] = field(default_factory=dict)


@dataclass(frozen=True)
class MeetingWithAgenda:
    """A meeting with an agenda (accepted items, or a published version), for the operator to
    pick its key from; ``accepted`` counts the items an export would hold."""

    meeting: CalendarEntry
    accepted: int


async def meetings_with_agenda(session: AsyncSession, clock: Clock) -> list[MeetingWithAgenda]:
    """Every meeting the plan knows that has an agenda to export, past or coming, cancelled or
    not, in calendar order, with how many items the export holds."""
    rows = await session.execute(
        select(AgendaItemRow.meeting_key, func.count())
        .where(AgendaItemRow.status == AgendaItemStatus.ACCEPTED)
        .group_by(AgendaItemRow.meeting_key)
    )
    counts: dict[str, int] = {key: count for key, count in rows}
    published = await _last_publications(session)
    known = await _known_meetings(session, clock)
    plan, now = await load_plan(session), clock.now()
    found: list[MeetingWithAgenda] = []
    for key in sorted(counts.keys() | published.keys()):
        entry = known.get(key)
        if entry is None or plan is None:
            continue
        snapshot = published.get(key)
        if snapshot is not None and (is_over(entry, now, plan.zone) or key not in counts):
            found.append(MeetingWithAgenda(entry, len(snapshot.items or ())))
        else:
            found.append(MeetingWithAgenda(entry, counts[key]))
    return sorted(
        (meeting for meeting in found if meeting.accepted),
        key=lambda meeting: meeting_order(meeting.meeting),
    )


async def export_draft(session: AsyncSession, clock: Clock, meeting_key: str) -> AgendaExport:
    """One meeting's agenda for the operator: no coordinator is asked (the command line is the
    operator's), and a past or cancelled meeting is exported as well; which version, see the
    module.

    NOT_OPEN when the plan knows no such meeting, NOTHING_ACCEPTED when it has no accepted
    items and was never published.
    """
    entry = await meeting_by_key(session, clock, meeting_key)
    if entry is None:
        raise AgendaItemError(AgendaItemRefusal.NOT_OPEN)
    plan = await load_plan(session)
    names = {o.code: o.name for o in plan.overleggen} if plan is not None else {}
    name = names.get(entry.overleg or "", "")
    draft = await load_draft(session, entry)
    over = plan is not None and is_over(entry, clock.now(), plan.zone)
    if draft.items and (not over or draft.published_versions == 0):
        return AgendaExport(draft, name)
    published = (await _last_publications(session, entry.key)).get(entry.key)
    if published is None or not published.items:
        raise AgendaItemError(AgendaItemRefusal.NOTHING_ACCEPTED)
    return await _as_published(session, clock, draft, published, name)


async def _as_published(
    session: AsyncSession,
    clock: Clock,
    draft: AgendaDraft,
    published: AgendaPublicationRow,
    name: str,
) -> AgendaExport:
    """The draft's meeting with the items ``published`` held, in its order, as they are now."""
    entry, ids = draft.meeting, [e.id for e in from_json(published.items or [])]
    rows = {
        row.id: row
        for row in await session.scalars(select(AgendaItemRow).where(AgendaItemRow.id.in_(ids)))
    }
    found = await people(session, rows.values())
    known = await _known_meetings(session, clock)
    items, outcomes = [], {}
    for item_id in ids:
        row = rows.get(item_id)
        if row is None:
            continue
        item = with_meeting(view(row, found, known), entry)
        if row.status == AgendaItemStatus.DEALT_WITH:
            outcomes[item_id] = Outcome.DEALT_WITH
        elif row.meeting_key != entry.key:
            outcomes[item_id] = Outcome.HELD_OVER
            item = replace(item, held_over=False, carried_from=None)  # it was carried away
        items.append(item)
    attached = await documents_of(session, [item.id for item in items])
    shown = replace(
        draft,
        items=tuple(items),
        documents=tuple(d for item in items for d in attached.get(item.id, ())),
    )
    return AgendaExport(shown, name, published.version, outcomes)


async def _last_publications(
    session: AsyncSession, meeting_key: str | None = None
) -> dict[str, AgendaPublicationRow]:
    """The highest version published of each meeting (or of the one meeting), by key."""
    query = select(AgendaPublicationRow).order_by(AgendaPublicationRow.version)
    if meeting_key is not None:
        query = query.where(AgendaPublicationRow.meeting_key == meeting_key)
    return {row.meeting_key: row for row in await session.scalars(query)}


def short_name(entry: CalendarEntry) -> str:
    """``ao@2011-03-22``: the meeting's overleg code and its day (or month, when only that is
    known), for the operator to type instead of the key."""
    when = entry.when
    moment = when.day.isoformat() if when.day is not None else f"{when.in_month.first_day:%Y-%m}"
    return f"{entry.overleg or ''}@{moment}"


async def meetings_named(session: AsyncSession, clock: Clock, name: str) -> list[CalendarEntry]:
    """The meeting with key ``name``, else those whose :func:`short_name` is ``name`` (the
    code in any case), in calendar order: one, none, or more when it is ambiguous."""
    known = await _known_meetings(session, clock)
    if name in known:
        return [known[name]]
    wanted = name.strip().casefold()
    return sorted(
        (e for e in known.values() if e.overleg and short_name(e).casefold() == wanted),
        key=meeting_order,
    )


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
