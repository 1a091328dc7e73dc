"""Closing an incident: a closing line to every recipient, escalation stopped, copies unpinned.

:func:`close_incident` is one unit of work: the incident is marked closed once (a conditional
UPDATE: of two coordinators pressing at once one closes it), the copies and the report still
queued are withdrawn (skipped, "incident closed"), one closing line per recipient is queued at
incident priority (``incident:<id>|<member>|closed``), and the audit line is written. From then
on no round is taken and a press of "Gelezen" is answered politely.

Unpinning needs the Telegram id of each copy sent, which the outbox holds: the bot asks
:func:`to_unpin` after every wake of the outbox job and unpins them (:mod:`bot.incident_status`),
then :func:`mark_unpinned`. A copy still being sent when the incident closed is waited for; a
crash in between unpins again (unpinning twice does no harm).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.incidents.escalation import REPORT_KIND
from berichten.incidents.sending import INCIDENT_KIND
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Operation, OutboxMessageRow, OutboxStatus, Priority
from planning import catalogue
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.incidents.escalation import recipients_of
from planning.incidents.services import IncidentError, IncidentProblem, check_coordinator
from planning.incidents.tables import IncidentRow, IncidentStatus

CLOSING_KIND = "incident_closed"
WITHDRAWN = "incident closed"
_LARGEST_ID = 2**31 - 1


@dataclass(frozen=True)
class Pinned:
    """The copies of a closed incident to unpin: (chat, Telegram message id)."""

    incident_id: int
    messages: list[tuple[int, int]]


def _copies(incident_id: int) -> ColumnElement[bool]:
    """The outbox rows of an incident's pinned copies (the first and the urgent ones)."""
    return (OutboxMessageRow.kind == INCIDENT_KIND) & OutboxMessageRow.key.startswith(
        f"{INCIDENT_KIND}:{incident_id}|", autoescape=True
    )


async def close_incident(
    session: AsyncSession, clock: Clock, coordinator_id: int, incident_id: int
) -> tuple[str, int]:
    """Close the incident as an active coordinator now; its title and to how many the closing
    line goes. Raise :class:`IncidentError` (not a coordinator, unknown, closed already)."""
    await check_coordinator(session, coordinator_id)
    if not 0 < incident_id <= _LARGEST_ID:
        raise IncidentError(IncidentProblem.UNKNOWN)
    incident = await session.get(IncidentRow, incident_id)
    if incident is None or incident.status != IncidentStatus.SENT:
        raise IncidentError(IncidentProblem.UNKNOWN)
    now = clock.now()
    changed = await session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id, IncidentRow.closed_at.is_(None))
        .values(closed_at=now, closed_by=coordinator_id)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise IncidentError(IncidentProblem.CLOSED)
    prefix = f"{INCIDENT_KIND}:{incident_id}|"
    await session.execute(
        update(OutboxMessageRow)
        .where(
            OutboxMessageRow.kind.in_([INCIDENT_KIND, REPORT_KIND]),
            OutboxMessageRow.key.startswith(prefix, autoescape=True),
            OutboxMessageRow.status == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.SKIPPED, last_error=WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    members = [row.telegram_user_id for row in await recipients_of(session, incident_id)]
    text = catalogue.html("incident.closing", title=incident.title)
    await enqueue(
        session,
        now,
        [
            NewMessage(
                key=f"{prefix}{member}|closed",
                kind=CLOSING_KIND,
                recipient=member,
                text=text,
                due_at=now,
                priority=Priority.INCIDENT,
                expires_at=None,
                operation=Operation.REPLY,  # under the member's first copy
                target_key=f"{prefix}{member}",
            )
            for member in members
        ],
    )
    await record(
        session,
        AuditAction.INCIDENT_CLOSED,
        coordinator_id,
        Subject.incident(incident_id),
        at=now,
        count=len(members),
        detail=incident.title,
    )
    return incident.title, len(members)


async def to_unpin(session: AsyncSession) -> list[Pinned]:
    """The closed incidents whose copies are not unpinned yet and none is being sent, with
    the copies Telegram accepted."""
    closed = list(
        await session.scalars(
            select(IncidentRow.id).where(
                IncidentRow.closed_at.is_not(None), IncidentRow.unpinned_at.is_(None)
            )
        )
    )
    found = []
    for incident_id in closed:
        rows = (
            await session.execute(
                select(
                    OutboxMessageRow.recipient,
                    OutboxMessageRow.telegram_message_id,
                    OutboxMessageRow.status,
                ).where(_copies(incident_id))
            )
        ).all()
        if any(status == OutboxStatus.SENDING for _chat, _id, status in rows):
            continue
        sent = [(chat, message) for chat, message, _status in rows if message is not None]
        found.append(Pinned(incident_id, sent))
    return found


async def mark_unpinned(session: AsyncSession, incident_id: int, at: datetime) -> None:
    await session.execute(
        update(IncidentRow).where(IncidentRow.id == incident_id).values(unpinned_at=at)
    )
