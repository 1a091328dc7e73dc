"""/incidenten: the latest incidents with their answers per organisation, in Dutch HTML.

The figures come from :mod:`planning.incidents.overview`; which recipients the bot could not
reach is read here from the outbox (their message failed, or was skipped: they blocked the bot).
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.incidents.sending import INCIDENT_KIND
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from berichten.texts import incidents as texts
from berichten.texts.html import pack
from planning import catalogue
from planning.incidents.overview import Figures, figures, partners, sent_incidents
from planning.plan.store import plan_zone


async def overview_messages(session: AsyncSession) -> list[str]:
    """The messages /incidenten sends: one block per incident, packed into as few messages as
    Telegram's limit allows; one line when none was sent yet."""
    found = await incident_figures(session)
    if not found:
        return [catalogue.html("incident.overview.none")]
    zone = await plan_zone(session)
    blocks = [texts.overview_block(one, zone) for one in found]
    return pack([catalogue.html("incident.overview.heading"), *blocks], separator="\n\n")


async def incident_figures(
    session: AsyncSession, ids: Collection[int] | None = None
) -> list[Figures]:
    """The figures of the latest incidents (or of ``ids``), newest first: what /incidenten,
    the coordinator's status message and the escalation's report show."""
    incidents = await sent_incidents(session, ids=ids)
    if not incidents:
        return []
    undelivered = await _undelivered(session, [incident.id for incident in incidents])
    known = await partners(session)
    return [figures(incident, known, undelivered.get(incident.id, set())) for incident in incidents]


async def _undelivered(session: AsyncSession, ids: list[int]) -> dict[int, set[int]]:
    """Per incident, the recipients whose first copy failed or was skipped (an urgent copy
    withdrawn when the incident was closed does not make anyone unreachable)."""
    prefixes = tuple(f"{INCIDENT_KIND}:{incident_id}|" for incident_id in ids)
    rows = await session.execute(
        select(OutboxMessageRow.key, OutboxMessageRow.recipient).where(
            OutboxMessageRow.kind == INCIDENT_KIND,
            OutboxMessageRow.status.in_([OutboxStatus.FAILED, OutboxStatus.SKIPPED]),
        )
    )
    found: dict[int, set[int]] = {}
    for key, recipient in rows:
        if key.startswith(prefixes) and key.count("|") == 1:
            incident_id = int(key.split(":", 1)[1].split("|", 1)[0])
            found.setdefault(incident_id, set()).add(recipient)
    return found
