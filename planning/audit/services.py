"""Recording an event in the audit log, and reading the log back.

:func:`record` is the one way in: a use case calls it with its own session, so the event is
part of the action's unit of work and commits with it, or not at all when the action fails
(:meth:`planning.db.Database.run` rolls both back). Nothing here, nor anywhere else, updates or
deletes an event: the log only grows, and the database refuses an UPDATE or DELETE on it.

:func:`events` reads the log in order, optionally from a moment on and about one subject
(a kopij item, a newsletter issue, later an incident), with each actor's name as it is now: a
member who left has no name any more, and the log shows them by id (docs/decisions/audit.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.audit.tables import DETAIL_LIMIT, AuditAction, AuditEventRow, SubjectKind
from planning.db import in_chunks
from planning.membership.tables import MemberRow, MemberStatus, OrganisationRow
from planning.typed_text import clean_line, is_blank


@dataclass(frozen=True)
class Subject:
    """What an event is about: a kind and its id (``None`` for what is not stored yet)."""

    kind: SubjectKind
    id: int | None = None

    @classmethod
    def kopij(cls, kopij_id: int) -> Subject:
        return cls(SubjectKind.KOPIJ, kopij_id)

    @classmethod
    def newsletter(cls, issue_id: int | None) -> Subject:
        return cls(SubjectKind.NEWSLETTER, issue_id)

    @classmethod
    def incident(cls, incident_id: int) -> Subject:
        return cls(SubjectKind.INCIDENT, incident_id)


@dataclass(frozen=True)
class AuditEvent:
    """One line of the log as it is shown: the actor's name and organisation as they are now.

    ``actor`` None is the bot itself. ``actor_name`` is None for the bot, a member who left
    (their name was erased) or an id the bot does not know.
    """

    id: int
    at: datetime  # aware UTC
    actor: int | None
    actor_name: str | None
    actor_organisation: str | None
    actor_left: bool
    action: AuditAction
    subject: Subject
    count: int | None
    detail: str | None


async def record(
    session: AsyncSession,
    action: AuditAction,
    actor: int | None,
    subject: Subject,
    *,
    at: datetime,
    count: int | None = None,
    detail: str | None = None,
) -> None:
    """Add one event to the log, in the caller's unit of work (it commits with the action).

    ``actor`` is the member's Telegram user id, or None for the bot itself; ``at`` the action's
    moment (aware); ``count`` to how many it went; ``detail`` a short line (a title, a reason),
    cleaned and cut to :data:`~planning.audit.tables.DETAIL_LIMIT` characters.
    """
    if at.tzinfo is None:
        raise ValueError("an audit event needs an aware moment")
    if count is not None and count < 0:
        raise ValueError("an audit count is never negative")
    line = None if is_blank(detail) else clean_line(detail)[:DETAIL_LIMIT]
    session.add(
        AuditEventRow(
            at=at,
            actor=actor,
            action=AuditAction(action).value,
            subject_kind=SubjectKind(subject.kind).value,
            subject_id=subject.id,
            count=count,
            detail=line,
        )
    )


async def events(
    session: AsyncSession, *, since: datetime | None = None, subject: Subject | None = None
) -> list[AuditEvent]:
    """The log, oldest first: from ``since`` on, about ``subject`` (its kind, and its id unless
    None), each with its actor's name and organisation as they are now."""
    query = select(AuditEventRow).order_by(AuditEventRow.at, AuditEventRow.id)
    if since is not None:
        query = query.where(AuditEventRow.at >= since)
    if subject is not None:
        query = query.where(AuditEventRow.subject_kind == subject.kind.value)
        if subject.id is not None:
            query = query.where(AuditEventRow.subject_id == subject.id)
    rows = list(await session.scalars(query))
    actors = {row.actor for row in rows if row.actor is not None}
    known: dict[int, tuple[str, str, str | None]] = {}
    for chunk in in_chunks(sorted(actors)):
        people = await session.execute(
            select(
                MemberRow.telegram_user_id, MemberRow.name, MemberRow.status, OrganisationRow.name
            )
            .outerjoin(OrganisationRow, MemberRow.organisation_id == OrganisationRow.id)
            .where(MemberRow.telegram_user_id.in_(chunk))
        )
        known.update({user: (name, status, org) for user, name, status, org in people})
    found: list[AuditEvent] = []
    for row in rows:
        name, status, organisation = known.get(row.actor or 0, ("", "", None))
        left = status == MemberStatus.LEFT
        found.append(
            AuditEvent(
                id=row.id,
                at=row.at,
                actor=row.actor,
                actor_name=None if left or is_blank(name) else name,
                actor_organisation=organisation,
                actor_left=left,
                action=AuditAction(row.action),
                subject=Subject(SubjectKind(row.subject_kind), row.subject_id),
                count=row.count,
                detail=row.detail,
            )
        )
    return found
