"""The tables of the calendar: the plan's overleggen, meetings, products, milestones, reminders.

They hold what :class:`planning.calendar.model.Plan` describes; :mod:`planning.plan.store`
converts between the two. Derived and recurring meetings are not stored: they follow from their
overleg when the calendar is computed, so they move and vanish with their parent by
construction. Stored are the explicit meetings (each with a uid that survives moves, for
calendar feeds), single occurrences of a recurrence that were moved or cancelled, and the
history of milestone changes.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planning.membership.tables import GroupRow, OrganisationRow
from planning.tables import Base, UtcDateTime

overleg_groups = Table(
    "overleg_groups",
    Base.metadata,
    Column("overleg_id", ForeignKey("overleggen.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)

meeting_groups = Table(
    "meeting_groups",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)

product_groups = Table(
    "product_groups",
    Base.metadata,
    Column("product_id", ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
)


class PlanInfoRow(Base):
    """The plan's name, zone and format version: one row, present once a plan was imported."""

    __tablename__ = "plan_info"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OverlegRow(Base):
    """An overleg. ``active`` is False once it left the plan: its rows stay for the record."""

    __tablename__ = "overleggen"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    trekker_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    accepts_agenda_items: Mapped[bool] = mapped_column(Boolean, default=False)
    derived_from_code: Mapped[str | None] = mapped_column(String(64))
    derived_days_before: Mapped[int | None] = mapped_column(Integer)
    closes_agenda_of_code: Mapped[str | None] = mapped_column(String(64))
    recurrence_rule: Mapped[str | None] = mapped_column(String(500))
    recurrence_begin: Mapped[date | None] = mapped_column(Date)
    recurrence_start: Mapped[time | None] = mapped_column(Time)
    recurrence_end: Mapped[time | None] = mapped_column(Time)
    recurrence_location: Mapped[str | None] = mapped_column(String(300))
    call_days_before: Mapped[int | None] = mapped_column(Integer)
    # {"opening": [...], "closing": [...]}; a list (migration 0020's default) by its list form
    fixed_items: Mapped[dict[str, list[str]] | list[str]] = mapped_column(JSON, default=dict)
    reviewers_code: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    trekker: Mapped[OrganisationRow] = relationship(lazy="selectin")
    participants: Mapped[list[GroupRow]] = relationship(
        secondary=overleg_groups, lazy="selectin", order_by=GroupRow.code
    )


class MeetingRow(Base):
    """An explicit meeting; ``uid`` stays the same when it moves (calendar programs update)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    overleg_id: Mapped[int] = mapped_column(ForeignKey("overleggen.id", ondelete="CASCADE"))
    day: Mapped[date | None] = mapped_column(Date)
    month: Mapped[str | None] = mapped_column(String(7))  # "2011-10" while the day is open
    start: Mapped[time | None] = mapped_column(Time)
    end: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    theme: Mapped[str | None] = mapped_column(String(300))
    # False: the overleg's participants; True: exactly ``participants`` (possibly none).
    own_participants: Mapped[bool] = mapped_column(Boolean, default=False)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)

    overleg: Mapped[OverlegRow] = relationship(lazy="selectin")
    participants: Mapped[list[GroupRow]] = relationship(
        secondary=meeting_groups, lazy="selectin", order_by=GroupRow.code
    )


class OccurrenceChangeRow(Base):
    """One occurrence of a recurring overleg, moved (day set) or cancelled."""

    __tablename__ = "occurrence_changes"
    __table_args__ = (UniqueConstraint("overleg_id", "original_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    overleg_id: Mapped[int] = mapped_column(ForeignKey("overleggen.id", ondelete="CASCADE"))
    original_day: Mapped[date] = mapped_column(Date)
    day: Mapped[date | None] = mapped_column(Date)
    start: Mapped[time | None] = mapped_column(Time)
    end: Mapped[time | None] = mapped_column(Time)
    sequence: Mapped[int] = mapped_column(Integer, default=1)

    overleg: Mapped[OverlegRow] = relationship(lazy="selectin")


class ProductRow(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    position: Mapped[int] = mapped_column(Integer, default=0)

    owner: Mapped[OrganisationRow] = relationship(lazy="selectin")
    involved: Mapped[list[GroupRow]] = relationship(
        secondary=product_groups, lazy="selectin", order_by=GroupRow.code
    )
    milestones: Mapped[list[MilestoneRow]] = relationship(
        back_populates="product",
        lazy="selectin",
        order_by="MilestoneRow.position",
        cascade="all, delete-orphan",
    )


class MilestoneRow(Base):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(String(300))
    day: Mapped[date | None] = mapped_column(Date)
    month: Mapped[str | None] = mapped_column(String(7))
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[ProductRow] = relationship(back_populates="milestones", lazy="selectin")


class MilestoneChangeRow(Base):
    """The history of a milestone: marked done, or given a new date with a reason."""

    __tablename__ = "milestone_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    by_telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(16))  # done | moved | imported
    old_when: Mapped[str | None] = mapped_column(String(10))
    new_when: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)


class ReminderRuleRow(Base):
    __tablename__ = "reminder_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[str] = mapped_column(String(64))
    days_before: Mapped[str] = mapped_column(String(200))  # "14,2"
    at: Mapped[time] = mapped_column(Time)
    audience: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
