"""The call for items in chat: it arrives when the AO's agenda opens, and its button starts
/agendapunt for that AO, without the meeting question, up to an item with its kind."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.standin import StandinServer
from planning.agenda_items.tables import AgendaItemKind
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.store import import_plan
from tests.support.agenda_chat import (
    ANNE,
    AO,
    BERT,
    FATIMA,
    KOEN,
    MARIEKE,
    QUIET_MOMENT,
    SANNE,
    YOUSSEF,
    seat_people,
    stored_items,
)
from tests.support.chat import Chat, labels, run_bot
from tests.support.plans import agenda_cycle_plan_text, plan_of

# 15 February 2011, 09:00 in Amsterdam: 21 days before the petit comité of 8 March closes the
# agenda of the AO of 22 March.
CALL_MOMENT = datetime(2011, 2, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
async def called(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    """The agenda cycle's plan, the agenda-item people, the bot started at the call's moment."""
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
    clock.set(CALL_MOMENT)
    async with run_bot(server, database, clock) as running:
        yield running


def _is_call(text: str) -> bool:
    return text.startswith(f"Oproep: agendapunten voor {AO}")


async def test_the_call_arrives_and_its_button_submits_an_item_for_that_ao(called: Chat) -> None:
    chat = called
    call = await chat.server.next_message(KOEN)
    await chat.sent_all()
    assert _is_call(call.text or "")

    assert "Punten aanleveren kan tot en met maandag 7 maart 2011." in (call.text or "")
    assert labels(call) == ["Agendapunt aanleveren"]
    # The AO's participants (contact persons), once each; nobody else.
    everyone = (FATIMA, KOEN, YOUSSEF, MARIEKE, SANNE, ANNE, BERT)
    assert {p: len(chat.matching(p, _is_call)) for p in everyone} == {
        FATIMA: 1,
        KOEN: 1,
        YOUSSEF: 1,
        MARIEKE: 0,
        SANNE: 0,
        ANNE: 0,
        BERT: 0,
    }

    # Koen takes part in the kenniswerkgroep too, but the call's button asks no meeting.
    await chat.press(KOEN, call, "Agendapunt aanleveren")
    question = await chat.server.next_message(KOEN)
    assert (question.text or "").startswith(f"Agendapunt voor {AO}")
    kind_question = await chat.say(KOEN, "Regionale aanpak jeugdoverlast")
    await chat.press(KOEN, kind_question, "Ter besluitvorming")
    await chat.settle()
    summary = await chat.say(KOEN, "/overslaan")
    assert f"Overleg: {AO}" in (summary.text or "")
    assert "Soort: ter besluitvorming" in (summary.text or "")
    await chat.press(KOEN, summary, "Indienen")

    notice = await chat.arrives(ANNE, lambda text: "Regionale aanpak" in text)
    assert "Aangeboden ter besluitvorming." in (notice.text or "")
    [item] = await stored_items(chat, KOEN)
    assert (item.title, item.overleg_code, item.kind) == (
        "Regionale aanpak jeugdoverlast",
        "ao",
        AgendaItemKind.DECISION,
    )
    assert (item.meeting_when is not None) and str(item.meeting_when.day) == "2011-03-22"
    mine = await chat.say(KOEN, "/mijnpunten")
    assert "Regionale aanpak jeugdoverlast (ter besluitvorming): ter beoordeling" in (
        mine.text or ""
    )
    chat.server.send_message(ANNE, "/punten")
    listing = await chat.arrives(ANNE, lambda text: text.startswith("Ter beoordeling"))
    assert "Regionale aanpak jeugdoverlast (ter besluitvorming) – Koen de Boer" in (
        listing.text or ""
    )

    # Once the petit comité has begun, the button says the agenda is closed.
    chat.clock.set(datetime(2011, 3, 8, 12, 0, tzinfo=UTC))
    fatimas_call = chat.current(chat.matching(FATIMA, _is_call)[0])
    await chat.press(FATIMA, fatimas_call, "Agendapunt aanleveren")
    closed = await chat.latest(FATIMA)
    assert (closed.text or "").startswith("De agenda van dit overleg is inmiddels gesloten")
