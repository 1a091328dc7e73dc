"""The coordinator puts the AO's items in order in /publiceer's preview and publishes; the
participants get the agenda numbered with its fixed items, and a correction headed by what
changed."""

from __future__ import annotations

import re

from planning.agenda_items.services import review, submit
from planning.plan.store import import_plan
from tests.support.agenda_chat import ANNE, BERT, FATIMA, KOEN, YOUSSEF, ao_key
from tests.support.chat import Chat, labels
from tests.support.plans import agenda_cycle_plan_text, plan_of


def points(text: str) -> list[str]:
    return re.findall(r"^\d+\. .*$", text, re.M)


async def test_the_coordinator_orders_publishes_and_corrects_the_agenda(chat: Chat) -> None:
    await chat.database.run(import_plan, chat.clock, plan_of(agenda_cycle_plan_text()))
    key = await ao_key(chat)
    for member, title in ((FATIMA, "Jaarplan 2011"), (KOEN, "Monitor")):
        item = await chat.database.run(submit, chat.clock, member, key, title, None)
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    preview = await chat.say(ANNE, "/publiceer")
    assert labels(preview) == ["Punt 3 omlaag", "Punt 4 omhoog", "Versturen", "Afbreken"]
    await chat.press(ANNE, preview, "Punt 4 omhoog")
    moved = await chat.latest(ANNE)

    assert moved.message_id == preview.message_id  # redrawn in place
    ordered = points(moved.text or "")
    assert ordered == [
        "1. Opening",
        "2. Verslag vorige vergadering",
        "3. Monitor (Gemeente Utrecht) – ter bespreking",
        "4. Jaarplan 2011 (Gemeente Gouda) – ter bespreking",
        "5. Rondvraag",
    ]
    assert labels(moved)[:2] == ["Punt 3 omlaag", "Punt 4 omhoog"]
    await chat.press(ANNE, moved, "Versturen")
    for participant in (FATIMA, KOEN, YOUSSEF):
        agenda = await chat.arrives(participant, lambda text: text.startswith("Agenda:"))
        assert points(agenda.text or "") == ordered
    word = await chat.server.next_message(ANNE)  # the Word file follows the published agenda
    assert word.document is not None

    late = await chat.database.run(submit, chat.clock, YOUSSEF, key, "Begroting", None)
    await chat.database.run(review, chat.clock, ANNE, late.id, accept=True)
    second = await chat.say(ANNE, "/publiceer")
    header = (
        "Nieuwe versie van de agenda (versie 2). Gewijzigd ten opzichte van de vorige versie:\n"
        "• punt 5 toegevoegd: Begroting\n\nAgenda: Ambtelijk overleg"
    )
    assert (second.text or "").startswith(f"Zo ontvangen de deelnemers de agenda:\n\n{header}")
    await chat.press(ANNE, second, "Versturen")

    for participant in (FATIMA, KOEN, YOUSSEF):
        correction = await chat.arrives(
            participant, lambda text: text.startswith("Nieuwe versie van de agenda")
        )
        assert (correction.text or "").startswith(header)
        assert points(correction.text or "")[-2:] == [
            "5. Begroting (Gemeente Den Haag) – ter bespreking",
            "6. Rondvraag",
        ]
    await chat.sent_all()
    assert len(chat.matching(FATIMA, lambda text: "Agenda: Ambtelijk overleg" in text)) == 2


async def test_versturen_after_another_coordinator_reordered_shows_the_new_order_first(
    chat: Chat,
) -> None:
    key = await ao_key(chat)
    for member, title in ((FATIMA, "Jaarplan 2011"), (KOEN, "Monitor")):
        item = await chat.database.run(submit, chat.clock, member, key, title, None)
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)
    anne = await chat.say(ANNE, "/publiceer")
    bert = await chat.say(BERT, "/publiceer")
    await chat.press(BERT, bert, "Punt 1 omlaag")
    await chat.settle()

    await chat.press(ANNE, anne, "Versturen")
    shown = await chat.latest(ANNE)

    assert (shown.text or "").startswith("De agenda is intussen gewijzigd en niet verstuurd.")
    assert points(shown.text or "") == [
        "1. Monitor (Gemeente Utrecht) – ter bespreking",
        "2. Jaarplan 2011 (Gemeente Gouda) – ter bespreking",
    ]
    await chat.sent_all()
    assert not any(text.startswith("Agenda:") for text in chat.texts(FATIMA))
    await chat.press(ANNE, shown, "Versturen")
    agenda = await chat.arrives(FATIMA, lambda text: text.startswith("Agenda:"))
    assert points(agenda.text or "")[0] == "1. Monitor (Gemeente Utrecht) – ter bespreking"


async def test_a_move_in_a_preview_of_several_messages_shows_it_again_below(chat: Chat) -> None:
    key = await ao_key(chat)
    for number in range(1, 6):
        explanation = "Zie de bijlage. " * 60
        item = await chat.database.run(
            submit, chat.clock, FATIMA, key, f"Punt {number}", explanation
        )
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)
    first = await chat.say(ANNE, "/publiceer")
    await chat.settle()
    [*_parts, last] = [m for m in chat.server.messages(ANNE) if m.message_id >= first.message_id]

    await chat.press(ANNE, last, "Punt 5 omhoog")
    await chat.settle()

    assert chat.current(last).text == (
        "De volgorde is gewijzigd. Hieronder ziet u de agenda zoals hij nu is."
    )
    again = [m for m in chat.server.messages(ANNE) if m.message_id > last.message_id]
    assert len(again) > 1 and (again[0].text or "").startswith("Zo ontvangen de deelnemers")
    text = "\n".join(m.text or "" for m in again)
    assert re.findall(r"^(\d+)\. (Punt \d)", text, re.M)[-2:] == [("4", "Punt 5"), ("5", "Punt 4")]
    assert labels(again[-1])[-2:] == ["Versturen", "Afbreken"]


async def test_afbreken_after_a_move_says_the_order_is_kept(chat: Chat) -> None:
    """A move is stored at once; "Afbreken" sends nothing and says so, not "niets opgeslagen",
    and the next /publiceer shows the order as it was left."""
    key = await ao_key(chat)
    for member, title in ((FATIMA, "Jaarplan 2011"), (KOEN, "Monitor")):
        item = await chat.database.run(submit, chat.clock, member, key, title, None)
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    preview = await chat.say(ANNE, "/publiceer")
    await chat.press(ANNE, preview, "Punt 2 omhoog")
    await chat.settle()
    await chat.press(ANNE, chat.current(preview), "Afbreken")
    await chat.settle()

    assert chat.current(preview).text == (
        "De agenda is niet verstuurd. De nieuwe volgorde is wel bewaard: met /publiceer "
        "verstuurt u de agenda later in die volgorde."
    )
    again = await chat.say(ANNE, "/publiceer")
    assert points(again.text or "")[:2] == [
        "1. Monitor (Gemeente Utrecht) – ter bespreking",
        "2. Jaarplan 2011 (Gemeente Gouda) – ter bespreking",
    ]
    await chat.sent_all()
    assert not any(text.startswith("Agenda:") for text in chat.texts(FATIMA))
