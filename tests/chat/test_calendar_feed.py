"""/agenda's personal subscription link: shown once when made, replaced at once by "Nieuwe link"."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest

from bot.standin import StandinServer
from planning.calendar.feed_tokens import calendar_for_token
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.example import import_example_plan
from tests.support.chat import ADMIN_ID, Chat, labels, run_bot
from tests.support.network import add_network

BASE = "https://overleg.example.nl"
SUBSCRIBE, NEW_LINK = "Abonneren op mijn agenda", "Nieuwe link"
LINK = re.compile(r"https://overleg\.example\.nl/agenda/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture
async def feed_chat(
    server: StandinServer, database: Database, clock: FixedClock
) -> AsyncIterator[Chat]:
    await add_network(database)
    server.add_user(ADMIN_ID, "Anne", "de Vries")
    await database.run(import_example_plan, clock)
    async with run_bot(
        server, database, clock, admins={ADMIN_ID}, outbox_job=False, feed_base_url=BASE
    ) as running:
        yield running


def _token(text: str | None) -> str:
    found = LINK.search(text or "")
    assert found is not None, text
    return found.group(1)


async def test_agenda_offers_a_private_link_and_a_new_one_replaces_it(feed_chat: Chat) -> None:
    chat = feed_chat
    fatima = await chat.member(501, "Fatima")
    agenda = await chat.say(fatima, "/agenda")
    assert SUBSCRIBE in labels(agenda)

    await chat.press(fatima, agenda, SUBSCRIBE)
    shown = await chat.server.next_message(fatima)
    first = _token(shown.text)
    assert f"webcal://overleg.example.nl/agenda/{first}.ics" in (shown.text or "")
    assert labels(shown) == [NEW_LINK]
    mine = await chat.database.run(calendar_for_token, chat.clock, first)
    assert mine is not None and mine.entries

    # Pressed again, the link is not made anew (it is kept hashed, so it cannot be shown).
    await chat.press(fatima, agenda, SUBSCRIBE)
    again = await chat.server.next_message(fatima)
    assert LINK.search(again.text or "") is None and labels(again) == [NEW_LINK]
    assert await chat.database.run(calendar_for_token, chat.clock, first) is not None

    await chat.press(fatima, again, NEW_LINK)
    replaced = await chat.server.next_message(fatima)
    second = _token(replaced.text)
    assert second != first
    assert (replaced.text or "").startswith("Uw vorige agendalink werkt vanaf nu niet meer.")
    assert await chat.database.run(calendar_for_token, chat.clock, first) is None
    assert await chat.database.run(calendar_for_token, chat.clock, second) is not None
