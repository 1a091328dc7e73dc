"""The tables of agenda items (agendapunten) and of published agendas.

An item is tied to its meeting by the calendar entry's key (:attr:`Entry.key`), which survives
moves and re-imports, not by a foreign key: most meetings (recurring, derived) are computed and
have no row. Submitter and reviewer are Telegram user ids referring to ``members``: a member who
leaves keeps the row (only the name is erased), so the record of who submitted what stays.

``position`` is set when an item is accepted: the next number on that meeting's agenda, so the
agenda reads in the order of acceptance. The unique constraint on (meeting, position) makes two
coordinators accepting at the same moment unable to give two items the same number.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime


class AgendaItemStatus(enum.StrEnum):
    """Where an item stands; a review (accepted, declined) is final."""

    WAITING = "waiting"  # ingediend, ter beoordeling
    ACCEPTED = "accepted"  # op de agenda
    DECLINED = "declined"  # niet opgenomen
    WITHDRAWN = "withdrawn"  # ingetrokken door de indiener, only while waiting
    DEALT_WITH = "dealt_with"  # afgehandeld in the meeting (from accepted, after the meeting)


class AgendaItemKind(enum.StrEnum):
    """What the meeting is asked to do with an item; asked when submitting."""

    DISCUSSION = "discussion"  # ter bespreking
    DECISION = "decision"  # ter besluitvorming
    INFORMATION = "information"  # ter informatie


class AgendaItemRow(Base):
    """One point a member submitted for one meeting's agenda."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_key", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_key: Mapped[str] = mapped_column(String(200), index=True)
    overleg_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str | None] = mapped_column(Text)
    submitted_by: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=AgendaItemStatus.WAITING)
    reviewed_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    # When it was accepted or declined, or withdrawn by its submitter (reviewed_by stays None).
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    position: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default=AgendaItemKind.DISCUSSION)
    # The reviewer's optional reason for declining, shown to the submitter.
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # Aangehouden: carried over from an earlier meeting of the overleg (not dealt with there,
    # or moved on by a reviewer); ``carried_from`` is that meeting's key.
    held_over: Mapped[bool] = mapped_column(Boolean, default=False)
    carried_from: Mapped[str | None] = mapped_column(String(200))


class AgendaItemDocumentRow(Base):
    """A document (stuk) attached to an item: a Telegram document, kept by its ``file_id``."""

    __tablename__ = "agenda_item_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[str] = mapped_column(String(255))
    file_unique_id: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    file_size: Mapped[int | None] = mapped_column(Integer)
    added_by: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AgendaPublicationRow(Base):
    """A meeting's agenda sent to its participants; ``version`` counts them from 1."""

    __tablename__ = "agenda_publications"
    __table_args__ = (UniqueConstraint("meeting_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_key: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_by: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    # What this version held, in order, for the next version's list of changes: a list of
    # {"id": item id, "title": ..., "kind": ...}.
    items: Mapped[list[dict[str, object]] | None] = mapped_column(JSON)
