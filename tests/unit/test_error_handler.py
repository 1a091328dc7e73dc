"""The bot's error handler: expected trouble is one line or none, a bug keeps its traceback."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import cast

import pytest
from telegram.error import NetworkError, TimedOut

from bot.app import _on_error
from bot.context import OverlegContext


async def _handle(error: Exception, caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.clear()
    context = cast(OverlegContext, SimpleNamespace(error=error))
    with caplog.at_level(logging.DEBUG, logger="bot.app"):
        await _on_error(None, context)  # a failed getUpdates comes without an update
    return [record for record in caplog.records if record.levelno >= logging.INFO]


async def test_telegram_trouble_is_left_to_the_network_watch(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert await _handle(NetworkError("aiohttp.ClientConnectorError: refused"), caplog) == []
    assert await _handle(TimedOut(), caplog) == []


async def test_an_unreachable_database_is_one_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    refused = ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    [record] = await _handle(refused, caplog)

    assert record.levelname == "WARNING"
    assert record.exc_info is None
    assert record.getMessage() == (
        "De database is niet bereikbaar; een bericht of knop is niet verwerkt: "
        "verbinding geweigerd (draait de databaseserver, en op deze poort?)"
    )


async def test_a_bug_keeps_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    [record] = await _handle(KeyError("member"), caplog)

    assert record.levelname == "ERROR"
    assert record.exc_info is not None
