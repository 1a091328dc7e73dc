"""Escalation's messages: the urgent copy, and the report of uncovered organisations.

Run by every wake of the outbox job (:func:`escalate_due`), before it delivers. Each round
(:mod:`planning.incidents.escalation`) queues its messages in its own unit of work, with the
round counter and its audit line: at incident priority, due now, keyed by round
(``incident:<id>|<member>|urgent``, ``incident:<id>|report|<part>``). A crash before the commit
loses nothing (the round is taken again), after it the outbox sends what was queued; only what
was in flight may be sent twice.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.incidents.overview import incident_figures
from berichten.incidents.sending import INCIDENT_KIND, buttons
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import incidents as texts
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.incidents.escalation import (
    RESEND,
    Round,
    recipients_of,
    still_to_reach,
    take_due_rounds,
)

REPORT_KIND = "incident_report"


async def escalate_due(session: AsyncSession, clock: Clock, every: timedelta) -> list[Round]:
    """Take and queue every round due now; return them."""
    rounds = await take_due_rounds(session, clock.now(), every)
    for taken in rounds:
        if taken.number == RESEND:
            await _resend(session, taken)
        else:
            await _report(session, taken)
    return rounds


async def _resend(session: AsyncSession, taken: Round) -> None:
    incident = taken.incident
    members = still_to_reach(await recipients_of(session, incident.id))
    text = texts.urgent(incident.text)
    keyboard = buttons(incident.id)
    await enqueue(
        session,
        taken.at,
        [
            NewMessage(
                key=f"{INCIDENT_KIND}:{incident.id}|{member}|urgent",
                kind=INCIDENT_KIND,
                recipient=member,
                text=text,
                due_at=taken.at,
                priority=Priority.INCIDENT,
                expires_at=None,
                buttons=keyboard,
            )
            for member in members
        ],
    )
    await record(
        session,
        AuditAction.INCIDENT_ESCALATED,
        None,
        Subject.incident(incident.id),
        at=taken.at,
        count=len(members),
        detail=incident.title,
    )


async def _report(session: AsyncSession, taken: Round) -> None:
    """The organisations still uncovered, with their recipients and piketnummer, to the
    coordinator who sent the incident; nothing when every partner is covered."""
    incident = taken.incident
    [found] = await incident_figures(session, [incident.id])
    # Those with recipients who did not answer first, then those with nobody registered.
    uncovered = sorted(
        (o for o in found.organisations if o.partner and not o.covered),
        key=lambda o: not (o.not_yet or o.unreachable),
    )
    if uncovered:
        parts = texts.report(incident.title, uncovered)
        await enqueue(
            session,
            taken.at,
            [
                NewMessage(
                    key=f"{INCIDENT_KIND}:{incident.id}|report|{number}",
                    kind=REPORT_KIND,
                    recipient=incident.sent_by,
                    text=text,
                    due_at=taken.at,
                    priority=Priority.INCIDENT,
                    expires_at=None,
                )
                for number, text in enumerate(parts, start=1)
            ],
        )
    await record(
        session,
        AuditAction.INCIDENT_REPORTED,
        None,
        Subject.incident(incident.id),
        at=taken.at,
        count=len(uncovered),
        detail=", ".join(o.name for o in uncovered) or None,
    )
