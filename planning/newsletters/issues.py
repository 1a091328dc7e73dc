"""Newsletter issues: what a coordinator composes, whom it is for, and recording it once.

An issue is composed in chat (``/nieuwsbrief``) and exists only as the coordinator's draft until
"Nu versturen" or "Inplannen": then :func:`record_issue` stores it and marks the kopij it
includes ``INCLUDED``, in the unit of work that queues it or asks for its approval
(:mod:`berichten.newsletters`). What happens to it after: :mod:`planning.newsletters.lifecycle`.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.membership.lookups import active_member, list_groups, list_organisations
from planning.membership.recipients import Recipient, recipients
from planning.membership.rules import EVERYONE, in_audience
from planning.newsletters.rules import TITLE_LIMIT
from planning.newsletters.services import KopijView, kopij_by_ids
from planning.newsletters.tables import (
    IssueStatus,
    KopijRow,
    KopijStatus,
    NewsletterIssueRow,
    NewsletterKopijRow,
)
from planning.typed_text import clean_block, clean_line, is_blank

# Telegram takes 4,096 characters in the message the coordinator types; the issue goes out in
# as many messages as its HTML needs (berichten.texts.html.split).
TEXT_LIMIT = 4096
# Bots may send custom emoji only with a username bought on Fragment: keep the plain emoji
# Telegram gives as the entity's fallback, so the issue is never refused for it.
_CUSTOM_EMOJI = re.compile(r"<tg-emoji[^>]*>(.*?)</tg-emoji>", re.DOTALL)


class IssueProblem(enum.StrEnum):
    EMPTY_TITLE = "empty_title"
    TITLE_TOO_LONG = "title_too_long"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_AUDIENCE = "no_audience"  # neither everyone nor any group or organisation chosen
    NOT_COORDINATOR = "not_coordinator"
    SENT = "sent"  # this draft was sent already (another press was first)
    KOPIJ_TAKEN = "kopij_taken"  # an included item is no longer set aside
    BAD_MOMENT = "bad_moment"  # not a date and time as DD-MM-JJJJ UU:MM
    NO_SUCH_MOMENT = "no_such_moment"  # a clock time the switch to summer time skips
    PAST = "past"
    TOO_FAR = "too_far"  # more than a year ahead
    NO_APPROVER = "no_approver"  # approval is on and no other coordinator is active
    OWN_ISSUE = "own_issue"  # its composer (or last changer) cannot approve it
    STALE = "stale"  # decided, changed, started or gone since the button was shown
    GONE = "gone"  # no such issue
    NOT_SENT = "not_sent"  # scheduled, awaiting approval, rejected or cancelled: not started
    WITHDRAWN = "withdrawn"  # withdrawn already: nothing to correct or withdraw
    CHANGED = "changed"  # corrected meanwhile (another press, another coordinator)
    SHAPE = "shape"  # a correction that would need other messages than the issue has
    UNCHANGED = "unchanged"  # a correction that changes nothing


class IssueError(Exception):
    def __init__(self, problem: IssueProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Choice:
    """A group or organisation the audience step offers: its code and its name."""

    code: str
    name: str


@dataclass(frozen=True)
class Audience:
    """Whom an issue is for: everyone, or the union of the chosen groups and organisations."""

    everyone: bool = True
    groups: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()

    @property
    def chosen(self) -> bool:
        return self.everyone or bool(self.groups) or bool(self.organisations)


@dataclass(frozen=True)
class Issue:
    """An issue as composed: ``key`` is the draft's, unique per draft."""

    key: str
    title: str
    text: str  # Telegram HTML
    media_kind: str | None = None  # "photo" or "document"
    media_file_id: str | None = None
    kopij_ids: tuple[int, ...] = ()
    audience: Audience = field(default_factory=Audience)


@dataclass(frozen=True)
class RecordedIssue:
    """An issue stored by "Nu versturen" or "Inplannen": its id and the kopij it includes."""

    id: int
    kopij: list[KopijView]


def checked_title(typed: str) -> str:
    """The title as it is kept: one clean line, neither empty nor over :data:`TITLE_LIMIT`."""
    title = clean_line(typed)
    if is_blank(title):
        raise IssueError(IssueProblem.EMPTY_TITLE)
    if len(title) > TITLE_LIMIT:
        raise IssueError(IssueProblem.TITLE_TOO_LONG)
    return title


def checked_text(html: str, plain: str) -> str:
    """The text as it is kept (Telegram HTML): something to read, without controls (PostgreSQL
    refuses a NUL) or direction overrides (:mod:`planning.typed_text`), custom emoji plain."""
    if is_blank(plain):
        raise IssueError(IssueProblem.EMPTY)
    if len(plain) > TEXT_LIMIT:
        raise IssueError(IssueProblem.TOO_LONG)
    return _CUSTOM_EMOJI.sub(r"\1", clean_block(html))


def audience_members(everyone: Iterable[Recipient], audience: Audience) -> list[Recipient]:
    """The members ``audience`` names, each once (a member in two chosen groups too)."""
    return [member for member in everyone if reaches(audience, member)]


def reaches(audience: Audience, member: Recipient) -> bool:
    """Whether ``audience`` names ``member``: everyone, one of its groups, or its organisation."""
    if audience.everyone:
        return True
    groups = set(audience.groups)
    return bool(groups and in_audience(member, groups)) or (
        member.organisation in audience.organisations
    )


async def audience_choices(session: AsyncSession) -> tuple[list[Choice], list[Choice]]:
    """The plan's groups (without ``alle``: that is "Iedereen") and organisations, by name."""
    groups = await list_groups(session)
    organisations = await list_organisations(session)
    return (
        [Choice(g.code, g.name) for g in groups if g.in_plan and g.code != EVERYONE],
        [Choice(o.code, o.name) for o in organisations if o.in_plan],
    )


async def count_members(session: AsyncSession, audience: Audience) -> int:
    """How many active members ``audience`` reaches now (left or blocked are not counted)."""
    return len(audience_members(await recipients(session), audience))


async def set_aside(session: AsyncSession) -> list[KopijView]:
    """The kopij kept for the newsletter and not yet in an issue, oldest first."""
    ids = await session.scalars(
        select(KopijRow.id)
        .where(KopijRow.status == KopijStatus.SET_ASIDE)
        .order_by(KopijRow.sent_at, KopijRow.id)
    )
    return await kopij_by_ids(session, list(ids))


async def included_kopij(session: AsyncSession, kopij_ids: Sequence[int]) -> list[KopijView]:
    """The items an issue includes, in its order; one no longer set aside is left out."""
    views = await kopij_by_ids(session, kopij_ids)
    return [view for view in views if view.status is KopijStatus.SET_ASIDE]


async def check_coordinator(session: AsyncSession, telegram_user_id: int) -> None:
    """Raise :data:`IssueProblem.NOT_COORDINATOR` unless this is an active coordinator now."""
    member = await active_member(session, telegram_user_id)
    if member is None or not member.is_coordinator:
        raise IssueError(IssueProblem.NOT_COORDINATOR)


async def record_issue(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue: Issue,
    *,
    status: IssueStatus = IssueStatus.SENT,
    send_at: datetime | None = None,
) -> RecordedIssue:
    """Store ``issue`` as composed by an active coordinator now, with its kopij; raise
    :class:`IssueError`. ``status``: sent (queued by the caller in the same unit of work),
    scheduled for ``send_at``, or awaiting approval (``send_at`` None: at once when approved).

    Recorded once: the draft's key is unique (``INSERT ... ON CONFLICT DO NOTHING``), so of two
    presses at the same moment, on SQLite as on PostgreSQL, one records it and the other gets
    :data:`IssueProblem.SENT`. Each included item moves from set aside to included by a
    conditional UPDATE: an item another issue took meanwhile refuses the whole issue
    (:data:`IssueProblem.KOPIJ_TAKEN`), so no item goes out twice. An issue cancelled or
    rejected later gives its items back (:mod:`planning.newsletters.lifecycle`).
    """
    await check_coordinator(session, coordinator_id)
    if not issue.audience.chosen:
        raise IssueError(IssueProblem.NO_AUDIENCE)
    kopij = await included_kopij(session, issue.kopij_ids)
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    issue_id = await session.scalar(
        insert(NewsletterIssueRow)
        .values(
            draft_key=issue.key,
            title=issue.title,
            text=issue.text,
            media_kind=issue.media_kind,
            media_file_id=issue.media_file_id,
            audience=audience_json(issue.audience),
            sent_by=coordinator_id,
            sent_at=clock.now(),
            recipients=0,
            status=status,
            send_at=send_at,
            revision=1,
            changed_by=coordinator_id,
        )
        .on_conflict_do_nothing(index_elements=["draft_key"])
        .returning(NewsletterIssueRow.id)
    )
    if issue_id is None:
        raise IssueError(IssueProblem.SENT)
    if len(kopij) != len(issue.kopij_ids):
        raise IssueError(IssueProblem.KOPIJ_TAKEN)
    for position, item in enumerate(kopij):
        taken = await session.execute(
            update(KopijRow)
            .where(KopijRow.id == item.id, KopijRow.status == KopijStatus.SET_ASIDE)
            .values(status=KopijStatus.INCLUDED)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise IssueError(IssueProblem.KOPIJ_TAKEN)
        session.add(NewsletterKopijRow(kopij_id=item.id, issue_id=issue_id, position=position))
    await session.flush()
    return RecordedIssue(issue_id, kopij)


def audience_json(audience: Audience) -> str:
    """How an issue's audience is stored, to be computed when the issue starts."""
    return json.dumps(
        {
            "everyone": audience.everyone,
            "groups": list(audience.groups),
            "organisations": list(audience.organisations),
        }
    )


def stored_audience(stored: str) -> Audience:
    found = json.loads(stored)
    return Audience(bool(found["everyone"]), tuple(found["groups"]), tuple(found["organisations"]))
