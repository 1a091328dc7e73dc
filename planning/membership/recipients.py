"""The active members as plain values, for runs that address many of them at once.

A queueing run needs, for every active member, only their Telegram id, role, organisation and
groups. Loading them as ORM objects (with their groups and organisation) costs most of a run at
10,000 members; two plain queries give the same in a fraction. Audiences are then picked in
Python with the same rule as everywhere (:func:`planning.membership.rules.in_audience`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.membership.rules import in_audience
from planning.membership.tables import (
    GroupRow,
    MemberRow,
    MemberStatus,
    OrganisationRow,
    Role,
    member_groups,
)


@dataclass(frozen=True)
class Recipient:
    """An active member as a message addresses them."""

    telegram_user_id: int
    is_coordinator: bool
    organisation: str | None  # its code
    group_codes: frozenset[str]


async def recipients(session: AsyncSession, only: Collection[int] | None = None) -> list[Recipient]:
    """Every active member (or those of ``only`` who are active), by Telegram id."""
    members = (
        select(MemberRow.id, MemberRow.telegram_user_id, MemberRow.role, OrganisationRow.code)
        .outerjoin(OrganisationRow, MemberRow.organisation_id == OrganisationRow.id)
        .where(MemberRow.status == MemberStatus.ACTIVE)
        .order_by(MemberRow.telegram_user_id)
    )
    memberships = (
        select(member_groups.c.member_id, GroupRow.code)
        .join(GroupRow, member_groups.c.group_id == GroupRow.id)
        .join(MemberRow, member_groups.c.member_id == MemberRow.id)
        .where(MemberRow.status == MemberStatus.ACTIVE)
    )
    if only is not None:
        members = members.where(MemberRow.telegram_user_id.in_(list(only)))
        memberships = memberships.where(MemberRow.telegram_user_id.in_(list(only)))
    groups: dict[int, set[str]] = {}
    for member_id, code in await session.execute(memberships):
        groups.setdefault(member_id, set()).add(code)
    return [
        Recipient(user_id, role == Role.COORDINATOR, organisation, frozenset(groups.get(id_, ())))
        for id_, user_id, role, organisation in await session.execute(members)
    ]


def in_groups(everyone: Iterable[Recipient], group_codes: Iterable[str]) -> list[Recipient]:
    """Those a message for these groups goes to."""
    codes = set(group_codes)
    return [recipient for recipient in everyone if in_audience(recipient, codes)]


def of_organisation(everyone: Iterable[Recipient], code: str) -> list[Recipient]:
    """Those of one organisation, e.g. the owner of a product."""
    return [recipient for recipient in everyone if recipient.organisation == code]


def coordinators(everyone: Sequence[Recipient]) -> list[Recipient]:
    """The coordinators among them."""
    return [recipient for recipient in everyone if recipient.is_coordinator]
