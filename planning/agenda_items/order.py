"""Putting a meeting's accepted items in order before publishing: a coordinator moves one up
or down, and the numbers follow (docs/decisions/agenda-items.md).

A move swaps the positions of the item and its accepted neighbour in one unit of work. The
unique (meeting, position) constraint holds at every statement, so the item steps aside to no
position first. Both rows are locked in the order of their ids before anything changes (two
coordinators moving the same pair in opposite directions cannot deadlock), and every update
is conditional on the position read: a move that finds the order changed under it raises
:class:`~planning.db.Conflict` and is tried again on the order as it is then. The set of
positions never changes, so the order stays a clean sequence whatever presses meet.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.publication import AgendaDraft, live_meeting, load_draft
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.services import coordinator
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus
from planning.clock import Clock
from planning.db import Conflict


async def move_item(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    meeting_key: str,
    item_id: int,
    up: bool,
) -> AgendaDraft:
    """Move an accepted item one place up (``up``) or down on the meeting's agenda and return
    the agenda as it then stands. The first item up, or the last down, stays where it is.

    NOT_COORDINATOR, UNKNOWN_ITEM (no accepted item of this meeting), NOT_OPEN (the meeting is
    cancelled or over).
    """
    await coordinator(session, coordinator_id)
    meeting = await live_meeting(session, clock, meeting_key)
    row = await session.get(AgendaItemRow, item_id)
    if (
        row is None
        or row.meeting_key != meeting_key
        or row.status != AgendaItemStatus.ACCEPTED
        or row.position is None
    ):
        raise AgendaItemError(AgendaItemRefusal.UNKNOWN_ITEM)
    nearer = AgendaItemRow.position < row.position if up else AgendaItemRow.position > row.position
    neighbour = await session.scalar(
        select(AgendaItemRow)
        .where(
            AgendaItemRow.meeting_key == row.meeting_key,
            AgendaItemRow.status == AgendaItemStatus.ACCEPTED,
            nearer,
        )
        .order_by(AgendaItemRow.position.desc() if up else AgendaItemRow.position.asc())
        .limit(1)
    )
    if neighbour is not None:
        await _swap(session, row, neighbour)
    return await load_draft(session, meeting)


async def _swap(session: AsyncSession, first: AgendaItemRow, second: AgendaItemRow) -> None:
    """Exchange the two items' positions, or raise Conflict if either moved meanwhile."""
    read = {first.id: first.position, second.id: second.position}
    locked = await session.execute(
        select(AgendaItemRow.id, AgendaItemRow.position)
        .where(AgendaItemRow.id.in_(read))
        .order_by(AgendaItemRow.id)
        .with_for_update()
    )
    if {item_id: position for item_id, position in locked} != read:
        raise Conflict
    steps = [
        (first.id, first.position, None),
        (second.id, second.position, first.position),
        (first.id, None, second.position),
    ]
    try:
        for item_id, was, becomes in steps:
            at = AgendaItemRow.position.is_(None) if was is None else AgendaItemRow.position == was
            result = await session.execute(
                update(AgendaItemRow)
                .where(
                    AgendaItemRow.id == item_id,
                    AgendaItemRow.status == AgendaItemStatus.ACCEPTED,
                    at,
                )
                .values(position=becomes)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise Conflict
    except IntegrityError as taken:
        raise Conflict from taken
    # The rows in this session still hold the old positions; the agenda is read afresh.
    session.expire(first)
    session.expire(second)
