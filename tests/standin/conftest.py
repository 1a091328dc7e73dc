"""Fixtures: a running stand-in server and a PTB Bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from telegram import Bot

from bot.standin import StandinServer
from tests.support.standin import ALICE, BOT_ID, BOT_USERNAME, GROUP, TOKEN


@pytest_asyncio.fixture
async def server() -> AsyncIterator[StandinServer]:
    async with StandinServer(
        token=TOKEN, bot_username=BOT_USERNAME, bot_id=BOT_ID, bot_first_name="Overlegbot"
    ) as running:
        running.add_user(ALICE, "Alice", "Jansen", username="alice")
        running.add_group(GROUP, "Stuurgroep")
        yield running


@pytest_asyncio.fixture
async def bot(server: StandinServer) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url) as ptb:
        yield ptb
