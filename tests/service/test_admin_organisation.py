"""An admin who says /start before the plan is imported (the README's order) is a coordinator
without an organisation; their next contact after the import fills in the coordination team."""

from __future__ import annotations

import pytest

from planning.clock import FixedClock
from planning.db import Database
from planning.membership.lookups import find_member
from planning.membership.services import (
    MembershipError,
    MembershipRefusal,
    Verdict,
    add_organisation,
    admit,
    register_admin,
    set_membership,
)
from planning.membership.tables import MemberRow, Role
from planning.plan.example import import_example_plan
from tests.support.network import add_network

ADMIN = 42


async def _contact(database: Database, clock: FixedClock, user_id: int = ADMIN) -> MemberRow:
    admission = await database.run(
        admit,
        clock,
        telegram_user_id=user_id,
        name="Anna",
        username=None,
        admins=frozenset({ADMIN}),
        starting=False,
    )
    assert admission.verdict == Verdict.MEMBER and admission.member is not None
    return admission.member


async def test_an_admin_who_came_before_the_plan_gets_the_team_on_next_contact(
    database: Database, clock: FixedClock
) -> None:
    first = await database.run(
        admit,
        clock,
        telegram_user_id=ADMIN,
        name="Anna",
        username=None,
        admins=frozenset({ADMIN}),
        starting=True,
    )
    assert first.verdict == Verdict.ADMIN_REGISTERED
    assert first.member is not None and first.member.organisation is None
    assert (await _contact(database, clock)).organisation is None  # still no plan

    await database.run(import_example_plan, clock)

    member = await _contact(database, clock)
    assert member.organisation is not None and member.organisation.code == "coordinatie"
    stored = await database.run(find_member, ADMIN)
    assert stored is not None and stored.organisation is not None
    assert stored.role == Role.COORDINATOR


async def test_no_team_is_guessed_when_the_plan_has_two(
    database: Database, clock: FixedClock
) -> None:
    await database.run(register_admin, clock, telegram_user_id=ADMIN, name="Anna", username=None)
    await add_network(database)
    await database.run(add_organisation, "coordinatie-2", "Tweede team", "coordinatie")
    assert (await _contact(database, clock)).organisation is None


async def test_set_membership_changes_organisation_and_role(
    database: Database, clock: FixedClock
) -> None:
    await database.run(register_admin, clock, telegram_user_id=ADMIN, name="Anna", username=None)
    await add_network(database)

    member = await database.run(set_membership, ADMIN, organisation_code="gouda", role=Role.LID)

    assert member.organisation is not None and member.organisation.code == "gouda"
    assert member.role == Role.LID
    with pytest.raises(MembershipError) as unknown:
        await database.run(set_membership, 43, organisation_code="gouda")
    assert unknown.value.reason == MembershipRefusal.NOT_A_MEMBER
    with pytest.raises(MembershipError) as atlantis:
        await database.run(set_membership, ADMIN, organisation_code="atlantis")
    assert (atlantis.value.reason, atlantis.value.detail) == (
        MembershipRefusal.UNKNOWN_ORGANISATION,
        "atlantis",
    )
