"""Deadlines that slip, through the real bot with its outbox job, on a fake clock.

The clock is set at the 09:00 moment the messages are due, so the job sends them at once.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime

import pytest

from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.preferences.services import pause_until
from tests.support.chat import Chat, labels, run_bot
from tests.support.network import join

COORDINATOR = 701  # of the coordination team: owns the Jaarplan and the Communicatieplan
BZK = 702  # owns the Monitor
MONDAY_2_MAY = datetime(2011, 5, 2, 7, 0, tzinfo=UTC)  # 1 May is a Sunday
WEDNESDAY_1_JUNE = datetime(2011, 6, 1, 7, 0, tzinfo=UTC)
TUESDAY_7_JUNE = datetime(2011, 6, 7, 7, 0, tzinfo=UTC)  # 31 May + 5 working days
TUESDAY_14_JUNE = datetime(2011, 6, 14, 7, 0, tzinfo=UTC)

BotAt = Callable[[datetime], AbstractAsyncContextManager[Chat]]


@pytest.fixture
async def bot_at(database: Database, clock: FixedClock, server: StandinServer) -> BotAt:
    """The example plan, a coordinator and a member of BZK; the bot, started (or restarted) with
    its clock at a moment."""
    await database.run(import_example_plan, clock)
    server.add_user(COORDINATOR, "Lid", "coordinatie")
    await join(database, clock, COORDINATOR, "coordinatie", role=Role.COORDINATOR)
    server.add_user(BZK, "Lid", "bzk")
    await join(database, clock, BZK, "bzk")
    return lambda moment: run_bot(server, database, FixedClock(moment))


async def _arrived(chat: Chat, user_id: int, start: str, containing: str = "") -> SentMessage:
    """The one message to ``user_id`` that starts with ``start`` and holds ``containing``."""

    def check(text: str) -> bool:
        return text.startswith(start) and containing in text

    await chat.arrives(user_id, check)
    [message] = chat.matching(user_id, check)
    return message


def _last_has_button(chat: Chat, user_id: int, label: str) -> Callable[[], bool]:
    def check() -> bool:
        messages = chat.server.messages(user_id)
        return bool(messages) and label in labels(messages[-1])

    return check


async def _press(chat: Chat, user_id: int, label: str) -> None:
    """Press ``label`` under the latest message, once it is there."""
    await chat.server.wait_for(_last_has_button(chat, user_id, label))
    await chat.press(user_id, chat.server.messages(user_id)[-1], label)


async def test_the_monthly_overview_arrives_on_the_first_working_day(bot_at: BotAt) -> None:
    async with bot_at(MONDAY_2_MAY) as chat:
        overview = await _arrived(chat, COORDINATOR, "Stand van de producten, begin mei 2011")
        question = await _arrived(chat, COORDINATOR, "Mijlpaal over tijd")
        await chat.sent_all()  # so that a message to BZK would be there to see

    lines = (overview.text or "").splitlines()
    assert lines[2:4] == [
        "Over tijd (2)",
        "• Jaarplan 2011: Jaarplan vastgesteld (Coördinatie Samenwerkingsverband, gemeente "
        "Utrecht), uiterlijk donderdag 31 maart 2011, 22 werkdagen over tijd",
    ]
    assert "Deze maand (2)" in lines
    assert "Klaar (0)" in lines
    assert (
        "Mijlpaal “Communicatieplan gereed” van product “Communicatieplan” was uiterlijk "
        "zaterdag 30 april 2011. Is die klaar, of komt er een nieuwe datum?"
    ) in (question.text or "")
    assert not chat.server.messages(BZK)


async def test_the_owner_is_asked_answers_in_chat_and_the_coordinators_list_leaves_it_out(
    bot_at: BotAt,
) -> None:
    async with bot_at(WEDNESDAY_1_JUNE) as chat:
        question = await _arrived(chat, BZK, "Mijlpaal over tijd")
        assert "“Start” van product “Monitor 2011 (over 2010)”" in (question.text or "")
        chat.server.send_message(BZK, "/mijlpaal")
        await _press(chat, BZK, "uiterlijk eind mei 2011 · Monitor 2011 (over 2010): Start")
        await _press(chat, BZK, "Klaar")
        await _press(chat, BZK, "Bevestigen")
        await _arrived(chat, BZK, "Genoteerd: Monitor 2011 (over 2010): Start is klaar.")

    async with bot_at(TUESDAY_7_JUNE) as chat:
        listed = await _arrived(
            chat, COORDINATOR, "Deze mijlpalen zijn over tijd:", "Informatiebehoefte"
        )

    text = listed.text or ""
    assert "Model beleidsprogramma: Informatiebehoefte vastgesteld" in text
    assert "5 werkdagen over tijd" in text
    assert "Monitor" not in text
    assert "later dan gepland" not in text


async def test_an_owner_on_holiday_is_asked_after_it_while_the_coordinators_list_keeps_its_day(
    bot_at: BotAt, database: Database
) -> None:
    before = FixedClock(datetime(2011, 5, 30, 12, 0, tzinfo=UTC))
    await database.run(pause_until, before, BZK, date(2011, 6, 14))  # away until Tuesday 14 June

    async with bot_at(TUESDAY_7_JUNE) as chat:
        listed = await _arrived(chat, COORDINATOR, "Deze mijlpalen zijn over tijd:", "Monitor")
        await chat.sent_all()
    assert "Monitor 2011 (over 2010): Start" in (listed.text or "")
    assert chat.server.messages(BZK) == []  # not asked on 1 June, nor late on the 7th

    async with bot_at(TUESDAY_14_JUNE) as chat:
        question = await _arrived(chat, BZK, "Mijlpaal over tijd")
    assert "“Start” van product “Monitor 2011 (over 2010)”" in (question.text or "")
