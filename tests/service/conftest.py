"""Service tests run on a real database: a small network to register people into, or the
example year plan, made through the service layer."""

from __future__ import annotations

import pytest

from planning.clock import FixedClock
from planning.db import Database
from planning.plan.example import import_example_plan
from tests.support.network import add_network


@pytest.fixture
async def network(database: Database) -> Database:
    await add_network(database)
    return database


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    """The example year plan, imported; modules with people of their own override this."""
    await database.run(import_example_plan, clock)
    return database
