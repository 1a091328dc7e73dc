"""The service's log (bot/logs.py): the token never shows, expected trouble is said once."""

from __future__ import annotations

import errno
import io
import json
import logging
import socket
import sqlite3
import sys

import httpx
import pytest
from sqlalchemy.exc import DBAPIError, OperationalError
from telegram.error import NetworkError, TimedOut

from bot.cli_runtime import CliError
from bot.logs import (
    ServiceLog,
    database_problem,
    database_trouble,
    mask,
    masked_token,
    outbox_wake_line,
)
from bot.network_watch import NetworkWatch

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
API = "https://api.telegram.org/bot"


def _record(
    name: str, message: str, *args: object, exc_info: logging._SysExcInfoType | None = None
) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args, exc_info)


def _written(record: logging.LogRecord, log_format: str = "text", *secrets: str) -> str:
    """What the service's handler writes for ``record``."""
    stream = io.StringIO()
    service_log = ServiceLog(log_format, stream)
    for secret in secrets:
        service_log.hide(secret)
    service_log.handler.handle(record)
    return stream.getvalue()


def _raised(error: BaseException) -> logging._SysExcInfoType:
    try:
        raise error
    except BaseException:
        return sys.exc_info()


def test_the_token_in_an_httpx_request_line_is_masked() -> None:
    url = httpx.URL(f"http://127.0.0.1:8081/bot{TOKEN}/getUpdates")
    record = _record("httpx", 'HTTP Request: %s %s "%s %d %s"', "POST", url, "HTTP/1.1", 200, "OK")

    written = _written(record)

    assert "INFO httpx: HTTP Request: POST http://127.0.0.1:8081/bot123456789:****/getUpdates" in (
        written
    )
    assert TOKEN.split(":")[1] not in written


def test_the_configured_token_is_masked_in_messages_and_tracebacks() -> None:
    token = "123456:TEST-TOKEN"  # too short for the pattern: only the configured value finds it
    error = ValueError(f"The token `{token}` was rejected by the server.")
    record = _record("telegram.ext.Application", "token %s failed", token, exc_info=_raised(error))

    written = _written(record, "text", token)

    assert "token 123456:**** failed" in written
    assert "The token `123456:****` was rejected" in written
    assert "TEST-TOKEN" not in written


def test_mask_leaves_other_numbers_alone() -> None:
    assert mask("12:30 meeting, ticket 4567:done") == "12:30 meeting, ticket 4567:done"
    assert mask(f"bare {TOKEN} here") == "bare 123456789:**** here"
    assert masked_token(TOKEN) == "123456789:****"


def test_telegram_trouble_loses_its_traceback_and_bugs_keep_theirs() -> None:
    network = _record(
        "telegram.ext.Updater", "Exception happened", exc_info=_raised(NetworkError("Bad Gateway"))
    )
    timeout = _record("telegram.ext", "Aborting.", exc_info=_raised(TimedOut()))
    bug = _record("telegram.ext.Application", "uncaught", exc_info=_raised(KeyError("x")))

    assert _written(network) == ""
    assert _written(timeout) == ""
    assert "Traceback" in _written(bug)


def test_json_lines_hold_time_level_logger_and_message() -> None:
    record = _record("bot.service", "Overlegbot is gestart als @%s", "overlegbot")

    entry = json.loads(_written(record, "json"))

    assert entry.keys() == {"time", "level", "logger", "message"}
    assert (entry["level"], entry["logger"]) == ("INFO", "bot.service")
    assert entry["message"] == "Overlegbot is gestart als @overlegbot"
    assert entry["time"].endswith("+00:00")


def test_a_json_line_of_a_bug_carries_its_traceback_masked() -> None:
    record = _record("bot.app", "bug", exc_info=_raised(RuntimeError(f"bot{TOKEN}/getMe")))

    entry = json.loads(_written(record, "json"))

    assert "RuntimeError: bot123456789:****/getMe" in entry["exception"]


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _lines(caplog: pytest.LogCaptureFixture) -> list[tuple[str, str]]:
    return [(record.levelname, record.getMessage()) for record in caplog.records]


def test_an_outage_is_said_when_it_begins_and_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.network_watch")
    clock = _Clock()
    watch = NetworkWatch(API, monotonic=clock)
    watch.started()

    watch.unreachable("getUpdates", NetworkError("aiohttp.ClientConnectorError: Cannot connect"))
    watch.answered("sendMessage", 502, "Bad Gateway")
    clock.now = 65.2
    watch.unreachable("getUpdates", TimedOut())
    watch.answered("getUpdates", 200, "")
    watch.answered("sendMessage", 200, "")

    assert _lines(caplog) == [
        (
            "WARNING",
            f"Telegram ({API}) is niet bereikbaar; de bot blijft het proberen en uitgaande "
            "berichten wachten zolang: aiohttp.ClientConnectorError: Cannot connect",
        ),
        ("INFO", f"Telegram ({API}) antwoordt weer, na 1 min 5 s (mislukte verzoeken: 3)."),
    ]
    assert not watch.down


def test_a_refused_call_is_no_outage_and_telegram_answering_it_ends_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.network_watch")
    watch = NetworkWatch(API, monotonic=_Clock())
    watch.started()

    watch.answered("sendMessage", 403, "Forbidden: bot was blocked by the user")
    watch.answered("sendMessage", 429, "Too Many Requests: retry after 3")
    assert _lines(caplog) == []
    watch.unreachable("getUpdates", TimedOut())
    watch.answered("sendMessage", 400, "Bad Request: chat not found")

    assert [level for level, _ in _lines(caplog)] == ["WARNING", "INFO"]


def test_a_second_poller_is_said_once(caplog: pytest.LogCaptureFixture) -> None:
    watch = NetworkWatch(API, monotonic=_Clock())
    watch.started()

    for _ in range(5):
        watch.answered("getUpdates", 409, "Conflict: terminated by other getUpdates request")

    [(level, line)] = _lines(caplog)
    assert level == "WARNING"
    assert line.startswith("Telegram meldt dat een ander proces met hetzelfde token")


def test_at_start_each_failed_attempt_is_a_line(caplog: pytest.LogCaptureFixture) -> None:
    watch = NetworkWatch(API, attempts=3, monotonic=_Clock())

    watch.unreachable("getMe", NetworkError("aiohttp.ClientConnectorError: refused"))
    watch.answered("getMe", 502, "Bad Gateway")
    watch.answered("getMe", 200, "")
    watch.answered("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided")

    assert [line for _, line in _lines(caplog)] == [
        f"Starten: getMe bij {API} mislukt (poging 1 van 3): aiohttp.ClientConnectorError: refused",
        f"Starten: getMe bij {API} mislukt (poging 2 van 3): Bad Gateway",
        f"Starten: setWebhook bij {API} mislukt (poging 1 van 3): Bad Request: bad webhook: "
        "HTTPS url must be provided",
    ]


def test_a_token_refused_while_running_stops_the_bot_once() -> None:
    stops: list[str] = []
    at_start = NetworkWatch(API, monotonic=_Clock())
    at_start.on_rejected = lambda: stops.append("at start")
    at_start.answered("getMe", 401, "Unauthorized")  # PTB raises it: ``overlegbot run`` says it
    running = NetworkWatch(API, monotonic=_Clock())
    running.on_rejected = lambda: stops.append("running")
    running.started()

    running.answered("getUpdates", 401, "Unauthorized")
    running.answered("sendMessage", 401, "Unauthorized")

    assert (at_start.rejected, running.rejected) == ("Unauthorized", "Unauthorized")
    assert stops == ["running"]


def test_an_unreachable_database_is_told_from_a_broken_one() -> None:
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
    try:
        raise CliError("overlegbot: de database ...") from refused
    except CliError as wrapped:
        assert database_trouble(wrapped) == (
            "verbinding geweigerd (draait de databaseserver, en op deze poort?)"
        )
    lost = DBAPIError("SELECT 1", None, Exception("connection lost"), connection_invalidated=True)
    assert database_trouble(lost) == "connection lost"
    assert database_trouble(OSError("Multiple exceptions: [Errno 111] ...")) is not None

    unopenable = sqlite3.OperationalError("unable to open database file")
    assert database_trouble(OperationalError("SELECT 1", None, unopenable)) is None
    assert database_trouble(FileNotFoundError("/no/such/dir")) is None
    assert database_trouble(OSError(errno.EADDRINUSE, "Address already in use")) is None
    assert database_trouble(KeyError("x")) is None
    assert database_trouble(None) is None


@pytest.mark.parametrize(
    ("error", "problem"),
    [
        (sqlite3.OperationalError("unable to open database file"), "kan niet geopend worden"),
        (sqlite3.DatabaseError("file is not a database"), "geen SQLite-database"),
        (ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 1)"), "geweigerd"),
        (
            OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 1), ..."),
            "geweigerd",
        ),
        (socket.gaierror(-2, "Name or service not known"), "onbekende host"),
        (Exception("password authentication failed\nDETAIL: x"), "password authentication failed"),
    ],
)
def test_a_database_problem_is_dutch_when_it_is_a_common_one(
    error: BaseException, problem: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.logs")
    shown = database_problem(error)
    assert problem in shown and "\n" not in shown
    if "geweigerd" in shown:  # the driver's own words stay in the debug log
        assert "Connect call failed" in caplog.text


def test_the_outbox_wake_line() -> None:
    line = outbox_wake_line(queued=300, sent=290, failed=1, skipped=2, retried=7)

    assert line == (
        "Uitgaande berichten: 300 klaargezet, 290 verstuurd, 1 mislukt, 2 overgeslagen, "
        "7 later opnieuw."
    )
