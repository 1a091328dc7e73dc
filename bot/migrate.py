"""Schema migrations with Alembic: the schema exists only through them.

They live in ``bot``, the top layer, because the schema spans every layer (planning's tables
and berichten's outbox) and only ``bot`` may import them all.

The migration scripts ship inside the package (``bot/migrations``), so ``overlegbot db
upgrade`` works from any directory without an ``alembic.ini``. The async engine lends Alembic
one synchronous connection (Alembic's "connection sharing" recipe), so migrating works inside a
running event loop, e.g. right before the bot starts polling.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

# Every module that defines tables, so that the shared metadata holds the whole schema.
import berichten.outbox.tables  # noqa: F401
import bot.persistence_tables  # noqa: F401
import planning.absences.tables
import planning.agenda_items.tables
import planning.audit.tables
import planning.calendar.feed_tokens
import planning.incidents.tables
import planning.membership.tables
import planning.newsletters.tables
import planning.plan.tables
import planning.preferences.tables  # noqa: F401
from planning.db import Database
from planning.tables import Base

SCHEMA: MetaData = Base.metadata
"""Every table of every layer: what the migrations must build."""

SCRIPT_LOCATION = "bot:migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url is not None:
        config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade(database: Database, revision: str = "head") -> list[str]:
    """Apply pending migrations; return the revisions that were applied, oldest first."""

    def run(connection: Connection) -> list[str]:
        before = MigrationContext.configure(connection).get_current_revision()
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
        return _revisions_between(config, before, after)

    async with database.engine.begin() as connection:
        return await connection.run_sync(run)


def _revisions_between(config: Config, before: str | None, after: str | None) -> list[str]:
    if before == after or after is None:
        return []
    script = ScriptDirectory.from_config(config)
    applied = [rev.revision for rev in script.iterate_revisions(after, before)]
    return list(reversed(applied))


async def current_revision(database: Database) -> str | None:
    """The schema revision the database is at; None for a database never migrated."""

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with database.engine.connect() as connection:
        return await connection.run_sync(read)
