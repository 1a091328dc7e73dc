"""After an issue is sent: correcting its text, withdrawing it, and the message that shows the
coordinator how the latest of these goes.

Each is recorded once. A correction names the version it corrects and is stored only if the
issue is still at that version (a conditional UPDATE, on SQLite as on PostgreSQL): of two
presses, or two coordinators, one correction per version goes through, the other is told
:data:`IssueProblem.CHANGED`. A withdrawal is stored once likewise. The issue keeps the latest
text, so the archive and the export show the corrected one; a withdrawn issue leaves the
members' archive (:mod:`planning.newsletters.archive`).

The progress message is the coordinator's: the confirmation they pressed becomes it (its chat
and message are stored with the operation: "Nu versturen", the approver's "Goedkeuren", a
correction or withdrawal), or, for an issue nobody pressed for (a scheduled issue started by the
outbox job), the bot sends one to the coordinator who scheduled it. Only an issue sent (started)
can be corrected or withdrawn. Service functions take the session and never commit.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.newsletters.issues import IssueError, IssueProblem, check_coordinator
from planning.newsletters.tables import IssueStatus, NewsletterIssueRow

# (chat, message) of the coordinator's message that is to show the progress.
ProgressMessage = tuple[int, int]


class IssueOperation(enum.StrEnum):
    """The latest thing done with an issue, which its progress message reports."""

    SEND = "send"
    CORRECT = "correct"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class SentIssue:
    """An issue as it stands after sending, with its progress message."""

    id: int
    title: str
    text: str  # Telegram HTML, the latest version
    media_kind: str | None
    media_file_id: str | None
    version: int  # 1 as sent, one more per correction (not the lifecycle's ``revision``)
    sent_by: int
    scheduled_by: int  # who set its moment: the composer, or whoever moved it last
    sent: bool  # started: queued for its audience (not scheduled, awaiting or cancelled)
    withdrawn: bool
    progress_chat_id: int | None
    progress_message_id: int | None
    progress_text: str | None

    @property
    def operation(self) -> IssueOperation:
        if self.withdrawn:
            return IssueOperation.WITHDRAW
        return IssueOperation.CORRECT if self.version > 1 else IssueOperation.SEND


def _sent(row: NewsletterIssueRow) -> SentIssue:
    return SentIssue(
        id=row.id,
        title=row.title,
        text=row.text,
        media_kind=row.media_kind,
        media_file_id=row.media_file_id,
        version=row.version,
        sent_by=row.sent_by,
        scheduled_by=row.changed_by if row.changed_by is not None else row.sent_by,
        sent=row.status == IssueStatus.SENT,
        withdrawn=row.withdrawn_at is not None,
        progress_chat_id=row.progress_chat_id,
        progress_message_id=row.progress_message_id,
        progress_text=row.progress_text,
    )


async def sent_issue(session: AsyncSession, issue_id: int) -> SentIssue | None:
    """Issue ``issue_id`` as it stands, or None."""
    row = await session.get(NewsletterIssueRow, issue_id, populate_existing=True)
    return None if row is None else _sent(row)


async def correctable(session: AsyncSession, coordinator_id: int, issue_id: int) -> SentIssue:
    """The issue a coordinator may correct or withdraw now: sent (started), and not
    withdrawn; raise :class:`IssueError`. One not started yet is moved or cancelled with
    ``/ingepland`` instead."""
    await check_coordinator(session, coordinator_id)
    issue = await sent_issue(session, issue_id)
    if issue is None:
        raise IssueError(IssueProblem.GONE)
    if not issue.sent:
        raise IssueError(IssueProblem.NOT_SENT)
    if issue.withdrawn:
        raise IssueError(IssueProblem.WITHDRAWN)
    return issue


async def record_correction(
    session: AsyncSession,
    clock: Clock,
    issue_id: int,
    version: int,
    text: str,
    progress: ProgressMessage | None,
) -> SentIssue:
    """Store ``text`` as the next version of an issue still at ``version`` and not withdrawn;
    raise :data:`IssueProblem.CHANGED` when another correction or the withdrawal was first."""
    stored = await session.execute(
        update(NewsletterIssueRow)
        .where(
            NewsletterIssueRow.id == issue_id,
            NewsletterIssueRow.version == version,
            NewsletterIssueRow.withdrawn_at.is_(None),
        )
        .values(text=text, version=version + 1, corrected_at=clock.now(), **_progress(progress))
    )
    if stored.rowcount != 1:  # type: ignore[attr-defined]
        raise IssueError(IssueProblem.CHANGED)
    issue = await sent_issue(session, issue_id)
    assert issue is not None
    return issue


async def record_withdrawal(
    session: AsyncSession, clock: Clock, issue_id: int, progress: ProgressMessage | None
) -> SentIssue:
    """Mark an issue withdrawn, once; raise :data:`IssueProblem.WITHDRAWN` for a second time."""
    stored = await session.execute(
        update(NewsletterIssueRow)
        .where(NewsletterIssueRow.id == issue_id, NewsletterIssueRow.withdrawn_at.is_(None))
        .values(withdrawn_at=clock.now(), **_progress(progress))
    )
    if stored.rowcount != 1:  # type: ignore[attr-defined]
        raise IssueError(IssueProblem.WITHDRAWN)
    issue = await sent_issue(session, issue_id)
    assert issue is not None
    return issue


def _progress(progress: ProgressMessage | None) -> dict[str, object]:
    """A new operation's progress: shown in ``progress`` (or a message still to send)."""
    chat, message = (None, None) if progress is None else progress
    return {
        "progress_chat_id": chat,
        "progress_message_id": message,
        "progress_text": None,
        "progress_done_at": None,
    }


async def set_progress_message(
    session: AsyncSession, issue_id: int, progress: ProgressMessage
) -> None:
    """The message that shows the issue's progress (e.g. the confirmation pressed to send)."""
    await session.execute(
        update(NewsletterIssueRow)
        .where(NewsletterIssueRow.id == issue_id)
        .values(progress_chat_id=progress[0], progress_message_id=progress[1])
    )


async def unfinished(session: AsyncSession) -> list[SentIssue]:
    """The issues sent whose latest operation still has something to deliver, oldest first
    (one scheduled, awaiting approval, rejected or cancelled has no progress to show)."""
    rows = await session.scalars(
        select(NewsletterIssueRow)
        .where(
            NewsletterIssueRow.status == IssueStatus.SENT,
            NewsletterIssueRow.progress_done_at.is_(None),
        )
        .order_by(NewsletterIssueRow.id)
        .execution_options(populate_existing=True)
    )
    return [_sent(row) for row in rows]


async def record_progress(
    session: AsyncSession,
    issue: SentIssue,
    progress: ProgressMessage,
    text: str,
    done_at: datetime | None,
) -> bool:
    """Record what the progress message of ``issue``'s operation shows now (and, with
    ``done_at``, that nothing is left to deliver); False when another operation started
    meanwhile (a correction, the withdrawal), which has a progress message of its own."""
    row = NewsletterIssueRow
    withdrawn = row.withdrawn_at.is_not(None) if issue.withdrawn else row.withdrawn_at.is_(None)
    shown = await session.execute(
        update(row)
        .where(row.id == issue.id, row.version == issue.version, withdrawn)
        .values(
            progress_chat_id=progress[0],
            progress_message_id=progress[1],
            progress_text=text,
            progress_done_at=done_at,
        )
    )
    return bool(shown.rowcount == 1)  # type: ignore[attr-defined]
