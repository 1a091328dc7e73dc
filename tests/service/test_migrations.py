"""The schema comes only from the migrations, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.migrate import SCHEMA, current_revision, upgrade
from planning.db import Database


async def test_migrations_build_the_schema_the_models_describe(database: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection), SCHEMA))

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_upgrading_twice_applies_nothing_the_second_time(database: Database) -> None:
    assert await current_revision(database) is not None
    assert await upgrade(database) == []
