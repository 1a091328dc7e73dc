"""Typed titles are parsed, not trusted: blank ones are empty, controls and overrides go, and a
member who left halfway is refused whatever they type."""

from __future__ import annotations

from tests.support.agenda_chat import FATIMA, stored_items, submit_in_chat
from tests.support.chat import Chat


async def test_a_member_who_left_halfway_sends_whitespace_and_is_refused(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, "Begroting 2012")  # the explanation is asked next
    question = await chat.say(FATIMA, "/afmelden")
    await chat.press(FATIMA, question, "Ja, afmelden")
    assert ((await chat.latest(FATIMA)).text or "").startswith("U bent afgemeld.")
    before = len(chat.server.messages(FATIMA))

    answer = await chat.say(FATIMA, "   ")
    await chat.say(FATIMA, "Een toelichting")
    await chat.settle()

    sent = chat.server.messages(FATIMA)[before:]
    assert answer == sent[0] and len(sent) == 2
    assert all((m.text or "").startswith("U bent afgemeld.") for m in sent)
    assert not any("misgegaan" in text for text in chat.texts(FATIMA))
    assert await stored_items(chat, FATIMA) == []


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
