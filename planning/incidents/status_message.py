"""Which message shows an incident's status to its coordinator, and what it showed when.

Stored on the incident, so the bot edits the same message after a restart, and only when what
it should show changed (:mod:`berichten.incidents.status`, :mod:`bot.incident_status`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.incidents.tables import IncidentRow


async def set_status_message(
    session: AsyncSession, incident_id: int, chat_id: int, message_id: int
) -> None:
    """The message that is to show ``incident_id``'s status (the confirmation pressed)."""
    await session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .values(status_chat_id=chat_id, status_message_id=message_id)
    )


async def record_status(
    session: AsyncSession,
    incident_id: int,
    chat_id: int,
    message_id: int | None,
    text: str,
    at: datetime,
) -> None:
    """What the status message shows now, and when it was edited."""
    await session.execute(
        update(IncidentRow)
        .where(IncidentRow.id == incident_id)
        .values(
            status_chat_id=chat_id, status_message_id=message_id, status_text=text, status_at=at
        )
    )
