"""The people of the tests: the small network they join, and joining it through an invite."""

from __future__ import annotations

from collections.abc import Sequence

from planning.clock import Clock
from planning.db import Database
from planning.membership.services import add_group, add_organisation, create_invites, redeem_invite
from planning.membership.tables import Role


async def add_network(database: Database) -> None:
    """Two organisations and two groups, for tests that run without the example plan."""
    await database.run(
        add_organisation, "coordinatie", "Coördinatie Samenwerkingsverband", "coordinatie"
    )
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_group, "contactpersonen", "Contactpersonen")
    await database.run(add_group, "petit-comite", "Petit comité (vier gemeenten)")


async def join(
    database: Database,
    clock: Clock,
    user_id: int,
    organisation: str = "gouda",
    *groups: str,
    role: Role = Role.LID,
    name: str = "x",
) -> int:
    """``user_id`` registered through an invite of their own, as a new member does; returns
    ``user_id``."""
    await join_all(database, clock, [user_id], organisation, *groups, role=role, name=name)
    return user_id


async def join_all(
    database: Database,
    clock: Clock,
    user_ids: Sequence[int],
    organisation: str = "gouda",
    *groups: str,
    role: Role = Role.LID,
    name: str = "x",
) -> None:
    """Each of ``user_ids`` registered through an invite of their own, all made at once."""
    invites = await database.run(
        create_invites,
        clock,
        role=role,
        organisation_code=organisation,
        group_codes=groups,
        count=len(user_ids),
    )
    for user_id, invite in zip(user_ids, invites, strict=True):
        await database.run(
            redeem_invite,
            clock,
            code=invite.code,
            telegram_user_id=user_id,
            name=name,
            username=None,
        )
