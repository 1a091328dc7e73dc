"""The outbox's store: queue messages, claim what is due, record how each attempt went.

Service functions take the session and never commit; the sender loop runs each in a unit of
work of its own (:meth:`planning.db.Database.run`). Claiming marks rows ``sending`` and is
committed before any message goes out; recording the outcome is a later unit. So a crash in
between leaves at most the claimed rows in ``sending``, and :func:`recover` (at start-up) puts
them back: they may be sent twice, nothing else can. On PostgreSQL, claiming skips rows another
process has locked.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox import operations
from berichten.outbox.media import Media, MediaKind, as_sent
from berichten.outbox.tables import (
    Operation,
    OutboxMessageRow,
    OutboxRunRow,
    OutboxStatus,
    Priority,
)
from planning.clock import Clock
from planning.db import in_chunks
from planning.membership.tables import MemberRow, MemberStatus

Buttons = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback data)

# Telegram takes 64 bytes of callback data; the bot tags each button for its member with 8 of
# them (bot.button_data), so the data itself may have 56.
BUTTON_DATA_LIMIT = 56
_INSERT_CHUNK = 500  # rows per INSERT: 17 columns each stays under SQLite's parameter limit


@dataclass(frozen=True)
class NewMessage:
    """A message to queue; ``key`` says what, for whom and which occurrence.

    With ``media``, ``text`` is the caption (see :mod:`berichten.outbox.media` for one too long).
    """

    key: str
    kind: str
    recipient: int
    text: str
    due_at: datetime
    priority: Priority = Priority.REMINDER
    expires_at: datetime | None = None
    buttons: Buttons | None = None
    media: Media | None = None
    operation: Operation = Operation.SEND  # an edit or delete: berichten.outbox.operations
    target_key: str | None = None


@dataclass(frozen=True)
class Claimed:
    """A message claimed for sending: the sender needs nothing else."""

    id: int
    key: str
    recipient: int
    text: str
    buttons: Buttons | None
    attempts: int
    priority: int
    due_at: datetime
    kind: str
    expires_at: datetime | None
    media: Media | None = None
    operation: str | None = None  # None: send
    target_message_id: int | None = None  # what an edit or delete acts on


async def enqueue(session: AsyncSession, now: datetime, messages: Iterable[NewMessage]) -> int:
    """Queue the messages whose key is new; return how many were new.

    Their keys are looked up first (an index look-up each), so only new messages are sent to
    the database, in one cached ``executemany``. ``INSERT ... ON CONFLICT (key) DO NOTHING``
    rather than a plain insert: two runs at once cannot collide on the unique key;
    ``RETURNING`` counts what was really inserted. A media message whose caption is too long
    becomes several rows (:func:`~berichten.outbox.media.as_sent`), each counted.
    """
    sent = (part for message in messages for part in as_sent(message))
    wanted = list({message.key: message for message in sent}.values())
    if not wanted:
        return 0
    known = await known_keys(session, [message.key for message in wanted])
    new = [message for message in wanted if message.key not in known]
    if not new:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(OutboxMessageRow)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutboxMessageRow.key)
    )
    inserted = 0
    for start in range(0, len(new), _INSERT_CHUNK):
        rows = [_values(message, now) for message in new[start : start + _INSERT_CHUNK]]
        inserted += len((await session.execute(statement, rows)).all())
    return inserted


def _values(message: NewMessage, now: datetime) -> dict[str, object]:
    """The columns of a new row (plain values: an ORM object per message costs time)."""
    return {
        "key": message.key,
        "kind": message.kind,
        "priority": int(message.priority),
        "recipient": message.recipient,
        "text": message.text,
        "buttons": buttons_json(message.buttons),
        "media_kind": None if message.media is None else message.media.kind.value,
        "media_file_id": None if message.media is None else message.media.file_id,
        "operation": None if message.operation is Operation.SEND else message.operation.value,
        "target_key": message.target_key,
        "due_at": message.due_at,
        "expires_at": message.expires_at,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": message.due_at,
        "telegram_message_id": None,
        "last_error": None,
        "created_at": now,
        "sent_at": None,
    }


def buttons_json(buttons: Buttons | None) -> str | None:
    """The keyboard as stored in the outbox."""
    # Thousands of messages of a run share a few keyboards: encode each once.
    return None if buttons is None else _encoded(tuple(tuple(row) for row in buttons))


@functools.lru_cache(maxsize=1024)
def _encoded(buttons: tuple[tuple[tuple[str, str], ...], ...]) -> str:
    return json.dumps([list(map(list, row)) for row in buttons])


async def claim_due(session: AsyncSession, clock: Clock, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due messages, most urgent first, and mark them ``sending``.

    Messages that expired while waiting (their meeting has begun) and messages to someone who
    is no longer an active member (left, blocked the bot) are skipped here instead. An empty
    answer means nothing is due, even when a whole batch was skipped.
    """
    now = clock.now()
    query = (
        select(OutboxMessageRow)
        .where(
            OutboxMessageRow.status == OutboxStatus.PENDING,
            OutboxMessageRow.next_attempt_at <= now,
        )
        .order_by(OutboxMessageRow.priority, OutboxMessageRow.next_attempt_at, OutboxMessageRow.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    while rows := (await session.scalars(query)).all():
        if claimed := await _record_claims(session, rows, now):
            return claimed
    return []


async def claim_keys(session: AsyncSession, clock: Clock, keys: Iterable[str]) -> list[Claimed]:
    """Claim these messages (if pending and due), to send them right away rather than at the
    job's next wake: e.g. the notices of a change a coordinator just made."""
    now = clock.now()
    wanted = list(keys)
    claimed: list[Claimed] = []
    for chunk in in_chunks(wanted):
        query = (
            select(OutboxMessageRow)
            .where(
                OutboxMessageRow.key.in_(chunk),
                OutboxMessageRow.status == OutboxStatus.PENDING,
                OutboxMessageRow.next_attempt_at <= now,
            )
            .with_for_update(skip_locked=True)
        )
        rows = (await session.scalars(query)).all()
        claimed += await _record_claims(session, rows, now)
    return claimed


async def _active(session: AsyncSession, recipients: set[int]) -> set[int]:
    query = select(MemberRow.telegram_user_id).where(
        MemberRow.telegram_user_id.in_(recipients), MemberRow.status == MemberStatus.ACTIVE
    )
    return set(await session.scalars(query))


def _claim(
    row: OutboxMessageRow, now: datetime, active: set[int], targets: dict[str, operations.Target]
) -> Claimed | str | datetime:
    """The claimed message, why it is skipped instead, or when to look again (an edit whose
    message is still being sent)."""
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    if row.recipient not in active:
        return "recipient is not an active member"
    target = operations.decide(row, targets, now)  # None: a send
    if isinstance(target, str | datetime):
        return target
    return Claimed(
        row.id,
        row.key,
        row.recipient,
        row.text,
        _buttons(row.buttons),
        row.attempts + 1,
        row.priority,
        row.due_at,
        row.kind,
        row.expires_at,
        _media(row.media_kind, row.media_file_id),
        row.operation,
        target,
    )


async def _record_claims(
    session: AsyncSession, rows: Sequence[OutboxMessageRow], now: datetime
) -> list[Claimed]:
    """Decide each row, then write the decisions with one UPDATE per outcome, not per row."""
    active = await _active(session, {row.recipient for row in rows})
    targets = await operations.targets(session, rows)
    claimed: list[Claimed] = []
    others: dict[str | datetime, list[int]] = {}
    for row in rows:
        outcome = _claim(row, now, active, targets)
        if isinstance(outcome, Claimed):
            claimed.append(outcome)
        else:
            others.setdefault(outcome, []).append(row.id)
    quietly = {"synchronize_session": False}
    if claimed:
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.id.in_([message.id for message in claimed]))
            .values(status=OutboxStatus.SENDING, attempts=OutboxMessageRow.attempts + 1)
            .execution_options(**quietly)
        )
    for outcome, ids in others.items():
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.id.in_(ids))
            .values(**operations.unclaimed(outcome))
            .execution_options(**quietly)
        )
    return claimed


def _media(kind: str | None, file_id: str | None) -> Media | None:
    return None if kind is None or file_id is None else Media(MediaKind(kind), file_id)


def _buttons(stored: str | None) -> Buttons | None:
    if stored is None:
        return None
    return [[(str(label), str(data)) for label, data in row] for row in json.loads(stored)]


@dataclass(frozen=True)
class Delivered:
    message_id: int
    telegram_message_id: int
    at: datetime


async def mark_sent(session: AsyncSession, delivered: Sequence[Delivered]) -> None:
    """Record sent messages with one statement for the lot."""
    if not delivered:
        return
    await session.execute(
        update(OutboxMessageRow),
        [
            {
                "id": item.message_id,
                "status": OutboxStatus.SENT,
                "telegram_message_id": item.telegram_message_id,
                "sent_at": item.at,
                "last_error": None,
            }
            for item in delivered
        ],
    )


async def mark_failed(session: AsyncSession, message_id: int, reason: str) -> None:
    """Telegram refused the message itself (a 400): retrying would not help."""
    await _set(session, message_id, status=OutboxStatus.FAILED, last_error=reason)


async def retry_later(
    session: AsyncSession, message_id: int, at: datetime, reason: str, *, counts: bool = True
) -> None:
    """Back to the queue until ``at``; a wait Telegram asked for (429) is not a failed try."""
    values: dict[str, object] = {
        "status": OutboxStatus.PENDING,
        "next_attempt_at": at,
        "last_error": reason,
    }
    if not counts:
        values["attempts"] = OutboxMessageRow.attempts - 1
    await _set(session, message_id, **values)


async def skip_recipient(session: AsyncSession, recipient: int, reason: str) -> int:
    """Skip everything still queued for someone who blocked the bot; return how many."""
    result = await session.execute(
        update(OutboxMessageRow)
        .where(
            OutboxMessageRow.recipient == recipient,
            OutboxMessageRow.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(status=OutboxStatus.SKIPPED, last_error=reason)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def release(session: AsyncSession, message_ids: Sequence[int]) -> None:
    """Claimed messages that were not sent (the bot stopped) go back to the queue, untried."""
    for chunk in in_chunks(message_ids):
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.id.in_(chunk), OutboxMessageRow.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING, attempts=OutboxMessageRow.attempts - 1)
        )


async def recover(session: AsyncSession) -> int:
    """At start-up: messages left ``sending`` by a crash go back to the queue."""
    result = await session.execute(
        update(OutboxMessageRow)
        .where(OutboxMessageRow.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def next_due(session: AsyncSession) -> datetime | None:
    """When the next pending message is due, so one job can be woken for it."""
    query = select(func.min(OutboxMessageRow.next_attempt_at)).where(
        OutboxMessageRow.status == OutboxStatus.PENDING
    )
    moment: datetime | None = await session.scalar(query)
    return moment


async def _set(session: AsyncSession, message_id: int, **values: object) -> None:
    await session.execute(
        update(OutboxMessageRow).where(OutboxMessageRow.id == message_id).values(**values)
    )


async def known_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Which of these keys the outbox holds, in whatever status."""
    found: set[str] = set()
    for chunk in in_chunks(keys):
        query = select(OutboxMessageRow.key).where(OutboxMessageRow.key.in_(chunk))
        found.update(await session.scalars(query))
    return found


# The run name under which the command line notes that it changed what the outbox should hold
# (a plan imported, members or invites changed): a running bot looks at it and queues again.
CHANGED = "changed"


async def note_change(session: AsyncSession, at: datetime) -> None:
    """The command line changed what the outbox should hold; a running bot queues again."""
    await record_run(session, CHANGED, at)


async def last_run(session: AsyncSession, name: str) -> datetime | None:
    """When the queueing run ``name`` last ran (see :class:`OutboxRunRow`)."""
    run = await session.get(OutboxRunRow, name)
    return None if run is None else run.last_run_at


async def record_run(session: AsyncSession, name: str, at: datetime) -> None:
    """Remember that the queueing run ``name`` ran at ``at``."""
    run = await session.get(OutboxRunRow, name)
    if run is None:
        session.add(OutboxRunRow(name=name, last_run_at=at))
    else:
        run.last_run_at = at
