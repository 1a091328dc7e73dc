"""Product status: members mark a milestone done or give it a new date, and the history is kept.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.

Decisions:

- Who may: active members of the product's owner organisation (``verantwoordelijk``) and
  coordinators. Anyone else gets :class:`MilestoneError` with ``NOT_ALLOWED``; the check is made
  here, in the same unit of work as the change, so no handler can forget it.
- Every change adds a :class:`~planning.plan.tables.MilestoneChangeRow` (who, when, old and new
  moment as ``2011-05`` or ``2011-05-31``, and the reason), so the history answers "who moved
  this and why" long after the plan file was edited.
- A new date needs a reason: that is what the history is for. A done milestone is not moved
  or marked again; a new date in the past is refused.
- The milestones offered to a member are the open ones (not done), overdue ones included, since
  a March milestone still open in April is exactly the one to mark.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.calendar.model import When, YearMonth
from planning.clock import Clock
from planning.membership.lookups import active_member
from planning.membership.tables import MemberRow
from planning.plan.store import plan_today
from planning.plan.tables import MilestoneChangeRow, MilestoneRow, ProductRow
from planning.typed_text import clean_block


class MilestoneRefusal(enum.StrEnum):
    UNKNOWN = "unknown"
    NOT_ALLOWED = "not_allowed"
    DONE_ALREADY = "done_already"
    NO_REASON = "no_reason"
    IN_PAST = "in_past"
    UNCHANGED = "unchanged"


class MilestoneError(Exception):
    def __init__(self, reason: MilestoneRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


class MilestoneAction(enum.StrEnum):
    DONE = "done"
    MOVED = "moved"


@dataclass(frozen=True)
class MilestoneView:
    """A milestone as a member sees it: which product, what, by when, whose."""

    uid: str
    product: str
    owner: str  # organisation name
    description: str
    when: When
    done: bool


@dataclass(frozen=True)
class HistoryLine:
    at: str  # ISO UTC moment
    by_telegram_user_id: int | None
    action: str
    old_when: str | None
    new_when: str | None
    reason: str | None


async def open_milestones(session: AsyncSession, telegram_user_id: int) -> list[MilestoneView]:
    """The milestones not yet done that this member may change, earliest first."""
    member = await active_member(session, telegram_user_id)
    if member is None:
        return []
    rows = (await session.scalars(select(MilestoneRow).where(MilestoneRow.done.is_(False)))).all()
    views = [_view(row) for row in rows if _may_change(member, row)]
    return sorted(views, key=lambda view: (view.when.latest_day, view.product, view.uid))


async def milestone(session: AsyncSession, uid: str) -> MilestoneView:
    """The milestone with this uid; raises :class:`MilestoneError` (``UNKNOWN``) if none."""
    return _view(await _milestone(session, uid))


async def mark_done(
    session: AsyncSession, clock: Clock, milestone_uid: str, by_telegram_user_id: int
) -> MilestoneView:
    """Mark a milestone done and record who did it."""
    row = await _changeable(session, milestone_uid, by_telegram_user_id)
    row.done = True
    _record(session, clock, row, by_telegram_user_id, MilestoneAction.DONE, _when_text(row))
    return _view(row)


async def reschedule(
    session: AsyncSession,
    clock: Clock,
    milestone_uid: str,
    new_when: When,
    reason: str,
    by_telegram_user_id: int,
) -> MilestoneView:
    """Give a milestone a new day or month, with the reason, and record it."""
    reason = clean_block(reason)
    if not reason:
        raise MilestoneError(MilestoneRefusal.NO_REASON)
    row = await _changeable(session, milestone_uid, by_telegram_user_id)
    check_new_date(_view(row), new_when, await plan_today(session, clock))
    old = _when_text(row)
    row.day = new_when.day
    row.month = str(new_when.month) if new_when.month else None
    _record(session, clock, row, by_telegram_user_id, MilestoneAction.MOVED, old, reason)
    return _view(row)


def _record(
    session: AsyncSession,
    clock: Clock,
    row: MilestoneRow,
    by_telegram_user_id: int,
    action: MilestoneAction,
    old_when: str,
    reason: str | None = None,
) -> None:
    """Add the change just made to ``row`` to its history."""
    session.add(
        MilestoneChangeRow(
            milestone_id=row.id,
            at=clock.now(),
            by_telegram_user_id=by_telegram_user_id,
            action=action.value,
            old_when=old_when,
            new_when=_when_text(row),
            reason=reason,
        )
    )


async def history(session: AsyncSession, milestone_uid: str) -> list[HistoryLine]:
    """What happened to a milestone, oldest first."""
    row = await _milestone(session, milestone_uid)
    changes = await session.scalars(
        select(MilestoneChangeRow)
        .where(MilestoneChangeRow.milestone_id == row.id)
        .order_by(MilestoneChangeRow.at, MilestoneChangeRow.id)
    )
    return [
        HistoryLine(
            change.at.isoformat(),
            change.by_telegram_user_id,
            change.action,
            change.old_when,
            change.new_when,
            change.reason,
        )
        for change in changes
    ]


def check_new_date(view: MilestoneView, new_when: When, today: date) -> None:
    """Refuse a new date that is in the past or no change; the bot asks again at once."""
    if new_when.latest_day < today:
        raise MilestoneError(MilestoneRefusal.IN_PAST)
    if new_when == view.when:
        raise MilestoneError(MilestoneRefusal.UNCHANGED)


def when_of(text: str) -> When:
    """A history's ``2011-05`` or ``2011-05-31`` as a :class:`When`, for showing in Dutch."""
    if len(text) == 7:
        return When(month=YearMonth.parse(text))
    return When(day=date.fromisoformat(text))


async def _changeable(session: AsyncSession, uid: str, telegram_user_id: int) -> MilestoneRow:
    row = await _milestone(session, uid)
    member = await active_member(session, telegram_user_id)
    if member is None or not _may_change(member, row):
        raise MilestoneError(MilestoneRefusal.NOT_ALLOWED)
    if row.done:
        raise MilestoneError(MilestoneRefusal.DONE_ALREADY)
    return row


def _may_change(member: MemberRow, row: MilestoneRow) -> bool:
    return member.is_coordinator or member.organisation_id == row.product.owner_id


async def _milestone(session: AsyncSession, uid: str) -> MilestoneRow:
    row = await session.scalar(select(MilestoneRow).where(MilestoneRow.uid == uid))
    if row is None:
        raise MilestoneError(MilestoneRefusal.UNKNOWN)
    return row


def _when_text(row: MilestoneRow) -> str:
    return row.day.isoformat() if row.day is not None else str(row.month)


def _view(row: MilestoneRow) -> MilestoneView:
    product: ProductRow = row.product
    when = When(day=row.day) if row.day is not None else When(month=YearMonth.parse(str(row.month)))
    return MilestoneView(row.uid, product.name, product.owner.name, row.description, when, row.done)
