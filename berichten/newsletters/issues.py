"""Newsletter issues through the outbox: the messages an issue is, a test, and sending it.

One rule makes the messages (:func:`issue_parts`), and the preview, a test and the real send all
use it, so the coordinator sees exactly what members get. An issue is:

- its title and text, split by the one HTML splitter (:func:`berichten.texts.html.split`) into
  as many messages as needed; with a photo or document, the first message is that file with
  the title and text as its caption when they fit Telegram's 1,024 characters, else with the
  title alone, the text following;
- then each included kopij item as its own message, as it is when passed on (a photo or
  document as itself, with its text as caption).

Sending, approving and scheduling: :mod:`berichten.newsletters.schedule` and
:mod:`berichten.newsletters.approval`. Keys: ``newsletter:<id>|<member>|part-<n>``; a test:
``newsletter_test:<draft>.<n>|<member>|part-<n>``, so a test is never taken for the real send,
and each test goes out anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.newsletters.kopij import media as kopij_media
from berichten.outbox.media import Media, MediaKind, as_sent, caption_fits
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import newsletters as texts
from berichten.texts.html import split
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.membership.recipients import coordinators, recipients
from planning.newsletters.archive import archived_issue, may_read
from planning.newsletters.issues import (
    Issue,
    audience_members,
    check_coordinator,
    included_kopij,
)
from planning.newsletters.services import KopijView

ISSUE_KIND = "newsletter"
TEST_KIND = "newsletter_test"
_ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Part:
    """One message of an issue: Telegram HTML, and the file it is the caption of, if any."""

    text: str
    media: Media | None = None


@dataclass(frozen=True)
class Preview:
    """What the coordinator is shown before sending: the messages and how many get them."""

    parts: list[Part]
    members: int
    kopij_ids: tuple[int, ...]  # those chosen still set aside (not in another issue meanwhile)


def issue_parts(issue: Issue, kopij: Sequence[KopijView]) -> list[Part]:
    """The messages ``issue`` is, in order (see the module's docstring)."""
    body = texts.issue_body(issue.title, issue.text)
    parts: list[Part] = []
    if issue.media_kind is not None and issue.media_file_id:
        media = Media(MediaKind(issue.media_kind), issue.media_file_id)
        if caption_fits(body):
            parts.append(Part(body, media))
            body = ""
        else:
            parts.append(Part(texts.issue_heading(issue.title), media))
            body = issue.text
    parts += [Part(text) for text in split(body)]
    parts += [Part(texts.passed_on(item), kopij_media(item)) for item in kopij]
    return parts


def parts_as_sent(parts: Sequence[Part]) -> list[Part]:
    """``parts`` exactly as the outbox sends them: a caption too long split off, as
    :func:`~berichten.outbox.media.as_sent` does."""
    # The moment is not part of a message's content: any will do for splitting it.
    queued = messages_of("as-sent", ISSUE_KIND, 0, _ANY_MOMENT, parts)
    return [Part(sent.text, sent.media) for message in queued for sent in as_sent(message)]


def parts_by_key(parts: Sequence[Part]) -> dict[str, Part]:
    """``parts`` as the outbox holds them, by the end of their keys (``part-2``,
    ``part-1|text-1``): what a correction compares and edits, message by message."""
    queued = messages_of("as-sent", ISSUE_KIND, 0, _ANY_MOMENT, parts)
    return {
        sent.key.removeprefix("as-sent|0|"): Part(sent.text, sent.media)
        for message in queued
        for sent in as_sent(message)
    }


async def archived_parts(session: AsyncSession, reader: int, issue_id: int) -> list[Part] | None:
    """Issue ``issue_id`` as its members got it, message by message, corrected (the archive's
    copy is a reply, not queued); None when there is no such issue, it was withdrawn, or it is
    not in ``reader``'s archive (:mod:`planning.newsletters.archive`)."""
    if not await may_read(session, reader, issue_id):
        return None
    issue = await archived_issue(session, issue_id)
    if issue is None or issue.withdrawn_at is not None:
        return None
    return parts_as_sent(issue_parts(issue.issue(), issue.kopij))


def messages_of(
    key: str,
    kind: str,
    recipient: int,
    due: datetime,
    parts: Sequence[Part],
    priority: Priority = Priority.NEWSLETTER,
) -> list[NewMessage]:
    """``parts`` queued for ``recipient``, keyed ``<key>|<recipient>|part-<n>``."""
    return [
        NewMessage(
            key=f"{key}|{recipient}|part-{number}",
            kind=kind,
            recipient=recipient,
            text=part.text,
            due_at=due,
            priority=priority,
            media=part.media,
        )
        for number, part in enumerate(parts, start=1)
    ]


async def preview(session: AsyncSession, clock: Clock, issue: Issue) -> Preview:
    """The messages exactly as the outbox will send them (a caption too long already split
    off, as :func:`~berichten.outbox.media.as_sent` does), and the members it reaches now."""
    kopij = await included_kopij(session, issue.kopij_ids)
    parts = parts_as_sent(issue_parts(issue, kopij))
    members = audience_members(await recipients(session), issue.audience)
    return Preview(parts, len(members), tuple(item.id for item in kopij))


async def send_test(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    coordinator_name: str,
    issue: Issue,
    *,
    all_coordinators: bool,
    number: int,
) -> int:
    """Queue test ``number`` of ``issue`` for the coordinator, or for every active coordinator,
    after a line saying it is a test; return for how many. Nothing is recorded but a line in
    the audit log (about a newsletter not yet sent, so without an id; the title as detail)."""
    await check_coordinator(session, coordinator_id)
    if all_coordinators:
        to = [c.telegram_user_id for c in coordinators(await recipients(session))]
    else:
        to = [coordinator_id]
    kopij = await included_kopij(session, issue.kopij_ids)
    parts = [Part(texts.test_notice(coordinator_name)), *issue_parts(issue, kopij)]
    now = clock.now()
    key = f"{TEST_KIND}:{issue.key}.{number}"
    await record(
        session,
        AuditAction.NEWSLETTER_TESTED,
        coordinator_id,
        Subject.newsletter(None),
        at=now,
        count=len(to),
        detail=issue.title,
    )
    await enqueue(session, now, [m for c in to for m in messages_of(key, TEST_KIND, c, now, parts)])
    return len(to)
