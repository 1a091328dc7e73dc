"""Four eyes on incidents (``OVERLEGBOT_INCIDENT_APPROVAL=true``, off by default): asking the
other coordinators, and sending it when one approves.

"Versturen" with approval on records the incident awaiting approval and queues, for every
other active coordinator, a line saying it awaits approval, the message exactly as members
get it (without their buttons, so nothing is pinned or acknowledged) and a question with
"Goedkeuren" and "Afwijzen" (``inca:y:<id>``, ``inca:n:<id>``), at incident priority: speed
matters. With nobody else to ask nothing is recorded. "Goedkeuren" sends it as "Versturen"
does with approval off (:func:`berichten.incidents.sending.queue_incident`); the status
message goes to the composer. "Afwijzen" tells the composer. Keys:
``incident_approval:<id>|<coordinator>|message`` (and ``|question``),
``incident_decision:<id>|<composer>``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.incidents.sending import check_length, queue_incident
from berichten.outbox.store import Buttons, NewMessage, enqueue
from berichten.outbox.tables import Priority
from planning import catalogue
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.incidents.approval import decide
from planning.incidents.services import (
    Incident,
    IncidentError,
    IncidentProblem,
    check_coordinator,
    record_incident,
)
from planning.incidents.tables import IncidentStatus
from planning.membership.lookups import active_coordinators, find_member

APPROVAL_KIND = "incident_approval"
DECISION_KIND = "incident_decision"
APPROVE_PREFIX, REJECT_PREFIX = "inca:y:", "inca:n:"


def approval_buttons(incident_id: int) -> Buttons:
    return [
        [
            (catalogue.plain("incident.button.approve"), f"{APPROVE_PREFIX}{incident_id}"),
            (catalogue.plain("incident.button.reject"), f"{REJECT_PREFIX}{incident_id}"),
        ]
    ]


async def submit_for_approval(
    session: AsyncSession, clock: Clock, coordinator_id: int, incident: Incident
) -> tuple[int, int]:
    """Record ``incident`` awaiting approval and ask every other active coordinator; return
    its id and how many were asked. Nobody else to ask: :data:`IncidentProblem.NO_APPROVER`,
    and nothing is recorded."""
    check_length(incident.text)
    await check_coordinator(session, coordinator_id)
    approvers = [
        c.telegram_user_id
        for c in await active_coordinators(session)
        if c.telegram_user_id is not None and c.telegram_user_id != coordinator_id
    ]
    if not approvers:
        raise IncidentError(IncidentProblem.NO_APPROVER)
    recorded = await record_incident(
        session, clock, coordinator_id, incident, IncidentStatus.AWAITING_APPROVAL
    )
    await record(
        session,
        AuditAction.INCIDENT_COMPOSED,
        coordinator_id,
        Subject.incident(recorded.id),
        at=recorded.at,
        count=len(approvers),
        detail=incident.title,
    )
    name = await _name(session, coordinator_id)
    notice = catalogue.html("incident.approval.notice", coordinator=name)
    question = catalogue.html(
        "incident.approval.question",
        coordinator=name,
        title=incident.title,
        n=len(recorded.members),
    )
    key = f"{APPROVAL_KIND}:{recorded.id}"
    messages = []
    for approver in approvers:
        for part, text, keyboard in (
            ("notice", notice, None),
            ("message", incident.text, None),
            ("question", question, approval_buttons(recorded.id)),
        ):
            messages.append(
                NewMessage(
                    key=f"{key}|{approver}|{part}",
                    kind=APPROVAL_KIND,
                    recipient=approver,
                    text=text,
                    due_at=recorded.at,
                    priority=Priority.INCIDENT,
                    expires_at=None,
                    buttons=keyboard,
                )
            )
    await enqueue(session, recorded.at, messages)
    return recorded.id, len(approvers)


async def approve_and_send(
    session: AsyncSession, clock: Clock, coordinator_id: int, incident_id: int
) -> tuple[str, int]:
    """Approve and send it, in one unit of work (audit ``approved`` then ``sent``, by the
    approver); return its title and how many it is queued for."""
    row, recorded = await decide(session, clock, coordinator_id, incident_id, approve=True)
    assert recorded is not None
    actions = (AuditAction.INCIDENT_APPROVED, AuditAction.INCIDENT_SENT)
    await queue_incident(session, coordinator_id, recorded, row.title, row.text, actions)
    return row.title, len(recorded.members)


async def reject_and_tell(
    session: AsyncSession, clock: Clock, coordinator_id: int, incident_id: int
) -> str:
    """Reject it and tell its composer; nothing is sent. Return its title."""
    row, _ = await decide(session, clock, coordinator_id, incident_id, approve=False)
    now = clock.now()
    await record(
        session,
        AuditAction.INCIDENT_REJECTED,
        coordinator_id,
        Subject.incident(incident_id),
        at=now,
        detail=row.title,
    )
    text = catalogue.html(
        "incident.rejected_notice",
        coordinator=await _name(session, coordinator_id),
        title=row.title,
    )
    notice = NewMessage(
        key=f"{DECISION_KIND}:{incident_id}|{row.sent_by}",
        kind=DECISION_KIND,
        recipient=row.sent_by,
        text=text,
        due_at=now,
        priority=Priority.INCIDENT,
        expires_at=None,
    )
    await enqueue(session, now, [notice])
    return row.title


async def _name(session: AsyncSession, telegram_user_id: int) -> str:
    member = await find_member(session, telegram_user_id)
    return member.name if member is not None else ""
