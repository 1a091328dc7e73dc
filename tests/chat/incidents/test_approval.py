"""Four eyes on incidents (OVERLEGBOT_INCIDENT_APPROVAL=true): "Versturen" asks the other
coordinator, who sees the message as members will and approves it; only then do the members
get it, pinned. A member's forged approval press gets the polite answer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.button_data import TAG_LENGTH, Signer, button_key
from bot.standin import StandinServer
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from tests.chat.incidents.test_incident import (
    RECIPIENTS,
    WHAT,
    _compose,
    _incident_copy,
    _seat,
)
from tests.support.agenda_chat import ANNE, BERT, MARIEKE, QUIET_MOMENT
from tests.support.chat import Chat, labels, run_bot


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await _seat(server, database, clock)
    async with run_bot(server, database, clock, incident_approval=True) as running:
        yield running


async def test_a_second_coordinator_approves_and_the_members_get_it_pinned(chat: Chat) -> None:
    confirm = await _compose(chat)
    preview = chat.server.messages(ANNE)[-2]
    await chat.press(ANNE, confirm, "Versturen")
    await chat.sent_all()

    assert (chat.current(confirm).text or "").startswith(f"Het incidentbericht „{WHAT}” wacht op")
    for who in RECIPIENTS:
        assert not chat.matching(who, lambda text: WHAT in text)
    *_, notice, message, question = chat.server.messages(BERT)
    assert (notice.text or "").startswith("Ter goedkeuring: hieronder het incidentbericht van")
    assert message.text == preview.text
    assert labels(question) == ["Goedkeuren", "Afwijzen"]

    # Marieke, a member, forges a press of Bert's "Goedkeuren", signed for her.
    own = await chat.say(MARIEKE, "/help")
    [data] = [data for label, data in question.buttons() if label == "Goedkeuren"]
    token = chat.application.bot.token
    forged = Signer(button_key(token), MARIEKE).sign(data[TAG_LENGTH:])
    before = len(chat.server.answered_callbacks)
    chat.server.forge_press(MARIEKE, own.message_id, forged)
    await chat.settle()
    said = [a.get("text") for a in list(chat.server.answered_callbacks.values())[before:]]
    assert len(said) == 1 and (said[0] or "").startswith("Deze knop is niet (meer) voor u.")
    for who in RECIPIENTS:
        assert not chat.matching(who, lambda text: WHAT in text)

    await chat.press(BERT, question, "Goedkeuren")
    await chat.sent_all()

    assert (chat.current(question).text or "").startswith(
        f"U heeft het incidentbericht „{WHAT}” goedgekeurd; het is onderweg naar 4 deelnemers."
    )
    for who in RECIPIENTS:
        copy = _incident_copy(chat, who)
        assert copy.text == preview.text
        assert labels(copy) == ["Gelezen", "Ik neem contact op"]
        assert copy.pinned
    status = f"Het incidentbericht „{WHAT}” gaat naar 4 deelnemers."
    await chat.server.wait_for(  # the live status goes to the composer
        lambda: bool(chat.matching(ANNE, lambda text: text.startswith(status)))
    )
    [incident_id] = {e.subject.id for e in await chat.database.run(events)}
    assert incident_id is not None
    logged = await chat.database.run(events, subject=Subject.incident(incident_id))
    assert [(e.action, e.actor) for e in logged] == [
        (AuditAction.INCIDENT_COMPOSED, ANNE),
        (AuditAction.INCIDENT_APPROVED, BERT),
        (AuditAction.INCIDENT_SENT, BERT),
    ]
