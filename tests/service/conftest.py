"""A small network to register people into, made through the service layer."""

from __future__ import annotations

import pytest

from planning.db import Database
from planning.membership.services import add_group, add_organisation


@pytest.fixture
async def network(database: Database) -> Database:
    await database.run(
        add_organisation, "coordinatie", "Coördinatie Samenwerkingsverband", "coordinatie"
    )
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_group, "contactpersonen", "Contactpersonen")
    await database.run(add_group, "petit-comite", "Petit comité (vier gemeenten)")
    return database
