"""The tables of kopij, news a member sends in for the network (``/nieuws``), and of the
newsletter issues coordinators send (``/nieuwsbrief``).

A coordinator decides each item once: pass it on to everyone now, set it aside for the next
newsletter, or leave it out (with an optional reason the sender reads). The sender is a
Telegram user id referring to ``members``: a member who leaves keeps the row (only the name is
erased), so the record of who sent what stays.

Media are kept as Telegram's ``file_id``: the bot never downloads them, and Telegram sends the
same file again by its id.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime


class KopijKind(enum.StrEnum):
    TEXT = "text"  # a text, possibly with links in it
    PHOTO = "photo"
    DOCUMENT = "document"


class KopijStatus(enum.StrEnum):
    """Where an item stands; every decision is final."""

    WAITING = "waiting"  # ingezonden, nog niet beoordeeld
    FORWARDED = "forwarded"  # meteen doorgestuurd aan iedereen
    SET_ASIDE = "set_aside"  # bewaard voor de nieuwsbrief
    DECLINED = "declined"  # niet opgenomen
    INCLUDED = "included"  # opgenomen in een verstuurde nieuwsbrief (was SET_ASIDE)


class IssueStatus(enum.StrEnum):
    """Where a recorded issue stands (docs/decisions/newsletters.md, "Approval and scheduling").

    ``awaiting_approval`` and ``scheduled`` can still be moved or cancelled; ``sent`` means
    queued for its audience (the outbox sends it); the others are final.
    """

    AWAITING_APPROVAL = "awaiting_approval"  # wacht op een tweede coördinator
    SCHEDULED = "scheduled"  # goedgekeurd of zonder goedkeuring: gaat op send_at
    SENT = "sent"  # in de outbox gezet voor het publiek
    REJECTED = "rejected"  # afgewezen door een tweede coördinator
    CANCELLED = "cancelled"  # geannuleerd voordat hij begon


class KopijRow(Base):
    __tablename__ = "kopij"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML, as the member formatted it
    file_id: Mapped[str | None] = mapped_column(String(200))
    sent_by: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16), default=KopijStatus.WAITING)
    decided_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was left out, for the sender


class NewsletterIssueRow(Base):
    """A newsletter recorded by "Nu versturen" or "Inplannen".

    ``draft_key`` is the composing coordinator's draft: unique, so a second press on the same
    draft (a double press, a second device) records nothing and queues nothing. ``sent_at`` is
    the moment it was recorded, and then the moment it started (was queued for its audience);
    ``recipients`` counts its members from that start.

    Two counters, two meanings, never to be mixed up: ``revision`` counts changes *before*
    sending (a move; each needs approval again, and an approval given for an earlier revision
    no longer counts); ``version`` counts corrections *after* sending (1: as sent; "Corrigeren"
    edits every copy, no approval). ``progress_*`` is the coordinator's message that shows how
    the start, the latest correction or the withdrawal goes; an issue not started (status other
    than sent) has none yet.
    """

    __tablename__ = "newsletter_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_key: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)  # Telegram HTML, as the coordinator formatted it
    media_kind: Mapped[str | None] = mapped_column(String(16))
    media_file_id: Mapped[str | None] = mapped_column(Text)
    audience: Mapped[str] = mapped_column(Text)  # JSON: everyone, groups, organisations
    sent_by: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recipients: Mapped[int] = mapped_column(Integer)  # active members it was queued for
    status: Mapped[str] = mapped_column(String(20), default=IssueStatus.SENT, index=True)
    send_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # None: at once
    revision: Mapped[int] = mapped_column(Integer, default=1)  # changes before sending
    # Who made the issue as it stands (composed it, or moved it last): not its approver.
    changed_by: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    decided_by: Mapped[int | None] = mapped_column(  # approved, rejected or cancelled it
        BigInteger, ForeignKey("members.telegram_user_id", ondelete="RESTRICT")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected, for the composer
    # Corrected after sending: ``text`` is the latest version (1: as sent), so the archive and
    # the export show it; each correction is one version, once (not a ``revision``, above).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The coordinator's message that shows how the latest operation (the send, a correction,
    # the withdrawal) goes, edited in place (berichten.newsletters.progress); done once nothing
    # of it is left to deliver.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_text: Mapped[str | None] = mapped_column(Text)  # as last shown
    progress_done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NewsletterKopijRow(Base):
    """Kopij an issue included, in the order it was shown; an item is in one issue at most."""

    __tablename__ = "newsletter_issue_kopij"

    kopij_id: Mapped[int] = mapped_column(
        ForeignKey("kopij.id", ondelete="RESTRICT"), primary_key=True
    )
    issue_id: Mapped[int] = mapped_column(
        ForeignKey("newsletter_issues.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
