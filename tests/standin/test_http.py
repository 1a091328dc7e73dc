"""The wire protocol itself: tokens, unknown and unserved methods, body encodings, waiting."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from telegram import Bot
from telegram.error import RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.standin import StandinServer
from tests.support.standin import ALICE, TOKEN


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _call(http: aiohttp.ClientSession, url: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with http.post(url, **kwargs) as response:
        return response.status, json.loads(await response.text())


async def test_wrong_token_is_unauthorized(
    server: StandinServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _call(http, f"{server.base_url}654321:OTHER/getMe")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


async def test_unknown_method_is_not_found_and_a_violation(
    server: StandinServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _call(http, f"{server.base_url}{TOKEN}/sendMessages")
    assert (status, body["description"]) == (404, "Not Found")
    assert server.violations == ["sendMessages: not a method of Bot API 10.0"]


async def test_unserved_method_is_refused_and_a_violation(
    server: StandinServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _call(
        http, f"{server.base_url}{TOKEN}/sendDice", data={"chat_id": str(ALICE)}
    )
    assert status == 400
    assert body["description"] == "Bad Request: method not served by the stand-in: sendDice"
    assert server.violations == ["sendDice: method not served by the stand-in"]


async def test_json_bodies_and_query_strings_are_accepted(
    server: StandinServer, http: aiohttp.ClientSession
) -> None:
    url = f"{server.base_url}{TOKEN}/sendMessage"
    status, body = await _call(http, url, json={"chat_id": ALICE, "text": "json"})
    assert status == 200 and body["result"]["text"] == "json"
    status, _ = await _call(http, f"{url}?chat_id={ALICE}&text=query")
    assert status == 200
    status, body = await _call(http, url, json={"chat_id": ALICE, "text": 5})
    assert status == 400 and "must be a String" in body["description"]
    assert [m.text for m in server.messages(ALICE)] == ["json", "query"]


async def test_method_names_are_case_insensitive(
    server: StandinServer, http: aiohttp.ClientSession
) -> None:
    status, body = await _call(http, f"{server.base_url}{TOKEN}/getme")
    assert status == 200 and body["result"]["username"] == "overlegbot_test"


async def test_fail_next_can_imitate_rate_limits(
    server: StandinServer, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # the int form of retry_after warns
    server.fail_next(
        "sendMessage",
        status=429,
        description="Too Many Requests: retry after 3",
        retry_after=3,
        count=2,
    )
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ALICE, "x")
        assert caught.value.retry_after == dt.timedelta(seconds=3)
    await bot.send_message(ALICE, "x")
    with pytest.raises(ValueError, match="not a Bot API method"):
        server.fail_next("sendMessages")


async def test_fail_next_delay_provokes_client_timeouts(server: StandinServer) -> None:
    request = HTTPXRequest(read_timeout=0.05)
    async with Bot(TOKEN, base_url=server.base_url, request=request) as bot:
        server.fail_next("getMe", delay=0.3)
        with pytest.raises(TimedOut):
            await bot.get_me(read_timeout=0.05)


async def test_waiting_reports_what_happened_on_timeout(server: StandinServer, bot: Bot) -> None:
    await bot.send_message(ALICE, "eerste")
    assert (await server.next_message(ALICE)).text == "eerste"
    with pytest.raises(AssertionError, match=r"(?s)received \['eerste'\].*sendMessage"):
        await server.next_message(ALICE, timeout=0.05)
    with pytest.raises(AssertionError, match="condition not met"):
        await server.wait_for(lambda: False, timeout=0.05)
