"""Four eyes (``OVERLEGBOT_NEWSLETTER_APPROVAL=true``): a newsletter goes out only after a
second coordinator approves it in chat; its composer cannot, nor can a member with a forged
button; the approver's question then shows the progress and the report; a rejection reaches the
composer with its reason and sends nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import set_membership
from planning.membership.tables import Role
from tests.support.agenda_chat import ANNE, BERT, KOEN, PEOPLE, QUIET_MOMENT, seat_people
from tests.support.chat import Chat, labels, run_bot
from tests.support.newsletter_chat import answer, composed, signed_as

REFUSED = "Deze knop is niet (meer) voor u"
OWN = "U kunt uw eigen nieuwsbrief niet goedkeuren"


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock, newsletter_approval=True) as running:
        yield running


def _alerts(chat: Chat, text: str) -> int:
    return sum(text in (a.get("text") or "") for a in chat.server.answered_callbacks.values())


def _copies(chat: Chat, who: int, title: str) -> int:
    return len(chat.matching(who, lambda text: text.startswith(f"{title}\n")))


async def test_with_approval_on_a_second_coordinator_approves(chat: Chat) -> None:
    confirm = await composed(chat, ANNE, "Nieuwsbrief maart")
    await chat.press(ANNE, confirm, "Nu versturen")
    await chat.arrives(ANNE, lambda text: "wacht op goedkeuring" in text)
    await chat.sent_all()

    question = await chat.arrives(BERT, lambda text: "vraagt u de nieuwsbrief" in text)
    assert (question.text or "").startswith("Anne de Vries vraagt u de nieuwsbrief ‘Nieuwsbrief")
    assert "direct na goedkeuring naar 7 deelnemers" in (question.text or "")
    [notice] = chat.matching(BERT, lambda text: text.startswith("Ter goedkeuring"))
    assert notice.message_id < question.message_id and _copies(chat, BERT, "Nieuwsbrief maart") == 1
    assert _copies(chat, KOEN, "Nieuwsbrief maart") == 0  # nothing went out yet

    own = await chat.say(ANNE, "/help")
    chat.server.forge_press(ANNE, own.message_id, signed_as(chat, question, "Goedkeuren", ANNE))
    member = await chat.say(KOEN, "/help")
    chat.server.forge_press(KOEN, member.message_id, signed_as(chat, question, "Goedkeuren", KOEN))
    chat.server.forge_press(KOEN, member.message_id, signed_as(chat, question, "Afwijzen", KOEN))
    await chat.sent_all()
    assert _alerts(chat, OWN) == 1 and _alerts(chat, REFUSED) == 2
    assert _copies(chat, KOEN, "Nieuwsbrief maart") == 0

    again = signed_as(chat, question, "Goedkeuren", BERT)  # the buttons go with the answer
    await chat.press(BERT, question, "Goedkeuren")
    await chat.sent_all()

    # Bert's question, answered, becomes the progress message and ends in the report.
    await chat.server.wait_for(lambda: "is verstuurd" in (chat.current(question).text or ""))
    report = chat.current(question)
    assert report.text == (
        "De nieuwsbrief ‘Nieuwsbrief maart’ is verstuurd.\n\nVerzonden: 7 van 7 · mislukt: 0"
    )
    assert labels(report) == ["Corrigeren", "Intrekken"]
    await chat.arrives(
        ANNE, lambda text: text.startswith("Bert Smit heeft uw nieuwsbrief ‘Nieuwsbrief maart’")
    )
    for person in PEOPLE:  # Anne saw the preview, Bert the issue to approve: one more each
        wanted = 2 if person in (ANNE, BERT) else 1
        assert _copies(chat, person, "Nieuwsbrief maart") == wanted, person

    chat.server.forge_press(BERT, question.message_id, again)
    await chat.sent_all()
    assert _alerts(chat, REFUSED) == 3  # decided already: the stale answer, nothing again
    assert _copies(chat, KOEN, "Nieuwsbrief maart") == 1


async def test_a_rejection_reaches_the_composer_with_its_reason(chat: Chat) -> None:
    confirm = await composed(chat, ANNE, "Nieuwsbrief april")
    await chat.press(ANNE, confirm, "Inplannen")
    await answer(chat, ANNE, "13-01-2011 10:00", "wacht op goedkeuring")
    await chat.sent_all()
    question = await chat.arrives(BERT, lambda text: "vraagt u de nieuwsbrief" in text)
    assert "op donderdag 13 januari 2011, 10:00 naar 7 deelnemers" in (question.text or "")

    await chat.press(BERT, question, "Afwijzen")
    await answer(
        chat, BERT, "De datum klopt niet", "U heeft de nieuwsbrief ‘Nieuwsbrief april’ afgewezen"
    )
    await chat.sent_all()

    rejected = await chat.arrives(ANNE, lambda text: "heeft uw nieuwsbrief" in text)
    assert (rejected.text or "").endswith("Reden: De datum klopt niet")
    listing = await answer(chat, ANNE, "/ingepland", "")
    assert (listing.text or "").startswith("Er staan geen nieuwsbrieven klaar")


async def test_without_another_coordinator_nothing_goes_out_and_the_draft_stays(
    chat: Chat,
) -> None:
    await chat.database.run(set_membership, BERT, organisation_code=None, role=Role.LID)
    confirm = await composed(chat, ANNE, "Nieuwsbrief mei")
    await chat.press(ANNE, confirm, "Inplannen")
    refused = await answer(chat, ANNE, "13-01-2011 10:00", "geen andere coördinator")
    assert refused.text == (
        "Er is geen andere coördinator om de nieuwsbrief goed te keuren, dus er is niets "
        "ingepland. Vraag de beheerder een tweede coördinator aan te wijzen."
    )
    confirm = await _preview_question(chat, after=refused)
    assert "Inplannen" in labels(confirm)

    await chat.press(ANNE, confirm, "Nu versturen")
    await chat.server.wait_for(lambda: "niets verstuurd" in (chat.current(confirm).text or ""))
    await _preview_question(chat, after=confirm)
    aborted = await answer(chat, ANNE, "/annuleren", "")
    assert "Er is niets om af te breken" not in (aborted.text or "")
    assert _copies(chat, KOEN, "Nieuwsbrief mei") == 0


async def _preview_question(chat: Chat, after: SentMessage) -> SentMessage:
    """The question after Anne's preview, shown anew after ``after``."""

    def questions() -> list[SentMessage]:
        return [
            message
            for message in chat.matching(ANNE, lambda text: text.startswith("Hierboven ziet u"))
            if message.message_id > after.message_id
        ]

    await chat.server.wait_for(lambda: bool(questions()))
    return questions()[0]
