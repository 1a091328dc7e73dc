"""``overlegbot run`` as an operator starts it: a separate process, polling or webhook.

The bot process talks to the stand-in through ``OVERLEGBOT_BOT_API_URL``, exactly as it would to
a self-hosted Bot API server, and migrates its empty database before it starts. What it writes
is what an operator reads: one line per problem, the token masked, no traceback for trouble
that is expected (an unreachable Telegram, a wrong token, a bad webhook URL).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.migrate import upgrade
from bot.standin import StandinServer
from planning.db import Database
from tests.support.bot_process import BotProcess, bot_environment, closed_port
from tests.support.standin import BOT_USERNAME, TOKEN

STARTED = "Overlegbot is gestart als @"
FEED_URL = "https://bot.example.nl"


@pytest.fixture
async def bots() -> AsyncIterator[list[BotProcess]]:
    """Bot processes a test starts; any still running at its end are killed."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.kill()


async def _start(
    bots: list[BotProcess], api_url: str, tmp_path: Path, *args: str, **settings: str
) -> BotProcess:
    bot = await BotProcess.start(bot_environment(api_url, tmp_path, **settings), tmp_path, *args)
    bots.append(bot)
    return bot


async def _migrated(tmp_path: Path) -> None:
    """The bot's database, migrated already: the output is then only about what is tested."""
    database = Database(f"sqlite:///{tmp_path / 'bot.db'}")
    await upgrade(database)
    await database.dispose()


async def _admin_is_answered(server: StandinServer) -> None:
    server.add_user(9000, "Anne", "de Vries")
    server.send_message(9000, "/start")
    welcome = await server.next_message(9000, timeout=30)
    assert (welcome.text or "").startswith(
        "Welkom, Anne de Vries! U bent aangemeld als coördinator."
    )


async def _feed_answers(port: int) -> int:
    """The feed server's answer to a token nobody has: 404 when it runs."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/agenda/nobody.ics") as response,
    ):
        return response.status


async def test_run_polls_a_self_hosted_bot_api_and_says_so(
    server: StandinServer, tmp_path: Path, bots: list[BotProcess]
) -> None:
    feed = closed_port()
    args = ("--feed-listen", f"127.0.0.1:{feed}")
    bot = await _start(
        bots, server.base_url, tmp_path, *args, ADMINS="9000", FEED_BASE_URL=FEED_URL
    )
    started = await bot.wait_for(STARTED)
    await _admin_is_answered(server)
    assert f"Agendafeeds op 127.0.0.1:{feed}." in bot.output
    assert await _feed_answers(feed) == 404
    assert server.commands["all_private_chats"]  # menus published at start-up
    assert await bot.stop() == 0, bot.output

    database = f"sqlite:///{tmp_path / 'bot.db'}"
    assert f"INFO bot.service: {STARTED}{BOT_USERNAME}: long polling, database {database}," in (
        started
    )
    assert "actieve leden: 0, volgende ronde uitgaande berichten: 20" in started
    assert "Overlegbot is gestopt." in bot.lines[-1]
    assert "Traceback" not in bot.output


async def test_run_with_a_webhook_receives_updates(
    server: StandinServer, tmp_path: Path, bots: list[BotProcess]
) -> None:
    port, feed = closed_port(), closed_port()
    url = f"http://127.0.0.1:{port}/overlegbot"  # a self-hosted Bot API server may use HTTP
    args = ("--webhook-url", url, "--listen", f"127.0.0.1:{port}")
    feed_args = ("--feed-listen", f"127.0.0.1:{feed}")
    bot = await _start(bots, server.base_url, tmp_path, *args, *feed_args, ADMINS="9000")
    started = await bot.wait_for(STARTED)
    assert f"webhook {url} (luistert op 127.0.0.1:{port})" in started
    assert server.webhook_url == url
    await _admin_is_answered(server)
    # Without OVERLEGBOT_FEED_BASE_URL the feeds run, but /agenda offers no link; it says so.
    assert "--feed-listen zonder OVERLEGBOT_FEED_BASE_URL" in bot.output
    assert await _feed_answers(feed) == 404
    assert await bot.stop() == 0, bot.output


async def test_run_logs_one_json_object_a_line(
    server: StandinServer, tmp_path: Path, bots: list[BotProcess]
) -> None:
    bot = await _start(bots, server.base_url, tmp_path, "--log-format", "json")
    await bot.wait_for(STARTED)
    assert await bot.stop() == 0, bot.output

    entries = [json.loads(line) for line in bot.lines]
    assert all(set(entry) == {"time", "level", "logger", "message"} for entry in entries)
    [started] = [entry for entry in entries if entry["message"].startswith(STARTED)]
    assert (started["level"], started["logger"]) == ("INFO", "bot.service")
    assert started["time"].endswith("+00:00")


async def test_run_retries_an_unreachable_bot_api_then_stops_without_a_traceback(
    tmp_path: Path, bots: list[BotProcess]
) -> None:
    await _migrated(tmp_path)
    api_url = f"http://127.0.0.1:{closed_port()}/bot"
    bot = await _start(bots, api_url, tmp_path, "--start-retries", "1")

    assert await bot.end() == 1
    attempt = (
        f"WARNING bot.network_watch: Starten: getMe bij {api_url} mislukt (poging {{}} van 2): "
        "aiohttp."
    )
    assert attempt.format(1) in bot.lines[0]
    assert attempt.format(2) in bot.lines[1]
    assert bot.lines[2].startswith(f"overlegbot: Telegram ({api_url}) bleef onbereikbaar")
    assert len(bot.lines) == 3, bot.output


async def test_run_refuses_a_wrong_token_in_one_line_without_the_token(
    server: StandinServer, tmp_path: Path, bots: list[BotProcess]
) -> None:
    await _migrated(tmp_path)
    wrong = "987654321:AAHwrong-secret_0123456789abcdefghijkl"
    bot = await _start(bots, server.base_url, tmp_path, TOKEN=wrong)

    assert await bot.end() == 2
    assert bot.lines == [
        f"overlegbot: de Bot API op {server.base_url} weigert het token 987654321:****; zet het "
        "token dat @BotFather gaf in OVERLEGBOT_TOKEN."
    ]


async def test_run_refuses_an_http_webhook_url_for_telegram_in_one_line(
    tmp_path: Path, bots: list[BotProcess]
) -> None:
    url = "http://bot.example.nl/overlegbot"
    args = ("--webhook-url", url, "--listen", "127.0.0.1:8443")
    bot = await _start(bots, "https://api.telegram.org/bot", tmp_path, *args)

    assert await bot.end() == 2
    assert bot.lines == [
        f"overlegbot: --webhook-url {url} moet met https:// beginnen: Telegram levert webhooks "
        "alleen over HTTPS af."
    ]
    assert not (tmp_path / "bot.db").exists()  # refused before anything started


async def test_run_stops_in_one_line_when_the_bot_api_refuses_the_webhook(
    server: StandinServer, tmp_path: Path, bots: list[BotProcess]
) -> None:
    await _migrated(tmp_path)
    url = "http://bot.example.nl/overlegbot"  # the stand-in takes plain HTTP on 127.0.0.1 only
    args = ("--webhook-url", url, "--listen", f"127.0.0.1:{closed_port()}", "--start-retries", "0")
    bot = await _start(bots, server.base_url, tmp_path, *args)

    assert await bot.end() == 2
    problem = "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    assert bot.lines[0].endswith(
        f"WARNING bot.network_watch: Starten: setWebhook bij {server.base_url} mislukt "
        f"(poging 1 van 1): {problem}"
    )
    refused = "Bad webhook: an https url must be provided for webhook"  # as PTB words it
    assert bot.lines[1:] == [f"overlegbot: de Bot API weigert de webhook {url}: {refused}"]


async def test_run_stops_in_one_line_when_the_webhook_cannot_listen(
    server: StandinServer, tmp_path: Path, bots: list[BotProcess]
) -> None:
    await _migrated(tmp_path)
    taken = f"127.0.0.1:{server.port}"  # the stand-in listens there
    args = ("--webhook-url", f"http://{taken}/overlegbot", "--listen", taken)
    bot = await _start(bots, server.base_url, tmp_path, *args)

    assert await bot.end() == 2
    assert bot.lines == [
        f"overlegbot: de webhook kan niet luisteren op {taken} (--listen): [Errno 98] Address "
        "already in use"
    ]


async def test_a_telegram_outage_is_logged_when_it_begins_and_when_it_ends(
    tmp_path: Path, bots: list[BotProcess]
) -> None:
    server = StandinServer(token=TOKEN, bot_username=BOT_USERNAME)
    await server.start()
    bot = await _start(bots, server.base_url, tmp_path)
    await bot.wait_for(STARTED)

    await server.stop()
    began = await bot.wait_for("is niet bereikbaar")
    async with StandinServer(token=TOKEN, bot_username=BOT_USERNAME, port=server.port) as again:
        # A message ends the bot's long poll at once: its answer is what shows Telegram is back.
        again.add_user(9000, "Anne", "de Vries")
        again.send_message(9000, "/help")
        ended = await bot.wait_for("antwoordt weer")
        assert await bot.stop() == 0, bot.output

    assert "WARNING bot.network_watch: Telegram (http://127.0.0.1:" in began
    assert "INFO bot.network_watch: Telegram (http://127.0.0.1:" in ended
    assert sum("Telegram (" in line for line in bot.lines) == 2, bot.output
    assert "Traceback" not in bot.output


async def test_a_token_revoked_while_running_stops_the_bot_in_one_line(
    tmp_path: Path, bots: list[BotProcess]
) -> None:
    server = StandinServer(token=TOKEN, bot_username=BOT_USERNAME)
    await server.start()
    bot = await _start(bots, server.base_url, tmp_path)
    await bot.wait_for(STARTED)

    await server.stop()
    async with StandinServer(token="111:another", bot_username=BOT_USERNAME, port=server.port):
        assert await bot.end() == 2

    assert bot.lines[-1] == (
        f"overlegbot: de Bot API op {server.base_url} weigert het token 123456:****; zet het "
        "token dat @BotFather gaf in OVERLEGBOT_TOKEN."
    )
    assert "Traceback" not in bot.output
