"""/nieuwsbrief given what a coordinator's client can send: every answer is Dutch, the step waits,
and nothing typed before is lost.

Nested formatting and custom emoji come back as Telegram HTML the bot may send (the stand-in
checks every message); a text of 20,000 characters, one of only whitespace, or a sticker is
refused with a reason, and the next good answer carries on with the title already given.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import StandinServer
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_chat import ANNE, QUIET_MOMENT, seat_people
from tests.support.chat import Chat, run_bot

ASK_TEXT = "Stuur nu de tekst"
ASK_MEDIA = "Wilt u er een foto"
ASK_AUDIENCE = "Voor wie is deze"


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


def _span(text: str, part: str) -> dict[str, int]:
    """Where ``part`` is in ``text``, in UTF-16 code units as Telegram counts (an emoji: two)."""

    def units(piece: str) -> int:
        return len(piece.encode("utf-16-le")) // 2

    start = text.index(part)
    return {"offset": units(text[:start]), "length": units(part)}


async def _said(chat: Chat, start: str) -> str:
    message = await chat.arrives(ANNE, lambda text: text.startswith(start))
    return message.text or ""


async def _titled(chat: Chat, title: str) -> None:
    chat.server.send_message(ANNE, "/nieuwsbrief")
    await _said(chat, "U stelt een nieuwsbrief samen")
    chat.server.send_message(ANNE, title)
    await _said(chat, ASK_TEXT)


async def _previewed(chat: Chat) -> list[str]:
    """/geen for the file, straight on to the audience (everyone, as offered): the preview."""
    chat.server.send_message(ANNE, "/geen")
    audience = await chat.arrives(ANNE, lambda text: text.startswith(ASK_AUDIENCE))
    seen = len(chat.server.messages(ANNE))
    await chat.press(ANNE, audience, "Verder")
    await _said(chat, "Hierboven ziet u")
    return [m.text or "" for m in chat.server.messages(ANNE)[seen:-1]]


async def test_nested_formatting_and_custom_emoji_are_previewed_as_typed(chat: Chat) -> None:
    await _titled(chat, "Nieuwsbrief juni")
    text = "🎉 Het rapport is er: lees vooral de samenvatting."
    entities = [
        {**_span(text, "🎉"), "type": "custom_emoji", "custom_emoji_id": "5368324170671202286"},
        {**_span(text, text[2:]), "type": "bold"},
        {**_span(text, "rapport"), "type": "italic"},
        {**_span(text, "de samenvatting"), "type": "text_link", "url": "https://example.nl/s"},
        {**_span(text, "samenvatting"), "type": "underline"},
    ]
    chat.server.send_message(ANNE, text, entities=entities)
    await _said(chat, ASK_MEDIA)

    [preview] = await _previewed(chat)
    assert preview == "Nieuwsbrief juni\n\n" + text  # every word once, the emoji plain
    assert chat.server.violations == []  # the HTML sent was well nested and allowed


async def test_a_text_of_20000_characters_is_refused_and_the_title_kept(chat: Chat) -> None:
    await _titled(chat, "Nieuwsbrief juli")
    assert "in één Telegram-bericht, van hooguit 4.096 tekens" in await _said(chat, ASK_TEXT)

    chat.server.send_message(ANNE, "woord " * 3334)
    assert (
        await _said(chat, "Die tekst is te lang") == "Die tekst is te lang: hooguit 4.096 tekens."
    )

    chat.server.send_message(ANNE, "Een korte tekst.")
    await _said(chat, ASK_MEDIA)
    [preview] = await _previewed(chat)
    assert preview == "Nieuwsbrief juli\n\nEen korte tekst."


async def test_only_whitespace_or_a_sticker_is_answered_and_the_step_waits(chat: Chat) -> None:
    await _titled(chat, "Nieuwsbrief augustus")

    chat.server.send_message(ANNE, " \u200b\n\t\u2060 ")
    await _said(chat, "De tekst is leeg")
    chat.server.send_sticker(ANNE)
    await _said(chat, "Stuur eerst de tekst van de nieuwsbrief")
    chat.server.send_message(ANNE, "De tekst.")
    await _said(chat, ASK_MEDIA)

    chat.server.send_sticker(ANNE)  # not a photo or a document either
    await _said(chat, "Stuur een foto of een document")
    [preview] = await _previewed(chat)
    assert preview == "Nieuwsbrief augustus\n\nDe tekst."
