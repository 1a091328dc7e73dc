"""Buttons act only for the person entitled to them, now; anything else is refused politely.

A modified client can send any callback data with a press (the stand-in's ``forge_press``).
Every refused press gets "Deze knop is niet (meer) voor u" and changes nothing; none ends in
the generic error.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.button_data import TAG_LENGTH, Signer, button_key
from bot.standin import SentMessage, StandinServer
from planning.absences.tables import AbsenceRow
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.lookups import find_member
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.preferences.rules import Preferences
from planning.preferences.services import my_settings
from tests.support.chat import Chat, run_bot
from tests.support.network import join

FATIMA, ANNE, BERT = 501, 502, 504
# 09:00 in Amsterdam, fourteen days before the AO of 18 January 2011.
TWO_WEEKS_BEFORE = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
AO_REMINDER = "Herinnering: Ambtelijk overleg"
REFUSED = "Deze knop is niet (meer) voor u"
GENERIC_ERROR = "Er is iets misgegaan"


@pytest.fixture
async def reminded(
    server: StandinServer, database: Database, clock: FixedClock
) -> AsyncIterator[Chat]:
    """Fatima (contact person: the AO is hers), Bert (communication adviser: it is not) and
    Anne (coordinator, told of absences), the bot at the AO's reminder."""
    await database.run(import_example_plan, clock)
    server.add_user(FATIMA, "Fatima", "El Amrani")
    server.add_user(BERT, "Bert", "Bakker")
    server.add_user(ANNE, "Anne", "de Vries")
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima El Amrani")
    await join(database, clock, BERT, "gouda", "communicatieadviseurs", name="Bert Bakker")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne de Vries")
    async with run_bot(server, database, FixedClock(TWO_WEEKS_BEFORE)) as chat:
        yield chat


def _refusals(chat: Chat) -> int:
    """Presses refused: as an alert, or as a message when the press was answered already."""
    alerts = sum(REFUSED in (a.get("text") or "") for a in chat.server.answered_callbacks.values())
    messages = sum(
        len(chat.matching(user, lambda text: text.startswith(REFUSED)))
        for user in chat.server.chats
    )
    return alerts + messages


def _signed(chat: Chat, user_id: int, data: str) -> str:
    """Data as the bot would have signed it for ``user_id``."""
    return Signer(button_key(chat.application.bot.token), user_id).sign(data)


def _data(message: SentMessage, label: str) -> str:
    return next(data for text, data in message.buttons() if text == label)


async def _nothing_changed(chat: Chat) -> None:
    async with chat.database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(AbsenceRow)) == 0
    settings = await chat.database.run(my_settings, chat.clock, BERT)
    assert settings is not None and settings.preferences.muted == frozenset()
    assert all(m.document is None for m in chat.server.messages(BERT))
    assert not chat.matching(ANNE, lambda text: "kan niet bij" in text)
    assert not chat.matching(BERT, lambda text: GENERIC_ERROR in text)


async def test_buttons_copied_from_another_members_reminder_do_nothing(reminded: Chat) -> None:
    reminder = await reminded.arrives(FATIMA, lambda text: text.startswith(AO_REMINDER))
    own = await reminded.say(BERT, "/help")

    for label in ("Zet in agenda", "Ik kan niet", "Stop voor dit overleg"):
        reminded.server.forge_press(BERT, own.message_id, _data(reminder, label))
    await reminded.refreshed()

    assert _refusals(reminded) == 3
    await _nothing_changed(reminded)


async def test_a_reminders_buttons_work_only_for_a_participant_now(reminded: Chat) -> None:
    """Bert was shown them (say he was a contact person then): he is not one now."""
    reminder = await reminded.arrives(FATIMA, lambda text: text.startswith(AO_REMINDER))
    own = await reminded.say(BERT, "/help")
    key = _data(reminder, "Zet in agenda")[TAG_LENGTH:].removeprefix("r:a:")

    for data in (f"r:a:{key}", f"r:x:{key}", "r:m:ao", "pf:m:ao", "r:m:<script>", "pf:m:nope"):
        reminded.server.forge_press(BERT, own.message_id, _signed(reminded, BERT, data))
    await reminded.refreshed()

    assert _refusals(reminded) == 6
    await _nothing_changed(reminded)


async def test_leaving_needs_the_members_own_open_question(planned_chat: Chat) -> None:
    chat = planned_chat
    member = await chat.member(BERT, "Bert")
    question = await chat.say(member, "/afmelden")
    yes = _data(question, "Ja, afmelden")
    await chat.press(member, question, "Nee, aangemeld blijven")
    await chat.settle()
    # The same question's "Ja", pressed after "Nee" (a client that kept the old buttons).
    chat.server.forge_press(member, question.message_id, yes)
    await chat.settle()
    question = await chat.say(member, "/afmelden")
    assert (await chat.say(member, "/annuleren")).text == "Goed, u blijft aangemeld."
    chat.server.forge_press(member, question.message_id, _data(question, "Ja, afmelden"))
    # Signed for this member, but no question asked in that message.
    help_message = await chat.say(member, "/help")
    chat.server.forge_press(member, help_message.message_id, _signed(chat, member, "leave:yes"))
    await chat.settle()

    assert _refusals(chat) == 3
    found = await chat.database.run(find_member, member)
    assert found is not None and found.is_active
    question = await chat.say(member, "/afmelden")
    await chat.press(member, question, "Ja, afmelden")
    await chat.settle()
    found = await chat.database.run(find_member, member)
    assert found is not None and not found.is_active


GARBAGE = [
    "",
    "x",
    "r:a:" + "9" * 39,
    "é" * 32,
    "ai:w:" + "9" * 39,
    "\u202eleave:yes",
]
SIGNED_GARBAGE = [
    "ai:w:" + "9" * 39,
    "ap:y:" + "9" * 39,
    "ai:w:-1",
    "inv:role:koning",
    "adj:m:99",
    "leave:maybe",
    "pf:h:99",
    "pf:p:99999",
    "pf:h:" + "9" * 39,
    "r:x:",
    "zz:unknown",
]


async def test_garbage_callback_data_gets_the_polite_answer_and_no_error(
    planned_chat: Chat, caplog: pytest.LogCaptureFixture
) -> None:
    chat = planned_chat
    member = await chat.member(BERT, "Bert")
    own = await chat.say(member, "/help")

    with caplog.at_level(logging.ERROR):
        for data in GARBAGE:
            chat.server.forge_press(member, own.message_id, data)
        for data in SIGNED_GARBAGE:
            chat.server.forge_press(member, own.message_id, _signed(chat, member, data))
        await chat.settle()

    assert _refusals(chat) == len(GARBAGE) + len(SIGNED_GARBAGE)
    assert not chat.matching(member, lambda text: GENERIC_ERROR in text)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    settings = await chat.database.run(my_settings, chat.clock, member)
    assert settings is not None and settings.preferences == Preferences()


async def test_a_choice_the_conversation_no_longer_offers_is_refused_and_it_goes_on(
    planned_chat: Chat,
) -> None:
    chat = planned_chat
    anne = await chat.member(ANNE, "Anne", Role.COORDINATOR, organisation="coordinatie")
    question = await chat.say(anne, "/wijzig")
    first = question.buttons()[0][0]

    chat.server.forge_press(anne, question.message_id, _signed(chat, anne, "adj:m:99"))
    refused = await chat.server.next_message(anne)
    await chat.press(anne, question, first)
    await chat.settle()

    assert (refused.text or "").startswith(REFUSED)
    assert (chat.current(question).text or "").endswith("Wat wilt u doen?")
