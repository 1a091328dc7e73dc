"""The delivery outbox: one row per message per recipient, the truth about what was sent.

Everything the bot sends on its own initiative (reminders, agenda calls, newsletters, incident
messages) becomes a row here first. The unique ``key`` (what, for whom, which occurrence) makes
queueing idempotent: the same reminder can never be queued twice, however often the schedule is
recomputed. ``status`` moves pending -> sending -> sent, or to failed or skipped with a reason;
a crash leaves rows in ``sending``, which start-up puts back to pending, so at most the messages
that were in flight are repeated.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Operation(enum.StrEnum):
    """What a row asks of Telegram: a new message, or a change to one another row sent."""

    SEND = "send"
    EDIT = "edit"  # editMessageText, or editMessageCaption for a photo or document
    DELETE = "delete"  # deleteMessage, within Telegram's 48 hours
    REPLY = "reply"  # a new message, as a reply to the one another row sent (if it was)


class Priority(enum.IntEnum):
    """Lower goes first when more is due than the rate allows."""

    INCIDENT = 0
    REMINDER = 1
    NEWSLETTER = 2


class OutboxMessageRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "priority", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    priority: Mapped[int] = mapped_column(Integer)
    recipient: Mapped[int] = mapped_column(BigInteger, index=True)  # Telegram user id
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML; with media, its caption
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON [[label, callback data], ...]
    # A photo or document Telegram holds, sent by file_id (berichten.outbox.media); else text.
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(Text)
    # An edit or a delete acts on the message the row with key ``target_key`` sent
    # (berichten.outbox.operations); None: a new message.
    operation: Mapped[str | None] = mapped_column(String(8))
    target_key: Mapped[str | None] = mapped_column(String(400))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Past this moment the message is useless (the meeting has begun): skip, don't send.
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OutboxRunRow(Base):
    """When a queueing run last looked at the schedule (and, under the name ``changed``, when
    the command line last changed what the outbox should hold).

    A reminder whose moment passed is queued late only if it fell due after the previous run:
    then the bot was down when it should have gone out. One that fell due before was either
    sent then or was not meant for this member at that time (someone who joined, unmuted or
    moved groups since), and must not arrive now as if late.
    """

    __tablename__ = "outbox_runs"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UtcDateTime)
