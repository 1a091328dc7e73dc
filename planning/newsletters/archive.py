"""The newsletter archive: every issue sent, newest first, for every active member to read back
(``/nieuwsbrieven``) and for the operator to export (``overlegbot newsletter export``).

A member finds every issue sent to an audience that names them now: everyone's, their groups',
their organisation's, also from before they joined. An issue meant for others (the bestuurders,
one ministry) is not shown to them, nor sent when its button is forged. Coordinators see every
issue, to read, correct or withdraw it. The archive holds each issue's latest text (a correction
replaces it); a withdrawn issue is left out of the members' archive, and the export says it was
withdrawn. Service functions take the session and never commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.membership.recipients import recipients
from planning.newsletters.issues import Issue, reaches, stored_audience
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


async def archive_page(
    session: AsyncSession, reader: int, number: int, *, size: int = PAGE_SIZE
) -> ArchivePage:
    """Page ``number`` (clamped to the pages there are) of the issues sent, not withdrawn and
    for ``reader`` (a Telegram id; see the module), newest first."""
    row = NewsletterIssueRow
    standing = (row.status == IssueStatus.SENT) & row.withdrawn_at.is_(None)
    rows = await session.execute(
        select(row.id, row.title, row.sent_at, row.audience)
        .where(standing)
        .order_by(row.sent_at.desc(), row.id.desc())
    )
    readable = await _readable(session, reader)
    found = [
        IssueListing(id_, title, sent_at)
        for id_, title, sent_at, audience in rows
        if readable(audience)
    ]
    number, count = page_bounds(len(found), number, size)
    items = tuple(found[number * size : (number + 1) * size])
    return ArchivePage(items, number, count, len(found), size)


async def may_read(session: AsyncSession, reader: int, issue_id: int) -> bool:
    """Whether issue ``issue_id`` is in ``reader``'s archive (see the module)."""
    audience = await session.scalar(
        select(NewsletterIssueRow.audience).where(NewsletterIssueRow.id == issue_id)
    )
    return audience is not None and (await _readable(session, reader))(audience)


async def _readable(session: AsyncSession, reader: int) -> Callable[[str], bool]:
    """Whether an issue with this stored audience is for ``reader``: all are for a coordinator,
    none for someone who is not an active member."""
    found = await recipients(session, [reader])
    if not found:
        return lambda _audience: False
    member = found[0]
    if member.is_coordinator:
        return lambda _audience: True
    return lambda audience: reaches(stored_audience(audience), member)


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


async def issue_status(session: AsyncSession, issue_id: int) -> IssueStatus | None:
    """Where issue ``issue_id`` stands, or None when there is no such issue."""
    row = await session.get(NewsletterIssueRow, issue_id)
    return None if row is None else IssueStatus(row.status)
