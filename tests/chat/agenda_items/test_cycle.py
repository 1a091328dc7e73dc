"""The whole agenda cycle of the AO of 22 March 2011 in chat, on the fake clock: the call
arrives when the agenda opens, members submit through its button (one with a document, one
cancelling halfway), a petit comité member reviews, the agenda closes with the petit comité,
the coordinator orders and publishes, corrects the agenda, and after the AO marks what was
dealt with while the rest rolls over to 21 June."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from io import BytesIO

from docx import Document

from bot.outbox_job import refresh_outbox
from bot.standin import SentMessage, StandinServer
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
from tests.support.plans import agenda_cycle_plan_text, amsterdam_time, plan_of

# 21 days before the petit comité of 8 March closes the AO's agenda, at 09:00 in Amsterdam.
CALL_MOMENT = amsterdam_time(date(2011, 2, 15), 9)
JUNE = "Ambtelijk overleg van dinsdag 21 juni 2011"
PARTICIPANTS = (FATIMA, KOEN, YOUSSEF)  # the AO's contact persons
OUTSIDERS = (MARIEKE, SANNE, BERT)
EVERYONE = (*PARTICIPANTS, *OUTSIDERS, ANNE)

SCHOOL = "Aanpak schooluitval"  # Fatima's, with a document; accepted by Sanne
YOUTH = "Regionale aanpak jeugdoverlast"  # Koen's, ter besluitvorming; accepted by Anne
BIKES = "Fietsenplan"  # Youssef's; declined by Sanne, with a reason
COVENANT = "Evaluatie convenant 2011"  # Koen's second, ter informatie; moved to June
CAMERAS = "Cameratoezicht"  # Youssef's second attempt, cancelled halfway
REASON = "Past beter bij de kenniswerkgroep."


async def test_the_agenda_cycle_of_the_ao_of_22_march(
    server: StandinServer, database: Database
) -> None:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
    clock.set(CALL_MOMENT - timedelta(minutes=1))
    async with run_bot(server, database, clock) as chat:
        fatimas_call = await _the_call_arrives_on_time(chat)
        document = await _members_submit(chat)
        await _sanne_reviews(chat)
        await _the_agenda_closes(chat, fatimas_call)
        await _anne_orders_and_publishes(chat, document)
        await _anne_corrects_the_agenda(chat)
        await _after_the_ao(chat)


async def _the_call_arrives_on_time(chat: Chat) -> SentMessage:
    """15 February, 09:00: the call arrives, not a minute early, once to each participant;
    Fatima's call."""
    await chat.sent_all()
    assert not any(chat.matching(person, _is_call) for person in EVERYONE)
    await _at(chat, CALL_MOMENT)
    calls = {person: chat.matching(person, _is_call) for person in EVERYONE}
    assert {person: len(sent) for person, sent in calls.items()} == {
        **dict.fromkeys(PARTICIPANTS, 1),
        **dict.fromkeys((*OUTSIDERS, ANNE), 0),
    }
    assert "Punten aanleveren kan tot en met maandag 7 maart 2011." in _text(calls[FATIMA][0])
    return calls[FATIMA][0]


async def _members_submit(chat: Chat) -> str:
    """Three members submit through the call's button: Fatima with a document, Koen one ter
    besluitvorming and one ter informatie, Youssef after dropping an attempt halfway; the
    document's file id."""
    await _at(chat, amsterdam_time(date(2011, 2, 16), 10))
    explanation = await _through_call(chat, FATIMA, SCHOOL)
    assert "Stukken kunt u als bestand meesturen" in _text(explanation)
    chat.server.send_document(FATIMA, "plan-van-aanpak.pdf", b"%PDF-1.4", "application/pdf")
    added = await chat.server.next_message(FATIMA)
    assert _text(added).startswith("Het stuk plan-van-aanpak.pdf is toegevoegd")
    summary = await chat.say(FATIMA, "Het plan van de vier gemeenten, ter bespreking.")
    assert "1 stuk:\n• plan-van-aanpak.pdf" in _text(summary)
    await _submit(chat, FATIMA, summary)

    await _through_call(chat, KOEN, YOUTH, "Ter besluitvorming")
    summary = await chat.say(KOEN, "/overslaan")
    assert "Soort: ter besluitvorming" in _text(summary)
    await _submit(chat, KOEN, summary)

    await _through_call(chat, YOUSSEF, CAMERAS)  # he thinks better of it halfway
    dropped = await chat.say(YOUSSEF, "/annuleren")
    assert dropped.text == f"Uw agendapunt {CAMERAS} is niet ingediend en verwijderd."
    await _through_call(chat, YOUSSEF, BIKES)
    await _submit(chat, YOUSSEF, await chat.say(YOUSSEF, "/overslaan"))

    await _through_call(chat, KOEN, COVENANT, "Ter informatie")
    await _submit(chat, KOEN, await chat.say(KOEN, "/overslaan"))

    await chat.sent_all()
    assert [i.title for i in await stored_items(chat, YOUSSEF)] == [BIKES]
    assert {(i.title, i.kind) for i in await stored_items(chat, KOEN)} == {
        (YOUTH, AgendaItemKind.DECISION),
        (COVENANT, AgendaItemKind.INFORMATION),
    }
    [school] = await stored_items(chat, FATIMA)
    assert [d.file_name for d in school.documents] == ["plan-van-aanpak.pdf"]
    return school.documents[0].file_id


async def _sanne_reviews(chat: Chat) -> None:
    """Sanne (petit comité, no coordinator) accepts, declines with a reason and moves an item from
    the notices she got; Anne accepts Koen's decision item."""
    notices = {title: _notice(chat, SANNE, title) for title in (SCHOOL, YOUTH, BIKES, COVENANT)}
    assert not chat.matching(SANNE, lambda text: CAMERAS in text)
    assert "1 stuk: plan-van-aanpak.pdf" in _text(notices[SCHOOL])
    assert "Aangeboden ter besluitvorming." in _text(notices[YOUTH])
    await _at(chat, amsterdam_time(date(2011, 2, 22), 14))
    await chat.press(SANNE, notices[SCHOOL], "Op de agenda")
    await chat.arrives(FATIMA, lambda text: f"{SCHOOL} staat op de agenda" in text)

    await chat.press(SANNE, notices[BIKES], "Niet opnemen")
    await chat.arrives(SANNE, lambda text: text.startswith("Waarom neemt u"))
    chat.server.send_message(SANNE, REASON)
    declined = await chat.arrives(YOUSSEF, lambda text: "niet opgenomen" in text)
    assert BIKES in _text(declined) and f"Reden: {REASON}\n\nHeeft u vragen" in _text(declined)

    await chat.press(SANNE, notices[COVENANT], "Naar volgende vergadering")
    moved = await chat.arrives(KOEN, lambda text: "is verplaatst naar" in text)
    assert _text(moved).startswith(f"Uw agendapunt {COVENANT} is verplaatst naar {JUNE}.")

    await chat.press(ANNE, _notice(chat, ANNE, YOUTH), "Op de agenda")
    await chat.arrives(KOEN, lambda text: f"{YOUTH} staat op de agenda" in text)
    await chat.sent_all()


async def _the_agenda_closes(chat: Chat, fatimas_call: SentMessage) -> None:
    """8 March, the petit comité has begun: the AO's agenda is closed, politely."""
    await _at(chat, amsterdam_time(date(2011, 3, 8), 10))
    # Typed, /agendapunt no longer offers the March AO: it goes on with June's.
    late = await _answer(chat, YOUSSEF, "/agendapunt")
    assert _text(late).startswith(f"Agendapunt voor {JUNE} (aanleveren kan")
    assert "22 maart" not in _text(late)
    await chat.say(YOUSSEF, "/annuleren")
    # The call's button says the agenda is closed.
    await chat.press(FATIMA, chat.current(fatimas_call), "Agendapunt aanleveren")
    closed = await chat.latest(FATIMA)
    assert _text(closed).startswith("De agenda van dit overleg is inmiddels gesloten")
    assert len(await stored_items(chat, FATIMA)) == 1


async def _anne_orders_and_publishes(chat: Chat, document: str) -> None:
    """9 March: Anne moves Koen's item up and publishes; each participant gets the agenda and the
    document once, Anne the Word file."""
    published_at = amsterdam_time(date(2011, 3, 9), 10)
    await _at(chat, published_at)
    preview = await _answer(chat, ANNE, "/publiceer")
    assert _points(_text(preview)) == [
        "1. Opening",
        "2. Verslag vorige vergadering",
        f"3. {SCHOOL} (Gemeente Gouda) – ter bespreking",
        f"4. {YOUTH} (Gemeente Utrecht) – ter besluitvorming",
        "5. Rondvraag",
    ]
    await chat.press(ANNE, preview, "Punt 4 omhoog")
    await chat.settle()
    ordered = [
        "1. Opening",
        "2. Verslag vorige vergadering",
        f"3. {YOUTH} (Gemeente Utrecht) – ter besluitvorming",
        f"4. {SCHOOL} (Gemeente Gouda) – ter bespreking",
        "5. Rondvraag",
    ]
    assert _points(_text(chat.current(preview))) == ordered
    await chat.press(ANNE, chat.current(preview), "Versturen")
    await _deliver_from(chat, published_at)

    for participant in PARTICIPANTS:
        [agenda] = _agendas(chat, participant)
        assert _text(agenda).startswith("Agenda: Ambtelijk overleg"), participant
        assert _points(_text(agenda)) == ordered
        assert _document_ids(chat, participant) == [document]
    for outsider in OUTSIDERS:
        assert not _agendas(chat, outsider) and not _document_ids(chat, outsider)
    [word] = [m for m in chat.server.messages(ANNE) if m.document is not None]
    assert word.document is not None and word.document.file_name.endswith(".docx")
    rows = Document(BytesIO(word.document.content)).tables[0].rows
    assert [row.cells[1].text.splitlines()[0] for row in rows[1:]] == [
        "Opening",
        "Verslag vorige vergadering",
        YOUTH,
        SCHOOL,
        "Rondvraag",
    ]
    assert not _agendas(chat, ANNE)


async def _anne_corrects_the_agenda(chat: Chat) -> None:
    """15 March, a correction: Fatima's item first after all; a new version headed by what
    changed."""
    corrected_at = amsterdam_time(date(2011, 3, 15), 10)
    await _at(chat, corrected_at)
    preview = await _answer(chat, ANNE, "/publiceer")
    await chat.press(ANNE, preview, "Punt 4 omhoog")
    await chat.settle()
    await chat.press(ANNE, chat.current(preview), "Versturen")
    await _deliver_from(chat, corrected_at)

    for participant in PARTICIPANTS:
        _first, second = _agendas(chat, participant)
        assert _text(second).startswith(
            "Nieuwe versie van de agenda (versie 2). Gewijzigd ten opzichte van de vorige "
            "versie:\n• volgorde gewijzigd\n\nAgenda: Ambtelijk overleg"
        ), participant
        assert _points(_text(second)) == [
            "1. Opening",
            "2. Verslag vorige vergadering",
            f"3. {SCHOOL} (Gemeente Gouda) – ter bespreking",
            f"4. {YOUTH} (Gemeente Utrecht) – ter besluitvorming",
            "5. Rondvraag",
        ]
        assert len(_document_ids(chat, participant)) == 1  # the document is not sent again
    for outsider in OUTSIDERS:
        assert not _agendas(chat, outsider)


async def _after_the_ao(chat: Chat) -> None:
    """23 March, after the AO: Fatima's item was dealt with, Koen's rolls over to 21 June."""
    await _at(chat, amsterdam_time(date(2011, 3, 23), 10))
    listing = await _answer(chat, ANNE, "/afgehandeld")
    assert _text(listing).startswith(f"Afgehandeld in {AO}?")
    await chat.press(ANNE, listing, _label_for(listing, SCHOOL))
    await chat.settle()
    await chat.press(ANNE, chat.current(listing), "Klaar")
    held = await chat.arrives(KOEN, lambda text: "aangehouden" in text)
    await chat.sent_all()

    assert _text(held).startswith(
        f"Uw agendapunt {YOUTH} voor {AO} is daar niet afgehandeld. Het is aangehouden tot "
        "de vergadering van dinsdag 21 juni 2011"
    )
    assert len(chat.matching(KOEN, lambda text: "aangehouden" in text)) == 1
    assert not chat.matching(FATIMA, lambda text: "aangehouden" in text)
    assert _text(chat.current(listing)).startswith(
        f"Klaar: {AO}\nAfgehandeld: 1 punt.\n"
        "Aangehouden tot de vergadering van dinsdag 21 juni 2011:\n"
        f"• {YOUTH} (Gemeente Utrecht)"
    )
    mine = _text(await _answer(chat, KOEN, "/mijnpunten"))
    assert mine.startswith(f"Uw agendapunten\n\n{JUNE}\n")
    assert re.search(rf"{YOUTH} \(ter besluitvorming\): op de agenda .*, aangehouden\n", mine)
    assert f"• {COVENANT} (ter informatie): ter beoordeling (verplaatst van" in mine
    # Fatima's item was dealt with: nothing of hers is left for a coming meeting.
    mine = _text(await _answer(chat, FATIMA, "/mijnpunten"))
    assert mine.startswith("U heeft geen agendapunten voor komende overleggen.")


async def _read_on(chat: Chat, user_id: int) -> None:
    """Everything sent to ``user_id`` so far read, so the next message is the bot's answer to
    what they do next (the calls, notices and agendas that came in between are skipped)."""
    await chat.sent_all()
    while chat.server.take_next_message(user_id) is not None:
        pass


async def _answer(chat: Chat, user_id: int, text: str) -> SentMessage:
    """The member types ``text``; the bot's answer, whatever was sent to them before."""
    await _read_on(chat, user_id)
    return await chat.say(user_id, text)


def _text(message: SentMessage) -> str:
    return message.text or ""


def _is_call(text: str) -> bool:
    return text.startswith(f"Oproep: agendapunten voor {AO}")


def _points(text: str) -> list[str]:
    return re.findall(r"^\d+\. .*$", text, re.M)


async def _at(chat: Chat, moment: datetime) -> None:
    """The clock moved on to ``moment``, and what falls due by then sent, as the job would."""
    chat.clock.set(moment)
    await refresh_outbox(chat.application)
    await chat.sent_all()


async def _deliver_from(chat: Chat, moment: datetime) -> None:
    """The few seconds after a publication at ``moment``: the agenda, then its documents."""
    for seconds in range(4):
        await _at(chat, moment + timedelta(seconds=seconds))


async def _through_call(
    chat: Chat, user_id: int, title: str, kind: str = "Ter bespreking"
) -> SentMessage:
    """The member presses the call's button, types ``title`` and presses ``kind``; the
    explanation question."""
    [call] = chat.matching(user_id, _is_call)
    await _read_on(chat, user_id)
    await chat.press(user_id, chat.current(call), "Agendapunt aanleveren")
    question = await chat.server.next_message(user_id)
    assert _text(question).startswith(f"Agendapunt voor {AO}")
    kinds = await chat.say(user_id, title)
    await chat.press(user_id, kinds, kind)
    await chat.settle()
    return chat.current(kinds)


async def _submit(chat: Chat, user_id: int, summary: SentMessage) -> None:
    """Press "Indienen" under the summary; the thanks arrives."""
    await chat.press(user_id, summary, "Indienen")
    await chat.arrives(user_id, lambda text: text.startswith("Dank u wel."))


def _notice(chat: Chat, user_id: int, title: str) -> SentMessage:
    """The one new-item notice about ``title`` that ``user_id`` got, as it looks now."""
    [notice] = [
        m
        for m in chat.server.messages(user_id)
        if "Op de agenda" in labels(m) and title in _text(m)
    ]
    return chat.current(notice)


def _agendas(chat: Chat, user_id: int) -> list[SentMessage]:
    """The published agendas (first and later versions) that ``user_id`` got."""
    return chat.matching(
        user_id, lambda text: text.startswith(("Agenda:", "Nieuwe versie van de agenda"))
    )


def _document_ids(chat: Chat, user_id: int) -> list[str]:
    return [m.document.file_id for m in chat.server.messages(user_id) if m.document is not None]


def _label_for(message: SentMessage, title: str) -> str:
    """The label of the button under ``message`` that names ``title``."""
    [label] = [label for label in labels(message) if label.endswith(title)]
    return label
