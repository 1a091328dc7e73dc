"""A small network to register people into, made through the service layer."""

from __future__ import annotations

import pytest

from planning.db import Database
from planning.membership.services import add_group, add_organisation


@pytest.fixture
async def network(database: Database) -> Database:
    await add_organisation(
        database, "coordinatie", "Coördinatie Samenwerkingsverband", "coordinatie"
    )
    await add_organisation(database, "gouda", "Gemeente Gouda", "gemeente")
    await add_group(database, "contactpersonen", "Contactpersonen")
    await add_group(database, "petit-comite", "Petit comité (vier gemeenten)")
    return database
