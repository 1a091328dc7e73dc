"""The example plan with a coordinator, two members of BZK (which owns the Monitor) and one of
Gouda (which owns nothing), all in the group ``alle``."""

from __future__ import annotations

import pytest

from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from tests.support.milestones import BZK, BZK_2, COORDINATOR, GOUDA
from tests.support.network import join


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    await join(database, clock, COORDINATOR, "coordinatie", "alle", role=Role.COORDINATOR)
    for user_id, organisation in ((BZK, "bzk"), (GOUDA, "gouda"), (BZK_2, "bzk")):
        await join(database, clock, user_id, organisation, "alle")
    return database
