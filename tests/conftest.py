"""Shared fixtures: a real database per test, a clock that tests move by hand.

The database is an SQLite file in the test's temporary directory, or, when
``OVERLEGBOT_TEST_DATABASE_URL`` is set (CI does this for PostgreSQL), that database with its
schema dropped and rebuilt through the migrations before every test.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.migrate import upgrade
from planning.clock import FixedClock
from planning.db import Database
from tests.support.world import START, TEST_DATABASE_ENV


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No OVERLEGBOT_* variables and no stray .env: settings come from the test alone."""
    for name in list(os.environ):
        if name.startswith("OVERLEGBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return os.environ.get(TEST_DATABASE_ENV) or f"sqlite:///{tmp_path / 'overlegbot.db'}"


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    if db.engine.dialect.name == "postgresql":
        async with db.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(db)
    try:
        yield db
    finally:
        await db.dispose()
