"""After the meeting: which accepted items were dealt with (afgehandeld), and where the rest go.

Service functions take the session and never commit (:meth:`planning.db.Database.run`). The
notices that announce a rollover are queued by :mod:`berichten.agenda_after` in the same unit.

- **Which meetings**: those over (:func:`planning.calendar.listings.is_over`) within the last
  :data:`AFTER_WINDOW` that still have accepted items not marked dealt with. A coordinator marks
  them in a cancelled meeting neither (nothing was dealt with there); the automatic rollover
  takes cancelled meetings too.
- **Marking** toggles an item between accepted and dealt with; the status in the database is
  the only state, so a list drawn again (after a restart too) shows what is stored.
- **Rolling over** moves every accepted item left to the overleg's next meeting
  (:func:`planning.agenda_items.rules.next_meeting`): still accepted, ``held_over`` set,
  ``carried_from`` the old meeting's key, numbered after that meeting's last position in the
  order it had. Each move is conditional on the item still being accepted on the old meeting, so
  a coordinator's "Klaar" and the automatic run at once move it once; a number taken by a
  simultaneous acceptance raises :class:`~planning.db.Conflict` and the unit is tried again.
  Without a next meeting (the year's last) the items stay where they are.
- **Automatically**, :func:`rollover_at` after the meeting: 24 hours after a timed meeting
  ends (or starts, without an end), and for one known to the day or month only at 09:00 in the
  plan's zone on the second day after its (last) day, so the coordinator has the whole next day
  to mark and nobody is woken by a notice (docs/decisions/agenda-items.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.rules import (
    AgendaItemError,
    AgendaItemRefusal,
    meetings_around,
    next_meeting,
)
from planning.agenda_items.services import accepted_meeting_keys, coordinator
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView, people, view
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import LISTING_AHEAD, meeting_order
from planning.calendar.model import Plan
from planning.clock import Clock
from planning.db import Conflict
from planning.plan.store import load_plan

AFTER_WINDOW = timedelta(days=30)  # how long after a meeting /afgehandeld still offers it
ROLLOVER_AFTER = timedelta(hours=24)  # after a timed meeting's end
ROLLOVER_TIME = time(9)  # a day-only meeting's items roll over at this hour, two days on
_MARKED = (AgendaItemStatus.ACCEPTED, AgendaItemStatus.DEALT_WITH)


@dataclass(frozen=True)
class AfterMeeting:
    """A meeting that is over: its accepted and dealt-with items by position, and the
    overleg's next meeting the rest would go to (None: the year's last)."""

    meeting: CalendarEntry
    items: tuple[AgendaItemView, ...]
    next: CalendarEntry | None


@dataclass(frozen=True)
class Rollover:
    """What a rollover did: ``items`` moved to ``next`` (with their new positions), or, when
    ``next`` is None, stayed on ``meeting``; ``dealt_with`` counts the items marked."""

    meeting: CalendarEntry
    next: CalendarEntry | None
    items: tuple[AgendaItemView, ...]
    dealt_with: int


# ------------------------------------------------------------------ rules, without I/O


def over_at(entry: CalendarEntry, zone: ZoneInfo) -> datetime:
    """When the meeting is over, aware UTC: its end (or start), or the day after its last day
    begins (as :func:`planning.calendar.listings.is_over` has it)."""
    ends = entry.end(zone) or entry.start(zone)
    if ends is not None:
        return ends.astimezone(UTC)
    after = entry.when.latest_day + timedelta(days=1)
    return datetime.combine(after, time(0), tzinfo=zone).astimezone(UTC)


def rollover_at(entry: CalendarEntry, zone: ZoneInfo) -> datetime:
    """When the items not marked roll over by themselves (see the module's decisions)."""
    ends = entry.end(zone) or entry.start(zone)
    if ends is not None:
        return ends.astimezone(UTC) + ROLLOVER_AFTER
    day = entry.when.latest_day + timedelta(days=2)
    return datetime.combine(day, ROLLOVER_TIME, tzinfo=zone).astimezone(UTC)


def recent_meetings(plan: Plan, now: datetime) -> list[CalendarEntry]:
    """The meetings over within the last :data:`AFTER_WINDOW`, cancelled ones too."""
    around = meetings_around(plan, now, timedelta(days=1), AFTER_WINDOW + timedelta(days=1))
    return [e for e in around if now - AFTER_WINDOW < over_at(e, plan.zone) <= now]


# ------------------------------------------------------------------ services


async def closable_meetings(
    session: AsyncSession, clock: Clock, coordinator_id: int
) -> list[AfterMeeting]:
    """For /afgehandeld: the meetings over within the window, not cancelled, that still have
    accepted items not marked; in meeting order. NOT_COORDINATOR for anyone else."""
    await coordinator(session, coordinator_id)
    plan, now = await load_plan(session), clock.now()
    keys = await accepted_meeting_keys(session)
    if plan is None or not keys:
        return []
    found = [e for e in recent_meetings(plan, now) if e.key in keys and not e.cancelled]
    return [await _after(session, plan, now, e) for e in sorted(found, key=meeting_order)]


async def after_meeting(
    session: AsyncSession, clock: Clock, coordinator_id: int, item_id: int
) -> AfterMeeting:
    """The meeting of ``item_id`` (see :func:`_meeting_of`) with its items as they are now."""
    await coordinator(session, coordinator_id)
    plan, now = await _plan(session), clock.now()
    return await _after(session, plan, now, await _meeting_of(session, plan, now, item_id))


async def toggle_dealt_with(
    session: AsyncSession, clock: Clock, coordinator_id: int, item_id: int
) -> AfterMeeting:
    """Mark the item dealt with, or back to accepted when it was; return its meeting after.

    Conditional on the status read, so two presses at once change it once. An item moved on
    meanwhile is left alone and its old meeting shown as it is.
    """
    await coordinator(session, coordinator_id)
    plan, now = await _plan(session), clock.now()
    meeting = await _meeting_of(session, plan, now, item_id)
    row = await session.get(AgendaItemRow, item_id)
    assert row is not None  # _meeting_of found it
    if row.meeting_key == meeting.key and row.status in _MARKED:
        was = AgendaItemStatus(row.status)
        now_is = (
            AgendaItemStatus.DEALT_WITH
            if was == AgendaItemStatus.ACCEPTED
            else AgendaItemStatus.ACCEPTED
        )
        await session.execute(
            update(AgendaItemRow)
            .where(AgendaItemRow.id == item_id, AgendaItemRow.status == was)
            .where(AgendaItemRow.meeting_key == meeting.key)
            .values(status=now_is)
        )
    return await _after(session, plan, now, meeting)


async def finish(
    session: AsyncSession, clock: Clock, coordinator_id: int, item_id: int
) -> Rollover:
    """ "Klaar": roll the items of ``item_id``'s meeting that are not marked over."""
    await coordinator(session, coordinator_id)
    plan, now = await _plan(session), clock.now()
    return await roll_over(session, plan, now, await _meeting_of(session, plan, now, item_id))


async def due_rollovers(session: AsyncSession, clock: Clock) -> list[Rollover]:
    """Roll over every meeting whose moment (:func:`rollover_at`) has come and that still has
    accepted items, within the window. A second run finds them moved and does nothing; the
    year's last meeting keeps its items and is returned each time (its notices have stable
    keys)."""
    keys = await accepted_meeting_keys(session)
    plan = await load_plan(session)
    if plan is None or not keys:
        return []
    now = clock.now()
    due = [
        e for e in recent_meetings(plan, now) if e.key in keys and rollover_at(e, plan.zone) <= now
    ]
    return [await roll_over(session, plan, now, e) for e in sorted(due, key=meeting_order)]


async def next_rollover(session: AsyncSession, clock: Clock) -> datetime | None:
    """The next moment a rollover falls due (after now), to wake the outbox job for it."""
    keys = await accepted_meeting_keys(session)
    plan = await load_plan(session)
    if plan is None or not keys:
        return None
    now = clock.now()
    around = meetings_around(plan, now, LISTING_AHEAD, AFTER_WINDOW + timedelta(days=1))
    moments = [rollover_at(e, plan.zone) for e in around if e.key in keys]
    return min((moment for moment in moments if moment > now), default=None)


async def roll_over(
    session: AsyncSession, plan: Plan, now: datetime, meeting: CalendarEntry
) -> Rollover:
    """Move ``meeting``'s accepted items to the overleg's next meeting, after its last
    position, in their order; without a next meeting they stay."""
    rows = await _rows(session, meeting.key, _MARKED)
    left = [row for row in rows if row.status == AgendaItemStatus.ACCEPTED]
    dealt = len(rows) - len(left)
    target = next_meeting(plan, meeting, now)
    if target is None or not left:
        staying = await people(session, left)
        items = tuple(view(row, staying, {meeting.key: meeting}) for row in left)
        return Rollover(meeting, target, items, dealt)
    highest = await session.scalar(
        select(func.max(AgendaItemRow.position)).where(AgendaItemRow.meeting_key == target.key)
    )
    position = highest or 0
    moved_ids = set()
    for row in left:
        try:
            result = await session.execute(
                update(AgendaItemRow)
                .where(AgendaItemRow.id == row.id, AgendaItemRow.meeting_key == meeting.key)
                .where(AgendaItemRow.status == AgendaItemStatus.ACCEPTED)
                .values(
                    meeting_key=target.key,
                    position=position + 1,
                    held_over=True,
                    carried_from=meeting.key,
                )
            )
        except IntegrityError as taken:  # a simultaneous acceptance took the number
            raise Conflict from taken
        if result.rowcount == 1:  # type: ignore[attr-defined]
            position += 1
            moved_ids.add(row.id)
    # Read back once, as stored now (not a refresh per item).
    on_target = await _rows(session, target.key, (AgendaItemStatus.ACCEPTED,))
    moved = [row for row in on_target if row.id in moved_ids]
    found = await people(session, moved)
    items = tuple(view(row, found, {target.key: target}) for row in moved)
    return Rollover(meeting, target, items, dealt)


# ------------------------------------------------------------------ helpers


async def _plan(session: AsyncSession) -> Plan:
    plan = await load_plan(session)
    if plan is None:
        raise AgendaItemError(AgendaItemRefusal.NOT_AFTER)
    return plan


async def _meeting_of(
    session: AsyncSession, plan: Plan, now: datetime, item_id: int
) -> CalendarEntry:
    """The meeting a button under ``item_id`` is about: the item's own if it is over within
    the window (and not cancelled), else the one it was carried from (the list was drawn before
    "Klaar" moved it). UNKNOWN_ITEM, or NOT_AFTER when neither is."""
    row = await session.get(AgendaItemRow, item_id)
    if row is None:
        raise AgendaItemError(AgendaItemRefusal.UNKNOWN_ITEM)
    recent = {e.key: e for e in recent_meetings(plan, now) if not e.cancelled}
    for key in (row.meeting_key, row.carried_from if row.held_over else None):
        if key is not None and key in recent:
            return recent[key]
    raise AgendaItemError(AgendaItemRefusal.NOT_AFTER)


async def _after(
    session: AsyncSession, plan: Plan, now: datetime, meeting: CalendarEntry
) -> AfterMeeting:
    rows = await _rows(session, meeting.key, _MARKED)
    found = await people(session, rows)
    items = tuple(view(row, found, {meeting.key: meeting}) for row in rows)
    return AfterMeeting(meeting, items, next_meeting(plan, meeting, now))


async def _rows(
    session: AsyncSession, meeting_key: str, statuses: Sequence[AgendaItemStatus]
) -> list[AgendaItemRow]:
    query = (
        select(AgendaItemRow)
        .where(AgendaItemRow.meeting_key == meeting_key, AgendaItemRow.status.in_(statuses))
        .order_by(AgendaItemRow.position, AgendaItemRow.id)
        .execution_options(populate_existing=True)
    )
    return list(await session.scalars(query))
