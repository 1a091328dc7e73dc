"""After "Nu versturen": the coordinator's message shows the progress and ends in the report;
"Corrigeren" changes every copy members got, "Intrekken" deletes them, each reported the same
way. Only coordinators may press them."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.button_data import Signer, button_key
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_chat import ANNE, BERT, KOEN, PEOPLE, QUIET_MOMENT, seat_people
from tests.support.chat import Chat, labels, run_bot

TEXT = "De monitor is klaar."
CORRECTED = "De monitor is vanaf maandag klaar."
# "vanaf maandag" in bold, in Telegram's UTF-16 offsets.
BOLD = [{"type": "bold", "offset": 14, "length": 13}]


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


async def _answer(chat: Chat, who: int, typed: str, expect: str) -> SentMessage:
    """``who`` types ``typed``; the bot's first answer after it that starts with ``expect``."""
    seen = len(chat.server.messages(who))
    chat.server.send_message(who, typed)

    def answered() -> list[SentMessage]:
        later = chat.server.messages(who)[seen:]
        return [m for m in later if (m.text or "").startswith(expect)]

    await chat.server.wait_for(lambda: bool(answered()))
    return answered()[0]


async def _report(chat: Chat, message: SentMessage, expect: str) -> SentMessage:
    """``message`` once it shows ``expect`` (the progress message, edited in place)."""
    await chat.server.wait_for(lambda: expect in (chat.current(message).text or ""), timeout=10)
    return chat.current(message)


async def _send_with_photo(chat: Chat) -> SentMessage:
    """Anne composes "Nieuwsbrief maart" with a photo, to everyone, and sends it; her pressed
    question, which becomes the progress message."""
    await _answer(chat, ANNE, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await _answer(chat, ANNE, "Nieuwsbrief maart", "Stuur nu de tekst")
    await _answer(chat, ANNE, TEXT, "Wilt u er een foto")
    chat.server.send_photo(ANNE, b"\xff\xd8 jpeg")
    audience = await chat.arrives(ANNE, lambda text: text.startswith("Voor wie is deze"))
    seen = len(chat.server.messages(ANNE))
    await chat.press(ANNE, audience, "Verder")
    await chat.server.wait_for(
        lambda: any(
            (m.text or "").startswith("Hierboven ziet u") for m in chat.server.messages(ANNE)[seen:]
        )
    )
    confirm = chat.server.messages(ANNE)[-1]
    await chat.press(ANNE, confirm, "Nu versturen")
    await chat.sent_all()
    return confirm


def _copies(chat: Chat) -> dict[int, SentMessage]:
    """Each person's copy of the issue as it stands now (the preview aside)."""
    found = {}
    for person in PEOPLE:
        copies = [m for m in chat.server.messages(person) if m.photo is not None]
        if copies:
            found[person] = copies[-1]
    return found


async def test_corrigeren_changes_every_copy_and_intrekken_deletes_them(chat: Chat) -> None:
    confirm = await _send_with_photo(chat)
    report = await _report(chat, confirm, "is verstuurd")
    assert report.text == (
        "De nieuwsbrief ‘Nieuwsbrief maart’ is verstuurd.\n\nVerzonden: 7 van 7 · mislukt: 0"
    )
    assert labels(report) == ["Corrigeren", "Intrekken"]
    sent = _copies(chat)
    assert len(sent) == len(PEOPLE)

    await chat.press(ANNE, report, "Corrigeren")
    await chat.arrives(
        ANNE, lambda text: text.startswith("Stuur de verbeterde tekst van ‘Nieuwsbrief maart’,")
    )
    seen = len(chat.server.messages(ANNE))
    chat.server.send_message(ANNE, CORRECTED, entities=BOLD)
    question = await chat.arrives(ANNE, lambda text: text.startswith("Hierboven ziet u 1 bericht"))
    [preview] = [m for m in chat.server.messages(ANNE)[seen:] if m.photo is not None]
    assert preview.text == f"Nieuwsbrief maart\n\n{CORRECTED}"
    await chat.press(ANNE, question, "Correctie versturen")
    await chat.sent_all()

    corrected = await _report(chat, question, "is verstuurd")
    assert corrected.text == (
        "De correctie van ‘Nieuwsbrief maart’ is verstuurd.\n\nGecorrigeerd: 7 van 7 · mislukt: 0"
    )
    for person, original in sent.items():
        copy = chat.current(original)  # the same message, edited
        assert copy.text == f"Nieuwsbrief maart\n\n{CORRECTED}", person
        assert {"type": "bold", "offset": 33, "length": 13} in copy.entities
    # The question was answered: pressing it again corrects nothing twice.
    await chat.press(ANNE, chat.current(question), "Corrigeren")
    await chat.arrives(ANNE, lambda text: text.startswith("Stuur de verbeterde tekst"))
    await _answer(chat, ANNE, "/annuleren", "")

    await chat.press(ANNE, corrected, "Intrekken")
    ask = await chat.arrives(
        ANNE, lambda text: text.startswith("Wilt u ‘Nieuwsbrief maart’ intrekken")
    )
    await chat.press(ANNE, ask, "Ja, intrekken")
    await chat.sent_all()

    withdrawn = await _report(chat, ask, "is ingetrokken")
    assert withdrawn.text == (
        "De nieuwsbrief ‘Nieuwsbrief maart’ is ingetrokken.\n\nVerwijderd: 7 van 7 · mislukt: 0"
    )
    assert labels(withdrawn) == []
    for person, original in sent.items():
        assert original.message_id not in [m.message_id for m in chat.server.messages(person)]
    assert _copies(chat) == {ANNE: preview}  # only Anne's preview of the correction is left
    archive = await _answer(
        chat, KOEN, "/nieuwsbrieven", "Er staan (nog) geen nieuwsbrieven voor u"
    )
    assert archive.buttons() == []
    assert chat.server.violations == []


async def test_only_coordinators_may_correct_or_withdraw(chat: Chat) -> None:
    confirm = await _send_with_photo(chat)
    report = await _report(chat, confirm, "is verstuurd")
    [(_label, correct), (_other, withdraw)] = report.buttons()
    koen_copy = _copies(chat)[KOEN]

    token = chat.application.bot.token
    for data in ("nbx:c:1", "nbx:w:1", "nbx:wy:1"):  # as if the bot had shown Koen them
        signed = Signer(button_key(token), KOEN).sign(data)
        chat.server.forge_press(KOEN, koen_copy.message_id, signed)
    for data in (correct, withdraw):  # Anne's own buttons, copied by a modified client
        chat.server.forge_press(KOEN, koen_copy.message_id, data)
    await chat.settle()

    refusals = [a.get("text") or "" for a in chat.server.answered_callbacks.values()]
    assert len([r for r in refusals if r.startswith("Deze knop is niet (meer) voor u")]) == 5
    assert chat.current(koen_copy).text == koen_copy.text
    assert not chat.matching(KOEN, lambda text: text.startswith("Wilt u"))
    # Bert, another coordinator, may: from /nieuwsbrieven, where he opens the issue.
    archive = await _answer(chat, BERT, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    await chat.press(BERT, archive, "Nieuwsbrief maart")
    offer = await chat.arrives(BERT, lambda text: text.startswith("U bent coördinator"))
    assert labels(offer) == ["Corrigeren", "Intrekken"]
    archive = await _answer(chat, KOEN, "/nieuwsbrieven", "Verstuurde nieuwsbrieven")
    await chat.press(KOEN, archive, "Nieuwsbrief maart")
    await chat.settle()
    assert not chat.matching(KOEN, lambda text: text.startswith("U bent coördinator"))
