"""The audit log: who did what, to what, when, and to how many. Append-only.

One row per event, written by :func:`planning.audit.services.record` in the unit of work of the
action itself, so an action and its line commit together or not at all. No service updates or
deletes a row, and the database refuses both (triggers, migration 0013): the log is the
network's record for its evaluation afterwards (issue 13, item 11; issue 14, item 6).

The actor is a Telegram user id without a foreign key: a member who leaves has their name
erased (:func:`planning.membership.services.leave`), and the log does not keep a copy of it; it
shows such a member as having left, by id (docs/decisions/audit.md). ``None`` is the bot itself
(a scheduled send, an escalation round).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime

DETAIL_LIMIT = 200


class AuditAction(enum.StrEnum):
    """What happened: a closed list. A new action is a new member here and a catalogue text
    (``audit.action.<value>``), not a migration: the column holds the value as text."""

    # Kopij (/nieuws)
    KOPIJ_SENT_IN = "kopij_sent_in"
    KOPIJ_FORWARDED = "kopij_forwarded"
    KOPIJ_SET_ASIDE = "kopij_set_aside"
    KOPIJ_DECLINED = "kopij_declined"
    # Newsletter issues (/nieuwsbrief)
    NEWSLETTER_TESTED = "newsletter_tested"
    NEWSLETTER_SUBMITTED = "newsletter_submitted"  # composed and offered for approval
    NEWSLETTER_APPROVED = "newsletter_approved"
    NEWSLETTER_REJECTED = "newsletter_rejected"
    NEWSLETTER_CHANGED = "newsletter_changed"  # changed after approval or while scheduled
    NEWSLETTER_SCHEDULED = "newsletter_scheduled"
    NEWSLETTER_CANCELLED = "newsletter_cancelled"
    NEWSLETTER_SENT = "newsletter_sent"
    NEWSLETTER_CORRECTED = "newsletter_corrected"
    NEWSLETTER_WITHDRAWN = "newsletter_withdrawn"
    # Incidents (/incident, issue 14)
    INCIDENT_COMPOSED = "incident_composed"
    INCIDENT_APPROVED = "incident_approved"
    INCIDENT_REJECTED = "incident_rejected"
    INCIDENT_SENT = "incident_sent"
    INCIDENT_ACKNOWLEDGED = "incident_acknowledged"  # "Gelezen"
    INCIDENT_CONTACTING = "incident_contacting"  # "Ik neem contact op"
    INCIDENT_ESCALATED = "incident_escalated"  # a round of escalation
    INCIDENT_REPORTED = "incident_reported"  # uncovered organisations to the coordinator
    INCIDENT_UPDATED = "incident_updated"
    INCIDENT_CLOSED = "incident_closed"
    INCIDENT_TEMPLATE_CHANGED = "incident_template_changed"  # in chat (/sjablonen)


class SubjectKind(enum.StrEnum):
    """What an event is about; with the subject's id (``None``: not stored yet, a draft)."""

    KOPIJ = "kopij"
    NEWSLETTER = "newsletter"
    INCIDENT = "incident"
    TEMPLATE = "template"  # an incident template; no id (an import replaces the rows)


class AuditEventRow(Base):
    __tablename__ = "audit_events"
    # One subject's timeline (``overlegbot audit --newsletter 3``, later ``--incident 7``).
    __table_args__ = (Index(None, "subject_kind", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor: Mapped[int | None] = mapped_column(BigInteger)  # Telegram user id; None: the bot
    action: Mapped[str] = mapped_column(String(32))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int | None] = mapped_column(Integer)
    count: Mapped[int | None] = mapped_column(Integer)  # to how many it went
    detail: Mapped[str | None] = mapped_column(String(DETAIL_LIMIT))
