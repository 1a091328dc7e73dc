"""The example plan with a contact person, members of other groups and two coordinators."""

from __future__ import annotations

import pytest

from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from tests.support.agenda_items import BZK, CONTACT, COORDINATOR, KWG, PETIT, SECOND_COORDINATOR
from tests.support.network import join


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    await join(database, clock, CONTACT, "gouda", "contactpersonen", name="Fatima")
    await join(database, clock, PETIT, "utrecht", "petit-comite", "bestuurders", name="Pieter")
    await join(database, clock, KWG, "ede", "kenniswerkgroep", name="Karin")
    await join(database, clock, BZK, "bzk", "rijk", name="Bram")
    await join(database, clock, COORDINATOR, "coordinatie", role=Role.COORDINATOR, name="Cora")
    await join(
        database, clock, SECOND_COORDINATOR, "coordinatie", role=Role.COORDINATOR, name="Daan"
    )
    return database
