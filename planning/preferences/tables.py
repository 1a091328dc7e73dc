"""The tables of what each member wishes to receive.

A member without a row has the defaults (every reminder, at the plan's time, no digest, no
pause), so nothing needs to be created at registration. Muted overleggen are kept by code, not
by a foreign key to ``overleggen``: a mute should survive a re-import that briefly drops and
brings back an overleg.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from planning.tables import Base, UtcDateTime


class MemberPreferenceRow(Base):
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


class MutedOverlegRow(Base):
    """A member wants no meeting reminders of this overleg."""

    __tablename__ = "muted_overleggen"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    overleg_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    muted_at: Mapped[datetime] = mapped_column(UtcDateTime)
