"""Scheduling: a newsletter planned for a moment typed in the plan's zone starts on the fake
clock, for its audience as it is then, and its coordinator gets a new message with the progress
and the report; /ingepland moves one and cancels another, which sends nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.outbox_job import refresh_outbox
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_chat import ANNE, BERT, KOEN, PEOPLE, QUIET_MOMENT, seat_people
from tests.support.chat import Chat, labels, run_bot
from tests.support.newsletter_chat import answer, composed

# QUIET_MOMENT is Wednesday 12 January 2011, 10:00 in Amsterdam (UTC+1).
THURSDAY_TEN = datetime(2011, 1, 13, 9, 0, tzinfo=UTC)
THURSDAY_ELEVEN = datetime(2011, 1, 13, 10, 0, tzinfo=UTC)


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


def _copies(chat: Chat, who: int, title: str) -> int:
    return len(chat.matching(who, lambda text: text.startswith(f"{title}\n")))


async def _at(chat: Chat, moment: datetime) -> None:
    """The fake clock at ``moment``, and the outbox job's wake then, with what it sends."""
    chat.clock.set(moment)
    await refresh_outbox(chat.application)
    await chat.sent_all()


async def test_a_scheduled_issue_fires_on_the_fake_clock_and_a_cancelled_one_sends_nothing(
    chat: Chat,
) -> None:
    confirm = await composed(chat, ANNE, "Nieuwsbrief maart")
    await chat.press(ANNE, confirm, "Inplannen")
    await chat.arrives(ANNE, lambda text: text.startswith("Wanneer gaat de nieuwsbrief uit?"))
    await answer(chat, ANNE, "11-01-2011 09:00", "Dat moment is al voorbij")
    await answer(chat, ANNE, "morgen", "Dat herken ik niet als datum en tijd")
    scheduled = await answer(chat, ANNE, "13-01-2011 10:00", "is ingepland voor")
    assert (scheduled.text or "").startswith(
        "De nieuwsbrief ‘Nieuwsbrief maart’ is ingepland voor donderdag 13 januari 2011, 10:00."
    )
    confirm = await composed(chat, BERT, "Nieuwsbrief april")
    await chat.press(BERT, confirm, "Inplannen")
    await answer(chat, BERT, "13-01-2011 10:00", "is ingepland voor")

    listing = await answer(chat, ANNE, "/ingepland", "Nieuwsbrieven die nog niet")
    assert (listing.text or "").endswith(
        "1. ‘Nieuwsbrief maart’, op donderdag 13 januari 2011, 10:00\n"
        "2. ‘Nieuwsbrief april’, op donderdag 13 januari 2011, 10:00"
    )
    await chat.press(ANNE, listing, "Annuleren 2")  # Bert's: any coordinator may
    await chat.settle()
    assert (chat.current(listing).text or "").startswith(
        "De nieuwsbrief ‘Nieuwsbrief april’ is geannuleerd"
    )
    await chat.arrives(
        BERT, lambda text: text.startswith("Anne de Vries heeft uw nieuwsbrief ‘Nieuwsbrief april’")
    )
    listing = await answer(chat, BERT, "/ingepland", "Nieuwsbrieven die nog niet")
    assert "Nieuwsbrief april" not in (listing.text or "")
    await chat.press(BERT, listing, "Verplaatsen 1")
    await chat.arrives(BERT, lambda text: text.startswith("Naar wanneer verplaatst u"))
    await answer(chat, BERT, "13-01-2011 11:00", "gaat nu uit op donderdag 13 januari 2011, 11:00")
    await chat.sent_all()

    await _at(chat, THURSDAY_TEN)  # the first moment: moved away, so nothing yet
    assert _copies(chat, KOEN, "Nieuwsbrief maart") == 0

    await _at(chat, THURSDAY_ELEVEN)
    for person in PEOPLE:  # the composer saw the preview too
        wanted = 2 if person == ANNE else 1
        assert _copies(chat, person, "Nieuwsbrief maart") == wanted, person
        cancelled = 1 if person == BERT else 0  # only Bert's own preview
        assert _copies(chat, person, "Nieuwsbrief april") == cancelled, person
    # Bert moved it last, so he set the moment it started at: the report is his.
    report = "De nieuwsbrief ‘Nieuwsbrief maart’ is verstuurd."
    await chat.arrives(BERT, lambda text: text.startswith(report))
    assert chat.matching(ANNE, lambda text: text.startswith(report)) == []
    listing = await answer(chat, ANNE, "/ingepland", "")
    assert (listing.text or "").startswith("Er staan geen nieuwsbrieven klaar")


async def test_a_scheduled_issue_that_starts_reports_to_its_coordinator(chat: Chat) -> None:
    confirm = await composed(chat, ANNE, "Nieuwsbrief mei")
    await chat.press(ANNE, confirm, "Inplannen")
    await answer(chat, ANNE, "13-01-2011 10:00", "is ingepland voor")
    await chat.sent_all()
    before = {person: len(chat.server.messages(person)) for person in (ANNE, BERT)}

    await _at(chat, THURSDAY_TEN)  # the outbox job starts it: nobody pressed anything now

    def progress(who: int) -> list[SentMessage]:
        later = chat.server.messages(who)[before[who] :]
        return [m for m in later if (m.text or "").startswith("De nieuwsbrief ‘Nieuwsbrief mei’")]

    await chat.server.wait_for(lambda: bool(progress(ANNE)))
    [started] = progress(ANNE)  # one new message, edited in place until the report
    await chat.server.wait_for(lambda: "is verstuurd" in (chat.current(started).text or ""))
    report = chat.current(started)
    assert report.text == (
        "De nieuwsbrief ‘Nieuwsbrief mei’ is verstuurd.\n\nVerzonden: 7 van 7 · mislukt: 0"
    )
    assert labels(report) == ["Corrigeren", "Intrekken"]
    assert progress(BERT) == []  # another coordinator gets the issue, not its report
    assert _copies(chat, BERT, "Nieuwsbrief mei") == 1


async def test_a_scheduled_issue_goes_out_with_the_text_given_it_later(chat: Chat) -> None:
    confirm = await composed(chat, ANNE, "Nieuwsbrief juni", "De eerste tekst.")
    await chat.press(ANNE, confirm, "Inplannen")
    await answer(chat, ANNE, "13-01-2011 10:00", "is ingepland voor")

    listing = await answer(chat, BERT, "/ingepland", "Nieuwsbrieven die nog niet")
    await chat.press(BERT, listing, "Tekst wijzigen 1")
    await chat.arrives(BERT, lambda text: text.startswith("Stuur de nieuwe tekst"))
    await answer(chat, BERT, " \u200b ", "De tekst is leeg")  # the step waits
    chat.server.send_message(
        BERT, "De tweede tekst, vet.", entities=[{"type": "bold", "offset": 17, "length": 3}]
    )
    await chat.arrives(
        BERT, lambda text: text.endswith("heeft een nieuwe tekst en gaat uit zoals gepland.")
    )
    await chat.sent_all()

    await _at(chat, THURSDAY_TEN)
    [copy] = chat.matching(KOEN, lambda text: text.startswith("Nieuwsbrief juni\n"))
    assert copy.text == "Nieuwsbrief juni\n\nDe tweede tekst, vet."
    assert {"type": "bold", "offset": 35, "length": 3} in copy.entities
