"""A petit comité member who is not a coordinator reviews the AO's items in chat: accepts one,
declines one with a reason (asked across a restart), moves one to the AO of 21 June; the
submitters hear each once."""

from __future__ import annotations

from bot.standin import SentMessage, StandinServer
from planning.agenda_items.tables import AgendaItemStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.store import import_plan
from tests.support.agenda_chat import (
    AO,
    FATIMA,
    QUIET_MOMENT,
    SANNE,
    YOUSSEF,
    seat_people,
    stored_items,
    submit_in_chat,
)
from tests.support.chat import Chat, run_bot
from tests.support.plans import agenda_cycle_plan_text, plan_of

JUNE = "Ambtelijk overleg van dinsdag 21 juni 2011"
MOVED_FROM = "verplaatst van de vergadering van dinsdag 22 maart 2011"


async def _submitted(chat: Chat, user_id: int, title: str) -> SentMessage:
    """``title`` submitted in chat; the notice Sanne (petit comité, no coordinator) gets."""
    summary = await submit_in_chat(chat, user_id, title)
    await chat.press(user_id, summary, "Indienen")
    return await chat.arrives(SANNE, lambda text: title in text)


async def test_a_petit_comite_member_accepts_declines_and_moves(
    server: StandinServer, database: Database
) -> None:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))

    async with run_bot(server, database, clock) as chat:
        accept = await _submitted(chat, FATIMA, "Aanpak schooluitval")
        decline = await _submitted(chat, YOUSSEF, "Fietsenplan")
        move = await _submitted(chat, FATIMA, "Evaluatie 2011")
        assert [label for label, _data in move.buttons()] == [
            "Op de agenda",
            "Niet opnemen",
            "Naar volgende vergadering",
        ]

        await chat.press(SANNE, accept, "Op de agenda")
        decided = await chat.arrives(FATIMA, lambda text: "staat op de agenda" in text)
        # Numbered as the published agenda will be: after Opening and Verslag vorige vergadering.
        assert "Op de agenda gezet door Sanne Bakker (punt 3)." in (chat.current(accept).text or "")
        assert "(punt 3)." in (decided.text or ""), decided.text

        await chat.press(SANNE, decline, "Niet opnemen")
        question = await chat.arrives(SANNE, lambda text: text.startswith("Waarom neemt u"))
        assert "/overslaan" in (question.text or "")

    # The bot restarts while Sanne thinks of a reason; the question is still open after.
    async with run_bot(server, database, clock) as chat:
        chat.server.send_message(SANNE, "Past beter bij de kenniswerkgroep.")
        answer = await chat.arrives(SANNE, lambda text: "Fietsenplan" in text and "Reden" in text)
        assert "Niet opgenomen, besloten door Sanne Bakker.\nReden: Past beter" in (
            answer.text or ""
        )
        declined = await chat.arrives(YOUSSEF, lambda text: "niet opgenomen" in text)
        assert "Reden: Past beter bij de kenniswerkgroep.\n\nHeeft u vragen" in (
            declined.text or ""
        )
        assert chat.current(decline).buttons() == []

        await chat.press(SANNE, move, "Naar volgende vergadering")
        moved = await chat.arrives(FATIMA, lambda text: "is verplaatst naar" in text)
        assert moved.text == (
            f"Uw agendapunt Evaluatie 2011 is verplaatst naar {JUNE}. Het wacht daar op "
            "beoordeling; u hoort het zodra er een besluit is."
        )
        assert f"Verplaatst naar {JUNE} door Sanne Bakker." in (chat.current(move).text or "")

        # (After a restart a new Chat reads on from the start: wait for the answer by its text.)
        chat.server.send_message(FATIMA, "/mijnpunten")
        mine = await chat.arrives(FATIMA, lambda text: text.startswith("Uw agendapunten"))
        moved_line = f"Evaluatie 2011 (ter bespreking): ter beoordeling ({MOVED_FROM})"
        assert moved_line in (mine.text or "")
        chat.server.send_message(SANNE, "/punten")
        overview = await chat.arrives(SANNE, lambda text: text.startswith("Ter beoordeling"))
        assert JUNE in (overview.text or "") and MOVED_FROM in (overview.text or "")
        await chat.sent_all()
        assert len(chat.matching(FATIMA, lambda text: "is verplaatst naar" in text)) == 1
        assert len(chat.matching(YOUSSEF, lambda text: "niet opgenomen" in text)) == 1
        [kept] = [i for i in await stored_items(chat, FATIMA) if i.title == "Evaluatie 2011"]
        assert (kept.status, kept.held_over) == (AgendaItemStatus.WAITING, False)
        assert AO not in (overview.text or "")  # March's items are all decided or moved


async def test_annuleren_while_asked_for_a_reason_leaves_the_item_waiting(
    server: StandinServer, database: Database
) -> None:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))

    async with run_bot(server, database, clock) as chat:
        notice = await _submitted(chat, FATIMA, "Nog even wachten")
        await chat.press(SANNE, notice, "Niet opnemen")
        await chat.arrives(SANNE, lambda text: text.startswith("Waarom neemt u"))

        chat.server.send_message(SANNE, "/annuleren")
        cancelled = await chat.arrives(SANNE, lambda text: text.startswith("Het punt"))
        assert cancelled.text == (
            "Het punt Nog even wachten is niet afgewezen; het wacht nog op beoordeling."
        )
        [item] = await stored_items(chat, FATIMA)
        assert item.status == AgendaItemStatus.WAITING

        await chat.press(SANNE, notice, "Niet opnemen")
        await chat.arrives(SANNE, lambda text: text.startswith("Waarom neemt u"))
        chat.server.send_message(SANNE, "/overslaan")
        answer = await chat.arrives(SANNE, lambda text: "Niet opgenomen, besloten door" in text)
        assert "Reden" not in (answer.text or "")
        declined = await chat.arrives(FATIMA, lambda text: "niet opgenomen" in text)
        assert "Reden" not in (declined.text or "")
