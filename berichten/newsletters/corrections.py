"""Correcting and withdrawing a sent issue, through the outbox.

Every copy of an issue is an outbox row keyed ``newsletter:<id>|<member>|<part>``
(:mod:`berichten.newsletters.issues`). In the unit of work that records the correction or the
withdrawal (:mod:`planning.newsletters.after_sending`):

- **a correction** compares the issue's messages before and after, part by part. A copy still
  queued (a member on pause, a send still going on) is given the corrected text; one sent or
  being sent gets an edit row, ``newsletter_edit:<id>.<version>|<member>|<part>``, that edits it
  once delivered (:mod:`berichten.outbox.operations`). Keys are unique per version: a correction
  is queued once, and a later one edits the same messages again, after it. A correction must
  keep the issue's messages (as many, the same files): Telegram edits a message, it cannot add
  one (:data:`IssueProblem.SHAPE`).
- **a withdrawal** stops every copy and edit still queued and queues a delete for each copy sent
  or being sent, ``newsletter_delete:<id>|<member>|<part>``. A copy older than Telegram's 48
  hours is not tried (the outbox skips it as too old); the report says so.

Both go at newsletter priority, paced and retried like the send, and survive a restart. Each
is a line in the audit log, in the same unit of work: who, which issue, to how many members
(copies edited or given the corrected text; copies deleted or stopped), and the title.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.newsletters.issues import ISSUE_KIND, Part, issue_parts, parts_by_key
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Operation, OutboxMessageRow, OutboxStatus, Priority
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.newsletters.after_sending import (
    ProgressMessage,
    SentIssue,
    correctable,
    record_correction,
    record_withdrawal,
)
from planning.newsletters.archive import archived_issue
from planning.newsletters.issues import IssueError, IssueProblem, checked_text

EDIT_KIND = "newsletter_edit"
DELETE_KIND = "newsletter_delete"
WITHDRAWN = "withdrawn by a coordinator"


def copies_prefix(issue_id: int) -> str:
    """The start of the keys of an issue's copies."""
    return f"{ISSUE_KIND}:{issue_id}|"


def edits_prefix(issue_id: int, version: int) -> str:
    """The start of the keys of the edits that bring copies to ``version``."""
    return f"{EDIT_KIND}:{issue_id}.{version}|"


def deletes_prefix(issue_id: int) -> str:
    """The start of the keys of the deletes of an issue's copies."""
    return f"{DELETE_KIND}:{issue_id}|"


@dataclasses.dataclass(frozen=True)
class Copy:
    """One copy of an issue in the outbox: its key, member, part and where it stands."""

    key: str
    recipient: int
    part: str  # the end of its key: part-1, part-1|text-2
    status: str


async def copies(session: AsyncSession, issue_id: int) -> list[Copy]:
    """Every copy of the issue the outbox holds, in the order queued."""
    prefix = copies_prefix(issue_id)
    rows = await session.execute(
        select(OutboxMessageRow.key, OutboxMessageRow.recipient, OutboxMessageRow.status)
        .where(OutboxMessageRow.key.startswith(prefix, autoescape=True))
        .order_by(OutboxMessageRow.id)
    )
    return [
        Copy(key, recipient, key.removeprefix(prefix).split("|", 1)[1], status)
        for key, recipient, status in rows
    ]


async def corrected_parts(
    session: AsyncSession, coordinator_id: int, issue_id: int, html: str, plain: str
) -> tuple[SentIssue, str, dict[str, Part]]:
    """The issue, the corrected text as kept, and the messages it changes (by the end of their
    keys); raise :class:`IssueError` when it may not or cannot be corrected so."""
    issue = await correctable(session, coordinator_id, issue_id)
    text = checked_text(html, plain)
    archived = await archived_issue(session, issue_id)
    assert archived is not None
    before = parts_by_key(issue_parts(archived.issue(), archived.kopij))
    corrected = dataclasses.replace(archived.issue(), text=text)
    after = parts_by_key(issue_parts(corrected, archived.kopij))
    if before.keys() != after.keys() or any(before[k].media != after[k].media for k in before):
        raise IssueError(IssueProblem.SHAPE)
    changed = {key: part for key, part in after.items() if part.text != before[key].text}
    if not changed:
        raise IssueError(IssueProblem.UNCHANGED)
    return issue, text, changed


async def correct_issue(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    version: int,
    html: str,
    plain: str,
    progress: ProgressMessage | None = None,
) -> SentIssue:
    """Record the correction of ``version`` (once) and queue it for every copy; see the module.
    Return the issue as corrected."""
    _issue, text, changed = await corrected_parts(session, coordinator_id, issue_id, html, plain)
    corrected = await record_correction(session, clock, issue_id, version, text, progress)
    queued = [copy for copy in await copies(session, issue_id) if copy.part in changed]
    rewritten: set[str] = set()
    for part, new in changed.items():
        keys = [copy.key for copy in queued if copy.part == part]
        rewritten |= await _rewrite_pending(session, keys, new.text)
    now = clock.now()
    edits = [
        NewMessage(
            key=f"{edits_prefix(issue_id, corrected.version)}{copy.recipient}|{copy.part}",
            kind=EDIT_KIND,
            recipient=copy.recipient,
            text=changed[copy.part].text,
            due_at=now,
            priority=Priority.NEWSLETTER,
            media=changed[copy.part].media,
            operation=Operation.EDIT,
            target_key=copy.key,
        )
        for copy in queued
        if copy.status in (OutboxStatus.SENT, OutboxStatus.SENDING, OutboxStatus.PENDING)
        and copy.key not in rewritten
    ]
    await enqueue(session, now, edits)
    reached = {copy.recipient for copy in queued if copy.key in rewritten} | {
        edit.recipient for edit in edits
    }
    await record(
        session,
        AuditAction.NEWSLETTER_CORRECTED,
        coordinator_id,
        Subject.newsletter(issue_id),
        at=now,
        count=len(reached),
        detail=corrected.title,
    )
    return corrected


async def _rewrite_pending(session: AsyncSession, keys: Sequence[str], text: str) -> set[str]:
    """Give the copies among ``keys`` still queued the corrected text; the keys rewritten.

    Conditional: a copy claimed meanwhile keeps its status and gets an edit instead."""
    if not keys:
        return set()
    result = await session.execute(
        update(OutboxMessageRow)
        .where(OutboxMessageRow.key.in_(keys), OutboxMessageRow.status == OutboxStatus.PENDING)
        .values(text=text)
        .returning(OutboxMessageRow.key)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


async def withdraw_issue(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    progress: ProgressMessage | None = None,
) -> SentIssue:
    """Record the withdrawal (once), stop what is still queued and queue a delete for every
    copy sent or being sent; see the module. Return the issue as withdrawn."""
    await correctable(session, coordinator_id, issue_id)
    withdrawn = await record_withdrawal(session, clock, issue_id, progress)
    row = OutboxMessageRow
    queued_edit = row.key.startswith(f"{EDIT_KIND}:{issue_id}.", autoescape=True)
    queued_copy = row.key.startswith(copies_prefix(issue_id), autoescape=True)
    stopped = await session.execute(
        update(row)
        .where(queued_copy | queued_edit, row.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, last_error=WITHDRAWN)
        .returning(row.recipient)
        .execution_options(synchronize_session=False)
    )
    reached = set(stopped.scalars())
    now = clock.now()
    deletes = [
        NewMessage(
            key=f"{deletes_prefix(issue_id)}{copy.recipient}|{copy.part}",
            kind=DELETE_KIND,
            recipient=copy.recipient,
            text="",
            due_at=now,
            priority=Priority.NEWSLETTER,
            operation=Operation.DELETE,
            target_key=copy.key,
        )
        for copy in await copies(session, issue_id)
        if copy.status in (OutboxStatus.SENT, OutboxStatus.SENDING)
    ]
    await enqueue(session, now, deletes)
    await record(
        session,
        AuditAction.NEWSLETTER_WITHDRAWN,
        coordinator_id,
        Subject.newsletter(issue_id),
        at=now,
        count=len(reached | {delete.recipient for delete in deletes}),
        detail=withdrawn.title,
    )
    return withdrawn
