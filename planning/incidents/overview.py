"""What /incidenten shows: incidents sent, newest first, with who answered per organisation.

Per organisation of the plan (and any other a recipient belonged to) the recipients are
*read* (pressed "Gelezen" or "Ik neem contact op"), *unreachable* (the bot could not deliver
it: they blocked the bot or left, or the message failed) or *not yet*. An organisation is
*covered* when at least one of its people read it; the partners with nobody are the ones to
chase. The coordination team is not a partner here, though its members may be recipients.

Which messages failed is the outbox's to know (``berichten``); :func:`figures` is pure and takes
it as a set, so the rule is tested without a database.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.incidents.tables import IncidentRecipientRow, IncidentRow, IncidentStatus
from planning.membership.tables import MemberRow, MemberStatus, OrganisationRow

SHOWN = 10  # the latest incidents /incidenten lists
COORDINATION = "coordinatie"  # the kind of the coordination team's organisation


@dataclass(frozen=True)
class Recipient:
    """One recipient as the overview needs them: their name now (None once they left)."""

    telegram_user_id: int
    name: str | None
    organisation: str | None  # its code, when the incident was sent
    answered: bool
    reachable: bool  # still an active member


@dataclass(frozen=True)
class Sent:
    """One incident as stored, with its recipients."""

    id: int
    title: str
    sent_at: datetime
    sent_by: str | None
    closed: bool
    recipients: tuple[Recipient, ...]
    # The organisations chosen when only organisations were (not everyone, no group): then
    # only those are partners to cover.
    only: tuple[str, ...] | None = None


@dataclass(frozen=True)
class OrganisationFigures:
    name: str
    read: tuple[str | None, ...]  # names; None for a member who left
    not_yet: tuple[str | None, ...]
    unreachable: tuple[str | None, ...]
    partner: bool = True  # False: the coordination team, shown but not a partner to cover
    on_call: str | None = None  # the organisation's piketnummer, from the plan

    @property
    def covered(self) -> bool:
        return bool(self.read)


@dataclass(frozen=True)
class Figures:
    incident: Sent
    organisations: tuple[OrganisationFigures, ...]  # partners first by name, then the rest

    @property
    def covered(self) -> list[str]:
        return [o.name for o in self.organisations if o.partner and o.covered]

    @property
    def uncovered(self) -> list[str]:
        return [o.name for o in self.organisations if o.partner and not o.covered]


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    kind: str
    in_plan: bool = True
    on_call: str | None = None


async def sent_incidents(
    session: AsyncSession, limit: int = SHOWN, ids: Collection[int] | None = None
) -> list[Sent]:
    """The latest ``limit`` incidents (or those of ``ids``), newest first, with their
    recipients as they are now."""
    query = (  # sent ones: awaiting approval or rejected, it reached nobody
        select(IncidentRow)
        .where(IncidentRow.status == IncidentStatus.SENT.value)
        .order_by(IncidentRow.id.desc())
    )
    if ids is not None:
        query = query.where(IncidentRow.id.in_(list(ids)))
    incidents = list(await session.scalars(query.limit(limit)))
    ids = [incident.id for incident in incidents]
    rows = list(
        await session.scalars(
            select(IncidentRecipientRow)
            .where(IncidentRecipientRow.incident_id.in_(ids))
            .order_by(IncidentRecipientRow.telegram_user_id)
        )
    )
    people = {row.telegram_user_id for row in rows} | {i.sent_by for i in incidents}
    members = {
        user: (name, status)
        for user, name, status in await session.execute(
            select(MemberRow.telegram_user_id, MemberRow.name, MemberRow.status).where(
                MemberRow.telegram_user_id.in_(list(people))
            )
        )
    }

    def name(user: int) -> str | None:
        known, status = members.get(user, (None, MemberStatus.LEFT))
        return None if status == MemberStatus.LEFT else known

    def recipient(row: IncidentRecipientRow) -> Recipient:
        answered = row.read_at is not None or row.contacting_at is not None
        active = members.get(row.telegram_user_id, ("", ""))[1] == MemberStatus.ACTIVE
        user = row.telegram_user_id
        return Recipient(user, name(user), row.organisation, answered, active)

    return [
        Sent(
            incident.id,
            incident.title,
            incident.sent_at,
            name(incident.sent_by),
            incident.closed_at is not None,
            tuple(recipient(row) for row in rows if row.incident_id == incident.id),
            _only(incident.audience),
        )
        for incident in incidents
    ]


def _only(audience: str) -> tuple[str, ...] | None:
    chosen = json.loads(audience)
    if chosen.get("everyone") or chosen.get("groups") or not chosen.get("organisations"):
        return None
    return tuple(chosen["organisations"])


async def partners(session: AsyncSession) -> list[Partner]:
    """Every organisation the bot knows, by name."""
    rows = await session.scalars(select(OrganisationRow).order_by(OrganisationRow.name))
    return [Partner(row.code, row.name, row.kind, row.in_plan, row.on_call) for row in rows]


def figures(
    incident: Sent, organisations: Sequence[Partner], undelivered: Collection[int]
) -> Figures:
    """``incident``'s answers per organisation: every partner in the plan (or those chosen, when
    only organisations were), the coordination team only when it had recipients; each recipient
    read, unreachable (not an active member now, or in ``undelivered``: their message failed or
    was skipped) or not yet."""
    by_code = {partner.code: partner for partner in organisations}
    codes = {r.organisation for r in incident.recipients if r.organisation is not None}

    def partner_here(partner: Partner) -> bool:
        if partner.code in codes:
            return True
        if incident.only is not None:
            return partner.code in incident.only
        return partner.in_plan and partner.kind != COORDINATION

    shown = [partner for partner in organisations if partner_here(partner)]
    shown += [Partner(code, code, "") for code in sorted(codes) if code not in by_code]
    result = []
    for partner in shown:
        people = [r for r in incident.recipients if r.organisation == partner.code]
        read = tuple(r.name for r in people if r.answered)
        unreachable = tuple(
            r.name
            for r in people
            if not r.answered and (not r.reachable or r.telegram_user_id in undelivered)
        )
        not_yet = tuple(
            r.name
            for r in people
            if not r.answered and r.reachable and r.telegram_user_id not in undelivered
        )
        is_partner = partner.kind != COORDINATION
        result.append(
            OrganisationFigures(
                partner.name, read, not_yet, unreachable, is_partner, partner.on_call
            )
        )
    return Figures(incident, tuple(result))
