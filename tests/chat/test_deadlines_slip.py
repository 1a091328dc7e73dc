"""Deadlines that slip, through the real bot with its outbox job, on a fake clock.

The clock is set at the 09:00 moment the messages are due, so the job sends them at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, or_, select

from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from bot.app import build_application, polling
from bot.sandbox import standin_settings
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.preferences.services import pause_until

COORDINATOR = 701  # of the coordination team: owns the Jaarplan and the Communicatieplan
BZK = 702  # owns the Monitor
MONDAY_2_MAY = datetime(2011, 5, 2, 7, 0, tzinfo=UTC)  # 1 May is a Sunday
WEDNESDAY_1_JUNE = datetime(2011, 6, 1, 7, 0, tzinfo=UTC)
TUESDAY_7_JUNE = datetime(2011, 6, 7, 7, 0, tzinfo=UTC)  # 31 May + 5 working days
TUESDAY_14_JUNE = datetime(2011, 6, 14, 7, 0, tzinfo=UTC)


@pytest.fixture
async def people(database: Database, clock: FixedClock, server: StandinServer) -> None:
    await database.run(import_example_plan, clock)
    for user_id, organisation, role in (
        (COORDINATOR, "coordinatie", Role.COORDINATOR),
        (BZK, "bzk", Role.LID),
    ):
        server.add_user(user_id, "Lid", organisation)
        [invite] = await database.run(
            create_invites, clock, role=role, organisation_code=organisation, group_codes=()
        )
        await database.run(
            redeem_invite,
            clock,
            code=invite.code,
            telegram_user_id=user_id,
            name="x",
            username=None,
        )


@asynccontextmanager
async def bot_at(
    moment: datetime, server: StandinServer, database: Database
) -> AsyncIterator[None]:
    settings = standin_settings(server, database, admins=set())
    async with polling(build_application(settings, database, FixedClock(moment)), poll_timeout=1):
        yield


async def _arrived(
    server: StandinServer, chat_id: int, start: str, containing: str = ""
) -> SentMessage:
    def found() -> list[SentMessage]:
        return [
            m
            for m in server.messages(chat_id)
            if (m.text or "").startswith(start) and containing in (m.text or "")
        ]

    await server.wait_for(lambda: bool(found()))
    [message] = found()
    return message


async def _all_sent(database: Database, moment: datetime) -> None:
    """Wait until the outbox job has sent everything due at ``moment``."""

    async def left() -> int:
        async with database.transaction() as session:
            waiting = or_(
                OutboxMessageRow.status == OutboxStatus.SENDING,
                (OutboxMessageRow.status == OutboxStatus.PENDING)
                & (OutboxMessageRow.next_attempt_at <= moment),
            )
            return int(await session.scalar(select(func.count()).where(waiting)) or 0)

    for _ in range(200):  # ten seconds at most
        if not await left():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the outbox job did not send everything that was due")


def _last_has_button(server: StandinServer, chat_id: int, label: str) -> Callable[[], bool]:
    def check() -> bool:
        messages = server.messages(chat_id)
        return bool(messages) and label in [text for text, _ in messages[-1].buttons()]

    return check


async def _press(server: StandinServer, chat_id: int, label: str) -> None:
    await server.wait_for(_last_has_button(server, chat_id, label))
    message = server.messages(chat_id)[-1]
    [data] = [data for text, data in message.buttons() if text == label]
    server.press_button(chat_id, message.message_id, data)


@pytest.mark.usefixtures("people")
async def test_the_monthly_overview_arrives_on_the_first_working_day(
    server: StandinServer, database: Database
) -> None:
    async with bot_at(MONDAY_2_MAY, server, database):
        overview = await _arrived(server, COORDINATOR, "Stand van de producten, begin mei 2011")
        question = await _arrived(server, COORDINATOR, "Mijlpaal over tijd")

    lines = (overview.text or "").splitlines()
    assert lines[2:4] == [
        "Over tijd (2)",
        "• Jaarplan 2011: Jaarplan vastgesteld (Coördinatie Samenwerkingsverband (gemeente "
        "Utrecht)), uiterlijk donderdag 31 maart 2011, 22 werkdagen over tijd",
    ]
    assert "Deze maand (2)" in lines
    assert "Klaar (0)" in lines
    assert (
        "Mijlpaal “Communicatieplan gereed” van product “Communicatieplan” was uiterlijk "
        "zaterdag 30 april 2011. Is die klaar, of komt er een nieuwe datum?"
    ) in (question.text or "")
    assert not server.messages(BZK)


@pytest.mark.usefixtures("people")
async def test_the_owner_is_asked_answers_in_chat_and_the_coordinators_list_leaves_it_out(
    server: StandinServer, database: Database
) -> None:
    async with bot_at(WEDNESDAY_1_JUNE, server, database):
        question = await _arrived(server, BZK, "Mijlpaal over tijd")
        assert "“Start” van product “Monitor 2011 (over 2010)”" in (question.text or "")
        server.send_message(BZK, "/mijlpaal")
        await _press(server, BZK, "uiterlijk eind mei 2011 · Monitor 2011 (over 2010): Start")
        await _press(server, BZK, "Klaar")
        await _press(server, BZK, "Bevestigen")
        await _arrived(server, BZK, "Genoteerd: Monitor 2011 (over 2010): Start is klaar.")

    async with bot_at(TUESDAY_7_JUNE, server, database):
        listed = await _arrived(
            server, COORDINATOR, "Deze mijlpalen zijn over tijd:", "Informatiebehoefte"
        )

    text = listed.text or ""
    assert "Model beleidsprogramma: Informatiebehoefte vastgesteld" in text
    assert "5 werkdagen over tijd" in text
    assert "Monitor" not in text
    assert "later dan gepland" not in text


@pytest.mark.usefixtures("people")
async def test_an_owner_on_holiday_is_asked_after_it_while_the_coordinators_list_keeps_its_day(
    server: StandinServer, database: Database
) -> None:
    before = FixedClock(datetime(2011, 5, 30, 12, 0, tzinfo=UTC))
    await database.run(pause_until, before, BZK, date(2011, 6, 14))  # away until Tuesday 14 June

    async with bot_at(TUESDAY_7_JUNE, server, database):
        listed = await _arrived(server, COORDINATOR, "Deze mijlpalen zijn over tijd:", "Monitor")
        await _all_sent(database, TUESDAY_7_JUNE)
    assert "Monitor 2011 (over 2010): Start" in (listed.text or "")
    assert server.messages(BZK) == []  # not asked on 1 June, nor late on the 7th

    async with bot_at(TUESDAY_14_JUNE, server, database):
        question = await _arrived(server, BZK, "Mijlpaal over tijd")
    assert "“Start” van product “Monitor 2011 (over 2010)”" in (question.text or "")
