"""Publishing the agenda in chat with /publiceer, and the reminders that carry the items
waiting for review and the agenda so far."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

from bot.outbox_job import refresh_outbox
from planning.agenda_items.services import open_meetings, review, submit, waiting_items
from tests.support.agenda_chat import (
    ANNE,
    AO,
    AO_REMINDER,
    FATIMA,
    KOEN,
    MARIEKE,
    PC_REMINDER,
    QUIET_MOMENT,
    SANNE,
    YOUSSEF,
    ao_key,
    submit_in_chat,
)
from tests.support.chat import Chat, labels


async def test_publiceer_sends_the_agenda_to_the_participants(chat: Chat) -> None:
    key = await ao_key(chat)
    first = await chat.database.run(submit, chat.clock, FATIMA, key, "Jaarplan 2011", None)
    second = await chat.database.run(submit, chat.clock, KOEN, key, "Monitor", "Eerste cijfers.")
    await chat.database.run(review, chat.clock, ANNE, first.id, accept=True)
    await chat.database.run(review, chat.clock, ANNE, second.id, accept=True)

    preview = await chat.say(ANNE, "/publiceer")

    assert (preview.text or "").startswith("Zo ontvangen de deelnemers de agenda:")
    assert "1. Jaarplan 2011 (Gemeente Gouda)" in (preview.text or "")
    assert "2. Monitor (Gemeente Utrecht)" in (preview.text or "")
    assert labels(preview) == ["Punt 1 omlaag", "Punt 2 omhoog", "Versturen", "Afbreken"]
    await chat.press(ANNE, preview, "Versturen")

    for participant in (FATIMA, KOEN, YOUSSEF):
        agenda = await chat.arrives(participant, lambda text: text.startswith("Agenda:"))
        assert "1. Jaarplan 2011 (Gemeente Gouda)" in (agenda.text or "")
        assert "Eerste cijfers." in (agenda.text or "")
    done = chat.current(preview)  # "Versturen" redraws the preview; the Word file follows it
    assert (done.text or "").startswith(f"De agenda van {AO} is onderweg naar")
    await chat.sent_all()
    assert not any(text.startswith("Agenda:") for text in chat.texts(MARIEKE))


async def test_a_long_agenda_is_previewed_and_sent_whole_in_parts(chat: Chat) -> None:
    key = await ao_key(chat)
    for number in range(1, 13):
        explanation = f"Toelichting bij punt {number}. " + "Zie de bijlage. " * 50
        item = await chat.database.run(
            submit, chat.clock, FATIMA, key, f"Punt {number}", explanation
        )
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    first = await chat.say(ANNE, "/publiceer")
    await chat.settle()
    preview = [m for m in chat.server.messages(ANNE) if m.message_id >= first.message_id]

    assert len(preview) > 2
    assert (preview[0].text or "").startswith("Zo ontvangen de deelnemers de agenda:")
    assert [labels(m) for m in preview[:-1]] == [[]] * (len(preview) - 1)
    assert labels(preview[-1])[-3:] == ["Punt 12 omhoog", "Versturen", "Afbreken"]
    assert "12. Punt 12" in (preview[-1].text or "")
    await chat.press(ANNE, preview[-1], "Versturen")
    await chat.arrives(ANNE, lambda text: text.startswith(f"De agenda van {AO} is onderweg"))
    for part in range(1, len(preview) + 1):  # part n falls due n - 1 seconds after the first
        chat.clock.set(QUIET_MOMENT + timedelta(seconds=part - 1))
        await refresh_outbox(chat.application)  # what the job does when it wakes then
        for participant in (FATIMA, YOUSSEF):
            await chat.server.wait_for(partial(_agenda_parts_arrived, chat, participant, part))

    for participant in (FATIMA, YOUSSEF):
        parts = [text for text in chat.texts(participant) if text.startswith("Agenda:")]
        assert len(parts) == len(preview)
        assert all(part.startswith("Agenda: Ambtelijk overleg (vervolg)\n") for part in parts[1:])
        numbers = [int(n) for n in re.findall(r"^(\d+)\. Punt", "\n".join(parts), re.M)]
        assert numbers == list(range(1, 13))


def _agenda_parts_arrived(chat: Chat, user_id: int, count: int) -> bool:
    return len([t for t in chat.texts(user_id) if t.startswith("Agenda:")]) == count


async def test_publiceer_asks_which_meeting_and_afbreken_sends_nothing(chat: Chat) -> None:
    for member in (FATIMA, KOEN):
        # The first meeting open to them: the AO for Fatima, the kenniswerkgroep for Koen.
        meeting, *_later = await chat.database.run(open_meetings, chat.clock, member)
        item = await chat.database.run(submit, chat.clock, member, meeting.entry.key, "Punt", None)
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    choice = await chat.say(ANNE, "/publiceer")

    assert labels(choice) == [
        "do 3 feb 2011 · Kenniswerkgroep",
        "di 22 mrt 2011 · Ambtelijk overleg",
    ]
    await chat.press(ANNE, choice, "do 3 feb 2011 · Kenniswerkgroep")
    preview = await chat.latest(ANNE)
    assert "Agenda: Kenniswerkgroep" in (preview.text or "")
    await chat.press(ANNE, preview, "Afbreken")
    cancelled = await chat.latest(ANNE)

    assert cancelled.text == "De opdracht is afgebroken; er is niets opgeslagen."
    await chat.sent_all()
    assert not any(text.startswith("Agenda:") for text in chat.texts(KOEN))


async def test_publiceer_without_accepted_items_says_so(chat: Chat) -> None:
    answer = await chat.say(ANNE, "/publiceer")

    assert (answer.text or "").startswith("Er is geen komend overleg met punten op de agenda.")
    assert answer.buttons() == []


async def test_members_may_not_review_or_publish(chat: Chat) -> None:
    answer = await chat.say(FATIMA, "/punten")
    assert (answer.text or "").startswith("Deze opdracht is alleen voor coördinatoren en beoor")
    answer = await chat.say(FATIMA, "/publiceer")
    assert (answer.text or "").startswith("Deze opdracht is alleen voor coördinatoren.")


async def test_the_reminders_carry_the_waiting_items_and_then_the_agenda(chat: Chat) -> None:
    summary = await submit_in_chat(chat, FATIMA, "Jeugdcriminaliteit in Gouda")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    chat.clock.set(PC_REMINDER)
    await refresh_outbox(chat.application)  # what the job does when it wakes at that moment
    pc = await chat.arrives(SANNE, lambda text: text.startswith("Herinnering: Petit comité"))
    assert f"Ter beoordeling voor {AO}: 1 punt" in (pc.text or "")
    assert "• Jeugdcriminaliteit in Gouda (Gemeente Gouda)" in (pc.text or "")

    [waiting] = await chat.database.run(waiting_items, chat.clock)
    await chat.database.run(review, chat.clock, ANNE, waiting.id, accept=True)
    chat.clock.set(AO_REMINDER)
    await refresh_outbox(chat.application)
    ao = await chat.arrives(FATIMA, lambda text: text.startswith("Herinnering: Ambtelijk"))
    assert "Agenda tot nu toe:\n1. Jeugdcriminaliteit in Gouda" in (ao.text or "")
    # The petit comité began at midnight, so the agenda is closed: no invitation to add more.
    assert "/agendapunt" not in (ao.text or "")
