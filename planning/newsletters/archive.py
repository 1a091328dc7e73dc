"""The newsletter archive: every issue sent, newest first, for every active member to read back
(``/nieuwsbrieven``) and for the operator to export (``overlegbot newsletter export``).

The archive is the network's: a member who joined later finds every issue sent before, whatever
audience it had. It holds each issue's latest text (a correction replaces it); a withdrawn issue
is left out of the members' archive, and the export says it was withdrawn. Service functions
take the session and never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.newsletters.issues import Issue
from planning.newsletters.services import KopijView, kopij_by_ids
from planning.newsletters.tables import IssueStatus, NewsletterIssueRow, NewsletterKopijRow
from planning.paging import Page, page_bounds

PAGE_SIZE = 5


@dataclass(frozen=True)
class IssueListing:
    """One line of the archive: which issue, and when it was sent."""

    id: int
    title: str
    sent_at: datetime


ArchivePage = Page[IssueListing]


@dataclass(frozen=True)
class ArchivedIssue:
    """An issue as it was sent: its own content and the kopij it included, in order."""

    id: int
    title: str
    text: str  # Telegram HTML
    media_kind: str | None
    media_file_id: str | None
    sent_at: datetime
    kopij: tuple[KopijView, ...]
    withdrawn_at: datetime | None = None

    def issue(self) -> Issue:
        """As :class:`Issue`, for the one rule that makes an issue's messages."""
        return Issue(
            key=f"archive:{self.id}",
            title=self.title,
            text=self.text,
            media_kind=self.media_kind,
            media_file_id=self.media_file_id,
            kopij_ids=tuple(item.id for item in self.kopij),
        )


async def archive_page(session: AsyncSession, number: int, *, size: int = PAGE_SIZE) -> ArchivePage:
    """Page ``number`` (clamped to the pages there are) of the issues sent and not withdrawn,
    newest first."""
    row = NewsletterIssueRow
    standing = (row.status == IssueStatus.SENT) & row.withdrawn_at.is_(None)
    total = await session.scalar(select(func.count()).where(standing)) or 0
    number, count = page_bounds(total, number, size)
    rows = await session.execute(
        select(NewsletterIssueRow.id, NewsletterIssueRow.title, NewsletterIssueRow.sent_at)
        .where(standing)
        .order_by(NewsletterIssueRow.sent_at.desc(), NewsletterIssueRow.id.desc())
        .offset(number * size)
        .limit(size)
    )
    items = tuple(IssueListing(id_, title, sent_at) for id_, title, sent_at in rows)
    return ArchivePage(items, number, count, total, size)


async def archived_issue(session: AsyncSession, issue_id: int) -> ArchivedIssue | None:
    """Issue ``issue_id`` as it was sent, or None when there is no such issue (or it has not
    been sent: scheduled, awaiting approval, cancelled or rejected)."""
    row = await session.get(NewsletterIssueRow, issue_id)
    if row is None or row.status != IssueStatus.SENT:
        return None
    kopij_ids = await session.scalars(
        select(NewsletterKopijRow.kopij_id)
        .where(NewsletterKopijRow.issue_id == issue_id)
        .order_by(NewsletterKopijRow.position)
    )
    views = await kopij_by_ids(session, list(kopij_ids))
    return ArchivedIssue(
        id=row.id,
        title=row.title,
        text=row.text,
        media_kind=row.media_kind,
        media_file_id=row.media_file_id,
        sent_at=row.sent_at,
        kopij=tuple(views),
        withdrawn_at=row.withdrawn_at,
    )
