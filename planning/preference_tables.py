"""The tables of what each member wishes to receive, and which meetings they said they miss.

A member without a row has the defaults (every reminder, at the plan's time, no digest, no
pause), so nothing needs to be created at registration. Muted overleggen are kept by code, not
by a foreign key to ``overleggen``: a mute should survive a re-import that briefly drops and
brings back an overleg. An absence ("Ik kan niet") is kept by the calendar entry's key, which
survives moves, so pressing the button again after a move is still recognised.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from planning.models import Base, UtcDateTime


class MemberPreference(Base):
    """One member's settings from /instellingen."""

    __tablename__ = "member_preferences"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    # None: the reminder rule's own time; else a local hour that replaces it.
    reminder_hour: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The first local day on which messages come again; None or a past day: not paused.
    resume_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class MutedOverleg(Base):
    """A member wants no meeting reminders of this overleg."""

    __tablename__ = "muted_overleggen"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    overleg_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    muted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Absence(Base):
    """A member told the trekker they cannot attend one meeting."""

    __tablename__ = "absences"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    entry_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
