"""What registering, /mijngegevens, /leden and /uitnodigen show: the answer to /start, the
welcome after an invite, the member's own data, the member list, the invite summary and the role
buttons.

They are built from catalogue entries in HTML parse mode; every value coming from a person or
the plan file is escaped by :func:`planning.catalogue.html`. The invite links themselves are
:func:`berichten.texts.membership.invite_link`, which the CLI prints as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from berichten.texts.dates import long_moment, short_moment
from planning import catalogue
from planning.membership.services import Registration
from planning.membership.tables import GroupRow, InviteRow, MemberRow, MemberStatus


def role_name(role: str) -> str:
    """A role as members call it."""
    return catalogue.plain(f"role.{role}")


def group_names(groups: Iterable[GroupRow]) -> str:
    """Groups as one readable phrase; "geen" rather than an empty string."""
    names = [group.name for group in groups]
    return ", ".join(names) if names else catalogue.plain("none")


def organisation_name(member: MemberRow) -> str:
    """An admin may have no organisation yet; say so instead of showing nothing."""
    if member.organisation is None:
        return catalogue.plain("no_organisation")
    return member.organisation.name


def greeting(member: MemberRow | None, *, admin: bool) -> str:
    """The answer to /start without a code, which depends on who says it."""
    if member is None:
        return catalogue.html("refused.stranger")
    if member.status == MemberStatus.LEFT:
        return catalogue.html("refused.left")
    if admin:
        return catalogue.html("start.welcome_admin", name=member.name)
    return catalogue.html("start.hello_again", name=member.name)


def welcome(registration: Registration) -> str:
    """The first message after an invite: it confirms organisation and groups to check."""
    member = registration.member
    key = "start.welcome_back" if registration.returning else "start.welcome"
    return catalogue.html(
        key,
        name=member.name,
        role=role_name(member.role),
        organisation=organisation_name(member),
        groups=group_names(member.groups),
    )


def my_data(member: MemberRow, zone: ZoneInfo) -> str:
    """Everything stored about the member, as the AVG asks us to be able to show."""
    return catalogue.html(
        "mydata.text",
        status=catalogue.plain(f"status.{member.status}"),
        name=member.name,
        username=f"@{member.username}" if member.username else catalogue.plain("none"),
        telegram_id=member.telegram_user_id,
        organisation=organisation_name(member),
        role=role_name(member.role),
        groups=group_names(member.groups),
        registered=long_moment(member.registered_at, zone),
    )


def member_line(member: MemberRow) -> str:
    """One line of /leden; a member who left has no name any more."""
    return catalogue.html(
        "members.line",
        name=member.name
        if member.status != MemberStatus.LEFT
        else catalogue.plain("members.left_name"),
        organisation=organisation_name(member),
        role=role_name(member.role),
        groups=group_names(member.groups),
        status=catalogue.plain(f"status.{member.status}"),
    )


def member_list(members: Sequence[MemberRow]) -> list[str]:
    """The member list as lines; the caller splits them over messages of Telegram's size."""
    if not members:
        return [catalogue.html("members.empty")]
    active = sum(1 for member in members if member.is_active)
    header = catalogue.html("members.header", active=active, total=len(members))
    return [header] + [member_line(member) for member in members]


def invite_summary(invites: Sequence[InviteRow], zone: ZoneInfo) -> str:
    """What the links just made are for; they follow in separate messages."""
    first = invites[0]
    return catalogue.html(
        "invite.summary",
        n=len(invites),
        role=role_name(first.role),
        organisation=first.organisation.name,
        groups=group_names(first.groups),
        expires=short_moment(first.expires_at, zone),
    )
