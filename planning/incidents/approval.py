"""Four eyes on incidents (``OVERLEGBOT_INCIDENT_APPROVAL=true``, off by default): the decision.

An incident awaiting approval is stored without recipients. Another active coordinator than
its composer approves or rejects it; the first decision stands (a conditional UPDATE on the
status, on SQLite as on PostgreSQL), so of two presses at once one decides. Approving draws
the recipients from the audience as it is now and makes the approval the moment it is sent:
escalation is timed from it (:mod:`planning.incidents.escalation`).
"""

from __future__ import annotations

import json

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.incidents.services import (
    IncidentError,
    IncidentProblem,
    RecordedIncident,
    add_recipients,
    check_coordinator,
)
from planning.incidents.tables import IncidentRow, IncidentStatus
from planning.membership.recipients import recipients
from planning.newsletters.issues import Audience, audience_members

_LARGEST_ID = 2**31 - 1


async def decide(
    session: AsyncSession, clock: Clock, coordinator_id: int, incident_id: int, approve: bool
) -> tuple[IncidentRow, RecordedIncident | None]:
    """Approve or reject an incident awaiting approval; return it and, approved, what it is
    sent to. Raise :class:`IncidentError`: :data:`IncidentProblem.OWN` for its composer,
    :data:`IncidentProblem.UNKNOWN` when there is nothing to decide (decided already, or a
    stale or forged press), :data:`IncidentProblem.NOBODY` when its audience is empty now."""
    await check_coordinator(session, coordinator_id)
    if not 0 < incident_id <= _LARGEST_ID:
        raise IncidentError(IncidentProblem.UNKNOWN)
    incident = await session.get(IncidentRow, incident_id)
    if incident is None or incident.status != IncidentStatus.AWAITING_APPROVAL:
        raise IncidentError(IncidentProblem.UNKNOWN)
    if incident.sent_by == coordinator_id:
        raise IncidentError(IncidentProblem.OWN)
    now = clock.now()
    status = IncidentStatus.SENT if approve else IncidentStatus.REJECTED
    members = []
    if approve:
        members = audience_members(await recipients(session), _audience(incident.audience))
        if not members:
            raise IncidentError(IncidentProblem.NOBODY)
    values: dict[str, object] = {"status": status.value}
    if approve:
        values |= {"sent_at": now, "recipients": len(members)}
    changed = await session.execute(
        update(IncidentRow)
        .where(
            IncidentRow.id == incident_id,
            IncidentRow.status == IncidentStatus.AWAITING_APPROVAL.value,
        )
        .values(values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise IncidentError(IncidentProblem.UNKNOWN)
    await session.refresh(incident)
    if not approve:
        return incident, None
    await add_recipients(session, incident_id, members)
    return incident, RecordedIncident(incident_id, members, now)


def _audience(stored: str) -> Audience:
    data = json.loads(stored)
    return Audience(
        everyone=data["everyone"],
        groups=tuple(data["groups"]),
        organisations=tuple(data["organisations"]),
    )
