"""Incidents: whom one is for, recording it once when it is sent, and each recipient's answer.

An incident exists only as the coordinator's draft until "Versturen": then
:func:`record_incident` stores it with one row per recipient, in the unit of work that queues
it (:mod:`berichten.incidents`). :func:`acknowledge` records "Gelezen" or "Ik neem contact op"
once per recipient, with its line in the audit log, in one unit.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.incidents.tables import IncidentRecipientRow, IncidentRow, IncidentStatus
from planning.incidents.templates import IncidentTemplate
from planning.membership.lookups import active_member, list_groups
from planning.membership.recipients import Recipient, recipients
from planning.newsletters.issues import Audience, audience_members, checked_text
from planning.plan.store import load_plan
from planning.typed_text import clean_line, is_blank

# The groups an incident is for unless the coordinator chooses otherwise: those who speak for
# their organisation and those who carry it inside (the plan's codes).
DEFAULT_GROUPS = ("communicatieadviseurs", "contactpersonen")
VALUE_LIMIT = 200  # a typed {plaats}, {datum} or {wat}
TEXT_LIMIT = 3000  # a message typed from empty; the heading and the closing line come on top
_LARGEST_ID = 2**31 - 1


class IncidentProblem(enum.StrEnum):
    EMPTY = "empty"
    VALUE_TOO_LONG = "value_too_long"
    TEXT_TOO_LONG = "text_too_long"  # the text typed is over TEXT_LIMIT
    TOO_LONG = "too_long"  # the whole message is over Telegram's limit
    NO_AUDIENCE = "no_audience"
    NOBODY = "nobody"  # the audience has no active member
    NOT_COORDINATOR = "not_coordinator"
    SENT = "sent"  # this draft was sent already (another press was first)
    CLOSED = "closed"  # the incident is closed already (another coordinator was first)
    UNKNOWN = "unknown"  # no such incident (a stale or forged button)
    NO_APPROVER = "no_approver"  # four eyes on, and no other active coordinator
    OWN = "own"  # four eyes: the composer cannot approve or reject their own


class IncidentError(Exception):
    def __init__(self, problem: IncidentProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class Answer(enum.StrEnum):
    """A recipient's button."""

    READ = "read"  # "Gelezen"
    CONTACTING = "contacting"  # "Ik neem contact op"


class Acknowledged(enum.StrEnum):
    """What became of a press of one of the recipient's buttons."""

    RECORDED = "recorded"
    ALREADY = "already"  # pressed before: counted once
    CLOSED = "closed"  # the incident is closed: nothing more to do
    NOT_RECIPIENT = "not_recipient"


@dataclass(frozen=True)
class Acknowledgement:
    """A press's outcome, and the recipient's answers after it."""

    outcome: Acknowledged
    read: bool = False
    contacting: bool = False


@dataclass(frozen=True)
class Incident:
    """An incident as composed: ``key`` is the draft's, unique per draft; ``text`` the
    message's Telegram HTML exactly as members get it."""

    key: str
    title: str
    text: str
    template_code: str | None = None
    audience: Audience = field(default_factory=Audience)


@dataclass(frozen=True)
class RecordedIncident:
    id: int
    members: list[Recipient]
    at: datetime


def checked_value(typed: str) -> str:
    """A typed placeholder value as kept: one clean line, not empty, at most VALUE_LIMIT."""
    value = clean_line(typed)
    if is_blank(value):
        raise IncidentError(IncidentProblem.EMPTY)
    if len(value) > VALUE_LIMIT:
        raise IncidentError(IncidentProblem.VALUE_TOO_LONG)
    return value


def checked_message(html: str, plain: str) -> str:
    """A message typed from empty as kept (Telegram HTML, cleaned as a newsletter's text is):
    something to read, at most :data:`TEXT_LIMIT` characters."""
    if is_blank(plain):
        raise IncidentError(IncidentProblem.EMPTY)
    if len(plain) > TEXT_LIMIT:
        raise IncidentError(IncidentProblem.TEXT_TOO_LONG)
    return checked_text(html, plain)


async def default_audience(session: AsyncSession) -> Audience:
    """:data:`DEFAULT_GROUPS` as far as the plan has them; everyone when it has neither."""
    codes = {group.code for group in await list_groups(session) if group.in_plan}
    chosen = tuple(code for code in DEFAULT_GROUPS if code in codes)
    return Audience(everyone=False, groups=chosen) if chosen else Audience()


async def check_coordinator(session: AsyncSession, telegram_user_id: int) -> None:
    """Raise :data:`IncidentProblem.NOT_COORDINATOR` unless an active coordinator now."""
    member = await active_member(session, telegram_user_id)
    if member is None or not member.is_coordinator:
        raise IncidentError(IncidentProblem.NOT_COORDINATOR)


async def record_incident(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    incident: Incident,
    status: IncidentStatus = IncidentStatus.SENT,
) -> RecordedIncident:
    """Store ``incident`` as sent by an active coordinator now, with one row per recipient;
    raise :class:`IncidentError`. Sent once per draft (``INSERT ... ON CONFLICT DO NOTHING``
    on its key), on SQLite as on PostgreSQL. Awaiting approval it gets no recipients yet:
    they are drawn when it is approved (:func:`add_recipients`)."""
    await check_coordinator(session, coordinator_id)
    if not incident.audience.chosen:
        raise IncidentError(IncidentProblem.NO_AUDIENCE)
    members = audience_members(await recipients(session), incident.audience)
    if not members:
        raise IncidentError(IncidentProblem.NOBODY)
    now = clock.now()
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    audience = incident.audience
    incident_id = await session.scalar(
        insert(IncidentRow)
        .values(
            draft_key=incident.key,
            title=incident.title,
            template_code=incident.template_code,
            text=incident.text,
            audience=json.dumps(
                {
                    "everyone": audience.everyone,
                    "groups": list(audience.groups),
                    "organisations": list(audience.organisations),
                }
            ),
            sent_by=coordinator_id,
            sent_at=now,
            recipients=len(members),
            status=status.value,
        )
        .on_conflict_do_nothing(index_elements=["draft_key"])
        .returning(IncidentRow.id)
    )
    if incident_id is None:
        raise IncidentError(IncidentProblem.SENT)
    if status is IncidentStatus.SENT:
        await add_recipients(session, incident_id, members)
    return RecordedIncident(incident_id, members, now)


async def add_recipients(session: AsyncSession, incident_id: int, members: list[Recipient]) -> None:
    """One row per recipient of a sent incident, with their organisation now."""
    session.add_all(
        IncidentRecipientRow(
            incident_id=incident_id,
            telegram_user_id=member.telegram_user_id,
            organisation=member.organisation,
        )
        for member in members
    )
    await session.flush()


async def acknowledge(
    session: AsyncSession, clock: Clock, incident_id: int, user_id: int, answer: Answer
) -> Acknowledgement:
    """Record ``answer`` of recipient ``user_id`` once, with its line in the audit log.

    A conditional UPDATE (only while that answer's moment is empty) makes two presses at once
    count once, on SQLite as on PostgreSQL; a press on a closed incident records nothing.
    """
    if not 0 < incident_id <= _LARGEST_ID:  # from a button: a column holds no more
        return Acknowledgement(Acknowledged.NOT_RECIPIENT)
    incident = await session.get(IncidentRow, incident_id)
    recipient = await session.get(IncidentRecipientRow, (incident_id, user_id))
    if incident is None or recipient is None:
        return Acknowledgement(Acknowledged.NOT_RECIPIENT)
    if incident.closed_at is not None:
        return Acknowledgement(Acknowledged.CLOSED)
    column = (
        IncidentRecipientRow.read_at
        if answer is Answer.READ
        else IncidentRecipientRow.contacting_at
    )
    now = clock.now()
    changed = await session.execute(
        update(IncidentRecipientRow)
        .where(
            IncidentRecipientRow.incident_id == incident_id,
            IncidentRecipientRow.telegram_user_id == user_id,
            column.is_(None),
        )
        .values({column.key: now})
        .execution_options(synchronize_session=False)
    )
    await session.refresh(recipient)
    read, contacting = recipient.read_at is not None, recipient.contacting_at is not None
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        return Acknowledgement(Acknowledged.ALREADY, read, contacting)
    action = (
        AuditAction.INCIDENT_ACKNOWLEDGED
        if answer is Answer.READ
        else AuditAction.INCIDENT_CONTACTING
    )
    await record(
        session,
        action,
        user_id,
        Subject.incident(incident_id),
        at=now,
        detail=recipient.organisation,
    )
    return Acknowledgement(Acknowledged.RECORDED, read, contacting)


async def answers(session: AsyncSession, incident_id: int) -> list[IncidentRecipientRow]:
    """Every recipient of an incident with their answers, by Telegram id."""
    rows = await session.scalars(
        select(IncidentRecipientRow)
        .where(IncidentRecipientRow.incident_id == incident_id)
        .order_by(IncidentRecipientRow.telegram_user_id)
    )
    return list(rows)


async def templates(session: AsyncSession) -> list[IncidentTemplate]:
    """The plan's incident templates, in its order (none before a plan is imported)."""
    plan = await load_plan(session)
    return list(plan.incident_templates) if plan is not None else []


async def incident_title(session: AsyncSession, incident_id: int) -> str | None:
    """What an incident is about, as its heading says; None for an unknown id."""
    return await session.scalar(select(IncidentRow.title).where(IncidentRow.id == incident_id))
