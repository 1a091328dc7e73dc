"""When an incident escalates, and to whom: the rule, without the messages.

The first send is the first round. ``every`` after it (``OVERLEGBOT_INCIDENT_ESCALATE_MINUTES``)
whoever has not answered gets it again, marked urgent: :data:`RESEND`. ``every`` after that the
coordinator gets the organisations still uncovered: :data:`REPORT`. Then escalation ends. Each
round is due ``every`` after the one before it was done (not after the send), so a bot that was
down never does both at once: the members get their time after the urgent copy.

Escalation stops for an organisation as soon as anyone there answered (either button), and for
everyone once the incident is closed. A member on pause is not skipped: an incident breaks
through a pause. A round is taken with a conditional UPDATE on the number of rounds done, so of
two runs at once one does it; the messages it queues have stable keys and commit with it
(:mod:`berichten.incidents.escalation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.incidents.tables import IncidentRecipientRow, IncidentRow, IncidentStatus

RESEND, REPORT = 1, 2  # the rounds after the first send
ROUNDS = REPORT


@dataclass(frozen=True)
class Round:
    """A round taken: which, of which incident, at what moment."""

    incident: IncidentRow
    number: int
    at: datetime


def answered(row: IncidentRecipientRow) -> bool:
    return row.read_at is not None or row.contacting_at is not None


def still_to_reach(rows: Sequence[IncidentRecipientRow]) -> list[int]:
    """The recipients who get the urgent copy: no answer of their own, and nobody of their
    organisation answered either (one without an organisation stands alone)."""
    covered = {row.organisation for row in rows if answered(row) and row.organisation is not None}
    return [
        row.telegram_user_id
        for row in rows
        if not answered(row) and (row.organisation is None or row.organisation not in covered)
    ]


def due_at(incident: IncidentRow, every: timedelta) -> datetime | None:
    """When ``incident``'s next round is due; None when none is left (or it is closed)."""
    if (
        incident.status != IncidentStatus.SENT
        or incident.closed_at is not None
        or incident.escalation_rounds >= ROUNDS
    ):
        return None
    return (incident.escalated_at or incident.sent_at) + every


async def _open(session: AsyncSession) -> list[IncidentRow]:
    query = select(IncidentRow).where(  # awaiting approval: not sent, so no round yet
        IncidentRow.status == IncidentStatus.SENT.value,
        IncidentRow.closed_at.is_(None),
        IncidentRow.escalation_rounds < ROUNDS,
    )
    return list(await session.scalars(query.order_by(IncidentRow.id)))


async def next_escalation(session: AsyncSession, every: timedelta) -> datetime | None:
    """The moment the next round of any open incident is due, to wake the outbox job for it."""
    moments = [m for incident in await _open(session) if (m := due_at(incident, every))]
    return min(moments, default=None)


async def take_due_rounds(session: AsyncSession, now: datetime, every: timedelta) -> list[Round]:
    """Take every round due at ``now`` (at most one per incident), each once."""
    taken = []
    for incident in await _open(session):
        moment = due_at(incident, every)
        if moment is None or moment > now:
            continue
        done = incident.escalation_rounds
        changed = await session.execute(
            update(IncidentRow)
            .where(
                IncidentRow.id == incident.id,
                IncidentRow.escalation_rounds == done,
                IncidentRow.status == IncidentStatus.SENT.value,
                IncidentRow.closed_at.is_(None),
            )
            .values(escalation_rounds=done + 1, escalated_at=now)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount == 1:  # type: ignore[attr-defined]
            taken.append(Round(incident, done + 1, now))
    return taken


async def recipients_of(session: AsyncSession, incident_id: int) -> list[IncidentRecipientRow]:
    rows = await session.scalars(
        select(IncidentRecipientRow)
        .where(IncidentRecipientRow.incident_id == incident_id)
        .order_by(IncidentRecipientRow.telegram_user_id)
    )
    return list(rows)
