"""Chat tests: the real PTB Application, over its real HTTP stack, against the stand-in server.

Each test gets a running bot (long polling the stand-in on 127.0.0.1) on a fresh database with a
small network, and plays members through :class:`tests.support.chat.Chat`. A test fails if the
bot made any call the Bot API reference does not allow.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.example import import_example_plan
from tests.support.chat import ADMIN_ID, Chat, run_bot
from tests.support.network import add_network
from tests.support.standin import BOT_USERNAME, TOKEN


@pytest.fixture
async def server() -> AsyncIterator[StandinServer]:
    async with StandinServer(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        yield standin
        assert standin.violations == []


@pytest.fixture
async def chat(server: StandinServer, database: Database, clock: FixedClock) -> AsyncIterator[Chat]:
    await add_network(database)
    server.add_user(ADMIN_ID, "Anne", "de Vries")
    # Reminders are tested on their own (test_reminders.py); here they would interleave with
    # the conversations under test.
    async with run_bot(server, database, clock, admins={ADMIN_ID}, outbox_job=False) as running:
        yield running


@pytest.fixture
async def planned_chat(chat: Chat) -> Chat:
    """A running bot whose database holds the example year plan; the clock stands at
    Tuesday 4 January 2011, 09:00 in Amsterdam (the first petit comité's day)."""
    await chat.database.run(import_example_plan, chat.clock)
    return chat
