"""What ``overlegbot run`` writes to its log, and how (docs/decisions/operations.md).

- One handler on the root logger, on stderr: text (time, level, logger, message) or JSON, one
  object per line with ``time``, ``level``, ``logger``, ``message`` (and ``exception`` for a
  bug), for log collectors.
- The token never shows: :class:`TokenFilter`, on that handler, masks ``bot<digits>:<secret>``
  (PTB's request URLs, which httpx logs) and the configured token itself in every record's
  message, arguments and traceback, as ``123456789:****``.
- Expected trouble is said once and without a traceback. :class:`bot.network_watch.NetworkWatch`
  sees every Bot API request: it says when Telegram stops answering and when it answers again,
  and at start each failed attempt of the calls PTB retries. :class:`QuietTelegramFilter` drops
  PTB's own tracebacks for that same trouble. Unexpected errors keep their traceback: they are
  bugs.
- aiohttp, httpx (a line per request, for the command line's own calls), PTB, APScheduler and
  Alembic log at WARNING and above.
"""

from __future__ import annotations

import errno
import json
import logging
import re
import socket
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from asyncpg import exceptions as postgres  # type: ignore[import-untyped]
from sqlalchemy.exc import DBAPIError
from telegram.error import (
    BadRequest,
    Conflict,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from planning import catalogue

log = logging.getLogger(__name__)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATS = ("text", "json")
# Libraries that say too much at INFO: httpx logs every request with its URL (token and all).
QUIET_LOGGERS = (
    "aiohttp",
    "httpx",
    "httpcore",
    "telegram",
    "apscheduler",
    "alembic",
    "aiosqlite",
)
# The Bot API calls PTB retries at start (``bootstrap_retries``): each failure is one line.

_TOKEN_IN_URL = re.compile(r"\bbot(\d+)(?::|%3A)[A-Za-z0-9_-]+")
_BARE_TOKEN = re.compile(r"\b(\d{5,}):[A-Za-z0-9_-]{30,}")
# Telegram answered, and refused this one call (400, 403) or asked to slow down (429).
_NETWORK_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.ETIMEDOUT,
        errno.ENETUNREACH,
        errno.ENETDOWN,
        errno.EHOSTUNREACH,
        errno.EHOSTDOWN,
    }
)
# Fragments of sqlite3's, asyncpg's and the resolver's English, and what they mean in Dutch.
_DATABASE_PROBLEMS = (
    ("unable to open database file", "db.problem.cannot_open"),
    ("file is not a database", "db.problem.not_a_database"),
    ("Connect call failed", "db.problem.refused"),  # asyncio's words for ECONNREFUSED
    ("Connection refused", "db.problem.refused"),
    ("Name or service not known", "db.problem.unknown_host"),  # glibc
    ("nodename nor servname provided", "db.problem.unknown_host"),  # BSD, macOS
)
_DATABASE_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    postgres.PostgresConnectionError,  # SQLSTATE class 08: the connection failed or was lost
    postgres.CannotConnectNowError,  # the server is starting up or shutting down
    postgres.AdminShutdownError,
    postgres.CrashShutdownError,
    postgres.TooManyConnectionsError,
    ConnectionError,  # refused, reset, aborted
    TimeoutError,
    socket.gaierror,  # the host name does not resolve (yet)
)


def masked_token(token: str) -> str:
    """``123456789:AAH...`` as ``123456789:****``: the bot's id stays, the secret goes."""
    bot_id, _, _ = token.partition(":")
    return f"{bot_id}:****"


def mask(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every token in it masked: the given ones, any in a Bot API URL, and any
    that looks like one."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, masked_token(secret))
    text = _TOKEN_IN_URL.sub(r"bot\1:****", text)
    return _BARE_TOKEN.sub(r"\1:****", text)


class TokenFilter(logging.Filter):
    """Masks tokens in each record's message, arguments and traceback (see :func:`mask`).

    A record that held one is flattened to its masked message: its arguments (an ``httpx.URL``
    among them) are gone, but so is the secret.
    """

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: logging reports it when it formats it
            return True
        masked = mask(message, self.secrets)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text, self.secrets)
        return True


def telegram_trouble(error: BaseException) -> bool:
    """Whether ``error`` is Telegram being unreachable, slow, busy, polled twice or refusing
    the token: what :class:`bot.network_watch.NetworkWatch` reports once, rather than a traceback
    each time.

    PTB's ``BadRequest`` is a ``NetworkError`` too, but it is Telegram refusing a call: no
    network trouble.
    """
    if isinstance(error, BadRequest):
        return False
    return isinstance(error, (NetworkError, TimedOut, RetryAfter, Conflict, InvalidToken))


def database_trouble(error: BaseException | None) -> str | None:
    """The problem in one line if ``error`` is the database being unreachable (a refused or
    lost connection, a server starting up or shutting down, a name that does not resolve);
    ``None`` for anything else, which is not worth retrying."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return database_problem(error.orig or error)
        if isinstance(error, _DATABASE_CONNECTION_ERRORS) or _network_os_error(error):
            return database_problem(error)
        orig = getattr(error, "orig", None)
        error = orig if isinstance(orig, BaseException) else _cause(error)
    return None


def _network_os_error(error: BaseException) -> bool:
    """A plain ``OSError`` about the network: unreachable, or asyncio's "Multiple exceptions"
    when every address of a host refused. Not one about files or a port in use."""
    if type(error) is not OSError:
        return False
    if error.errno is None:
        return str(error).startswith("Multiple exceptions")
    return error.errno in _NETWORK_ERRNOS


def _cause(error: BaseException) -> BaseException | None:
    """The exception ``error`` came from, as a traceback would show it."""
    if error.__cause__ is not None or error.__suppress_context__:
        return error.__cause__
    return error.__context__


def database_problem(error: BaseException) -> str:
    """What went wrong with the database, in one line for an operator: in Dutch for the
    drivers' common English messages (the original goes to the debug log), else their first
    line as it is. Every database error line takes its problem from here."""
    text = str(error).strip() or type(error).__name__
    for fragment, key in _DATABASE_PROBLEMS:
        if fragment in text:
            log.debug("database: %s", text)
            return catalogue.plain(key)
    return text.splitlines()[0]


class QuietTelegramFilter(logging.Filter):
    """Drops PTB's tracebacks for :func:`telegram_trouble`:
    :class:`bot.network_watch.NetworkWatch` says it in its own lines. So does PTB's report of a
    start-up call that failed every retry ("Network Retry Loop ... Aborting."): PTB raises it
    to ``overlegbot run``, which says it in one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("telegram") or not record.exc_info:
            return True
        error = record.exc_info[1]
        if error is None:
            return True
        retry_loop_gave_up = record.name == "telegram.ext" and "Aborting" in str(record.msg)
        return not (retry_loop_gave_up or telegram_trouble(error))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` (UTC), ``level``, ``logger``, ``message``, and
    ``exception`` (the traceback) when the record has one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class ServiceLog:
    """The log of one ``overlegbot run``: where lines go, and which secrets to hide."""

    def __init__(self, log_format: str = "text", stream: TextIO | None = None) -> None:
        if log_format not in LOG_FORMATS:
            raise ValueError(f"unknown log format {log_format!r}")
        self.json = log_format == "json"
        self.stream = stream if stream is not None else sys.stderr
        self.tokens = TokenFilter()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(JsonFormatter() if self.json else logging.Formatter(TEXT_FORMAT))
        self.handler.addFilter(QuietTelegramFilter())
        self.handler.addFilter(self.tokens)

    def install(self) -> ServiceLog:
        root = logging.getLogger()
        root.addHandler(self.handler)
        root.setLevel(logging.INFO)
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        logging.captureWarnings(True)  # PTB's warnings too go through the token filter
        return self

    def remove(self) -> None:
        logging.getLogger().removeHandler(self.handler)

    def hide(self, secret: str) -> None:
        """Mask ``secret`` (the token) wherever it appears, with or without ``bot`` before it."""
        if secret:
            self.tokens.secrets.add(secret)

    def fatal(self, line: str, status: int) -> int:
        """Say why ``run`` stops, in one line, and return the exit status.

        In text it is the bare line, like every subcommand's refusal; in JSON it is one more
        object on the log, at CRITICAL.
        """
        line = mask(line, self.tokens.secrets)
        if self.json:
            log.critical(line)
        else:
            print(line, file=self.stream, flush=True)
        return status


def outbox_wake_line(*, queued: int, sent: int, failed: int, skipped: int, retried: int = 0) -> str:
    """The INFO line for one wake of the outbox job (``bot/outbox_job.py: wake``)."""
    return catalogue.plain(
        "run.outbox_wake", queued=queued, sent=sent, failed=failed, skipped=skipped, retried=retried
    )
