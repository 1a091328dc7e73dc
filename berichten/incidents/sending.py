"""Sending an incident: the buttons under it, its preview, and queueing it for everyone.

"Versturen" records the incident (:func:`planning.incidents.services.record_incident`, once per
draft), writes "composed" and "sent" to the audit log and queues one message per recipient, in
one unit of work: at incident priority (ahead of every reminder and newsletter already queued),
due now and without expiry, keyed ``incident:<id>|<member>``. A member on pause gets it now as
well: an incident is the one message a pause does not hold (README, docs/decisions/incidents.md).

The message is one Telegram message (the buttons and the pin act on it whole), so a text that
would not fit is refused before it is shown. The bot's sender pins every message that carries
the acknowledgement buttons (:func:`pins`) after Telegram accepted it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.store import Buttons, NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import incidents as texts
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning import catalogue
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.incidents.services import (
    Incident,
    IncidentError,
    IncidentProblem,
    RecordedIncident,
    record_incident,
)
from planning.incidents.status_message import set_status_message
from planning.membership.recipients import recipients
from planning.newsletters.issues import audience_members

INCIDENT_KIND = "incident"
READ_PREFIX, CONTACTING_PREFIX = "inc:r:", "inc:c:"


@dataclass(frozen=True)
class Preview:
    text: str
    members: int


def buttons(incident_id: int, *, read: bool = False, contacting: bool = False) -> Buttons:
    """ "Gelezen" and "Ik neem contact op" under every recipient's copy; once pressed, the
    answer given is marked (the recipient sees what they answered, the button still works)."""
    return [
        [
            (_label("incident.button.read", read), f"{READ_PREFIX}{incident_id}"),
            (_label("incident.button.contacting", contacting), f"{CONTACTING_PREFIX}{incident_id}"),
        ]
    ]


def _label(key: str, given: bool) -> str:
    label = catalogue.plain(key)
    return catalogue.plain("newsletter.chosen", label=label) if given else label


def pins(keyboard: Buttons | None) -> bool:
    """Whether a message with this keyboard is an incident, to be pinned once it is sent."""
    return any(data.startswith(READ_PREFIX) for row in keyboard or () for _label, data in row)


def check_length(text: str) -> None:
    """Refuse a message that would not fit one Telegram message, with room for the line an
    escalation round puts on top (:func:`berichten.texts.incidents.urgent`)."""
    if telegram_length(texts.urgent(text)) > TEXT_LIMIT:
        raise IncidentError(IncidentProblem.TOO_LONG)


async def preview(session: AsyncSession, incident: Incident) -> Preview:
    """The message exactly as members get it, and how many active members it reaches now."""
    check_length(incident.text)
    members = audience_members(await recipients(session), incident.audience)
    return Preview(incident.text, len(members))


async def send_incident(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    incident: Incident,
    status: tuple[int, int] | None = None,
) -> tuple[int, int]:
    """Record ``incident`` and queue it for every recipient; return its id and how many.
    One unit of work: the incident, its recipients, its audit lines and its messages commit
    together or not at all. ``status`` is the (chat, message) that is to show its status (the
    confirmation pressed); without it the bot sends the coordinator a new one."""
    check_length(incident.text)
    recorded = await record_incident(session, clock, coordinator_id, incident)
    if status is not None:
        await set_status_message(session, recorded.id, *status)
    actions = (AuditAction.INCIDENT_COMPOSED, AuditAction.INCIDENT_SENT)
    await queue_incident(session, coordinator_id, recorded, incident.title, incident.text, actions)
    return recorded.id, len(recorded.members)


async def queue_incident(
    session: AsyncSession,
    actor_id: int,
    recorded: RecordedIncident,
    title: str,
    text: str,
    actions: Sequence[AuditAction],
) -> None:
    """The audit lines ``actions`` by ``actor_id`` and one message per recipient, at incident
    priority: the send, whether at "Versturen" or at an approval."""
    subject = Subject.incident(recorded.id)
    count = len(recorded.members)
    for action in actions:
        await record(session, action, actor_id, subject, at=recorded.at, count=count, detail=title)
    await enqueue(session, recorded.at, _messages(recorded.id, text, recorded))


def _messages(incident_id: int, text: str, recorded: RecordedIncident) -> Sequence[NewMessage]:
    keyboard = buttons(incident_id)
    return [
        NewMessage(
            key=f"{INCIDENT_KIND}:{incident_id}|{member.telegram_user_id}",
            kind=INCIDENT_KIND,
            recipient=member.telegram_user_id,
            text=text,
            due_at=recorded.at,
            priority=Priority.INCIDENT,
            expires_at=None,
            buttons=keyboard,
        )
        for member in recorded.members
    ]
