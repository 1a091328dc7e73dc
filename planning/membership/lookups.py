"""Looking up who takes part: members, organisations and groups, as they are stored now.

Read-only queries; the changes are in :mod:`planning.membership.services`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.membership.rules import EVERYONE
from planning.membership.tables import GroupRow, MemberRow, MemberStatus, OrganisationRow, Role
from planning.read_cache import cached


async def list_organisations(session: AsyncSession) -> Sequence[OrganisationRow]:
    """All organisations by name, as a coordinator picks one from buttons."""
    return (await session.scalars(select(OrganisationRow).order_by(OrganisationRow.name))).all()


async def list_groups(session: AsyncSession) -> Sequence[GroupRow]:
    """All groups by name, as a coordinator picks them from buttons."""
    return (await session.scalars(select(GroupRow).order_by(GroupRow.name))).all()


async def organisation_by_id(session: AsyncSession, organisation_id: int) -> OrganisationRow | None:
    """Buttons carry ids (short, under Telegram's 64-byte limit); this turns one back."""
    return await session.get(OrganisationRow, organisation_id)


async def group_by_id(session: AsyncSession, group_id: int) -> GroupRow | None:
    """Buttons carry ids (short, under Telegram's 64-byte limit); this turns one back."""
    return await session.get(GroupRow, group_id)


async def find_member(session: AsyncSession, telegram_user_id: int) -> MemberRow | None:
    """The member with this Telegram id, in any status; None for a stranger."""
    return await session.scalar(
        select(MemberRow).where(MemberRow.telegram_user_id == telegram_user_id)
    )


async def known_member(session: AsyncSession, telegram_user_id: int) -> MemberRow | None:
    """As :func:`find_member`, from the read cache when it holds the member
    (:mod:`planning.read_cache`): for reading only, never to change or add to a session."""
    return await cached(
        session,
        ("member", telegram_user_id),
        lambda: find_member(session, telegram_user_id),
        keep=lambda member: member is not None,  # nothing is kept about strangers
    )


async def active_member(session: AsyncSession, telegram_user_id: int) -> MemberRow | None:
    """The member with this Telegram id if active; None if a stranger, left or blocked."""
    member = await find_member(session, telegram_user_id)
    return member if member is not None and member.is_active else None


async def list_members(session: AsyncSession) -> Sequence[MemberRow]:
    """Everyone the bot knows, active first, for the coordinators' overview."""
    query = select(MemberRow).order_by(MemberRow.status, MemberRow.name, MemberRow.id)
    return (await session.scalars(query)).all()


async def members_in_groups(
    session: AsyncSession, group_codes: Iterable[str]
) -> Sequence[MemberRow]:
    """The active members a message for these groups goes to (see ``rules.in_audience``)."""
    wanted = set(group_codes)
    query = select(MemberRow).where(MemberRow.status == MemberStatus.ACTIVE)
    if EVERYONE not in wanted:
        query = query.where(MemberRow.groups.any(GroupRow.code.in_(wanted)))
    return (await session.scalars(query.order_by(MemberRow.id))).all()


async def members_of_organisation(
    session: AsyncSession, organisation_code: str
) -> Sequence[MemberRow]:
    """The active members of an organisation, e.g. the owner of a product."""
    query = (
        select(MemberRow)
        .join(OrganisationRow, MemberRow.organisation_id == OrganisationRow.id)
        .where(MemberRow.status == MemberStatus.ACTIVE, OrganisationRow.code == organisation_code)
        .order_by(MemberRow.id)
    )
    return (await session.scalars(query)).all()


async def active_coordinators(session: AsyncSession) -> Sequence[MemberRow]:
    """Coordinators who get the coordinator command menu."""
    query = select(MemberRow).where(
        MemberRow.role == Role.COORDINATOR, MemberRow.status == MemberStatus.ACTIVE
    )
    return (await session.scalars(query)).all()
