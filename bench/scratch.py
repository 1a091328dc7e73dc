"""A scratch database for a benchmark: built by the migrations, emptied before every run."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.migrate import upgrade
from planning.db import Database


async def fresh_database(url: str) -> Database:
    """The database at ``url``, empty but for the schema: an SQLite file is removed first, a
    PostgreSQL ``public`` schema dropped (use a scratch database)."""
    database = Database(url)
    if database.engine.dialect.name == "sqlite" and database.engine.url.database:
        # A file of an earlier round; a blocking call is fine before any clock starts.
        Path(database.engine.url.database).unlink(missing_ok=True)  # noqa: ASYNC240
    if database.engine.dialect.name == "postgresql":
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(database)
    return database
