"""PTB persistence in the project's own database: drafts and conversation states survive a restart.

PTB v22 (``telegram/ext/_application.py``) loads everything at ``initialize``: user data
(:meth:`get_user_data`) and the states of each ConversationHandler with ``persistent=True`` and a
``name`` (:meth:`get_conversations`). After each update it marks the update's user; every
:attr:`update_interval` seconds, and at ``shutdown``, it hands over a deep copy of each marked
user's data and each conversation state written since (None: ended), in one ``asyncio.gather``.
Failures reach the error handlers and PTB does not offer the data again, so failed writes are
kept here and retried with the next ones (or at :meth:`flush`).

Only user data (as JSON made by a codec such as ``TypeAdapter(UserData)``, never a pickle) and
conversation states are stored; ``bot_data`` holds live services. A stored value that no longer
decodes (a draft class changed in an upgrade) is dropped with one warning, with that person's
conversation states: they start afresh and the bot still starts. One run of PTB's hand-over is
one transaction, so a draft and its step are stored together; unchanged values are skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from pydantic import TypeAdapter
from sqlalchemy import delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from telegram.ext import BasePersistence, PersistenceInput

from bot.persistence_tables import (
    ConversationStateRow,
    UserDataRow,
    key_text,
    read_key,
    read_state,
    state_text,
)
from planning.clock import Clock, SystemClock
from planning.db import Database, in_chunks

log = logging.getLogger(__name__)

T = TypeVar("T")
UD = TypeVar("UD")

UPDATE_INTERVAL = 1.0
"""Seconds between PTB's runs of handing changes over. A run without changes does no I/O, and one
with changes is one small transaction, so a short interval costs little while people type; a
crash (not a stop, which saves everything) loses at most this much of their last steps."""

STORED = PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False)

_ABSENT = object()


@dataclass(frozen=True)
class JsonCodec(Generic[T]):
    """How a user-data value becomes JSON text and back; ``decode`` raises on what it cannot
    read."""

    encode: Callable[[T], str | bytes]
    decode: Callable[[str], T]

    @classmethod
    def of(cls, adapter: TypeAdapter[T]) -> JsonCodec[T]:
        """pydantic's adapter; a value that does not match its type raises on the way out
        instead of warning and writing JSON that might not read back.

        Raises TypeError for an adapter whose type names a class pydantic could not find (an
        import under ``TYPE_CHECKING``): left so, every stored draft would fail to decode.
        """
        # pydantic builds lazily and fails on first use; an adapter without pydantic_complete
        # (pydantic < 2.10) has already failed when it was made.
        if not getattr(adapter, "pydantic_complete", True):
            raise TypeError(
                f"{adapter!r} is not fully defined: make it where every class its type names "
                "is imported, or call its rebuild() there"
            )
        return cls(lambda value: adapter.dump_json(value, warnings="error"), adapter.validate_json)


@dataclass
class _Writes:
    """Changes to store in one transaction; the latest change per row wins."""

    users: dict[int, str | None] = field(default_factory=dict)  # None: could not be encoded
    dropped: set[int] = field(default_factory=set)
    states: dict[tuple[str, str], str | None] = field(default_factory=dict)  # None: ended

    def put_user(self, user_id: int, data: str | None) -> None:
        self.dropped.discard(user_id)
        self.users[user_id] = data

    def drop_user(self, user_id: int) -> None:
        self.users.pop(user_id, None)
        self.dropped.add(user_id)

    def put_state(self, row: tuple[str, str], state: str | None) -> None:
        self.states[row] = state

    def then(self, newer: _Writes) -> _Writes:
        """These changes followed by ``newer`` ones."""
        merged = _Writes(dict(self.users), set(self.dropped), dict(self.states))
        for user_id, data in newer.users.items():
            merged.put_user(user_id, data)
        for user_id in newer.dropped:
            merged.drop_user(user_id)
        merged.states.update(newer.states)
        return merged

    def __bool__(self) -> bool:
        return bool(self.users or self.dropped or self.states)


class DatabasePersistence(BasePersistence[UD, dict[Any, Any], Any]):
    """Stores user data (as JSON, through ``codec``) and conversation states in ``database``.

    ``codec`` is a pydantic ``TypeAdapter`` of the user-data type or a :class:`JsonCodec`.
    ``blank`` is the user data of someone with nothing open (``UserData()``): it is not kept,
    so only people with a draft have a row.
    """

    def __init__(
        self,
        database: Database,
        codec: TypeAdapter[UD] | JsonCodec[UD],
        *,
        blank: UD | None = None,
        clock: Clock | None = None,
        update_interval: float = UPDATE_INTERVAL,
    ) -> None:
        super().__init__(store_data=STORED, update_interval=update_interval)
        self._database = database
        self._codec = JsonCodec.of(codec) if isinstance(codec, TypeAdapter) else codec
        self._blank = None if blank is None else self._encode(blank)
        self._clock = clock or SystemClock()
        # What the database holds once the queued writes are in: writes that change nothing
        # are skipped. A user id maps to its JSON (None: unreadable); no state: no row.
        self._users: dict[int, str | None] = {}
        self._states: dict[tuple[str, str], str] = {}
        self._queued: _Writes | None = None
        self._writing: asyncio.Task[None] | None = None
        self._failed = _Writes()
        self._lock = asyncio.Lock()

    # ------------------------------------------------------------------ user data

    async def get_user_data(self) -> dict[int, UD]:
        """Everyone's stored user data. Rows that do not decode are deleted, with the person's
        conversation states, and logged once each: those people start afresh."""
        loaded: dict[int, UD] = {}
        unreadable: dict[int, str] = {}
        async with self._database.transaction() as session:
            for user_id, data in await session.execute(_ALL_USER_DATA):
                if data is None:
                    unreadable[user_id] = "it could not be encoded when it was last saved"
                    continue
                try:
                    loaded[user_id] = self._codec.decode(data)
                    self._users[user_id] = data
                except Exception as error:  # any codec's failure: the value is unusable
                    unreadable[user_id] = " ".join(str(error).split())[:300]
            if unreadable:
                ended = await _conversations_of(session, unreadable.keys())
                await _delete_users(session, unreadable.keys())
                await _delete_states(session, [pair for pairs in ended.values() for pair in pairs])
                for user_id, reason in unreadable.items():
                    log.warning(
                        "stored user data of user %s cannot be decoded, dropped with %s "
                        "conversation state(s); they start afresh: %s",
                        user_id,
                        len(ended.get(user_id, [])),
                        reason,
                    )
        return loaded

    async def update_user_data(self, user_id: int, data: UD) -> None:
        """Store ``data`` for ``user_id`` (with this run's other changes). Data that cannot be
        encoded is stored as unreadable, with a warning: a restart starts them afresh."""
        try:
            text: str | None = self._encode(data)
        except Exception as error:  # any codec's failure: an older draft must not come back
            log.warning(
                "user data of user %s cannot be encoded, stored as unreadable: %s",
                user_id,
                " ".join(str(error).split())[:300],
            )
            text = None
        if text is not None and text == self._blank:
            if user_id in self._users:
                await self.drop_user_data(user_id)
            return
        if self._users.get(user_id, _ABSENT) == text:
            return
        self._users[user_id] = text
        await self._queue(lambda writes: writes.put_user(user_id, text))

    def _encode(self, data: UD) -> str:
        encoded = self._codec.encode(data)
        return encoded.decode() if isinstance(encoded, bytes) else encoded

    async def drop_user_data(self, user_id: int) -> None:
        """Delete ``user_id``'s stored user data (PTB's ``Application.drop_user_data``)."""
        self._users.pop(user_id, None)
        await self._queue(lambda writes: writes.drop_user(user_id))

    async def refresh_user_data(self, user_id: int, user_data: UD) -> None:
        """Nothing: this bot is the only writer, so memory is never behind the database."""

    # ------------------------------------------------------------------ conversations

    async def get_conversations(self, name: str) -> dict[tuple[int | str, ...], object]:
        """The stored states of handler ``name``; unreadable rows are deleted with a warning."""
        states: dict[tuple[int | str, ...], object] = {}
        broken: list[tuple[str, str]] = []
        async with self._database.transaction() as session:
            rows = await session.execute(
                select(ConversationStateRow.key, ConversationStateRow.state).where(
                    ConversationStateRow.name == name
                )
            )
            for key_json, state_json in rows:
                key, state = read_key(key_json), read_state(state_json)
                if key is None or state is None:
                    broken.append((name, key_json))
                    continue
                states[key] = state
                self._states[(name, key_json)] = state_json
            if broken:
                await _delete_states(session, broken)
        for _, key_json in broken:
            log.warning("stored state of conversation %s %s is unreadable, dropped", name, key_json)
        return states

    async def update_conversation(
        self, name: str, key: tuple[int | str, ...], new_state: object | None
    ) -> None:
        """Store the conversation's new state; None (ended) deletes it. A state that is not an
        int or a string cannot be stored: warned about, and the conversation is not resumed."""
        row = (name, key_text(key))
        state = state_text(new_state)
        if new_state is not None and state is None:
            log.warning("state %r of conversation %s %s cannot be stored", new_state, name, key)
        if self._states.get(row) == state:
            return
        if state is None:
            del self._states[row]
        else:
            self._states[row] = state
        await self._queue(lambda writes: writes.put_state(row, state))

    # ------------------------------------------------------------------ writing

    async def flush(self) -> None:
        """Called by PTB at shutdown, after its last hand-over: retry writes that failed.
        Logs instead of raising, so the bot still stops."""
        if self._writing is not None:
            await asyncio.gather(self._writing, return_exceptions=True)
        async with self._lock:
            if not self._failed:
                return
            try:
                await self._store(self._failed)
            except Exception:
                log.exception(
                    "drafts of %s people are lost: the database is unreachable",
                    len(self._failed.users) + len(self._failed.dropped),
                )
                return
            self._failed = _Writes()

    async def _queue(self, change: Callable[[_Writes], None]) -> None:
        """Add ``change`` to the writes of this run and wait until they are stored."""
        if self._queued is None:
            self._queued = _Writes()
            # Started after every call that PTB's gather began: they all land in this batch.
            self._writing = asyncio.get_running_loop().create_task(self._write_queued())
        change(self._queued)
        assert self._writing is not None
        await asyncio.shield(self._writing)

    async def _write_queued(self) -> None:
        async with self._lock:  # batches are written one after the other, in order
            assert self._queued is not None
            writes, self._queued = self._failed.then(self._queued), None
            self._failed = _Writes()
            try:
                await self._store(writes)
            except BaseException:
                self._failed = writes
                raise

    async def _store(self, writes: _Writes) -> None:
        now = self._clock.now()
        async with self._database.transaction() as session:
            users = [
                {"user_id": user_id, "data": data, "updated_at": now}
                for user_id, data in writes.users.items()
            ]
            states = [
                {"name": name, "key": key, "state": state, "updated_at": now}
                for (name, key), state in writes.states.items()
                if state is not None
            ]
            await _upsert(session, UserDataRow, users, ["user_id"])
            await _upsert(session, ConversationStateRow, states, ["name", "key"])
            await _delete_users(session, writes.dropped)
            ended = [pair for pair, state in writes.states.items() if state is None]
            await _delete_states(session, ended)

    # ------------------------------------------------------------------ not stored
    # STORED leaves these out, so PTB never calls them; bot_data must never be replaced.

    async def get_bot_data(self) -> Any:
        raise RuntimeError("bot_data holds live services and is not persisted")

    async def update_bot_data(self, data: Any) -> None: ...

    async def refresh_bot_data(self, bot_data: Any) -> None: ...

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None: ...

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None: ...

    async def drop_chat_data(self, chat_id: int) -> None: ...

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None: ...


_ALL_USER_DATA = select(UserDataRow.user_id, UserDataRow.data)


async def _conversations_of(
    session: AsyncSession, user_ids: Iterable[int]
) -> dict[int, list[tuple[str, str]]]:
    """The stored conversations whose key holds one of ``user_ids`` (as chat or user id)."""
    wanted = set(user_ids)
    found: dict[int, list[tuple[str, str]]] = {}
    rows = await session.execute(select(ConversationStateRow.name, ConversationStateRow.key))
    for name, key_json in rows:
        for part in set(read_key(key_json) or ()):
            if isinstance(part, int) and part in wanted:
                found.setdefault(part, []).append((name, key_json))
    return found


async def _upsert(
    session: AsyncSession,
    table: type[UserDataRow] | type[ConversationStateRow],
    rows: Sequence[Mapping[str, object]],
    keys: list[str],
) -> None:
    """Insert ``rows``, replacing the other columns of rows with the same ``keys``."""
    if not rows:
        return
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    columns = [column for column in rows[0] if column not in keys]
    statement = statement.on_conflict_do_update(
        index_elements=keys, set_={column: statement.excluded[column] for column in columns}
    )
    for chunk in in_chunks(rows):
        await session.execute(statement, list(chunk))


async def _delete_users(session: AsyncSession, user_ids: Iterable[int]) -> None:
    ids = list(user_ids)
    for chunk in in_chunks(ids):
        await session.execute(delete(UserDataRow).where(UserDataRow.user_id.in_(chunk)))


async def _delete_states(session: AsyncSession, pairs: list[tuple[str, str]]) -> None:
    for chunk in in_chunks(pairs):
        await session.execute(
            delete(ConversationStateRow).where(
                tuple_(ConversationStateRow.name, ConversationStateRow.key).in_(chunk)
            )
        )
