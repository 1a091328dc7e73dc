"""Agenda items (agendapunten): members submit points for a meeting, coordinators review them.

Service functions take the session and never commit (:meth:`planning.db.Database.run`
commits). What a person can get wrong is raised as
:class:`~planning.agenda_items.rules.AgendaItemError`; what leaves this module is plain data
(:class:`~planning.agenda_items.views.AgendaItemView`, :class:`OpenMeeting`). The rules of who
may submit for which meeting until when are in :mod:`planning.agenda_items.rules`; here:

- **Statuses**: waiting, then accepted or declined by a reviewer (final: a second review
  returns what happened instead of changing it), or withdrawn by the submitter while waiting.
  An accepted item gets the next ``position`` on its meeting's agenda (order of acceptance).
- Items are tied to the meeting's :attr:`CalendarEntry.key`, stable across moves; a cancelled
  meeting's items stay for the coordinators to see, but the meeting is not offered any more.
  Items of a meeting that is over (:func:`planning.calendar.listings.is_over`) leave the lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.call import call_reference
from planning.agenda_items.reviewing import ReviewOutcome, clean_reason, reviewer_of, still_shown
from planning.agenda_items.rules import (
    AgendaItemError,
    AgendaItemRefusal,
    OpenMeeting,
    clean_explanation,
    clean_title,
    may_attend,
    offered_meetings,
    open_calendar,
)
from planning.agenda_items.tables import AgendaItemKind, AgendaItemRow, AgendaItemStatus
from planning.agenda_items.views import (
    AgendaItemView,
    meeting_index,
    people,
    upcoming_views,
    view,
    views,
)
from planning.calendar.model import Plan
from planning.clock import Clock
from planning.db import Conflict, in_chunks
from planning.membership.lookups import find_member
from planning.membership.tables import MemberRow
from planning.plan.store import load_plan


async def open_meetings(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> list[OpenMeeting]:
    """The meetings this member may submit items for now: per overleg the first open one."""
    member = await find_member(session, telegram_user_id)
    plan = await load_plan(session)
    if member is None or not member.is_active or plan is None:
        return []
    return offered_meetings(member, plan, clock.now())


async def called_meeting(
    session: AsyncSession, clock: Clock, telegram_user_id: int, reference: str
) -> OpenMeeting | None:
    """The meeting a call's button names (:func:`planning.agenda_items.call.call_reference`),
    if its agenda is still open and this member may submit for it; else None."""
    member = await find_member(session, telegram_user_id)
    plan = await load_plan(session)
    if member is None or not member.is_active or plan is None:
        return None
    return next(
        (
            meeting
            for meeting in open_calendar(plan, clock.now())
            if call_reference(meeting.entry.key) == reference and may_attend(member, meeting.entry)
        ),
        None,
    )


async def submit(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    meeting_key: str,
    title: str,
    explanation: str | None,
    kind: AgendaItemKind = AgendaItemKind.DISCUSSION,
) -> AgendaItemView:
    """Store a new waiting item of ``kind``; refused when the member may not or the agenda
    closed.

    Any meeting whose agenda is open may be chosen (not only the offered one), so a draft made
    for one meeting is refused only when that meeting's agenda closed in the meantime.
    """
    now = clock.now()
    plan = await load_plan(session)
    member = await find_member(session, telegram_user_id)
    if member is None or not member.is_active:
        raise AgendaItemError(AgendaItemRefusal.NOT_MEMBER)
    meeting = _open_meeting(plan, now, meeting_key)
    if meeting is not None and not may_attend(member, meeting.entry):
        raise AgendaItemError(AgendaItemRefusal.NOT_MEMBER)
    if meeting is None:
        raise AgendaItemError(AgendaItemRefusal.NOT_OPEN)
    row = AgendaItemRow(
        meeting_key=meeting_key,
        overleg_code=meeting.entry.overleg or "",
        title=clean_title(title),
        explanation=clean_explanation(explanation),
        kind=kind,
        submitted_by=telegram_user_id,
        submitted_at=now,
        status=AgendaItemStatus.WAITING,
    )
    session.add(row)
    await session.flush()  # the item's id, for the notice's key and buttons
    return view(row, {telegram_user_id: member}, {meeting_key: meeting.entry})


def _open_meeting(plan: Plan | None, now: datetime, meeting_key: str) -> OpenMeeting | None:
    if plan is None:
        return None
    return next((m for m in open_calendar(plan, now) if m.entry.key == meeting_key), None)


async def withdraw_item(
    session: AsyncSession, clock: Clock, telegram_user_id: int, item_id: int
) -> AgendaItemView:
    """The submitter takes back an own item that is still waiting.

    UNKNOWN_ITEM for someone else's item (as for one that does not exist: nothing to tell),
    NOT_WAITING once it was reviewed or withdrawn.
    """
    row = await session.get(AgendaItemRow, item_id)
    if row is None or row.submitted_by != telegram_user_id:
        raise AgendaItemError(AgendaItemRefusal.UNKNOWN_ITEM)
    # Conditional, like a review: a coordinator's press at the same moment wins or loses as a
    # whole.
    result = await session.execute(
        update(AgendaItemRow)
        .where(AgendaItemRow.id == item_id, AgendaItemRow.status == AgendaItemStatus.WAITING)
        .values(status=AgendaItemStatus.WITHDRAWN, reviewed_at=clock.now())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise AgendaItemError(AgendaItemRefusal.NOT_WAITING)
    await session.refresh(row)
    return (await views(session, clock, [row]))[0]


async def my_items(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> list[AgendaItemView]:
    """The member's own items for meetings that are not over (any status), by meeting; within
    one, those on its agenda by number, then the rest by submission."""
    rows = list(
        await session.scalars(
            select(AgendaItemRow)
            .where(AgendaItemRow.submitted_by == telegram_user_id)
            .order_by(
                AgendaItemRow.position.is_(None),
                AgendaItemRow.position,
                AgendaItemRow.submitted_at,
                AgendaItemRow.id,
            )
        )
    )
    return await upcoming_views(session, clock, rows)


async def waiting_items(session: AsyncSession, clock: Clock) -> list[AgendaItemView]:
    """The coordinators' review list: waiting items of meetings that are not over (cancelled
    ones too, flagged), by meeting, then by submission."""
    rows = list(
        await session.scalars(
            select(AgendaItemRow)
            .where(AgendaItemRow.status == AgendaItemStatus.WAITING)
            .order_by(AgendaItemRow.submitted_at, AgendaItemRow.id)
        )
    )
    return await upcoming_views(session, clock, rows)


async def review(
    session: AsyncSession,
    clock: Clock,
    reviewer_id: int,
    item_id: int,
    accept: bool,
    reason: str | None = None,
    shown_for: str | None = None,
) -> ReviewOutcome:
    """Accept (onto the agenda, next position) or decline (with an optional ``reason``) a
    waiting item; final.

    Refuses someone who may not review this item (NOT_REVIEWER, see
    :func:`planning.agenda_items.reviewing.may_review`), unknown items and a reason too long.
    The update is conditional on the item still waiting at the same meeting, so of two presses
    at once exactly one decides; the other gets the decision back with ``changed`` False, as
    does a press on a button shown for another meeting (``shown_for``, the item was moved).
    Two acceptances for one meeting at once cannot take the same number: the second raises
    :class:`Conflict` and is tried again.
    """
    _reviewer, row = await reviewer_of(session, reviewer_id, item_id)
    values: dict[str, object] = {"reviewed_by": reviewer_id, "reviewed_at": clock.now()}
    if accept:
        highest = await session.scalar(
            select(func.max(AgendaItemRow.position)).where(
                AgendaItemRow.meeting_key == row.meeting_key
            )
        )
        values |= {"status": AgendaItemStatus.ACCEPTED, "position": (highest or 0) + 1}
    else:
        values |= {"status": AgendaItemStatus.DECLINED, "decline_reason": clean_reason(reason)}
    changed = False
    if still_shown(row.meeting_key, shown_for):
        try:
            result = await session.execute(
                update(AgendaItemRow)
                .where(
                    AgendaItemRow.id == item_id,
                    AgendaItemRow.status == AgendaItemStatus.WAITING,
                    AgendaItemRow.meeting_key == row.meeting_key,
                )
                .values(**values)
            )
        except IntegrityError as taken:  # another acceptance took the number: count again
            raise Conflict from taken
        changed = result.rowcount == 1  # type: ignore[attr-defined]
    await session.refresh(row)
    item = view(row, await people(session, [row]), await meeting_index(session, clock))
    return ReviewOutcome(item, changed=changed)


async def agenda_of(
    session: AsyncSession, meeting_keys: Iterable[str]
) -> dict[str, list[AgendaItemView]]:
    """The accepted items of these meetings by position; meetings without any are left out."""
    return await _of(session, meeting_keys, AgendaItemStatus.ACCEPTED)


async def waiting_for(
    session: AsyncSession, meeting_keys: Iterable[str]
) -> dict[str, list[AgendaItemView]]:
    """The waiting items of these meetings by submission; meetings without any are left out."""
    return await _of(session, meeting_keys, AgendaItemStatus.WAITING)


async def _of(
    session: AsyncSession, meeting_keys: Iterable[str], status: AgendaItemStatus
) -> dict[str, list[AgendaItemView]]:
    keys = sorted(set(meeting_keys))
    if not keys:
        return {}
    order = (
        (AgendaItemRow.position,)
        if status == AgendaItemStatus.ACCEPTED
        else (AgendaItemRow.submitted_at, AgendaItemRow.id)
    )
    rows: list[AgendaItemRow] = []
    for chunk in in_chunks(keys):
        rows += await session.scalars(
            select(AgendaItemRow)
            .where(AgendaItemRow.meeting_key.in_(chunk))
            .where(AgendaItemRow.status == status)
            .order_by(*order)
        )
    found = await people(session, rows)
    items: dict[str, list[AgendaItemView]] = {}
    for row in rows:
        items.setdefault(row.meeting_key, []).append(view(row, found, {}))
    return items


async def accepted_meeting_keys(session: AsyncSession) -> set[str]:
    """The keys of the meetings that have accepted items (/publiceer, /afgehandeld, the
    rollover)."""
    query = select(AgendaItemRow.meeting_key).where(
        AgendaItemRow.status == AgendaItemStatus.ACCEPTED
    )
    return set(await session.scalars(query.distinct()))


async def coordinator(session: AsyncSession, telegram_user_id: int) -> MemberRow:
    """The active coordinator with this id; anyone else is refused (NOT_COORDINATOR)."""
    member = await find_member(session, telegram_user_id)
    if member is None or not member.is_active or not member.is_coordinator:
        raise AgendaItemError(AgendaItemRefusal.NOT_COORDINATOR)
    return member
