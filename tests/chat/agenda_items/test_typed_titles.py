"""Typed titles are parsed, not trusted: blank ones are empty, controls and overrides go."""

from __future__ import annotations

from tests.support.agenda_chat import FATIMA, stored_items, submit_in_chat
from tests.support.chat import Chat


async def test_a_blank_title_gets_the_empty_answer(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")

    for blank in (" \n ", "\u200b\u200b", "\u202e\x00\u2069", "\u3164"):
        answer = await chat.say(FATIMA, blank)
        assert answer.text == "De titel is leeg. Stuur een korte titel voor uw punt."


async def test_controls_and_overrides_are_stripped_from_a_title(chat: Chat) -> None:
    summary = await submit_in_chat(chat, FATIMA, "Begroting \u202e2102\u202c\x00 en \u2066zo\u2069")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    assert "Begroting 2102 en zo" in (summary.text or "")
    [item] = await stored_items(chat, FATIMA)
    assert item.title == "Begroting 2102 en zo"
