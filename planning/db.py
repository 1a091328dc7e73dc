"""The database handle: one async engine, and the one place a unit of work is committed.

SQLite (aiosqlite) is the embedded default and PostgreSQL (asyncpg) the production choice; users
write the URL they know (``sqlite:///x.db``, ``postgresql://...``) and we pick the async driver.

Every service function, in ``planning`` and ``berichten`` alike, takes an ``AsyncSession`` as its
first argument and never commits. :meth:`Database.run` opens one transaction, calls it, and
commits once (docs/decisions/unit-of-work.md): a change and the outbox rows that announce it are
stored together or not at all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from planning.read_cache import ReadCache, watch

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPTS = 5  # a unit of work that meets a Conflict is tried this often in all
# Values per ``IN (...)``: well under every database's limit on bound parameters.
IN_CHUNK = 500

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


class Conflict(Exception):  # noqa: N818 - a condition to retry, not an error to report
    """A concurrent transaction took what this one needed (the next number on an agenda, the
    next version of a publication); :meth:`Database.run` tries the whole unit again."""


def in_chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most :data:`IN_CHUNK`, for one ``IN (...)`` each."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def async_url(url: str) -> str:
    """Return ``url`` with the async driver we support for its database."""
    parsed = make_url(url)
    driver = _ASYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    if driver not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ValueError(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql")
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


class Database:
    """Owns the engine; hands out sessions with ``expire_on_commit=False``.

    Objects stay readable after their unit of work committed, so handlers can render them
    without a second query (and without lazy loads, which async SQLAlchemy forbids). Reads of
    members and the plan are kept in :attr:`read_cache` until a write commits
    (:mod:`planning.read_cache`).
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = async_url(url)
        self.engine: AsyncEngine = create_async_engine(self.url, **engine_kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_foreign_keys)
        self.read_cache = ReadCache()
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=watch(self.read_cache)
        )

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: committed when the block ends, rolled back if it raises."""
        async with self.sessions() as session, session.begin():
            yield session

    async def run(
        self,
        work: Callable[Concatenate[AsyncSession, P], Awaitable[T]],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        """``work(session, *args, **kwargs)`` in one transaction, committed once it returns.

        A :class:`Conflict` rolls the transaction back and runs ``work`` again, up to
        :data:`ATTEMPTS` times in all; any other exception rolls back and propagates.
        """
        for attempt in range(1, ATTEMPTS + 1):
            try:
                async with self.transaction() as session:
                    return await work(session, *args, **kwargs)
            except Conflict:
                if attempt == ATTEMPTS:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def dispose(self) -> None:
        await self.engine.dispose()


def _sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores FOREIGN KEY clauses unless asked per connection.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
