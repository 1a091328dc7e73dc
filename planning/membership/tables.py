"""The tables of who takes part: organisations, groups, members and the invites that make members.

Status and role are short strings (not database enums), so a new value needs only a plain
migration on both SQLite and PostgreSQL.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import true

from planning.tables import Base, UtcDateTime


class Role(enum.StrEnum):
    """What a person may do: members receive and submit, coordinators also broadcast and invite."""

    LID = "lid"
    COORDINATOR = "coordinator"


class MemberStatus(enum.StrEnum):
    """Whether the bot may write to a member at all."""

    ACTIVE = "active"
    LEFT = "left"
    BLOCKED = "blocked"


member_groups = Table(
    "member_groups",
    Base.metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)

invite_groups = Table(
    "invite_groups",
    Base.metadata,
    Column("invite_id", ForeignKey("invites.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class OrganisationRow(Base):
    """A municipality, ministry, the VNG or the coordination team (``soort`` in the plan)."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    on_call: Mapped[str | None] = mapped_column(String(200))  # piketnummer, for incidents
    # False once a re-imported plan no longer names it; kept because members belong to it.
    in_plan: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class GroupRow(Base):
    """An audience of members, such as the petit comité or the contact persons."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    in_plan: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class MemberRow(Base):
    """A person who registered with an invite (or is a configured admin)."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(64))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    role: Mapped[str] = mapped_column(String(16), default=Role.LID)
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.ACTIVE)
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)

    organisation: Mapped[OrganisationRow | None] = relationship(lazy="selectin")
    groups: Mapped[list[GroupRow]] = relationship(
        secondary=member_groups, lazy="selectin", order_by=GroupRow.name
    )

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR

    @property
    def group_codes(self) -> frozenset[str]:
        return frozenset(group.code for group in self.groups)

    @property
    def is_active(self) -> bool:
        return self.status == MemberStatus.ACTIVE


class InviteRow(Base):
    """A single-use code that registers one person with a role, organisation and groups."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The Telegram user id of the coordinator who made it in chat; None when made with the CLI.
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL")
    )

    organisation: Mapped[OrganisationRow] = relationship(lazy="selectin")
    groups: Mapped[list[GroupRow]] = relationship(
        secondary=invite_groups, lazy="selectin", order_by=GroupRow.name
    )
