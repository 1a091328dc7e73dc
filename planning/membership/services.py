"""Who takes part: organisations, groups, invites and the members they register.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
Failures a person can cause (an unknown or used code, an unknown organisation) are raised as
:class:`MembershipError` with a reason the caller turns into Dutch; the unit of work is rolled
back, so nothing half-done is stored.
"""

from __future__ import annotations

import enum
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.membership.lookups import find_member, known_member
from planning.membership.tables import (
    GroupRow,
    InviteRow,
    MemberRow,
    MemberStatus,
    OrganisationRow,
    Role,
)
from planning.typed_text import clean_line

DEFAULT_INVITE_LIFETIME = timedelta(days=14)
# Telegram's deep-link parameter allows 1-64 characters of A-Z a-z 0-9 _ -; 16 url-safe
# characters carry 96 random bits and stay short enough to read out over the phone.
_CODE_BYTES = 12
_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


class MembershipRefusal(enum.StrEnum):
    """Why a membership request was refused; the bot maps each to a Dutch sentence."""

    UNKNOWN_CODE = "unknown_code"
    USED_CODE = "used_code"
    EXPIRED_CODE = "expired_code"
    ALREADY_MEMBER = "already_member"
    UNKNOWN_ORGANISATION = "unknown_organisation"
    UNKNOWN_GROUP = "unknown_group"
    NOT_A_MEMBER = "not_a_member"


class MembershipError(Exception):
    """A request a person made that cannot be honoured; ``detail`` names the culprit."""

    def __init__(self, reason: MembershipRefusal, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Registration:
    """The outcome of a redeemed invite; the welcome differs for someone who comes back."""

    member: MemberRow
    returning: bool  # True when a member who had left (or blocked the bot) came back


class Verdict(enum.Enum):
    """What the bot may do for a person who writes to it."""

    MEMBER = "member"  # an active member: go ahead
    ADMIN_REGISTERED = "admin_registered"  # a configured admin just became a coordinator
    MAY_START = "may_start"  # not a member, but /start with a code is how one gets in
    LEFT = "left"  # signed off earlier: refuse, and say how to come back
    STRANGER = "stranger"  # refuse politely; store nothing


@dataclass(frozen=True)
class Admission:
    verdict: Verdict
    member: MemberRow | None


async def admit(
    session: AsyncSession,
    clock: Clock,
    *,
    telegram_user_id: int,
    name: str,
    username: str | None,
    admins: frozenset[int],
    starting: bool,
) -> Admission:
    """Decide whether a person may use the bot; register configured admins on first contact.

    An admin who signed off is registered again only when they say /start, so /afmelden means
    something for them too. A coordinator without an organisation (an admin who came before
    the plan did) gets the coordination team's on their next contact, once there is exactly
    one (:func:`coordination_team`).
    """
    member = await known_member(session, telegram_user_id)  # most updates: no query at all
    if member is not None and member.is_active:
        if member.role == Role.COORDINATOR and member.organisation_id is None:
            member = await find_member(session, telegram_user_id)  # to be changed: not cached
            assert member is not None
            await _join_coordination_team(session, member)
        return Admission(Verdict.MEMBER, member)
    if telegram_user_id in admins and (member is None or starting):
        member = await register_admin(
            session, clock, telegram_user_id=telegram_user_id, name=name, username=username
        )
        return Admission(Verdict.ADMIN_REGISTERED, member)
    if starting:
        return Admission(Verdict.MAY_START, member)
    left = member is not None and member.status == MemberStatus.LEFT
    return Admission(Verdict.LEFT if left else Verdict.STRANGER, member)


async def add_organisation(
    session: AsyncSession, code: str, name: str, kind: str
) -> OrganisationRow:
    """Create or update an organisation, so that re-running a seed or import is harmless."""
    organisation = await _one_by_code(session, OrganisationRow, code)
    if organisation is None:
        organisation = OrganisationRow(code=code, name=name, kind=kind)
        session.add(organisation)
    else:
        organisation.name, organisation.kind = name, kind
    await session.flush()  # the id and in_plan, for the caller
    return organisation


async def add_group(session: AsyncSession, code: str, name: str) -> GroupRow:
    """Create or update a group, so that re-running a seed or import is harmless."""
    group = await _one_by_code(session, GroupRow, code)
    if group is None:
        group = GroupRow(code=code, name=name)
        session.add(group)
    else:
        group.name = name
    await session.flush()  # the id and in_plan, for the caller
    return group


async def create_invites(
    session: AsyncSession,
    clock: Clock,
    *,
    role: Role,
    organisation_code: str,
    group_codes: Iterable[str] = (),
    lifetime: timedelta = DEFAULT_INVITE_LIFETIME,
    count: int = 1,
    created_by: int | None = None,
) -> list[InviteRow]:
    """Make ``count`` single-use invites that share role, organisation, groups and expiry."""
    if count < 1:
        raise ValueError("count must be at least 1")
    if lifetime <= timedelta(0):
        raise ValueError("an invite must live for some time")
    now = clock.now()
    organisation = await _one_by_code(session, OrganisationRow, organisation_code)
    if organisation is None:
        raise MembershipError(MembershipRefusal.UNKNOWN_ORGANISATION, organisation_code)
    groups = await _groups_by_code(session, group_codes)
    invites = [
        InviteRow(
            code=secrets.token_urlsafe(_CODE_BYTES),
            role=role,
            organisation=organisation,
            groups=list(groups),
            created_at=now,
            expires_at=now + lifetime,
            created_by=created_by,
        )
        for _ in range(count)
    ]
    session.add_all(invites)
    await session.flush()  # the ids, for the caller
    return invites


async def redeem_invite(
    session: AsyncSession,
    clock: Clock,
    *,
    code: str,
    telegram_user_id: int,
    name: str,
    username: str | None,
) -> Registration:
    """Register the person with the invite's role, organisation and groups, using the code up.

    An active member who opens a second link is told so and the code stays unused, so the
    coordinator can still hand it to someone else.
    """
    now = clock.now()
    member = await find_member(session, telegram_user_id)
    if member is not None and member.is_active:
        # Checked first: a member re-opening their own (used) link is not a refusal.
        raise MembershipError(MembershipRefusal.ALREADY_MEMBER)
    # A text that cannot be a code (too long, other characters) is not looked up.
    invite = None
    if _CODE_SHAPE.fullmatch(code):
        invite = await session.scalar(select(InviteRow).where(InviteRow.code == code))
    if invite is None:
        raise MembershipError(MembershipRefusal.UNKNOWN_CODE)
    if invite.used_at is not None:
        raise MembershipError(MembershipRefusal.USED_CODE)
    if invite.expires_at <= now:
        raise MembershipError(MembershipRefusal.EXPIRED_CODE)
    # Claim the code with a conditional UPDATE, so two people opening the same link at the
    # same moment cannot both get in, on SQLite (no row locks) as on PostgreSQL.
    claimed = await session.execute(
        update(InviteRow)
        .where(InviteRow.id == invite.id, InviteRow.used_at.is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise MembershipError(MembershipRefusal.USED_CODE)
    returning = member is not None
    if member is None:
        member = MemberRow(telegram_user_id=telegram_user_id, registered_at=now)
    member.name, member.username = clean_line(name), username
    member.organisation = invite.organisation
    member.role = invite.role
    member.groups = list(invite.groups)
    _set_status(member, MemberStatus.ACTIVE, now)
    session.add(member)
    await session.flush()
    invite.used_by_member_id = member.id
    return Registration(member=member, returning=returning)


async def register_admin(
    session: AsyncSession,
    clock: Clock,
    *,
    telegram_user_id: int,
    name: str,
    username: str | None,
) -> MemberRow:
    """Register (or reactivate) a configured admin as coordinator without an invite.

    Admins belong to the coordination team's organisation when the plan has exactly one
    (:func:`coordination_team`); otherwise to none until then, or until ``overlegbot members
    set`` gives them one.
    """
    now = clock.now()
    member = await find_member(session, telegram_user_id)
    if member is None:
        member = MemberRow(telegram_user_id=telegram_user_id, registered_at=now, organisation=None)
    member.name, member.username = clean_line(name), username
    member.role = Role.COORDINATOR
    _set_status(member, MemberStatus.ACTIVE, now)
    await _join_coordination_team(session, member)
    session.add(member)
    await session.flush()  # the id, for the caller
    return member


async def coordination_team(session: AsyncSession) -> OrganisationRow | None:
    """The plan's one organisation of kind ``coordinatie``; None when it has none or several."""
    teams = (
        await session.scalars(
            select(OrganisationRow)
            .where(OrganisationRow.kind == "coordinatie", OrganisationRow.in_plan.is_(True))
            .limit(2)
        )
    ).all()
    return teams[0] if len(teams) == 1 else None


async def _join_coordination_team(session: AsyncSession, member: MemberRow) -> None:
    if member.role == Role.COORDINATOR and member.organisation_id is None:
        team = await coordination_team(session)
        if team is not None:
            member.organisation = team


async def set_membership(
    session: AsyncSession,
    telegram_user_id: int,
    *,
    organisation_code: str | None = None,
    role: Role | None = None,
) -> MemberRow:
    """Give a known member (in any status) another organisation or role, from the server."""
    member = await find_member(session, telegram_user_id)
    if member is None:
        raise MembershipError(MembershipRefusal.NOT_A_MEMBER, str(telegram_user_id))
    if organisation_code is not None:
        organisation = await _one_by_code(session, OrganisationRow, organisation_code)
        if organisation is None:
            raise MembershipError(MembershipRefusal.UNKNOWN_ORGANISATION, organisation_code)
        member.organisation = organisation
    if role is not None:
        member.role = role
    await session.flush()
    return member


async def promote_admins(session: AsyncSession, telegram_user_ids: Iterable[int]) -> None:
    """Make sure registered admins are coordinators, so the settings win over the database."""
    ids = list(telegram_user_ids)
    if not ids:
        return
    members = await session.scalars(select(MemberRow).where(MemberRow.telegram_user_id.in_(ids)))
    for member in members:
        member.role = Role.COORDINATOR


async def leave(session: AsyncSession, clock: Clock, telegram_user_id: int) -> MemberRow:
    """Sign a member off: erase name, username and groups; keep the row as a record.

    The row keeps the Telegram id, organisation and status ``left`` so coordinators can see that
    someone of an organisation left and the bot sends them nothing more; a new invite brings
    the person back.
    """
    now = clock.now()
    member = await find_member(session, telegram_user_id)
    if member is None or member.status == MemberStatus.LEFT:
        raise MembershipError(MembershipRefusal.NOT_A_MEMBER)
    member.name, member.username, member.groups = "", None, []
    _set_status(member, MemberStatus.LEFT, now)
    return member


async def set_blocked(
    session: AsyncSession, clock: Clock, telegram_user_id: int, blocked: bool
) -> bool:
    """Record that a member blocked (or unblocked) the bot; False if we do not know them.

    A member who left stays left when they unblock: only a new invite brings them back.
    """
    now = clock.now()
    member = await find_member(session, telegram_user_id)
    if member is None:
        return False
    if blocked and member.status == MemberStatus.ACTIVE:
        _set_status(member, MemberStatus.BLOCKED, now)
    elif not blocked and member.status == MemberStatus.BLOCKED:
        _set_status(member, MemberStatus.ACTIVE, now)
    return True


def _set_status(member: MemberRow, status: MemberStatus, now: datetime) -> None:
    if member.status != status:
        member.status = status
        member.status_changed_at = now


_Coded = TypeVar("_Coded", OrganisationRow, GroupRow)


async def _one_by_code(session: AsyncSession, model: type[_Coded], code: str) -> _Coded | None:
    return await session.scalar(select(model).where(model.code == code))


async def _groups_by_code(session: AsyncSession, codes: Iterable[str]) -> list[GroupRow]:
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return []
    found = {
        g.code: g for g in await session.scalars(select(GroupRow).where(GroupRow.code.in_(wanted)))
    }
    for code in wanted:
        if code not in found:
            raise MembershipError(MembershipRefusal.UNKNOWN_GROUP, code)
    return [found[code] for code in wanted]
