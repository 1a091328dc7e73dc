"""Reads of the network's reference data (who is a member, the plan), kept until a write.

Most of what members ask (``/volgende``, ``/deadlines``, ``/help``) reads the same rows again and
again: the member behind the update and the whole plan, a dozen statements, two thirds of a
command's CPU on two cores (docs/benchmarks.md, "Replies"). Those rows change seldom. So a
:class:`~planning.db.Database` keeps a :class:`ReadCache`, and every session it opens watches
what it writes:

- a flush or an executed INSERT, UPDATE or DELETE on any table but the busy ones
  (:data:`UNWATCHED`: the outbox, conversations, kopij and newsletters, agenda items,
  incidents and their acknowledgements) marks the session;
- when a marked session has committed, the cache is emptied (``after_commit`` runs after the
  database committed, so a read that starts later sees the new rows). A session that rolled
  back is thrown away with its mark (:meth:`~planning.db.Database.run` opens one per try).

A value is kept only if no commit emptied the cache while it was read (:meth:`ReadCache.put`
takes the revision from before the read). Another process's writes (the command line) are not
seen here: the bot empties the cache when it notices the command line's change stamp, within
15 seconds, as it brings its outbox in line then (``bot.outbox_job.look_for_changes``).

Cached values are shared by concurrent handlers and must be treated as read-only: the plan is
frozen dataclasses; a cached :class:`~planning.membership.tables.MemberRow` is detached and
never added to a session again (write paths read the member themselves).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Delete, Insert, Update, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

# Tables written all day whose rows no cached read uses: a write to them keeps the cache.
UNWATCHED = frozenset(
    {
        "outbox",
        "outbox_runs",
        "conversation_states",
        "user_data",
        "kopij",
        "newsletter_issues",
        "newsletter_issue_kopij",
        "agenda_items",
        "agenda_publications",
        "agenda_item_documents",
        "audit_events",
        "incidents",
        "incident_recipients",
    }
)
T = TypeVar("T")
_MISSING = object()
_INFO_KEY = "read_cache"
_TOUCHED = "read_cache_touched"


class ReadCache:
    """Values by key, all dropped when a watched write commits (:func:`watch`)."""

    def __init__(self) -> None:
        self.revision = 0
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable) -> Any:
        """The value kept under ``key``, or :data:`_MISSING`."""
        return self._values.get(key, _MISSING)

    def put(self, key: Hashable, value: Any, revision: int) -> None:
        """Keep ``value``, read since ``revision``, unless a write committed meanwhile."""
        if revision == self.revision:
            self._values[key] = value

    def drop(self) -> None:
        """Forget everything: something the values came from has changed."""
        self.revision += 1
        self._values.clear()


async def cached(
    session: AsyncSession,
    key: Hashable,
    read: Callable[[], Awaitable[T]],
    *,
    keep: Callable[[T], bool] = lambda _value: True,
) -> T:
    """The value under ``key``, else ``read()`` in ``session`` (kept if ``keep`` says so).

    A session that has written anything reads for itself: it may see rows of its own that are
    not committed, and may never be.
    """
    cache = session.info.get(_INFO_KEY)
    sync = session.sync_session
    if not isinstance(cache, ReadCache) or sync.info.get(_TOUCHED) or sync.new or sync.dirty:
        return await read()
    value = cache.get(key)
    if value is not _MISSING:
        return value  # type: ignore[no-any-return]
    revision = cache.revision
    found = await read()
    if keep(found):
        cache.put(key, found, revision)
    return found


def watch(cache: ReadCache) -> type[Session]:
    """A session class whose committed writes to watched tables drop ``cache``; its sessions
    carry the cache in ``info`` for :func:`cached`."""

    class WatchedSession(Session):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.info[_INFO_KEY] = cache

    def flushed(session: Session, _flush: UOWTransaction) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            table = getattr(row, "__tablename__", None)
            if table is None or table not in UNWATCHED:
                session.info[_TOUCHED] = True
                return

    def executed(state: ORMExecuteState) -> None:
        statement = state.statement
        if isinstance(statement, Insert | Update | Delete):
            table = getattr(statement.table, "name", None)
            if table is None or table not in UNWATCHED:
                state.session.info[_TOUCHED] = True

    def committed(session: Session) -> None:
        # A savepoint's release commits nothing yet; the outer commit will.
        if not session.in_nested_transaction() and session.info.pop(_TOUCHED, False):
            cache.drop()

    event.listen(WatchedSession, "after_flush", flushed)
    event.listen(WatchedSession, "do_orm_execute", executed)
    event.listen(WatchedSession, "after_commit", committed)
    return WatchedSession
