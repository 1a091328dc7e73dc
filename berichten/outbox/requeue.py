"""Bringing queued messages in line with a recomputed schedule: what is still pending, what
changed, what no longer applies.

Queueing runs (reminders, overdue questions) recompute what should be in the outbox and use
these to withdraw what left the schedule and move or revive what changed. Service functions
take the session and never commit.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.media import as_sent
from berichten.outbox.store import NewMessage, buttons_json
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from planning.clock import Clock
from planning.db import in_chunks


async def withdraw(session: AsyncSession, keys: Iterable[str], reason: str) -> int:
    """Skip pending messages that no longer apply (a moved or cancelled meeting)."""
    wanted = list(keys)
    count = 0
    for chunk in in_chunks(wanted):
        result = await session.execute(
            update(OutboxMessageRow)
            .where(
                OutboxMessageRow.key.in_(chunk),
                OutboxMessageRow.status == OutboxStatus.PENDING,
            )
            .values(status=OutboxStatus.SKIPPED, last_error=reason)
        )
        count += int(result.rowcount)  # type: ignore[attr-defined]
    return count


async def pending_keys(
    session: AsyncSession,
    kinds: Iterable[str],
    first: datetime,
    last: datetime,
    *,
    recipients: Collection[int] | None = None,
) -> set[str]:
    """Keys of pending messages of these kinds due in [first, last) (to ``recipients`` only,
    if given), to compare with a recomputed schedule."""
    query = select(OutboxMessageRow.key).where(
        OutboxMessageRow.status == OutboxStatus.PENDING,
        OutboxMessageRow.kind.in_(list(kinds)),
        OutboxMessageRow.due_at >= first,
        OutboxMessageRow.due_at < last,
    )
    if recipients is not None:
        query = query.where(OutboxMessageRow.recipient.in_(list(recipients)))
    return set(await session.scalars(query))


WITHDRAWN = "withdrawn: no longer in the schedule"
# How far back a queueing run looks: what fell due while the bot was down is still found.
QUEUE_BACK = timedelta(days=7)


async def requeue(
    session: AsyncSession,
    clock: Clock,
    messages: Iterable[NewMessage],
    *,
    withdrawn_as: str = WITHDRAWN,
    recipients: Collection[int] | None = None,
) -> int:
    """Bring already queued messages in line with a recomputed schedule; return how many changed.

    A pending, untried message takes the new moment, text and expiry (a meeting moved to
    another hour or place, "over 7 dagen" that became "over 2 dagen" while the bot was down).

    :func:`~berichten.outbox.store.enqueue` never touches a known key. But a member's preferences
    can move a reminder (another hour) or bring one back that was withdrawn (an overleg unmuted, a
    pause lifted, a meeting moved back): such a row takes the new moment and text, and a withdrawn
    one becomes pending again, only when its new moment is still ahead (a pause skips for good).
    Rows that were sent, failed, expired or already tried are left alone. ``withdrawn_as`` is the
    reason the caller's run withdraws with (see :func:`withdraw`): only rows it withdrew come back.

    This runs on every wake with every message of the window, so it reads only rows that can
    change: the untried pending rows of these kinds, in one query through the status index;
    then, by key, only the wanted messages still ahead that are not pending (withdrawn ones,
    usually none). Plain columns, no ORM objects; the changes go back in one ``executemany``
    by primary key.
    """
    sent = (part for message in messages for part in as_sent(message))
    wanted = {message.key: message for message in sent}
    if not wanted:
        return 0
    now = clock.now()
    changes: list[dict[str, object]] = []
    query = select(
        OutboxMessageRow.id,
        OutboxMessageRow.key,
        OutboxMessageRow.due_at,
        OutboxMessageRow.text,
        OutboxMessageRow.buttons,
        OutboxMessageRow.expires_at,
        OutboxMessageRow.media_kind,
        OutboxMessageRow.media_file_id,
    ).where(
        OutboxMessageRow.status == OutboxStatus.PENDING,
        OutboxMessageRow.attempts == 0,
        OutboxMessageRow.kind.in_(sorted({message.kind for message in wanted.values()})),
    )
    if recipients is not None:
        query = query.where(OutboxMessageRow.recipient.in_(list(recipients)))
    pending = await session.execute(query)
    seen: set[str] = set()
    for row_id, key, *current in pending:
        message = wanted.get(key)
        if message is None:
            continue
        seen.add(key)
        if tuple(current) != _content(message):
            changes.append(_new_content(row_id, message))
    ahead = [key for key, message in wanted.items() if message.due_at > now and key not in seen]
    for chunk in in_chunks(ahead):
        withdrawn = await session.execute(
            select(OutboxMessageRow.id, OutboxMessageRow.key).where(
                OutboxMessageRow.key.in_(chunk),
                OutboxMessageRow.status == OutboxStatus.SKIPPED,
                OutboxMessageRow.last_error == withdrawn_as,
                OutboxMessageRow.attempts == 0,
            )
        )
        for row_id, key in withdrawn:
            revived = _new_content(row_id, wanted[key])
            changes.append(revived | {"status": OutboxStatus.PENDING, "last_error": None})
    if changes:
        await session.execute(update(OutboxMessageRow), changes)
    return len(changes)


def _content(message: NewMessage) -> tuple[object, ...]:
    """What a pending row holds of ``message``, in the order ``requeue`` reads it."""
    media = message.media
    return (
        message.due_at,
        message.text,
        buttons_json(message.buttons),
        message.expires_at,
        None if media is None else media.kind.value,
        None if media is None else media.file_id,
    )


def _new_content(row_id: int, message: NewMessage) -> dict[str, object]:
    due_at, text, buttons, expires_at, media_kind, media_file_id = _content(message)
    return {
        "id": row_id,
        "due_at": due_at,
        "next_attempt_at": due_at,
        "text": text,
        "buttons": buttons,
        "expires_at": expires_at,
        "media_kind": media_kind,
        "media_file_id": media_file_id,
    }
