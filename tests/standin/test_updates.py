"""Update delivery: long polling, webhooks, callback queries and a real PTB Application."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

from bot.standin import StandinServer
from tests.support.standin import ALICE, GROUP, TOKEN


async def test_long_poll_returns_an_injected_command(server: StandinServer, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=2))
    await server.wait_for(lambda: server.poll_generation == 1)  # the poll is parked
    server.send_message(ALICE, "/start@overlegbot_test welkom")
    [update] = await poll
    assert isinstance(update, Update)
    assert update.message is not None and update.message.text == "/start@overlegbot_test welkom"
    assert update.message.entities == (MessageEntity("bot_command", 0, 22),)


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    assert await bot.get_updates(timeout=0) == ()


async def test_offset_confirms_updates(server: StandinServer, bot: Bot) -> None:
    first = server.send_message(ALICE, "een")
    second = server.send_message(ALICE, "twee", chat_id=GROUP)
    assert second["update_id"] == first["update_id"] + 1
    assert len(await bot.get_updates()) == 2
    assert len(await bot.get_updates()) == 2  # not confirmed yet
    [remaining] = await bot.get_updates(offset=second["update_id"])
    assert remaining.update_id == second["update_id"]
    assert await bot.get_updates(offset=second["update_id"] + 1) == ()


async def test_allowed_updates_filters_later_updates(server: StandinServer, bot: Bot) -> None:
    await bot.get_updates(allowed_updates=["callback_query"])
    server.send_message(ALICE, "genegeerd")
    assert await bot.get_updates() == ()


async def test_second_long_poll_terminates_the_first(server: StandinServer, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await server.wait_for(lambda: server.poll_generation == 1)
    async with Bot(TOKEN, base_url=server.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_get_updates_conflicts_with_a_webhook(server: StandinServer, bot: Bot) -> None:
    assert await bot.set_webhook("https://example.org/hook", secret_token="geheim")
    assert server.webhook_url == "https://example.org/hook"
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert server.webhook_url is None
    assert await bot.get_updates() == ()


async def test_webhook_receives_updates_with_the_secret(server: StandinServer, bot: Bot) -> None:
    received: list[tuple[dict[str, object], str | None]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="geheim")
        update = server.send_message(ALICE, "via webhook")
        await server.wait_for(lambda: not server.pending_updates)
        assert received == [(json.loads(json.dumps(update)), "geheim")]
        info = await bot.get_webhook_info()
        assert info.pending_update_count == 0
    finally:
        await runner.cleanup()


async def test_pressing_a_button_yields_a_callback_query(server: StandinServer, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Ja", callback_data="rsvp:yes")],
            [InlineKeyboardButton("Site", url="https://example.org")],
        ]
    )
    sent = await bot.send_message(ALICE, "Kom je?", reply_markup=keyboard)
    assert server.messages(ALICE)[0].buttons() == [
        ("Ja", "rsvp:yes"),
        ("Site", "https://example.org"),
    ]
    with pytest.raises(AssertionError, match="rsvp:yes"):
        server.press_button(ALICE, sent.message_id, "rsvp:no")
    server.press_button(ALICE, sent.message_id, "rsvp:yes")
    [update] = await bot.get_updates()
    query = update.callback_query
    assert query is not None and query.data == "rsvp:yes"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, text="Genoteerd")
    assert server.answered_callbacks[query.id]["text"] == "Genoteerd"
    with pytest.raises(BadRequest, match=r"[Qq]uery is too old"):
        await bot.answer_callback_query(query.id)


async def test_documents_round_trip_byte_for_byte(server: StandinServer, bot: Bot) -> None:
    content = bytes(range(256)) * 40
    await bot.send_document(
        ALICE, content, filename="agenda.pdf", caption="<i>Agenda</i>", parse_mode="HTML"
    )
    [message] = server.messages(ALICE)
    assert message.document is not None
    assert (message.document.file_name, message.document.content) == ("agenda.pdf", content)
    assert message.text == "Agenda"

    server.send_document(ALICE, "notulen.txt", b"Notulen\n", mime_type="text/plain")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.document is not None
    file = await update.message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"Notulen\n"


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_chat is not None and update.effective_user is not None
    await context.bot.send_message(
        update.effective_chat.id, f"Welkom, {update.effective_user.first_name}!"
    )


@asynccontextmanager
async def _running_application(server: StandinServer) -> AsyncIterator[None]:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", _start))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_real_application_answers_start(server: StandinServer) -> None:
    async with _running_application(server):
        server.send_message(ALICE, "/start")
        reply = await server.next_message(ALICE)
        assert reply.text == "Welkom, Alice!"
    assert server.violations == []
