"""The schema comes only from the migrations, and they match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from berichten import outbox_tables  # noqa: F401 - the outbox belongs to the schema
from bot.migrate import current_revision, upgrade
from planning import (
    agenda_item_tables,  # noqa: F401 - agenda items and publications too
    plan_tables,  # noqa: F401 - the calendar tables belong to the schema
    preference_tables,  # noqa: F401 - so do members' preferences
)
from planning.db import Database
from planning.models import Base


async def test_migrations_build_the_schema_the_models_describe(database: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_upgrading_twice_applies_nothing_the_second_time(database: Database) -> None:
    assert await current_revision(database) is not None
    assert await upgrade(database) == []
