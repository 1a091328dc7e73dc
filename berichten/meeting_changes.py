"""Telling members that a meeting of theirs changed, through the outbox like everything else.

The notices are queued (durable, paced, a 403 marks the member blocked) and then sent at once
by the bot rather than at the outbox job's next wake; what fails stays queued and is retried.
A key per change (the meeting, its new sequence) and member means a notice is never queued
twice, and a later change to the same meeting is a new notice.
"""

from __future__ import annotations

from collections.abc import Sequence

from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import meeting_changes as meeting_change_texts
from planning.clock import Clock
from planning.db import Database
from planning.meeting_changes.rules import MeetingChange, Notice

KIND = "change"


async def queue_change_notices(
    db: Database, clock: Clock, change: MeetingChange, notices: Sequence[Notice]
) -> list[str]:
    """Queue one notice per member; return their keys, to send them right away."""
    now = clock.now()
    version = f"{change.key}|{change.meeting.after.sequence}|{change.kind}"
    messages = [
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
    await enqueue(db, clock, messages)
    return [message.key for message in messages]
