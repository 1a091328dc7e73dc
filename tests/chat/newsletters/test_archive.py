"""/nieuwsbrieven: every active member, also one who joined later, pages through the issues
sent to them and gets one again, exactly as members got it; an issue for others is not theirs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.newsletters.issues import Audience, Issue, record_issue
from tests.support.agenda_chat import ANNE, KOEN, MARIEKE, QUIET_MOMENT, seat_people
from tests.support.chat import Chat, run_bot
from tests.support.newsletter_chat import signed_as

NINA = 701
TEXT = "Beste collega, de monitor is klaar."
FORMATTING = [{"type": "bold", "offset": 15, "length": 10}]


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


async def _reply(chat: Chat, who: int, typed: str, starts: str) -> SentMessage:
    seen = len(chat.server.messages(who))
    chat.server.send_message(who, typed)
    await chat.server.wait_for(
        lambda: any((m.text or "").startswith(starts) for m in chat.server.messages(who)[seen:])
    )
    return next(m for m in chat.server.messages(who)[seen:] if (m.text or "").startswith(starts))


async def test_a_member_who_joined_later_reads_an_issue_back(chat: Chat) -> None:
    await _reply(chat, ANNE, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await _reply(chat, ANNE, "Nieuwsbrief maart", "Stuur nu de tekst")
    chat.server.send_message(ANNE, TEXT, entities=FORMATTING)
    await chat.arrives(ANNE, lambda text: text.startswith("Wilt u er een foto"))
    chat.server.send_photo(ANNE, b"\xff\xd8 jpeg")
    audience = await chat.arrives(ANNE, lambda text: text.startswith("Voor wie is deze"))
    await chat.press(ANNE, audience, "Verder")
    confirm = await chat.arrives(ANNE, lambda text: text.startswith("Hierboven ziet u"))
    await chat.press(ANNE, confirm, "Nu versturen")
    await chat.arrives(ANNE, lambda text: "wordt verstuurd aan" in text)
    await chat.sent_all()
    [as_sent] = chat.matching(KOEN, lambda text: text.startswith("Nieuwsbrief maart\n"))

    await chat.member(NINA, "Nina")
    listing = await _reply(chat, NINA, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    assert "• Nieuwsbrief maart (woensdag 12 januari 2011)" in (listing.text or "")
    assert [label for label, _ in listing.buttons()] == ["Nieuwsbrief maart"]
    await chat.press(NINA, listing, "Nieuwsbrief maart")
    again = await chat.arrives(NINA, lambda text: text.startswith("Nieuwsbrief maart\n"))

    assert (again.text, again.photo, again.entities) == (
        as_sent.text,
        as_sent.photo,
        as_sent.entities,
    )
    await chat.sent_all()  # a reply, not a broadcast: nobody else gets it again
    assert len(chat.matching(KOEN, lambda text: text.startswith("Nieuwsbrief maart\n"))) == 1


async def test_the_archive_pages_newest_first(chat: Chat) -> None:
    for number in range(1, 8):  # sent on the days before: newest is the one sent last
        clock = FixedClock(QUIET_MOMENT - timedelta(days=8 - number))
        issue = Issue(f"draft-{number}", f"Nummer {number}", f"Tekst {number}")
        await chat.database.run(record_issue, clock, ANNE, issue)  # recorded, not queued

    listing = await _reply(chat, KOEN, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    assert "(1–5 van 7)" in (listing.text or "")
    labels = [label for label, _ in listing.buttons()]
    assert labels == ["Nummer 7", "Nummer 6", "Nummer 5", "Nummer 4", "Nummer 3", "Volgende"]

    await chat.press(KOEN, listing, "Volgende")
    await chat.settle()
    second = chat.current(listing)
    assert "(6–7 van 7)" in (second.text or "")
    assert [label for label, _ in second.buttons()] == ["Nummer 2", "Nummer 1", "Vorige"]

    def first_issue(text: str) -> bool:
        return text == "Nummer 1\n\nTekst 1"

    await chat.press(KOEN, second, "Nummer 1")
    await chat.arrives(KOEN, first_issue)
    await chat.press(KOEN, second, "Vorige")
    await chat.settle()
    assert "(1–5 van 7)" in (chat.current(listing).text or "")


async def test_an_empty_archive_says_so(chat: Chat) -> None:
    answer = await _reply(chat, KOEN, "/nieuwsbrieven", "Er staan")
    assert answer.text == "Er staan (nog) geen nieuwsbrieven voor u in het archief."
    assert answer.buttons() == []


async def test_an_archive_with_only_others_issues_is_empty_for_the_member(chat: Chat) -> None:
    for_board = Issue(
        "draft-b", "Voor bestuurders", "Tekst", audience=Audience(False, ("bestuurders",))
    )
    await chat.database.run(record_issue, chat.clock, ANNE, for_board)

    answer = await _reply(chat, KOEN, "/nieuwsbrieven", "Er staan")
    assert answer.text == "Er staan (nog) geen nieuwsbrieven voor u in het archief."


async def test_an_issue_for_the_bestuurders_is_in_their_archive_only(chat: Chat) -> None:
    for_board = Issue(
        "draft-b", "Voor bestuurders", "Tekst", audience=Audience(False, ("bestuurders",))
    )
    await chat.database.run(record_issue, chat.clock, ANNE, for_board)
    await chat.database.run(record_issue, chat.clock, ANNE, Issue("draft-a", "Voor allen", "Tekst"))

    board = await _reply(chat, MARIEKE, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    assert [label for label, _ in board.buttons()] == ["Voor allen", "Voor bestuurders"]
    coordinator = await _reply(chat, ANNE, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    assert [label for label, _ in coordinator.buttons()] == ["Voor allen", "Voor bestuurders"]
    contact = await _reply(chat, KOEN, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    assert [label for label, _ in contact.buttons()] == ["Voor allen"]

    # Marieke's button, as a modified client would send it for Koen: nothing of it for him.
    chat.server.forge_press(
        KOEN, contact.message_id, signed_as(chat, board, "Voor bestuurders", KOEN)
    )
    await chat.arrives(KOEN, lambda text: text.startswith("Deze nieuwsbrief is er niet"))
    assert not chat.matching(KOEN, lambda text: text.startswith("Voor bestuurders\n"))
