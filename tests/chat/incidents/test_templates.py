"""/sjablonen: a coordinator changes a template's core message in chat; a bad placeholder is
refused with plan check's reason and the step waits; the next /incident uses the new text."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.button_data import Signer, button_key
from bot.standin import SentMessage, StandinServer
from planning.audit.services import events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from tests.chat.incidents.test_incident import TEMPLATE, _answer, _pressed, _seat
from tests.support.agenda_chat import ANNE, FATIMA, QUIET_MOMENT
from tests.support.chat import Chat, labels, run_bot

NEW_CORE = "In {plaats} is op {datum} iets ernstigs gebeurd: {wat}. Wij staan samen klaar."


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await _seat(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


async def test_the_step_survives_a_restart(server: StandinServer, database: Database) -> None:
    clock = FixedClock(QUIET_MOMENT)
    await _seat(server, database, clock)
    async with run_bot(server, database, clock) as chat:
        await _ask_core_message(chat)

    async with run_bot(server, database, clock) as again:  # a restart while the text is asked
        saved = await _answer(again, ANNE, NEW_CORE, "✅ kernboodschap van")

    assert NEW_CORE in (saved.text or "")


async def _ask_core_message(chat: Chat) -> None:
    listing = await _answer(chat, ANNE, "/sjablonen", "Incidentsjablonen")
    assert labels(listing) == [TEMPLATE, "Landelijke publiciteit over de aanpak"]
    await chat.press(ANNE, listing, TEMPLATE)
    await chat.server.wait_for(lambda: "kernboodschap" in (chat.current(listing).text or ""))
    shown = chat.current(listing)
    assert "Op {datum} is in {plaats} een ernstig incident gebeurd" in (shown.text or "")
    assert "• Speculeer niet over daders, achtergrond of afkomst." in (shown.text or "")
    await _pressed(chat, ANNE, shown, "kernboodschap wijzigen", "Typ de nieuwe tekst")


async def test_a_coordinator_changes_the_core_message_and_the_next_incident_has_it(
    chat: Chat,
) -> None:
    await _ask_core_message(chat)

    refused = await _answer(chat, ANNE, "Op {dag} in {plaats}", "Dat kan zo niet")
    assert "kernboodschap: onbekende plaatshouder {dag}" in (refused.text or "")
    saved = await _answer(chat, ANNE, NEW_CORE, "✅ kernboodschap van")  # the step waited
    assert NEW_CORE in (saved.text or "")

    choice = await _answer(chat, ANNE, "/incident", "U stelt een incidentbericht op")
    await _pressed(chat, ANNE, choice, TEMPLATE, "In welke plaats")
    await _answer(chat, ANNE, "Gouda", "Wanneer gebeurde het?")
    await _answer(chat, ANNE, "6 december 2011", "Wat is er gebeurd")
    audience = await _answer(chat, ANNE, "Een brand", "Voor wie is dit incidentbericht?")
    await _pressed(chat, ANNE, audience, "Verder", "Hierboven ziet u het bericht")
    preview: SentMessage = chat.server.messages(ANNE)[-2]
    assert "In Gouda is op 6 december 2011 iets ernstigs gebeurd: Een brand." in (
        preview.text or ""
    )
    [line] = [
        e
        for e in await chat.database.run(events)
        if e.action is AuditAction.INCIDENT_TEMPLATE_CHANGED
    ]
    assert (line.actor, line.detail) == (ANNE, "geweld: kernboodschap")


async def test_cancelled_with_annuleren_and_refused_to_a_member(chat: Chat) -> None:
    await _ask_core_message(chat)
    await _answer(chat, ANNE, "/annuleren", "De opdracht is afgebroken")
    await _answer(chat, ANNE, NEW_CORE, "")  # no longer read as the template's text
    assert not chat.matching(ANNE, lambda text: text.startswith("✅ kernboodschap"))

    refusal = await _answer(chat, FATIMA, "/sjablonen", "Deze opdracht is alleen")
    assert not labels(refusal)


async def test_a_press_for_a_template_that_is_gone_is_answered_politely(chat: Chat) -> None:
    listing = await _answer(chat, ANNE, "/sjablonen", "Incidentsjablonen")
    signer = Signer(button_key(chat.application.bot.token), ANNE)
    for data in ("sjb:s:999", "sjb:f:999.1", "sjb:f:1.9"):  # no such template, no such field
        chat.server.forge_press(ANNE, listing.message_id, signer.sign(data))
    await chat.settle()

    answers = [a.get("text") or "" for a in chat.server.answered_callbacks.values()]
    assert len(answers) == 3
    assert all(answer.startswith("Deze knop is niet (meer) voor u.") for answer in answers)
    assert not chat.matching(ANNE, lambda text: text.startswith("Typ de nieuwe tekst"))
