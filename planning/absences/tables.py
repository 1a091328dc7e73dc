"""The table of meetings members said they cannot attend ("Ik kan niet").

An absence is kept by the calendar entry's key, which survives moves, so pressing the button
again after a move is still recognised.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime


class AbsenceRow(Base):
    """A member told the trekker they cannot attend one meeting."""

    __tablename__ = "absences"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    entry_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime)
