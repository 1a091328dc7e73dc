"""The example network of the year plan 2011, for the sandbox.

Until the plan import exists (issue 4), the sandbox loads only the plan's organisations and
groups, straight from the packaged copy of ``jaarplan-2011.yaml``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from planning.db import Database
from planning.membership import add_group, add_organisation

EXAMPLE_PLAN = "plans/jaarplan-2011.yaml"


async def load_example_network(database: Database) -> None:
    """Create the example plan's organisations and groups."""
    source = resources.files("planning").joinpath(EXAMPLE_PLAN)
    plan: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    for organisation in plan["organisaties"]:
        await add_organisation(
            database, organisation["code"], organisation["naam"], organisation["soort"]
        )
    for group in plan["groepen"]:
        await add_group(database, group["code"], group["naam"])
