"""/nieuwsbrief: a coordinator composes a newsletter, previews it, tests it and sends it.

The bot runs with its outbox job, so the test and the issue really arrive, through the outbox:
each member of the audience gets it once, nobody else gets it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import set_membership
from planning.membership.tables import Role
from tests.support.agenda_chat import (
    ANNE,
    BERT,
    FATIMA,
    KOEN,
    MARIEKE,
    PEOPLE,
    QUIET_MOMENT,
    SANNE,
    YOUSSEF,
    seat_people,
)
from tests.support.chat import Chat, run_bot

TEXT = "Beste collega, de monitor is klaar. Lees het rapport."
# Bold "de monitor", a link on "het rapport", in Telegram's UTF-16 offsets.
FORMATTING = [
    {"type": "bold", "offset": 15, "length": 10},
    {"type": "text_link", "offset": 41, "length": 11, "url": "https://example.nl/rapport"},
]
TEXT_HTML = (
    'Beste collega, <b>de monitor</b> is klaar. Lees <a href="https://example.nl/rapport">'
    "het rapport</a>."
)
KENNISWERKGROEP, BESTUURDERS = (
    "Leden van de kenniswerkgroep",
    "Bestuurders van de gemeenten en de VNG",
)
UTRECHT = "Gemeente Utrecht"


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


async def _set_aside(chat: Chat, title: str) -> None:
    """Fatima sends in ``title``; Anne keeps it for the newsletter."""
    for typed in ("/nieuws", title, "Een bericht voor de nieuwsbrief."):
        chat.server.send_message(FATIMA, typed)
    notice = await chat.arrives(ANNE, lambda text: title in text and "Wat wilt u" in text)
    await chat.press(ANNE, notice, "Voor de nieuwsbrief")
    await chat.arrives(FATIMA, lambda text: "bewaard voor de volgende nieuwsbrief" in text)
    await chat.sent_all()


async def _answer(chat: Chat, who: int, typed: str, expect: str) -> SentMessage:
    """``who`` types ``typed``; the bot's answer that starts with ``expect``."""
    seen = len(chat.server.messages(who))
    chat.server.send_message(who, typed)
    await chat.server.wait_for(
        lambda: any((m.text or "").startswith(expect) for m in chat.server.messages(who)[seen:])
    )
    return next(m for m in chat.server.messages(who)[seen:] if (m.text or "").startswith(expect))


async def _compose(chat: Chat, who: int, title: str) -> None:
    """``who`` starts /nieuwsbrief and types ``title`` and the formatted text."""
    await _answer(chat, who, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await _answer(chat, who, title, "Stuur nu de tekst")
    seen = len(chat.server.messages(who))
    chat.server.send_message(who, TEXT, entities=FORMATTING)
    await chat.server.wait_for(lambda: len(chat.server.messages(who)) > seen)


async def _confirmation(
    chat: Chat, who: int, audience: SentMessage, labels: list[str]
) -> SentMessage:
    """Press each of ``labels``, then "Verder": the question after the preview."""
    for label in labels:
        await chat.press(who, audience, label)
        await chat.settle()
    seen = len(chat.server.messages(who))
    await chat.press(who, audience, "Verder")
    await chat.server.wait_for(
        lambda: any(
            (m.text or "").startswith("Hierboven ziet u") for m in chat.server.messages(who)[seen:]
        )
    )
    return chat.server.messages(who)[-1]


async def test_a_newsletter_with_a_photo_and_kopij_reaches_its_audience_once(chat: Chat) -> None:
    await _set_aside(chat, "Werkbezoek Gouda")
    await _compose(chat, ANNE, "Nieuwsbrief maart")
    chat.server.send_photo(ANNE, b"\xff\xd8 jpeg")
    offer = await chat.arrives(ANNE, lambda text: text.startswith("Dit ingezonden nieuws"))
    assert "• Werkbezoek Gouda, van Fatima El Amrani (Gemeente Gouda)" in (offer.text or "")
    await chat.press(ANNE, offer, "Werkbezoek Gouda")
    await chat.settle()
    assert "✅ Werkbezoek Gouda" in [label for label, _ in chat.current(offer).buttons()]
    await chat.press(ANNE, offer, "Verder")
    audience = await chat.arrives(ANNE, lambda text: text.startswith("Voor wie is deze"))
    assert "Zo gekozen: 7 deelnemers." in (audience.text or "")

    confirm = await _confirmation(chat, ANNE, audience, [KENNISWERKGROEP, BESTUURDERS, UTRECHT])
    # Koen is in the kenniswerkgroep and works for Utrecht: counted, and sent, once.
    assert "gaat naar 2 deelnemers" in (confirm.text or "")
    [photo, kopij] = chat.server.messages(ANNE)[-3:-1]
    assert photo.photo is not None
    assert (photo.text or "").startswith("Nieuwsbrief maart\n\nBeste collega")
    assert {"type": "bold", "offset": 34, "length": 10} in photo.entities
    assert (kopij.text or "").startswith("Werkbezoek Gouda\n\nEen bericht voor de nieuwsbrief.")

    await chat.press(ANNE, confirm, "Test aan mij")
    await chat.arrives(ANNE, lambda text: text.startswith("De test gaat naar 1 coördinator"))
    await chat.sent_all()
    [notice] = chat.matching(ANNE, lambda text: text.startswith("Test van de nieuwsbrief"))
    test_copies = chat.server.messages(ANNE)[-2:]
    assert [(m.text, m.photo, m.entities) for m in test_copies] == [
        (m.text, m.photo, m.entities) for m in (photo, kopij)
    ]
    assert not chat.matching(BERT, lambda text: "Nieuwsbrief maart" in text)
    assert notice.message_id < test_copies[0].message_id

    await chat.press(ANNE, confirm, "Nu versturen")
    await chat.arrives(ANNE, lambda text: "wordt verstuurd aan 2 deelnemers" in text)
    await chat.sent_all()
    [told] = chat.matching(FATIMA, lambda text: "staat in de nieuwsbrief" in text)
    assert told.text == (
        "Uw nieuws ‘Werkbezoek Gouda’ staat in de nieuwsbrief ‘Nieuwsbrief maart’, die nu "
        "wordt verstuurd."
    )

    for person in PEOPLE:
        copies = chat.matching(person, lambda text: text.startswith("Nieuwsbrief maart\n"))
        wanted = {KOEN: 1, MARIEKE: 1, ANNE: 2}.get(person, 0)  # Anne: preview and test
        assert len(copies) == wanted, person
    for person in (KOEN, MARIEKE):
        [copy] = chat.matching(person, lambda text: text.startswith("Nieuwsbrief maart\n"))
        assert copy.photo == photo.photo
        assert len(chat.matching(person, lambda text: text.startswith("Werkbezoek Gouda\n"))) == 1
    for person in (FATIMA, YOUSSEF, SANNE, BERT):
        assert not chat.matching(person, lambda text: text.startswith("Werkbezoek Gouda\n"))

    mine = await _answer(chat, FATIMA, "/mijnnieuws", "Uw ingezonden nieuws")
    assert "• Werkbezoek Gouda: opgenomen in een nieuwsbrief" in (mine.text or "")
    # Included once, it is not offered again: the next issue goes straight to the audience.
    await _compose(chat, BERT, "Nieuwsbrief april")
    await _answer(chat, BERT, "/geen", "Voor wie is deze")


async def test_a_long_text_is_previewed_in_several_messages(chat: Chat) -> None:
    await _answer(chat, ANNE, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await _answer(chat, ANNE, "Lang", "Stuur nu de tekst")
    paragraphs = "\n\n".join(f"Alinea {n}: " + "woord " * 60 for n in range(11))
    chat.server.send_message(
        ANNE, paragraphs, entities=[{"type": "italic", "offset": 0, "length": 8}]
    )
    await chat.arrives(ANNE, lambda text: text.startswith("Wilt u er een foto"))
    audience = await _answer(chat, ANNE, "/geen", "Voor wie is deze")
    await _confirmation(chat, ANNE, audience, [])

    parts = [m.text or "" for m in chat.server.messages(ANNE)[-3:-1]]
    assert parts[0].startswith("Lang\n\nAlinea 0:") and parts[1].startswith("Alinea ")
    assert "".join(parts).count("Alinea") == 11


async def test_a_member_may_not_compose(chat: Chat) -> None:
    refused = await _answer(chat, KOEN, "/nieuwsbrief", "Deze opdracht is alleen voor")

    assert refused.text == (
        "Deze opdracht is alleen voor coördinatoren. Met /help ziet u wat u kunt gebruiken."
    )
    assert (await _answer(chat, KOEN, "Een titel", "")).text != "Stuur nu de tekst"


async def test_a_coordinator_who_lost_the_role_sends_nothing(chat: Chat) -> None:
    await _compose(chat, BERT, "Van Bert")
    audience = await _answer(chat, BERT, "/geen", "Voor wie is deze")
    confirm = await _confirmation(chat, BERT, audience, [])
    await chat.database.run(set_membership, BERT, role=Role.LID)

    await chat.press(BERT, confirm, "Nu versturen")
    await chat.sent_all()

    assert any(
        "Deze knop is niet (meer) voor u" in (answer.get("text") or "")
        for answer in chat.server.answered_callbacks.values()
    )
    assert not chat.matching(KOEN, lambda text: "Van Bert" in text)


async def test_two_coordinators_compose_side_by_side(chat: Chat) -> None:
    await _answer(chat, ANNE, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await _answer(chat, BERT, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await _answer(chat, ANNE, "Van Anne", "Stuur nu de tekst")
    await _answer(chat, BERT, "Van Bert", "Stuur nu de tekst")
    for who in (ANNE, BERT):
        await _answer(chat, who, TEXT, "Wilt u er een foto")
        audience = await _answer(chat, who, "/geen", "Voor wie is deze")
        await _confirmation(chat, who, audience, [])

    assert chat.matching(ANNE, lambda text: text.startswith("Van Anne\n"))
    assert not chat.matching(ANNE, lambda text: text.startswith("Van Bert\n"))
    assert chat.matching(BERT, lambda text: text.startswith("Van Bert\n"))
