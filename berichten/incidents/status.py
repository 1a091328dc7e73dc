"""The coordinator's status message of an incident: what it should show, and what it showed.

The figures are /incidenten's (:func:`berichten.incidents.overview.incident_figures`), with a
line on where escalation stands. The bot edits the message in place when this text changed
(:mod:`bot.incident_status`); what it showed and when is stored on the incident, so after a
restart only a change is edited again. Open incidents are looked at, and a closed one until its
closed state was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.incidents.overview import incident_figures
from berichten.texts import incidents as texts
from berichten.texts.dates import short_moment
from planning import catalogue
from planning.incidents.escalation import REPORT, RESEND, due_at
from planning.incidents.tables import IncidentRow, IncidentStatus
from planning.plan.store import plan_zone


@dataclass(frozen=True)
class Status:
    """What one incident's status message should show, and what it showed last."""

    incident_id: int
    chat_id: int  # the message's chat, or the sender's chat when there is none yet
    message_id: int | None
    text: str
    shown: str | None
    shown_at: datetime | None
    closed: bool


async def statuses(session: AsyncSession, every: timedelta) -> list[Status]:
    """The status of every open incident, and of each closed one not shown as closed yet."""
    query = select(IncidentRow).where(
        IncidentRow.status == IncidentStatus.SENT.value,  # not one awaiting approval
        or_(
            IncidentRow.closed_at.is_(None),
            IncidentRow.status_at.is_(None),
            IncidentRow.status_at <= IncidentRow.closed_at,
        ),
    )
    rows = {row.id: row for row in await session.scalars(query)}
    if not rows:
        return []
    zone = await plan_zone(session)
    found = await incident_figures(session, list(rows))
    result = []
    for figures in found:
        row = rows[figures.incident.id]
        state = _state(row, every, zone)
        result.append(
            Status(
                row.id,
                row.status_chat_id or row.sent_by,
                row.status_message_id,
                texts.status(figures, state),
                row.status_text,
                row.status_at,
                row.closed_at is not None,
            )
        )
    return result


def _state(row: IncidentRow, every: timedelta, zone: ZoneInfo) -> str:
    """Where escalation stands, or when it was closed."""
    if row.closed_at is not None:
        return catalogue.html("incident.status.closed_at", when=short_moment(row.closed_at, zone))
    next_round = due_at(row, every)
    if row.escalation_rounds < RESEND and next_round is not None:
        return catalogue.html("incident.status.before", when=short_moment(next_round, zone))
    done = short_moment(row.escalated_at or row.sent_at, zone)
    if row.escalation_rounds < REPORT and next_round is not None:
        return catalogue.html(
            "incident.status.resent", when=done, next=short_moment(next_round, zone)
        )
    return catalogue.html("incident.status.reported", when=done)
