"""The agenda-item chat tests run the bot with its outbox job, as in production, so the notices
the handlers queue (to the coordinators, to the submitter, to the participants) really arrive.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.standin import StandinServer
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_chat import QUIET_MOMENT, seat_people
from tests.support.chat import Chat, run_bot


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    """The example plan, five members and two coordinators, the bot with its outbox job.

    It replaces the chat tests' ``chat``, which runs without the job and with other people.
    """
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock) as running:
        yield running


@pytest.fixture
async def utc_chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    """The same, on a server whose OVERLEGBOT_TIMEZONE is UTC (the plan's zone is Amsterdam)."""
    clock = FixedClock(QUIET_MOMENT)
    await seat_people(server, database, clock)
    async with run_bot(server, database, clock, timezone="UTC") as running:
        yield running
