"""/incident: a coordinator fills in a template, sees it as members will and sends it; it goes
ahead of everything, through a pause, pinned; members answer with the buttons.

The bot runs with its outbox job, so the incident really arrives through the outbox.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.button_data import Signer, button_key
from bot.outbox_job import refresh_outbox
from bot.standin import SentMessage, StandinServer
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.services import answers
from planning.incidents.tables import IncidentRow
from planning.preferences.services import pause_weeks
from tests.support.agenda_chat import (
    ANNE,
    BERT,
    FATIMA,
    KOEN,
    MARIEKE,
    PEOPLE,
    QUIET_MOMENT,
    YOUSSEF,
    register,
)
from tests.support.chat import Chat, labels, run_bot
from tests.support.incidents import import_incident_plan
from tests.support.network import join

IRIS = 506  # a communication adviser of Utrecht
TEMPLATE = "Geweldsincident met jongeren uit de doelgroep"
WHAT = "Een steekpartij bij een jongerencentrum"
RECIPIENTS = (FATIMA, KOEN, YOUSSEF, IRIS)  # contactpersonen and communicatieadviseurs


async def _seat(server: StandinServer, database: Database, clock: FixedClock) -> None:
    """The plan with templates, :data:`PEOPLE` and Iris registered and known to the stand-in."""
    await database.run(import_incident_plan, clock)
    for user_id, (name, *_rest) in PEOPLE.items():
        first, last = name.split(" ", 1)
        server.add_user(user_id, first, last)
        await register(database, clock, user_id)
    server.add_user(IRIS, "Iris", "Visser")
    await join(database, clock, IRIS, "utrecht", "communicatieadviseurs", name="Iris Visser")


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await _seat(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


async def _answer(chat: Chat, who: int, typed: str, expect: str) -> SentMessage:
    """``who`` types ``typed``; the bot's answer that starts with ``expect``."""
    seen = len(chat.server.messages(who))
    chat.server.send_message(who, typed)
    await chat.server.wait_for(
        lambda: any((m.text or "").startswith(expect) for m in chat.server.messages(who)[seen:])
    )
    return next(m for m in chat.server.messages(who)[seen:] if (m.text or "").startswith(expect))


async def _pressed(chat: Chat, who: int, message: SentMessage, label: str, expect: str) -> None:
    seen = len(chat.server.messages(who))
    await chat.press(who, message, label)
    await chat.server.wait_for(
        lambda: any((m.text or "").startswith(expect) for m in chat.server.messages(who)[seen:])
    )


async def _compose(chat: Chat) -> SentMessage:
    """Anne fills in the violence template for Gouda, up to the question before sending."""
    choice = await _answer(chat, ANNE, "/incident", "U stelt een incidentbericht op")
    assert labels(choice) == [TEMPLATE, "Landelijke publiciteit over de aanpak", "Leeg beginnen"]
    await _pressed(chat, ANNE, choice, TEMPLATE, "In welke plaats")
    await _answer(chat, ANNE, "Gouda", "Wanneer gebeurde het?")
    await _answer(chat, ANNE, "6 december 2011", "Wat is er gebeurd")
    audience = await _answer(chat, ANNE, WHAT, "Voor wie is dit incidentbericht?")
    assert "Zo gekozen: 4 deelnemers." in (audience.text or "")
    assert "✅ Communicatieadviseurs" in labels(audience)
    await _pressed(chat, ANNE, audience, "Verder", "Hierboven ziet u het bericht")
    return chat.server.messages(ANNE)[-1]


def _incident_copy(chat: Chat, who: int) -> SentMessage:
    [copy] = chat.matching(who, lambda text: text.startswith(f"🚨 Incident: {WHAT}"))
    return copy


async def test_an_incident_reaches_the_advisers_and_contacts_first_pinned(chat: Chat) -> None:
    await chat.database.run(pause_weeks, chat.clock, YOUSSEF, 2)
    chat.server.refuse_pins.add(KOEN)  # Telegram refuses to pin here: the send goes on
    confirm = await _compose(chat)
    preview = chat.server.messages(ANNE)[-2]
    assert "gaat naar 4 deelnemers" in (confirm.text or "")
    assert labels(preview) == ["Gelezen", "Ik neem contact op"]

    await chat.press(ANNE, confirm, "Versturen")
    await chat.sent_all()

    # The confirmation becomes the live status message, edited after the wake's sends.
    await chat.server.wait_for(lambda: bool(labels(chat.current(confirm))))
    status = chat.current(confirm)
    assert (status.text or "").startswith(f"Het incidentbericht „{WHAT}” gaat naar 4 deelnemers.\n")
    assert labels(status) == ["Vervolgbericht", "Afsluiten"]
    for who in RECIPIENTS:
        copy = _incident_copy(chat, who)
        assert copy.text == preview.text
        assert "Op 6 december 2011 is in Gouda een ernstig incident gebeurd" in (copy.text or "")
        assert labels(copy) == ["Gelezen", "Ik neem contact op"]
        assert copy.pinned is (who != KOEN)
    for who in (MARIEKE, BERT):
        assert not chat.matching(who, lambda text: WHAT in text)


async def test_answers_count_once_and_a_closed_incident_is_answered_politely(chat: Chat) -> None:
    confirm = await _compose(chat)
    await chat.press(ANNE, confirm, "Versturen")
    await chat.sent_all()
    fatima, koen, youssef = (_incident_copy(chat, who) for who in (FATIMA, KOEN, YOUSSEF))

    await chat.press(FATIMA, fatima, "Gelezen")
    await chat.settle()
    await chat.press(FATIMA, chat.current(fatima), "✅ Gelezen")  # pressed again: counts once
    await chat.settle()
    await chat.press(KOEN, koen, "Ik neem contact op")
    await chat.settle()
    [incident_id] = {e.subject.id for e in await chat.database.run(events)}
    async with chat.database.transaction() as session:
        await session.execute(update(IncidentRow).values(closed_at=chat.clock.now()))
    await chat.press(YOUSSEF, youssef, "Gelezen")
    await chat.settle()

    said = [answer.get("text") for answer in chat.server.answered_callbacks.values()]
    assert said[-4:] == [
        "Dank u. Genoteerd dat u het hebt gelezen.",
        "Dat had u al laten weten; het telt één keer.",
        "Dank u. Genoteerd dat u contact opneemt.",
        "Dit incident is afgesloten. Dank u; u hoeft niets meer te doen.",
    ]
    assert incident_id is not None
    assert labels(chat.current(fatima)) == ["✅ Gelezen", "Ik neem contact op"]
    assert labels(chat.current(koen)) == ["Gelezen", "✅ Ik neem contact op"]
    assert labels(chat.current(youssef)) == ["Gelezen", "Ik neem contact op"]
    assert chat.current(fatima).pinned
    read = {
        row.telegram_user_id for row in await chat.database.run(answers, incident_id) if row.read_at
    }
    assert read == {FATIMA}
    logged = await chat.database.run(events, subject=Subject.incident(incident_id))
    assert [(e.action, e.actor) for e in logged] == [
        (AuditAction.INCIDENT_COMPOSED, ANNE),
        (AuditAction.INCIDENT_SENT, ANNE),
        (AuditAction.INCIDENT_ACKNOWLEDGED, FATIMA),
        (AuditAction.INCIDENT_CONTACTING, KOEN),
    ]
    listing = await _answer(chat, ANNE, "/incidenten", "Incidentberichten")
    assert f"{WHAT} (afgesloten)" in (listing.text or "")
    assert "• Gemeente Gouda: gelezen 1 (Fatima El Amrani)\n" in (listing.text or "")
    assert "• Gemeente Utrecht: gelezen 1 (Koen de Boer), nog niet 1 (Iris Visser)" in (
        listing.text or ""
    )
    assert "Nog niemand gelezen bij: Gemeente Den Haag," in (listing.text or "")


async def test_a_member_cannot_send_one_nor_press_its_buttons(chat: Chat) -> None:
    refused = await _answer(chat, KOEN, "/incident", "Deze opdracht is alleen voor")
    assert refused.text == (
        "Deze opdracht is alleen voor coördinatoren. Met /help ziet u wat u kunt gebruiken."
    )
    confirm = await _compose(chat)
    await chat.press(ANNE, confirm, "Versturen")
    await chat.sent_all()
    # Marieke got no incident: her client forges presses of "Versturen" and "Gelezen", copied
    # from Anne's chat and from Fatima's (signed for them), and signed as if for her.
    own = await chat.say(MARIEKE, "/help")
    token = chat.application.bot.token
    fatimas = dict((label, data) for label, data in _incident_copy(chat, FATIMA).buttons())
    forged = [fatimas["Gelezen"]] + [
        Signer(button_key(token), MARIEKE).sign(data) for data in ("in:send", "inc:r:1")
    ]
    before = len(chat.server.answered_callbacks)
    for data in forged:
        chat.server.forge_press(MARIEKE, own.message_id, data)
    await chat.settle()

    said = [answer.get("text") for answer in chat.server.answered_callbacks.values()]
    assert all((text or "").startswith("Deze knop is niet (meer) voor u") for text in said[before:])
    assert len(said) - before == 3
    assert all(row.read_at is None for row in await chat.database.run(answers, 1))


async def test_a_coordinator_starts_empty_and_it_survives_a_restart(
    server: StandinServer, database: Database
) -> None:
    clock = FixedClock(QUIET_MOMENT)
    await _seat(server, database, clock)
    async with run_bot(server, database, clock) as chat:
        choice = await _answer(chat, ANNE, "/incident", "U stelt een incidentbericht op")
        await _pressed(chat, ANNE, choice, "Leeg beginnen", "Wat is er gebeurd")
        asked = await _answer(chat, ANNE, "Berichtgeving over de monitor", "Typ nu het bericht")
        assert "hooguit 3.000 tekens" in (asked.text or "")
        refused = await _answer(chat, ANNE, "x" * 3001, "Dat bericht is te lang")
        assert refused.text == (
            "Dat bericht is te lang: hooguit 3.000 tekens. Typ het korter, of stop met /annuleren."
        )

    async with run_bot(server, database, clock) as again:  # a restart between two steps
        audience = await _answer(again, ANNE, "Zeg niets over <cijfers>.", "Voor wie is dit")
        await _pressed(again, ANNE, audience, "Verder", "Hierboven ziet u het bericht")
        preview = again.server.messages(ANNE)[-2]

    assert preview.text == (
        "🚨 Incident: Berichtgeving over de monitor\n\nZeg niets over <cijfers>.\n\n"
        "Laat met de knoppen hieronder weten dat u dit hebt gelezen, of dat u contact "
        "opneemt."
    )


async def _later(chat: Chat, minutes: int) -> None:
    """The fake clock ``minutes`` on, and the outbox job's wake then, with what it sends."""
    chat.clock.advance(timedelta(minutes=minutes))
    await refresh_outbox(chat.application)
    await chat.sent_all()


async def test_escalation_reaches_the_rest_reports_the_uncovered_updates_and_closing_unpins(
    chat: Chat,
) -> None:
    confirm = await _compose(chat)
    await chat.press(ANNE, confirm, "Versturen")
    await chat.sent_all()
    copies = {who: _incident_copy(chat, who) for who in RECIPIENTS}
    await chat.press(FATIMA, copies[FATIMA], "Gelezen")
    await chat.press(KOEN, copies[KOEN], "Ik neem contact op")  # Utrecht is covered: not Iris
    await chat.settle()

    await _later(chat, 15)

    urgent = "‼️ Dringend: u hebt dit incidentbericht nog niet bevestigd."
    [again] = chat.matching(YOUSSEF, lambda text: text.startswith(urgent))
    assert (again.text or "").endswith(copies[YOUSSEF].text or "")
    assert labels(again) == ["Gelezen", "Ik neem contact op"] and again.pinned
    for who in (FATIMA, KOEN, IRIS):
        assert not chat.matching(who, lambda text: text.startswith(urgent))
    # The status message is edited after the wake's sends.
    await chat.server.wait_for(lambda: "als dringend. Op" in (chat.current(confirm).text or ""))
    status = chat.current(confirm).text or ""
    assert "• Gemeente Utrecht: gelezen 1 (Koen de Boer), nog niet 1 (Iris Visser)" in status

    await _later(chat, 15)

    report = await chat.arrives(ANNE, lambda text: text.startswith("‼️ Na twee rondes"))
    lines = (report.text or "").splitlines()
    assert lines[1] == "• Gemeente Den Haag: piket 070-3533333; ontvangers: Youssef Amrani"
    assert not [line for line in lines if "Utrecht" in line or "Gouda" in line]

    await chat.press(ANNE, chat.current(confirm), "Vervolgbericht")
    await chat.arrives(ANNE, lambda text: text.startswith("Typ het vervolgbericht"))
    typed = "De politie heeft een <verdachte> aangehouden."
    await _answer(chat, ANNE, typed, "Hierboven ziet u het vervolgbericht")
    await chat.press(ANNE, chat.server.messages(ANNE)[-1], "Versturen")
    await chat.sent_all()
    for who in RECIPIENTS:  # everyone, as a reply to their copy, so they see the thread
        update = await chat.arrives(who, lambda text: text.startswith("🔁 Vervolg op het"))
        assert update.reply_to == copies[who].message_id
        assert update.text == f"🔁 Vervolg op het incident „{WHAT}”\n\n{typed}"

    await chat.press(ANNE, chat.current(confirm), "Afsluiten")
    question = await chat.arrives(ANNE, lambda text: text.startswith("Weet u zeker dat u"))
    assert labels(question) == ["Ja, afsluiten", "Nee, open laten"]
    assert labels(chat.current(confirm)) == ["Vervolgbericht", "Afsluiten"]  # still live
    await chat.press(ANNE, question, "Ja, afsluiten")
    await chat.sent_all()
    assert labels(chat.current(question)) == []

    closing = f"✅ Het incident „{WHAT}” is afgesloten."
    for who in RECIPIENTS:
        line = await chat.arrives(who, lambda text: text.startswith(closing))
        assert line.reply_to == copies[who].message_id
    await chat.server.wait_for(
        lambda: not any(m.pinned for who in RECIPIENTS for m in chat.server.messages(who))
    )
    await chat.server.wait_for(
        lambda: (chat.current(confirm).text or "").startswith(f"Het incidentbericht „{WHAT}” is af")
    )
    assert labels(chat.current(confirm)) == []
    await _later(chat, 60)  # closed: no further round
    assert len(chat.matching(YOUSSEF, lambda text: text.startswith(urgent))) == 1
    await chat.press(YOUSSEF, again, "Gelezen")
    await chat.settle()
    said = [answer.get("text") for answer in chat.server.answered_callbacks.values()]
    assert said[-1] == "Dit incident is afgesloten. Dank u; u hoeft niets meer te doen."
    [incident_id] = {e.subject.id for e in await chat.database.run(events)}
    logged = await chat.database.run(events, subject=Subject.incident(incident_id or 0))
    assert [e.action for e in logged][-4:] == [
        AuditAction.INCIDENT_ESCALATED,
        AuditAction.INCIDENT_REPORTED,
        AuditAction.INCIDENT_UPDATED,
        AuditAction.INCIDENT_CLOSED,
    ]
