"""Kopij: a member sends in news, a coordinator passes it on, sets it aside or leaves it out.

The bot runs with its outbox job, so the notices really arrive: the item to the coordinators,
the decision to the sender, and a passed-on item to every active member, once each.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_chat import ANNE, BERT, FATIMA, KOEN, PEOPLE, QUIET_MOMENT, seat_people
from tests.support.chat import Chat, labels, run_bot

FORWARD, SET_ASIDE, DECLINE = "Nu doorsturen aan iedereen", "Voor de nieuwsbrief", "Niet opnemen"


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


async def _send_in(chat: Chat, title: str, text: str) -> SentMessage:
    """Fatima sends in ``title`` with ``text``; Anne's notice of it."""
    for typed in ("/nieuws", title, text):
        chat.server.send_message(FATIMA, typed)
    await chat.arrives(FATIMA, lambda shown: shown.startswith(f"Dank u wel. Uw nieuws ‘{title}’"))
    return await chat.arrives(ANNE, lambda shown: title in shown and "Wat wilt u" in shown)


async def test_news_passed_on_at_once_reaches_every_member_once(chat: Chat) -> None:
    notice = await _send_in(chat, "Nieuwe monitor", "De monitor 2011 staat online: <b>lees</b>.")
    assert labels(notice) == [FORWARD, SET_ASIDE, DECLINE]
    assert "Fatima El Amrani (Gemeente Gouda)" in (notice.text or "")

    await chat.press(ANNE, notice, FORWARD)
    await chat.arrives(FATIMA, lambda text: "is doorgestuurd aan alle deelnemers" in text)
    await chat.sent_all()

    for person in PEOPLE:
        copies = chat.matching(person, lambda text: text.startswith("Nieuwe monitor\n"))
        assert len(copies) == 1, person
        assert "De monitor 2011 staat online: <b>lees</b>." in (copies[0].text or "")
        assert "Ingezonden door Fatima El Amrani (Gemeente Gouda)" in (copies[0].text or "")
    assert (chat.current(notice).text or "").startswith("‘Nieuwe monitor’: door Anne")
    assert chat.current(notice).buttons() == []


async def test_news_set_aside_or_left_out_tells_the_sender(chat: Chat) -> None:
    kept = await _send_in(chat, "Voor later", "Iets voor de nieuwsbrief.")
    await chat.press(ANNE, kept, SET_ASIDE)
    await chat.arrives(FATIMA, lambda text: "bewaard voor de volgende nieuwsbrief" in text)
    dropped = await _send_in(chat, "Niet nodig", "Dit hoeft niet.")
    await chat.press(ANNE, dropped, DECLINE)
    await chat.arrives(ANNE, lambda text: "Waarom wordt ‘Niet nodig’ niet opgenomen?" in text)
    chat.server.send_message(ANNE, "Stond al in de vorige nieuwsbrief.")

    told = await chat.arrives(FATIMA, lambda text: "wordt niet opgenomen" in text)
    assert "Reden: Stond al in de vorige nieuwsbrief." in (told.text or "")
    chat.server.send_message(FATIMA, "/mijnnieuws")
    mine = await chat.arrives(FATIMA, lambda text: text.startswith("Uw ingezonden nieuws"))
    assert (mine.text or "").splitlines()[1:] == [
        "• Niet nodig: niet opgenomen (Stond al in de vorige nieuwsbrief.)",
        "• Voor later: bewaard voor de nieuwsbrief",
    ]
    assert not chat.matching(KOEN, lambda text: "Voor later" in text or "Niet nodig" in text)


async def test_a_second_coordinator_finds_the_item_decided(chat: Chat) -> None:
    await _send_in(chat, "Dubbel", "Twee coördinatoren tegelijk.")
    annes = chat.matching(ANNE, lambda text: "Dubbel" in text)[-1]
    berts = await chat.arrives(BERT, lambda text: "Dubbel" in text and "Wat wilt u" in text)

    await chat.press(ANNE, annes, FORWARD)
    await chat.press(BERT, berts, FORWARD)
    await chat.sent_all()

    # Both presses reach the bot together, and either may be handled first: one wins.
    shown = sorted(chat.current(notice).text or "" for notice in (annes, berts))
    assert shown[0] == "Over dit nieuws is al beslist door een andere coördinator."
    assert shown[1].startswith("‘Dubbel’: door ") and shown[1].endswith(" aan 7 deelnemers.")
    assert len(chat.matching(KOEN, lambda text: text.startswith("Dubbel\n"))) == 1


async def test_bad_news_gets_a_dutch_reason_and_the_step_waits(chat: Chat) -> None:
    await chat.say(FATIMA, "/nieuws")
    assert (await chat.say(FATIMA, " \u200b ")).text == (
        "De titel is leeg. Geef een korte titel van hooguit 100 tekens."
    )
    assert "te lang" in ((await chat.say(FATIMA, "x" * 101)).text or "")
    await chat.say(FATIMA, "Een titel")
    chat.server.send_sticker(FATIMA)
    refused = await chat.server.next_message(FATIMA)
    assert "sticker" in (refused.text or "")
    assert "te lang" in ((await chat.say(FATIMA, "y" * 3001)).text or "")
    thanks = await chat.say(FATIMA, "Nu wel goed.")

    assert (thanks.text or "").startswith("Dank u wel. Uw nieuws ‘Een titel’")


async def test_a_photo_goes_to_the_coordinators_and_on_to_everyone_as_a_photo(
    chat: Chat,
) -> None:
    await chat.say(FATIMA, "/nieuws")
    await chat.say(FATIMA, "Werkbezoek")
    chat.server.send_photo(FATIMA, b"\xff\xd8 jpeg", caption="Op bezoek in Gouda")
    thanks = await chat.server.next_message(FATIMA)
    notice = await chat.arrives(ANNE, lambda text: "Werkbezoek" in text and "Wat wilt u" in text)
    await chat.press(ANNE, notice, FORWARD)
    await chat.sent_all()

    assert (thanks.text or "").startswith("Dank u wel.")
    assert notice.photo is not None and "Op bezoek in Gouda" in (notice.text or "")
    [copy] = chat.matching(KOEN, lambda text: text.startswith("Werkbezoek\n"))
    assert copy.photo == notice.photo


async def test_only_coordinators_decide(chat: Chat) -> None:
    notice = await _send_in(chat, "Voor iedereen?", "Mag Koen dit doorsturen?")
    koen_help = await chat.say(KOEN, "/help")
    forward = next(data for text, data in notice.buttons() if text == FORWARD)
    chat.server.forge_press(KOEN, koen_help.message_id, forward)
    await chat.settle()

    assert any(
        "Deze knop is niet (meer) voor u" in (answer.get("text") or "")
        for answer in chat.server.answered_callbacks.values()
    )
    assert not chat.matching(KOEN, lambda text: text.startswith("Voor iedereen?\n"))
