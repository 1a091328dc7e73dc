"""A recorded newsletter issue until it starts: approving, rejecting, moving, cancelling and
claiming its start.

An issue is recorded awaiting approval (``OVERLEGBOT_NEWSLETTER_APPROVAL=true``), scheduled
(approved, or needing none) or sent at once (:func:`planning.newsletters.issues.record_issue`).
Each step here is one conditional UPDATE on the status (and, for a decision, the revision the
button was shown for): of two presses at the same moment, on SQLite as on PostgreSQL, one
changes the row and the other gets :data:`IssueProblem.STALE`. Starting is claimed the same way
(scheduled to sent), so an issue is queued for its audience once however many runs find it due.

Who made an issue as it stands (composed it, or moved it last: ``changed_by``) cannot approve
it; another coordinator can. A cancelled or rejected issue gives its kopij back to the set
aside, for the next issue.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.newsletters.issues import (
    Issue,
    IssueError,
    IssueProblem,
    check_coordinator,
    stored_audience,
)
from planning.newsletters.rules import checked_reason
from planning.newsletters.services import KopijView, kopij_by_ids
from planning.newsletters.tables import (
    IssueStatus,
    KopijRow,
    KopijStatus,
    NewsletterIssueRow,
    NewsletterKopijRow,
)

# Not started yet: may still be moved or cancelled.
WAITING = (IssueStatus.AWAITING_APPROVAL, IssueStatus.SCHEDULED)


@dataclass(frozen=True)
class StoredIssue:
    """A recorded issue: its content as composed, where it stands, and who did what."""

    id: int
    issue: Issue
    kopij: tuple[KopijView, ...]
    status: IssueStatus
    send_at: datetime | None  # None: at once (when approved)
    revision: int
    sent_by: int  # its composer
    changed_by: int  # who made it as it stands
    decided_by: int | None
    reason: str | None


async def stored_issue(session: AsyncSession, issue_id: int) -> StoredIssue | None:
    row = await session.get(NewsletterIssueRow, issue_id, populate_existing=True)
    if row is None:
        return None
    [stored] = await _stored(session, [row])
    return stored


async def waiting_issues(session: AsyncSession) -> list[StoredIssue]:
    """The issues not started yet (awaiting approval or scheduled), the soonest first."""
    rows = await session.scalars(
        select(NewsletterIssueRow)
        .where(NewsletterIssueRow.status.in_(WAITING))
        .order_by(NewsletterIssueRow.send_at.is_not(None), NewsletterIssueRow.send_at)
        .order_by(NewsletterIssueRow.id)
    )
    return await _stored(session, list(rows))


async def approve(
    session: AsyncSession, clock: Clock, coordinator_id: int, issue_id: int, revision: int
) -> StoredIssue:
    """Approve revision ``revision`` of an issue awaiting approval: it is scheduled, for its
    moment or (none chosen) for now. Raise :class:`IssueError`."""
    await _check_decider(session, coordinator_id, issue_id)
    now = clock.now()
    # The moment changes only with the revision, which the UPDATE checks: read it first.
    send_at = await session.scalar(
        select(NewsletterIssueRow.send_at).where(NewsletterIssueRow.id == issue_id)
    )
    await _change(
        session,
        issue_id,
        (IssueStatus.AWAITING_APPROVAL,),
        revision,
        status=IssueStatus.SCHEDULED,
        send_at=send_at or now,
        decided_by=coordinator_id,
        decided_at=now,
    )
    return await _found(session, issue_id)


async def reject(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    revision: int,
    reason: str | None,
) -> StoredIssue:
    """Reject revision ``revision`` of an issue awaiting approval, with an optional reason for
    its composer; its kopij goes back to the set aside. Raise :class:`IssueError`."""
    await _check_decider(session, coordinator_id, issue_id)
    await _change(
        session,
        issue_id,
        (IssueStatus.AWAITING_APPROVAL,),
        revision,
        status=IssueStatus.REJECTED,
        decided_by=coordinator_id,
        decided_at=clock.now(),
        reason=checked_reason(reason),
    )
    await _give_back_kopij(session, issue_id)
    return await _found(session, issue_id)


async def cancel(
    session: AsyncSession, clock: Clock, coordinator_id: int, issue_id: int
) -> StoredIssue:
    """Cancel an issue that has not started: it sends nothing, and its kopij goes back to the
    set aside. Any active coordinator may. Raise :class:`IssueError`."""
    await check_coordinator(session, coordinator_id)
    await _change(
        session,
        issue_id,
        WAITING,
        None,
        status=IssueStatus.CANCELLED,
        decided_by=coordinator_id,
        decided_at=clock.now(),
    )
    await _give_back_kopij(session, issue_id)
    return await _found(session, issue_id)


async def move(
    session: AsyncSession,
    coordinator_id: int,
    issue_id: int,
    send_at: datetime,
    *,
    approval: bool,
) -> StoredIssue:
    """Move an issue that has not started to ``send_at``: a new revision by this coordinator,
    which (``approval``) awaits approval again. Raise :class:`IssueError`."""
    return await _revise(session, coordinator_id, issue_id, approval, send_at=send_at)


async def rewrite(
    session: AsyncSession,
    coordinator_id: int,
    issue_id: int,
    text: str,
    *,
    approval: bool,
) -> StoredIssue:
    """Give an issue that has not started a new text (Telegram HTML, checked by
    :func:`~planning.newsletters.issues.checked_text`): a new revision by this coordinator, as
    :func:`move`. Raise :class:`IssueError`."""
    return await _revise(session, coordinator_id, issue_id, approval, text=text)


async def _revise(
    session: AsyncSession, coordinator_id: int, issue_id: int, approval: bool, **values: object
) -> StoredIssue:
    await check_coordinator(session, coordinator_id)
    await _change(
        session,
        issue_id,
        WAITING,
        None,
        status=IssueStatus.AWAITING_APPROVAL if approval else IssueStatus.SCHEDULED,
        revision=NewsletterIssueRow.revision + 1,
        changed_by=coordinator_id,
        decided_by=None,
        decided_at=None,
        **values,
    )
    return await _found(session, issue_id)


async def due_issues(session: AsyncSession, now: datetime) -> list[int]:
    """The scheduled issues whose moment has come, oldest moment first."""
    ids = await session.scalars(
        select(NewsletterIssueRow.id)
        .where(
            NewsletterIssueRow.status == IssueStatus.SCHEDULED,
            NewsletterIssueRow.send_at <= now,
        )
        .order_by(NewsletterIssueRow.send_at, NewsletterIssueRow.id)
    )
    return list(ids)


async def next_start(session: AsyncSession) -> datetime | None:
    """The earliest moment a scheduled issue starts, for the outbox job's next wake."""
    return await session.scalar(
        select(func.min(NewsletterIssueRow.send_at)).where(
            NewsletterIssueRow.status == IssueStatus.SCHEDULED
        )
    )


async def claim_start(session: AsyncSession, clock: Clock, issue_id: int) -> bool:
    """Mark a scheduled issue whose moment has come as sent (started now); False when it is
    not (any more): started by another run, moved, cancelled."""
    now = clock.now()
    claimed = await session.execute(
        update(NewsletterIssueRow)
        .where(
            NewsletterIssueRow.id == issue_id,
            NewsletterIssueRow.status == IssueStatus.SCHEDULED,
            NewsletterIssueRow.send_at <= now,
        )
        .values(status=IssueStatus.SENT, sent_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


async def set_recipients(session: AsyncSession, issue_id: int, count: int) -> None:
    await session.execute(
        update(NewsletterIssueRow)
        .where(NewsletterIssueRow.id == issue_id)
        .values(recipients=count)
        .execution_options(synchronize_session=False)
    )


async def _check_decider(session: AsyncSession, coordinator_id: int, issue_id: int) -> None:
    await check_coordinator(session, coordinator_id)
    changed_by = await session.scalar(
        select(NewsletterIssueRow.changed_by).where(NewsletterIssueRow.id == issue_id)
    )
    if changed_by == coordinator_id:
        raise IssueError(IssueProblem.OWN_ISSUE)


async def _change(
    session: AsyncSession,
    issue_id: int,
    statuses: Sequence[IssueStatus],
    at_revision: int | None,
    **values: object,
) -> None:
    """One conditional UPDATE: the issue in one of ``statuses`` (and at ``revision``), or
    :data:`IssueProblem.STALE`."""
    where = [NewsletterIssueRow.id == issue_id, NewsletterIssueRow.status.in_(statuses)]
    if at_revision is not None:
        where.append(NewsletterIssueRow.revision == at_revision)
    changed = await session.execute(
        update(NewsletterIssueRow)
        .where(*where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise IssueError(IssueProblem.STALE)


async def _give_back_kopij(session: AsyncSession, issue_id: int) -> None:
    """The issue's kopij is set aside again and no longer in it."""
    ids = list(
        await session.scalars(
            select(NewsletterKopijRow.kopij_id).where(NewsletterKopijRow.issue_id == issue_id)
        )
    )
    if not ids:
        return
    await session.execute(
        update(KopijRow)
        .where(KopijRow.id.in_(ids), KopijRow.status == KopijStatus.INCLUDED)
        .values(status=KopijStatus.SET_ASIDE)
        .execution_options(synchronize_session=False)
    )
    await session.execute(delete(NewsletterKopijRow).where(NewsletterKopijRow.issue_id == issue_id))


async def _found(session: AsyncSession, issue_id: int) -> StoredIssue:
    stored = await stored_issue(session, issue_id)
    assert stored is not None  # just changed in this transaction
    return stored


async def _stored(session: AsyncSession, rows: Sequence[NewsletterIssueRow]) -> list[StoredIssue]:
    positions = await session.execute(
        select(NewsletterKopijRow.issue_id, NewsletterKopijRow.kopij_id)
        .where(NewsletterKopijRow.issue_id.in_([row.id for row in rows]))
        .order_by(NewsletterKopijRow.issue_id, NewsletterKopijRow.position)
    )
    kopij_of: dict[int, list[int]] = {}
    for issue_id, kopij_id in positions:
        kopij_of.setdefault(issue_id, []).append(kopij_id)
    views = {
        view.id: view
        for view in await kopij_by_ids(session, [k for ids in kopij_of.values() for k in ids])
    }
    found = []
    for row in rows:
        kopij = tuple(views[k] for k in kopij_of.get(row.id, []) if k in views)
        issue = Issue(
            key=row.draft_key,
            title=row.title,
            text=row.text,
            media_kind=row.media_kind,
            media_file_id=row.media_file_id,
            kopij_ids=tuple(item.id for item in kopij),
            audience=stored_audience(row.audience),
        )
        found.append(
            StoredIssue(
                id=row.id,
                issue=issue,
                kopij=kopij,
                status=IssueStatus(row.status),
                send_at=row.send_at,
                revision=row.revision,
                sent_by=row.sent_by,
                changed_by=row.changed_by if row.changed_by is not None else row.sent_by,
                decided_by=row.decided_by,
                reason=row.reason,
            )
        )
    return found
