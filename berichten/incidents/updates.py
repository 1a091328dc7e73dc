"""Follow-ups to an open incident: sent as a reply to each recipient's first copy.

:func:`send_update` is one unit of work: the follow-up recorded once per draft (``INSERT ...
ON CONFLICT DO NOTHING`` on its key: of two presses one sends), one outbox row per recipient
at incident priority and the audit line. Each row is a reply (``Operation.REPLY``) naming the
recipient's first copy by its key (``incident:<id>|<member>``): the outbox reads that copy's
Telegram id when it sends, so a follow-up queued while the first copy is still going out waits
for it, and one whose first copy never arrived is sent as a message of its own
(:mod:`berichten.outbox.operations`).
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.incidents.sending import INCIDENT_KIND, check_length
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Operation, Priority
from berichten.texts import incidents as texts
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.incidents.escalation import recipients_of
from planning.incidents.services import (
    IncidentError,
    IncidentProblem,
    check_coordinator,
    checked_message,
)
from planning.incidents.tables import IncidentRow, IncidentStatus, IncidentUpdateRow

UPDATE_KIND = "incident_update"
_LARGEST_ID = 2**31 - 1


def first_copy(incident_id: int, member: int) -> str:
    """The outbox key of ``member``'s first copy of the incident, which follow-ups reply to."""
    return f"{INCIDENT_KIND}:{incident_id}|{member}"


async def open_incident(session: AsyncSession, coordinator_id: int, incident_id: int) -> str:
    """The title of an open incident a coordinator may follow up; raise :class:`IncidentError`
    (not a coordinator, no such incident, closed)."""
    await check_coordinator(session, coordinator_id)
    incident = await session.get(IncidentRow, incident_id) if incident_id <= _LARGEST_ID else None
    if incident is None or incident.status != IncidentStatus.SENT:
        raise IncidentError(IncidentProblem.UNKNOWN)
    if incident.closed_at is not None:
        raise IncidentError(IncidentProblem.CLOSED)
    return incident.title


def update_text(title: str, html: str, plain: str) -> str:
    """The follow-up as members get it; refused when empty or too long."""
    text = texts.update(title, checked_message(html, plain))
    check_length(text)
    return text


async def send_update(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    incident_id: int,
    key: str,
    html: str,
    plain: str,
) -> tuple[str, int]:
    """Record the follow-up and queue it for every recipient of the incident; its title and
    to how many. One unit of work (see the module)."""
    title = await open_incident(session, coordinator_id, incident_id)
    text = update_text(title, html, plain)
    now = clock.now()
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    update_id = await session.scalar(
        insert(IncidentUpdateRow)
        .values(
            incident_id=incident_id,
            draft_key=key,
            text=checked_message(html, plain),
            sent_by=coordinator_id,
            sent_at=now,
        )
        .on_conflict_do_nothing(index_elements=["draft_key"])
        .returning(IncidentUpdateRow.id)
    )
    if update_id is None:
        raise IncidentError(IncidentProblem.SENT)
    members = [row.telegram_user_id for row in await recipients_of(session, incident_id)]
    await enqueue(
        session,
        now,
        [
            NewMessage(
                key=f"{first_copy(incident_id, member)}|update:{update_id}",
                kind=UPDATE_KIND,
                recipient=member,
                text=text,
                due_at=now,
                priority=Priority.INCIDENT,
                expires_at=None,
                operation=Operation.REPLY,
                target_key=first_copy(incident_id, member),
            )
            for member in members
        ],
    )
    await record(
        session,
        AuditAction.INCIDENT_UPDATED,
        coordinator_id,
        Subject.incident(incident_id),
        at=now,
        count=len(members),
        detail=title,
    )
    return title, len(members)
