"""Invites and registration on a real database: what a coordinator and a new member notice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from planning.clock import FixedClock
from planning.db import Database
from planning.membership.lookups import (
    find_member,
    list_members,
    members_in_groups,
    members_of_organisation,
)
from planning.membership.services import (
    MembershipError,
    MembershipRefusal,
    create_invites,
    leave,
    redeem_invite,
    register_admin,
    set_blocked,
)
from planning.membership.tables import MemberStatus, Role


async def _invite(db: Database, clock: FixedClock, **kwargs: object) -> str:
    options: dict[str, object] = {
        "role": Role.LID,
        "organisation_code": "gouda",
        "group_codes": ["contactpersonen", "petit-comite"],
    }
    options.update(kwargs)
    invites = await db.run(create_invites, clock, **options)  # type: ignore[arg-type]
    return invites[0].code


async def _redeem(db: Database, clock: FixedClock, code: str, user_id: int = 501) -> object:
    return await db.run(
        redeem_invite,
        clock,
        code=code,
        telegram_user_id=user_id,
        name="Fatima El Amrani",
        username="fatima",
    )


async def test_an_invite_registers_with_its_organisation_and_groups(
    network: Database, clock: FixedClock
) -> None:
    code = await _invite(network, clock)
    await _redeem(network, clock, code)

    member = await network.run(find_member, 501)
    assert member is not None
    assert member.organisation is not None and member.organisation.code == "gouda"
    assert [group.code for group in member.groups] == ["contactpersonen", "petit-comite"]
    assert member.role == Role.LID and member.status == MemberStatus.ACTIVE
    assert member.registered_at == clock.now()


async def test_a_code_works_once(network: Database, clock: FixedClock) -> None:
    code = await _invite(network, clock)
    await _redeem(network, clock, code, user_id=501)

    with pytest.raises(MembershipError) as refused:
        await _redeem(network, clock, code, user_id=502)
    assert refused.value.reason == MembershipRefusal.USED_CODE
    assert await network.run(find_member, 502) is None


async def test_an_expired_code_registers_nobody(network: Database, clock: FixedClock) -> None:
    code = await _invite(network, clock, lifetime=timedelta(days=2))
    clock.advance(timedelta(days=2))

    with pytest.raises(MembershipError) as refused:
        await _redeem(network, clock, code)
    assert refused.value.reason == MembershipRefusal.EXPIRED_CODE
    assert await network.run(list_members) == []


async def test_an_unknown_code_is_refused(network: Database, clock: FixedClock) -> None:
    with pytest.raises(MembershipError) as refused:
        await _redeem(network, clock, "no-such-code")
    assert refused.value.reason == MembershipRefusal.UNKNOWN_CODE


async def test_an_active_member_keeps_a_second_code_unused(
    network: Database, clock: FixedClock
) -> None:
    first, second = await _invite(network, clock), await _invite(network, clock)
    await _redeem(network, clock, first)

    with pytest.raises(MembershipError) as refused:
        await _redeem(network, clock, second)
    assert refused.value.reason == MembershipRefusal.ALREADY_MEMBER
    await _redeem(network, clock, second, user_id=777)  # still good for someone else


async def test_invites_for_unknown_organisation_or_group_are_not_made(
    network: Database, clock: FixedClock
) -> None:
    with pytest.raises(MembershipError) as refused:
        await _invite(network, clock, organisation_code="atlantis")
    assert (refused.value.reason, refused.value.detail) == (
        MembershipRefusal.UNKNOWN_ORGANISATION,
        "atlantis",
    )
    with pytest.raises(MembershipError) as refused:
        await _invite(network, clock, group_codes=["contactpersonen", "schaakclub"])
    assert (refused.value.reason, refused.value.detail) == (
        MembershipRefusal.UNKNOWN_GROUP,
        "schaakclub",
    )


async def test_count_makes_distinct_single_use_codes(network: Database, clock: FixedClock) -> None:
    invites = await network.run(
        create_invites, clock, role=Role.LID, organisation_code="gouda", count=25
    )
    codes = {invite.code for invite in invites}
    assert len(codes) == 25
    assert all(
        1 <= len(code) <= 64 and code.replace("-", "").replace("_", "").isalnum() for code in codes
    )


async def test_leaving_erases_name_and_groups_and_a_new_invite_brings_back(
    network: Database, clock: FixedClock
) -> None:
    await _redeem(network, clock, await _invite(network, clock))
    clock.advance(timedelta(days=1))
    await network.run(leave, clock, 501)

    member = await network.run(find_member, 501)
    assert member is not None
    assert (member.status, member.name, member.username, member.groups) == (
        MemberStatus.LEFT,
        "",
        None,
        [],
    )
    registration = await _redeem(network, clock, await _invite(network, clock, group_codes=[]))
    assert registration.returning  # type: ignore[attr-defined]
    member = await network.run(find_member, 501)
    assert member is not None and member.status == MemberStatus.ACTIVE
    assert member.name == "Fatima El Amrani"


async def test_blocking_and_unblocking_the_bot(network: Database, clock: FixedClock) -> None:
    await _redeem(network, clock, await _invite(network, clock))

    assert await network.run(set_blocked, clock, 501, blocked=True)
    member = await network.run(find_member, 501)
    assert member is not None and member.status == MemberStatus.BLOCKED
    await network.run(set_blocked, clock, 501, blocked=False)
    member = await network.run(find_member, 501)
    assert member is not None and member.status == MemberStatus.ACTIVE
    assert not await network.run(
        set_blocked, clock, 999, blocked=True
    )  # a stranger: nothing stored
    assert await network.run(find_member, 999) is None


async def test_an_admin_is_a_coordinator_of_the_coordination_team(
    network: Database, clock: FixedClock
) -> None:
    member = await network.run(
        register_admin, clock, telegram_user_id=42, name="Coördinator", username=None
    )
    assert member.role == Role.COORDINATOR
    assert member.organisation is not None and member.organisation.code == "coordinatie"


async def test_audiences_are_the_active_members_of_the_groups(
    network: Database, clock: FixedClock
) -> None:
    only_contact = await _invite(network, clock, group_codes=["contactpersonen"])
    await _redeem(network, clock, only_contact, user_id=501)
    await _redeem(
        network, clock, await _invite(network, clock, group_codes=["petit-comite"]), user_id=502
    )
    await _redeem(network, clock, await _invite(network, clock, group_codes=[]), user_id=503)
    await network.run(set_blocked, clock, 502, blocked=True)

    def ids(members: object) -> list[int]:
        return [m.telegram_user_id for m in members]  # type: ignore[attr-defined]

    assert ids(await network.run(members_in_groups, ["contactpersonen"])) == [501]
    assert ids(await network.run(members_in_groups, ["petit-comite"])) == []  # 502 blocked the bot
    assert ids(await network.run(members_in_groups, ["alle"])) == [501, 503]
    assert ids(await network.run(members_of_organisation, "gouda")) == [501, 503]
