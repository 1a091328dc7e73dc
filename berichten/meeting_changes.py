"""Telling members that a meeting of theirs changed, through the outbox like everything else.

:func:`apply_and_notify` stores the change and queues its notices in one unit of work
(:meth:`planning.db.Database.run` commits), so a change is never stored without its notices nor
a notice queued for a change that was not. The notices are durable and paced (a 403 marks the
member blocked); the bot sends them at once rather than at the outbox job's next wake, and
what fails stays queued and is retried. A key per change (the meeting, its new sequence) and
member means a notice is never queued twice, and a later change to the same meeting is a new
notice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import meeting_changes as meeting_change_texts
from planning.clock import Clock
from planning.meeting_changes.rules import MeetingChange, Notice, Request
from planning.meeting_changes.services import apply, who_to_tell

KIND = "change"


async def apply_and_notify(
    session: AsyncSession, clock: Clock, request: Request, *, actor: int | None
) -> tuple[MeetingChange, tuple[str, ...]]:
    """Store ``request`` and queue a notice for each member it concerns except ``actor``.

    Returns the change and the keys of its notices, to send them right away; raises
    :class:`~planning.meeting_changes.rules.MeetingChangeError` with nothing stored or queued.
    """
    now = clock.now()
    change = await apply(session, clock, request)
    messages = notice_messages(change, await who_to_tell(session, change, actor=actor), now)
    await enqueue(session, now, messages)
    return change, tuple(message.key for message in messages)


def notice_messages(
    change: MeetingChange, notices: Sequence[Notice], now: datetime
) -> list[NewMessage]:
    """One outbox message per notice, due ``now``."""
    version = f"{change.key}|{change.meeting.after.sequence}|{change.kind}"
    return [
        NewMessage(
            key=f"{KIND}|{version}|{notice.member.telegram_user_id}",
            kind=KIND,
            recipient=notice.member.telegram_user_id,
            text=meeting_change_texts.notice(change.kind, notice.concerns),
            due_at=now,
            priority=Priority.REMINDER,
        )
        for notice in notices
    ]
