"""The outbox's use cases: queue messages, claim what is due, record how each attempt went.

Every function owns its transaction. Claiming marks rows ``sending`` and commits before any
message goes out; recording the outcome is a second commit. So a crash in between leaves at most
the claimed rows in ``sending``, and :func:`recover` (at start-up) puts them back: they may be
sent twice, nothing else can. On PostgreSQL, claiming skips rows another process has locked.
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

from berichten.outbox.tables import OutboxMessageRow, OutboxRunRow, OutboxStatus, Priority
from planning.clock import Clock
from planning.db import Database
from planning.membership.tables import MemberRow, MemberStatus

Buttons = Sequence[Sequence[tuple[str, str]]]  # rows of (label, callback data)
_KEY_CHUNK = 500  # keys per IN (...) look-up: well under every database's parameter limit
_INSERT_CHUNK = 500  # rows per INSERT: 15 columns each stays under SQLite's parameter limit


@dataclass(frozen=True)
class NewMessage:
    """A message to queue; ``key`` says what, for whom and which occurrence."""

    key: str
    kind: str
    recipient: int
    text: str
    due_at: datetime
    priority: Priority = Priority.REMINDER
    expires_at: datetime | None = None
    buttons: Buttons | None = None


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


async def enqueue(db: Database, clock: Clock, messages: Iterable[NewMessage]) -> int:
    """Queue the messages whose key is new; return how many were new.

    The queue runs on every wake with every message of its window, nearly all known: their
    keys are looked up first (an index look-up each), so only new messages are sent to the
    database, in one cached ``executemany`` (sending all as multi-row ``VALUES``, compiled anew
    for every 500 rows, took 12 s a run at 10,000 members; now 0.2 s: README, queue benchmark).
    ``INSERT ... ON CONFLICT (key) DO NOTHING`` rather than a plain insert: two runs at once (a
    button's refresh during the job's wake) cannot collide on the unique key; ``RETURNING``
    counts what was really inserted.
    """
    async with db.session() as session:
        inserted = await enqueue_in(session, clock.now(), messages)
        await session.commit()
    return inserted


async def enqueue_in(session: AsyncSession, now: datetime, messages: Iterable[NewMessage]) -> int:
    """:func:`enqueue` inside the caller's transaction, which commits it: for messages that
    must exist exactly when what they announce does (a published agenda and its publication
    record), so a crash leaves both or neither."""
    wanted = list({message.key: message for message in messages}.values())
    if not wanted:
        return 0
    known = await _known_keys(session, [message.key for message in wanted])
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
        "buttons": _buttons_json(message.buttons),
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


def _buttons_json(buttons: Buttons | None) -> str | None:
    # Thousands of messages of a run share a few keyboards: encode each once.
    return None if buttons is None else _encoded(tuple(tuple(row) for row in buttons))


@functools.lru_cache(maxsize=1024)
def _encoded(buttons: tuple[tuple[tuple[str, str], ...], ...]) -> str:
    return json.dumps([list(map(list, row)) for row in buttons])


async def claim_due(db: Database, clock: Clock, limit: int) -> list[Claimed]:
    """Take up to ``limit`` due messages, most urgent first, and mark them ``sending``.

    Messages that expired while waiting (their meeting has begun) and messages to someone who
    is no longer an active member (left, blocked the bot) are skipped here instead. An empty
    answer means nothing is due, even when a whole batch was skipped.
    """
    now = clock.now()
    while True:
        async with db.session() as session:
            query = (
                select(OutboxMessageRow)
                .where(
                    OutboxMessageRow.status == OutboxStatus.PENDING,
                    OutboxMessageRow.next_attempt_at <= now,
                )
                .order_by(
                    OutboxMessageRow.priority, OutboxMessageRow.next_attempt_at, OutboxMessageRow.id
                )
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            rows = (await session.scalars(query)).all()
            if not rows:
                return []
            claimed = await _record_claims(session, rows, now)
            await session.commit()
        if claimed:
            return claimed


async def claim_keys(db: Database, clock: Clock, keys: Iterable[str]) -> list[Claimed]:
    """Claim these messages (if pending and due), to send them right away rather than at the
    job's next wake: e.g. the notices of a change a coordinator just made."""
    now = clock.now()
    wanted = list(keys)
    claimed: list[Claimed] = []
    async with db.session() as session:
        for start in range(0, len(wanted), _KEY_CHUNK):
            query = (
                select(OutboxMessageRow)
                .where(
                    OutboxMessageRow.key.in_(wanted[start : start + _KEY_CHUNK]),
                    OutboxMessageRow.status == OutboxStatus.PENDING,
                    OutboxMessageRow.next_attempt_at <= now,
                )
                .with_for_update(skip_locked=True)
            )
            rows = (await session.scalars(query)).all()
            claimed += await _record_claims(session, rows, now)
        await session.commit()
    return claimed


async def _active(session: AsyncSession, recipients: set[int]) -> set[int]:
    query = select(MemberRow.telegram_user_id).where(
        MemberRow.telegram_user_id.in_(recipients), MemberRow.status == MemberStatus.ACTIVE
    )
    return set(await session.scalars(query))


def _claim(row: OutboxMessageRow, now: datetime, active: set[int]) -> Claimed | str:
    """The claimed message, or why it is skipped instead."""
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    if row.recipient not in active:
        return "recipient is not an active member"
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
    )


async def _record_claims(
    session: AsyncSession, rows: Sequence[OutboxMessageRow], now: datetime
) -> list[Claimed]:
    """Decide each row, then write the decisions with one UPDATE per outcome, not per row."""
    active = await _active(session, {row.recipient for row in rows})
    claimed: list[Claimed] = []
    skipped: dict[str, list[int]] = {}
    for row in rows:
        outcome = _claim(row, now, active)
        if isinstance(outcome, Claimed):
            claimed.append(outcome)
        else:
            skipped.setdefault(outcome, []).append(row.id)
    quietly = {"synchronize_session": False}
    if claimed:
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.id.in_([message.id for message in claimed]))
            .values(status=OutboxStatus.SENDING, attempts=OutboxMessageRow.attempts + 1)
            .execution_options(**quietly)
        )
    for reason, ids in skipped.items():
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.id.in_(ids))
            .values(status=OutboxStatus.SKIPPED, last_error=reason)
            .execution_options(**quietly)
        )
    return claimed


def _buttons(stored: str | None) -> Buttons | None:
    if stored is None:
        return None
    return [[(str(label), str(data)) for label, data in row] for row in json.loads(stored)]


@dataclass(frozen=True)
class Delivered:
    message_id: int
    telegram_message_id: int
    at: datetime


async def mark_sent(db: Database, delivered: Sequence[Delivered]) -> None:
    """Record sent messages, a batch in one transaction: one commit per message would make
    the database, not Telegram, the limit on how fast the bot can send."""
    if not delivered:
        return
    async with db.session() as session:
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
        await session.commit()


async def mark_failed(db: Database, message_id: int, reason: str) -> None:
    """Telegram refused the message itself (a 400): retrying would not help."""
    await _set(db, message_id, status=OutboxStatus.FAILED, last_error=reason)


async def retry_later(
    db: Database, message_id: int, at: datetime, reason: str, *, counts: bool = True
) -> None:
    """Back to the queue until ``at``; a wait Telegram asked for (429) is not a failed try."""
    values: dict[str, object] = {
        "status": OutboxStatus.PENDING,
        "next_attempt_at": at,
        "last_error": reason,
    }
    if not counts:
        values["attempts"] = OutboxMessageRow.attempts - 1
    await _set(db, message_id, **values)


async def skip_recipient(db: Database, recipient: int, reason: str) -> int:
    """Skip everything still queued for someone who blocked the bot; return how many."""
    async with db.session() as session:
        result = await session.execute(
            update(OutboxMessageRow)
            .where(
                OutboxMessageRow.recipient == recipient,
                OutboxMessageRow.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
            )
            .values(status=OutboxStatus.SKIPPED, last_error=reason)
        )
        await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]


async def withdraw(db: Database, keys: Iterable[str], reason: str) -> int:
    """Skip pending messages that no longer apply (a moved or cancelled meeting)."""
    wanted = list(keys)
    count = 0
    async with db.session() as session:
        for start in range(0, len(wanted), _KEY_CHUNK):
            result = await session.execute(
                update(OutboxMessageRow)
                .where(
                    OutboxMessageRow.key.in_(wanted[start : start + _KEY_CHUNK]),
                    OutboxMessageRow.status == OutboxStatus.PENDING,
                )
                .values(status=OutboxStatus.SKIPPED, last_error=reason)
            )
            count += int(result.rowcount)  # type: ignore[attr-defined]
        await session.commit()
    return count


async def recover(db: Database) -> int:
    """At start-up: messages left ``sending`` by a crash go back to the queue."""
    async with db.session() as session:
        result = await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.status == OutboxStatus.SENDING)
            .values(status=OutboxStatus.PENDING)
        )
        await session.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]


async def next_due(db: Database) -> datetime | None:
    """When the next pending message is due, so one job can be woken for it."""
    async with db.session() as session:
        query = select(func.min(OutboxMessageRow.next_attempt_at)).where(
            OutboxMessageRow.status == OutboxStatus.PENDING
        )
        moment: datetime | None = await session.scalar(query)
        return moment


async def _set(db: Database, message_id: int, **values: object) -> None:
    async with db.session() as session:
        await session.execute(
            update(OutboxMessageRow).where(OutboxMessageRow.id == message_id).values(**values)
        )
        await session.commit()


async def known_keys(db: Database, keys: Iterable[str]) -> set[str]:
    """Which of these keys the outbox holds, in whatever status."""
    async with db.session() as session:
        return await _known_keys(session, list(keys))


async def _known_keys(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _KEY_CHUNK):
        query = select(OutboxMessageRow.key).where(
            OutboxMessageRow.key.in_(keys[start : start + _KEY_CHUNK])
        )
        found.update(await session.scalars(query))
    return found


async def pending_keys(
    db: Database, kinds: Iterable[str], first: datetime, last: datetime
) -> set[str]:
    """Keys of pending messages of these kinds due in [first, last), to compare with a
    recomputed schedule."""
    async with db.session() as session:
        query = select(OutboxMessageRow.key).where(
            OutboxMessageRow.status == OutboxStatus.PENDING,
            OutboxMessageRow.kind.in_(list(kinds)),
            OutboxMessageRow.due_at >= first,
            OutboxMessageRow.due_at < last,
        )
        return set(await session.scalars(query))


WITHDRAWN = "withdrawn: no longer in the schedule"


async def requeue(
    db: Database, clock: Clock, messages: Iterable[NewMessage], *, withdrawn_as: str = WITHDRAWN
) -> int:
    """Bring already queued messages in line with a recomputed schedule; return how many changed.

    A pending, untried message takes the new moment, text and expiry (a meeting moved to
    another hour or place, "over 7 dagen" that became "over 2 dagen" while the bot was down).

    :func:`enqueue` never touches a known key. But a member's preferences can move a reminder
    (another hour) or bring one back that was withdrawn (an overleg unmuted, a pause lifted, a
    meeting moved back): such a row takes the new moment and text, and a withdrawn one becomes
    pending again, only when its new moment is still ahead (a pause skips for good). Rows that
    were sent, failed, expired or already tried are left alone. ``withdrawn_as`` is the reason
    the caller's run withdraws with (see :func:`withdraw`): only rows it withdrew come back.

    This runs on every wake with every message of the window (28,000 at 10,000 members with
    the example plan), so it reads only rows that can change: the untried pending rows of
    these kinds, in one query through the status index, rather than every wanted row by key
    (500 keys to an ``IN``: 3.1 s a run as ORM objects, 1.7 s as plain columns, against 0.3 s
    now; README, queue benchmark); then, by key, only the wanted messages still ahead that are
    not pending (withdrawn ones, usually none). Plain columns, no ORM objects; the changes go
    back in one ``executemany`` by primary key.
    """
    wanted = {message.key: message for message in messages}
    if not wanted:
        return 0
    now = clock.now()
    changes: list[dict[str, object]] = []
    async with db.session() as session:
        pending = await session.execute(
            select(
                OutboxMessageRow.id,
                OutboxMessageRow.key,
                OutboxMessageRow.due_at,
                OutboxMessageRow.text,
                OutboxMessageRow.buttons,
                OutboxMessageRow.expires_at,
            ).where(
                OutboxMessageRow.status == OutboxStatus.PENDING,
                OutboxMessageRow.attempts == 0,
                OutboxMessageRow.kind.in_(sorted({message.kind for message in wanted.values()})),
            )
        )
        seen: set[str] = set()
        for row_id, key, due_at, text, buttons, expires_at in pending:
            message = wanted.get(key)
            if message is None:
                continue
            seen.add(key)
            current = (due_at, text, buttons, expires_at)
            if current != (
                message.due_at,
                message.text,
                _buttons_json(message.buttons),
                message.expires_at,
            ):
                changes.append(_new_content(row_id, message))
        ahead = [key for key, message in wanted.items() if message.due_at > now and key not in seen]
        for start in range(0, len(ahead), _KEY_CHUNK):
            withdrawn = await session.execute(
                select(OutboxMessageRow.id, OutboxMessageRow.key).where(
                    OutboxMessageRow.key.in_(ahead[start : start + _KEY_CHUNK]),
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
        await session.commit()
    return len(changes)


def _new_content(row_id: int, message: NewMessage) -> dict[str, object]:
    return {
        "id": row_id,
        "due_at": message.due_at,
        "next_attempt_at": message.due_at,
        "text": message.text,
        "buttons": _buttons_json(message.buttons),
        "expires_at": message.expires_at,
    }


async def last_run(db: Database, name: str) -> datetime | None:
    """When the queueing run ``name`` last ran (see :class:`OutboxRun`)."""
    async with db.session() as session:
        run = await session.get(OutboxRunRow, name)
        return None if run is None else run.last_run_at


async def record_run(db: Database, name: str, at: datetime) -> None:
    async with db.session() as session:
        run = await session.get(OutboxRunRow, name)
        if run is None:
            session.add(OutboxRunRow(name=name, last_run_at=at))
        else:
            run.last_run_at = at
        await session.commit()
