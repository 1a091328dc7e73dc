"""Alembic environment: runs on a connection lent by :func:`bot.migrate.upgrade`.

Run from the ``alembic`` command line (for ``revision --autogenerate``) it opens its own async
engine from ``sqlalchemy.url`` instead.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from alembic import context
from sqlalchemy.engine import Connection

from bot.migrate import SCHEMA
from planning.db import Database
from planning.tables import UtcDateTime

target_metadata = SCHEMA


def render_item(kind: str, item: Any, _autogen_context: Any) -> str | Literal[False]:
    """Write our column types as plain SQLAlchemy ones, so migrations never import the app."""
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_item=render_item,
        # SQLite can only ALTER by copying the table; batch mode does that for us.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_standalone(url: str) -> None:
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(run_on)
    await database.dispose()


lent = context.config.attributes.get("connection")
if lent is not None:
    run_on(lent)
else:
    asyncio.run(run_standalone(context.config.get_main_option("sqlalchemy.url") or ""))
