"""The tables of incidents: the plan's templates, incidents sent, and each recipient's answer.

Templates are imported with the plan (``incidentsjablonen:``) and replaced whole by each import:
an incident keeps its own copy of what it said, so a template changed or dropped later does not
change history. An incident is stored when a coordinator confirms it, with one row per
recipient; "Gelezen" and "Ik neem contact op" set that row's moments once (a second press
changes nothing).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime


class IncidentTemplateRow(Base):
    """One template of the plan; ``dos`` and ``donts`` are JSON lists of lines."""

    __tablename__ = "incident_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    spokesperson: Mapped[str] = mapped_column(Text)
    core_message: Mapped[str] = mapped_column(Text)
    dos: Mapped[str] = mapped_column(Text)
    donts: Mapped[str] = mapped_column(Text)
    call: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class IncidentStatus(enum.StrEnum):
    """Where an incident stands. Without four eyes (``OVERLEGBOT_INCIDENT_APPROVAL``) it is
    sent at once; with it, it awaits another coordinator's approval first."""

    AWAITING_APPROVAL = "awaiting_approval"
    SENT = "sent"
    REJECTED = "rejected"


class IncidentRow(Base):
    """An incident message as sent; ``draft_key`` makes a double press send it once."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))  # {wat}, or the template's name
    template_code: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML, exactly as sent
    audience: Mapped[str] = mapped_column(Text)  # JSON: everyone, groups, organisations
    sent_by: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recipients: Mapped[int] = mapped_column(Integer)
    # An IncidentStatus; only a sent one has recipients, a status, escalation and a closing.
    status: Mapped[str] = mapped_column(String(20), default=IncidentStatus.SENT.value)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_by: Mapped[int | None] = mapped_column(BigInteger)
    # The coordinator's status message, edited in place (chat, message), what it shows and when
    # it was last edited: after a restart only a change is edited again.
    status_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    status_message_id: Mapped[int | None] = mapped_column(BigInteger)
    status_text: Mapped[str | None] = mapped_column(Text)
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Escalation: rounds done (1: sent again as urgent; 2: uncovered organisations reported)
    # and when the last one was done; the next is due ESCALATE minutes after it.
    escalation_rounds: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # When every pinned copy of a closed incident was unpinned.
    unpinned_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class IncidentRecipientRow(Base):
    """One recipient of an incident, with the organisation they belonged to when it was sent."""

    __tablename__ = "incident_recipients"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True
    )
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    organisation: Mapped[str | None] = mapped_column(String(64))  # its code
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # "Gelezen"
    contacting_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # "Ik neem contact op"


class IncidentUpdateRow(Base):
    """A follow-up a coordinator sent to an open incident's recipients, as a reply to their
    copy; ``draft_key`` makes a double press send it once."""

    __tablename__ = "incident_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    draft_key: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML, as typed
    sent_by: Mapped[int] = mapped_column(BigInteger)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
