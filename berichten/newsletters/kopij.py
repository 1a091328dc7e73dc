"""Kopij through the outbox: a new item to the coordinators, the decision to its sender, and an
item passed on to everyone.

Each use case stores its change and queues the messages that announce it in one unit of work;
the bot then refreshes the outbox so they go out at once. Keys make every notice idempotent:
``kopij:<id>|<coordinator>``, ``kopij_decision:<id>|<member>`` and
``kopij_forward:<id>|<member>``. Passed-on items go at newsletter priority (reminders due at the
same moment go first); a member on pause gets one on the day the pause ends
(:func:`planning.preferences.services.reachable_at`). A photo or document goes as itself, with
the text as its caption.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.media import Media, MediaKind
from berichten.outbox.store import Buttons, NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import newsletters as texts
from planning import catalogue
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.membership.lookups import active_coordinators
from planning.membership.recipients import recipients
from planning.newsletters.services import Kopij, KopijView, decide, send_in
from planning.newsletters.tables import KopijStatus
from planning.preferences.services import reachable_at

KOPIJ_KIND = "kopij"  # a new item, to every active coordinator
DECISION_KIND = "kopij_decision"  # the decision, to the sender
FORWARD_KIND = "kopij_forward"  # an item passed on, to every active member

# Callback data of the decision buttons, followed by the item's id (handled in bot/).
FORWARD_PREFIX, SET_ASIDE_PREFIX, DECLINE_PREFIX = "nw:f:", "nw:n:", "nw:x:"
DECISIONS = {
    FORWARD_PREFIX: KopijStatus.FORWARDED,
    SET_ASIDE_PREFIX: KopijStatus.SET_ASIDE,
    DECLINE_PREFIX: KopijStatus.DECLINED,
}
_AUDITED = {
    KopijStatus.FORWARDED: AuditAction.KOPIJ_FORWARDED,
    KopijStatus.SET_ASIDE: AuditAction.KOPIJ_SET_ASIDE,
    KopijStatus.DECLINED: AuditAction.KOPIJ_DECLINED,
}


def decision_buttons(kopij_id: int) -> Buttons:
    """ "Nu doorsturen aan iedereen", "Voor de nieuwsbrief", "Niet opnemen", one to a row."""
    return [
        [(catalogue.plain("kopij.button.forward"), f"{FORWARD_PREFIX}{kopij_id}")],
        [(catalogue.plain("kopij.button.set_aside"), f"{SET_ASIDE_PREFIX}{kopij_id}")],
        [(catalogue.plain("kopij.button.decline"), f"{DECLINE_PREFIX}{kopij_id}")],
    ]


async def send_in_and_notify(
    session: AsyncSession, clock: Clock, telegram_user_id: int, kopij: Kopij
) -> tuple[KopijView, int]:
    """Store the item (:func:`planning.newsletters.services.send_in`) and queue it, with the
    decision buttons, for every active coordinator; return it and how many were queued. The
    audit log records it, to how many coordinators, in the same unit of work."""
    item = await send_in(session, clock, telegram_user_id, kopij)
    now = clock.now()
    text = texts.review_notice(item)
    notices = [
        NewMessage(
            key=f"{KOPIJ_KIND}:{item.id}|{coordinator.telegram_user_id}",
            kind=KOPIJ_KIND,
            recipient=coordinator.telegram_user_id,
            text=text,
            due_at=now,
            priority=Priority.REMINDER,
            buttons=decision_buttons(item.id),
            media=media(item),
        )
        for coordinator in await active_coordinators(session)
    ]
    await record(
        session,
        AuditAction.KOPIJ_SENT_IN,
        telegram_user_id,
        Subject.kopij(item.id),
        at=now,
        count=len(notices),
        detail=item.title,
    )
    return item, await enqueue(session, now, notices)


async def decide_and_notify(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    kopij_id: int,
    status: KopijStatus,
    reason: str | None = None,
) -> tuple[KopijView, int]:
    """Record the decision (:func:`planning.newsletters.services.decide`), queue its notice for
    the sender and, for "Nu doorsturen aan iedereen", the item for every active member; return
    the item and how many members it was passed on to. One unit of work: nothing is decided
    that its sender does not hear of, nothing passed on that is not recorded, in the audit log
    too (to how many members, or the reason it was left out)."""
    item = await decide(session, clock, coordinator_id, kopij_id, status, reason)
    now = clock.now()
    messages = [
        NewMessage(
            key=f"{DECISION_KIND}:{item.id}|{item.sent_by}",
            kind=DECISION_KIND,
            recipient=item.sent_by,
            text=texts.decision_notice(item),
            due_at=now,
            priority=Priority.REMINDER,
        )
    ]
    forwarded = 0
    if status is KopijStatus.FORWARDED:
        passed_on = await _passed_on(session, item, now)
        forwarded = len(passed_on)
        messages += passed_on
    await record(
        session,
        _AUDITED[status],
        coordinator_id,
        Subject.kopij(item.id),
        at=now,
        count=forwarded if status is KopijStatus.FORWARDED else None,
        detail=item.reason,
    )
    await enqueue(session, now, messages)
    return item, forwarded


async def _passed_on(session: AsyncSession, item: KopijView, now: datetime) -> list[NewMessage]:
    everyone = [member.telegram_user_id for member in await recipients(session)]
    moments = await reachable_at(session, now, everyone)
    text = texts.passed_on(item)
    return [
        NewMessage(
            key=f"{FORWARD_KIND}:{item.id}|{member}",
            kind=FORWARD_KIND,
            recipient=member,
            text=text,
            due_at=moments[member],
            priority=Priority.NEWSLETTER,
            media=media(item),
        )
        for member in everyone
    ]


def media(item: KopijView) -> Media | None:
    """The item's photo or document, sent again by its file id; its text becomes the caption
    (or follows it, when too long: :mod:`berichten.outbox.media`)."""
    return None if item.file_id is None else Media(MediaKind(item.kind), item.file_id)
