"""Coordinators change the calendar: move, cancel, fix the day of, or add a meeting.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
Each change is a :data:`~planning.meeting_changes.rules.Request`. :func:`preview` says what it
would do without storing anything (the bot shows it for confirmation); :func:`apply` stores it
and returns the same description, which is what the participants are told
(:func:`berichten.meeting_changes.apply_and_notify` stores it and queues the notices in one unit
of work). The rules themselves are pure, in :mod:`planning.meeting_changes.rules`.

Decisions:

- Stored with a conditional update on the ``sequence`` seen when the plan was read (in the same
  unit of work): when two coordinators change the same meeting at once, the second is refused
  as stale instead of silently overwriting the first.
- The participants told are the active members of the groups of the meeting and of the
  meetings derived from it, each told only of the entries that concern them; the coordinator
  who made the change is left out (they saw the confirmation).
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Overleg, Plan, When
from planning.clock import Clock
from planning.meeting_changes.rules import (
    Add,
    Cancel,
    FixDay,
    MeetingChange,
    MeetingChangeError,
    MeetingChangeRefusal,
    Move,
    Notice,
    Request,
    describe,
)
from planning.membership.lookups import members_in_groups
from planning.membership.rules import in_audience
from planning.plan.store import load_plan
from planning.plan.tables import MeetingRow, OccurrenceChangeRow, OverlegRow

CHANGEABLE_AHEAD = timedelta(days=366)  # how far /wijzig lists meetings

__all__ = [
    "Add",
    "Cancel",
    "FixDay",
    "MeetingChange",
    "MeetingChangeError",
    "MeetingChangeRefusal",
    "Move",
    "Notice",
    "Request",
]

# ---------------------------------------------------------------------------- services


async def move_meeting(
    session: AsyncSession, clock: Clock, key: str, new_when: When
) -> MeetingChange:
    return await apply(session, clock, Move(key, new_when))


async def cancel_meeting(session: AsyncSession, clock: Clock, key: str) -> MeetingChange:
    return await apply(session, clock, Cancel(key))


async def fix_day(
    session: AsyncSession, clock: Clock, key: str, day: date, start: time | None = None
) -> MeetingChange:
    return await apply(session, clock, FixDay(key, day, start))


async def add_meeting(
    session: AsyncSession,
    clock: Clock,
    overleg_code: str,
    when: When,
    title: str | None = None,
    location: str | None = None,
) -> MeetingChange:
    """Add a meeting; its key (a new uid) is ``change.key``."""
    return await apply(session, clock, Add(overleg_code, when, title, location))


async def preview(session: AsyncSession, clock: Clock, request: Request) -> MeetingChange:
    """What ``request`` would change; raises :class:`MeetingChangeError`; stores nothing."""
    plan = await _plan(session)
    return describe(plan, request, _today(plan, clock), "new")


async def apply(session: AsyncSession, clock: Clock, request: Request) -> MeetingChange:
    """Store ``request`` and say what changed; raises :class:`MeetingChangeError`."""
    plan = await _plan(session)
    uid = str(uuid.uuid4())
    change = describe(plan, request, _today(plan, clock), uid)
    overleg_id = await session.scalar(
        select(OverlegRow.id).where(OverlegRow.code == change.meeting.after.overleg)
    )
    assert overleg_id is not None  # the plan was just read with this overleg in it
    before = change.meeting.before
    after = change.meeting.after
    if before is None:
        assert isinstance(request, Add)
        session.add(_new_row(uid, overleg_id, request))
    elif not any(meeting.uid == before.key for meeting in plan.meetings):
        await _store_occurrence(session, overleg_id, before, after)
    else:
        result = await session.execute(
            update(MeetingRow)
            .where(
                MeetingRow.uid == before.key,
                MeetingRow.sequence == before.sequence,
                MeetingRow.cancelled.is_(False),
            )
            .values(**_when_values(after.when), sequence=after.sequence, cancelled=after.cancelled)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise MeetingChangeError(MeetingChangeRefusal.STALE)
    return change


async def who_to_tell(
    session: AsyncSession, change: MeetingChange, *, actor: int | None = None
) -> list[Notice]:
    """The active members a change concerns, each with the entries that are theirs.

    A contact person hears that the AO moved, a petit comité member also that their petit
    comité moved with it. ``actor``, who made the change and was told already, is left out.
    """
    notices: list[Notice] = []
    for member in await members_in_groups(session, change.participants):
        if member.telegram_user_id == actor:
            continue
        concerns = tuple(item for item in change.all if in_audience(member, item.participants))
        if concerns:
            notices.append(Notice(member, concerns))
    return notices


async def changeable_meetings(session: AsyncSession, clock: Clock) -> list[CalendarEntry]:
    """Upcoming meetings a coordinator may change: not cancelled, not derived."""
    plan = await _plan(session)
    today = _today(plan, clock)
    return [
        entry
        for entry in entries(plan, today, today + CHANGEABLE_AHEAD)
        if entry.kind == "meeting" and not entry.cancelled and entry.derived_from is None
    ]


async def addable_overleggen(session: AsyncSession) -> list[Overleg]:
    """The overleggen a meeting can be added to: those whose meetings are not derived."""
    plan = await _plan(session)
    return [overleg for overleg in plan.overleggen if overleg.derived is None]


# ---------------------------------------------------------------------- storing


async def _plan(session: AsyncSession) -> Plan:
    plan = await load_plan(session)
    if plan is None:
        raise MeetingChangeError(MeetingChangeRefusal.NO_PLAN)
    return plan


def _today(plan: Plan, clock: Clock) -> date:
    return clock.now().astimezone(plan.zone).date()


def _when_values(when: When) -> dict[str, object]:
    return {
        "day": when.day,
        "month": str(when.month) if when.month else None,
        "start": when.start,
        "end": when.end,
    }


def _new_row(uid: str, overleg_id: int, request: Add) -> MeetingRow:
    return MeetingRow(
        uid=uid,
        overleg_id=overleg_id,
        title=request.title,
        location=request.location,
        own_participants=False,
        sequence=0,
        cancelled=False,
        **_when_values(request.when),
    )


async def _store_occurrence(
    session: AsyncSession, overleg_id: int, before: CalendarEntry, after: CalendarEntry
) -> None:
    """Upsert the occurrence change, refusing when its sequence moved on since the preview."""
    original = date.fromisoformat(before.key.rpartition("@")[2])
    row = await session.scalar(
        select(OccurrenceChangeRow).where(
            OccurrenceChangeRow.overleg_id == overleg_id,
            OccurrenceChangeRow.original_day == original,
        )
    )
    if (row.sequence if row is not None else 0) != before.sequence:
        raise MeetingChangeError(MeetingChangeRefusal.STALE)
    if row is None:
        row = OccurrenceChangeRow(overleg_id=overleg_id, original_day=original)
        session.add(row)
    moved = None if after.cancelled else after.when
    row.day = moved.day if moved else None
    row.start = moved.start if moved else None
    row.end = moved.end if moved else None
    row.sequence = after.sequence
