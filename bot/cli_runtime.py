"""What every ``overlegbot`` subcommand shares: one-line errors and a database for one job.

Each subcommand runs its work in a fresh event loop with its own engine, disposed afterwards,
and an unreachable or unmigrated database becomes one Dutch line with exit status 2.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.migrate import current_revision
from bot.settings import Settings
from planning import catalogue
from planning.db import Database

EXIT_USAGE = 2
_T = TypeVar("_T")


class CliError(Exception):
    """One line for the operator; exit status 2."""


def with_database(settings: Settings, work: Callable[[Database], Coroutine[Any, Any, _T]]) -> _T:
    """Run ``work`` on the configured database in a fresh event loop."""
    database = Database(settings.database_url)

    async def run() -> _T:
        try:
            return await work(database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except (OperationalError, DBAPIError, OSError) as error:
        problem = str(getattr(error, "orig", None) or error).splitlines()[0]
        url = without_password(settings.database_url)
        raise CliError(
            catalogue.plain("cli.database_unreachable", url=url, problem=problem)
        ) from error


async def require_schema(database: Database) -> None:
    """Commands other than ``run`` and ``db upgrade`` do not migrate behind the operator's back."""
    if await current_revision(database) is None:
        raise CliError(catalogue.plain("cli.schema_missing"))


def without_password(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
