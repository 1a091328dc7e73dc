"""Kopij: sending news in, deciding on it, and a member's own list.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
The notices that announce a change are queued by :mod:`berichten.newsletters.kopij` in the same
unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.membership.lookups import active_member
from planning.membership.tables import MemberRow, OrganisationRow
from planning.newsletters.rules import (
    DAY,
    PER_DAY,
    KopijError,
    KopijProblem,
    check_content,
    checked_reason,
    checked_title,
)
from planning.newsletters.tables import KopijRow, KopijStatus
from planning.typed_text import clean_block

# What /mijnnieuws lists: the latest items.
MINE_SHOWN = 10


@dataclass(frozen=True)
class KopijView:
    """One item as texts show it: plain data, with its sender's name and organisation."""

    id: int
    title: str
    kind: str
    text: str  # Telegram HTML
    file_id: str | None
    sent_by: int
    sender_name: str
    sender_organisation: str  # "" when unknown
    sent_at: datetime
    status: KopijStatus
    reason: str | None = None


@dataclass(frozen=True)
class Kopij:
    """What a member sent in, before it is checked."""

    title: str
    kind: str
    html: str  # the text or caption as Telegram HTML
    plain: str  # the same without markup, as Telegram counts it
    file_id: str | None = None


async def send_in(
    session: AsyncSession, clock: Clock, telegram_user_id: int, kopij: Kopij
) -> KopijView:
    """Store an active member's item, waiting for a coordinator; raise :class:`KopijError`."""
    member = await active_member(session, telegram_user_id)
    if member is None:
        raise KopijError(KopijProblem.NOT_A_MEMBER)
    title = checked_title(kopij.title)
    check_content(kopij.kind, kopij.plain, kopij.file_id)
    now = clock.now()
    recent = await session.scalar(
        select(func.count())
        .select_from(KopijRow)
        .where(KopijRow.sent_by == telegram_user_id, KopijRow.sent_at > now - DAY)
    )
    if (recent or 0) >= PER_DAY:
        raise KopijError(KopijProblem.TOO_MANY)
    row = KopijRow(
        title=title,
        kind=kopij.kind,
        text=clean_block(kopij.html),
        file_id=kopij.file_id,
        sent_by=telegram_user_id,
        sent_at=now,
        status=KopijStatus.WAITING,
    )
    session.add(row)
    await session.flush()
    return await _view(session, row)


async def decide(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    kopij_id: int,
    status: KopijStatus,
    reason: str | None = None,
) -> KopijView:
    """Record a coordinator's decision on a waiting item; the first decision stands.

    Two coordinators pressing at the same moment: a conditional UPDATE lets one through, the
    other gets :data:`KopijProblem.DECIDED`, on SQLite as on PostgreSQL.
    """
    coordinator = await active_member(session, coordinator_id)
    if coordinator is None or not coordinator.is_coordinator:
        raise KopijError(KopijProblem.NOT_COORDINATOR)
    if status is KopijStatus.WAITING:
        raise ValueError("a decision moves an item out of waiting")
    row = await session.get(KopijRow, kopij_id)
    if row is None:
        raise KopijError(KopijProblem.GONE)
    decided = await session.execute(
        update(KopijRow)
        .where(KopijRow.id == kopij_id, KopijRow.status == KopijStatus.WAITING)
        .values(
            status=status,
            decided_by=coordinator_id,
            decided_at=clock.now(),
            reason=checked_reason(reason) if status is KopijStatus.DECLINED else None,
        )
        .execution_options(synchronize_session="fetch")
    )
    if decided.rowcount != 1:  # type: ignore[attr-defined]
        raise KopijError(KopijProblem.DECIDED)
    await session.refresh(row)
    return await _view(session, row)


async def kopij_by_id(session: AsyncSession, kopij_id: int) -> KopijView | None:
    row = await session.get(KopijRow, kopij_id)
    return None if row is None else await _view(session, row)


async def mine(session: AsyncSession, telegram_user_id: int) -> list[KopijView]:
    """The member's latest items, newest first."""
    rows = await session.scalars(
        select(KopijRow)
        .where(KopijRow.sent_by == telegram_user_id)
        .order_by(KopijRow.sent_at.desc(), KopijRow.id.desc())
        .limit(MINE_SHOWN)
    )
    return await _views(session, list(rows))


async def kopij_by_ids(session: AsyncSession, kopij_ids: Sequence[int]) -> list[KopijView]:
    """The items with these ids, in the order given; an unknown id is left out."""
    rows = {
        row.id: row
        for row in await session.scalars(select(KopijRow).where(KopijRow.id.in_(list(kopij_ids))))
    }
    return await _views(session, [rows[i] for i in kopij_ids if i in rows])


async def _view(session: AsyncSession, row: KopijRow) -> KopijView:
    [view] = await _views(session, [row])
    return view


async def _views(session: AsyncSession, rows: Sequence[KopijRow]) -> list[KopijView]:
    """The rows as views, their senders' names and organisations read in one query."""
    senders = {row.sent_by for row in rows}
    found = await session.execute(
        select(MemberRow.telegram_user_id, MemberRow.name, OrganisationRow.name)
        .outerjoin(OrganisationRow, MemberRow.organisation_id == OrganisationRow.id)
        .where(MemberRow.telegram_user_id.in_(list(senders)))
    )
    names = {user_id: (name or "", organisation or "") for user_id, name, organisation in found}
    return [
        KopijView(
            id=row.id,
            title=row.title,
            kind=row.kind,
            text=row.text,
            file_id=row.file_id,
            sent_by=row.sent_by,
            sender_name=names.get(row.sent_by, ("", ""))[0],
            sender_organisation=names.get(row.sent_by, ("", ""))[1],
            sent_at=row.sent_at,
            status=KopijStatus(row.status),
            reason=row.reason,
        )
        for row in rows
    ]
