"""The read cache never shows a member or a plan older than the last commit made here.

The gate and ``/volgende`` read the member and the plan from the cache (docs/decisions/
read-cache.md); these tests change them in between, as a member or coordinator would in chat,
and look at what the next command would see.
"""

from __future__ import annotations

from sqlalchemy import update

from berichten.outbox.store import NewMessage, enqueue
from planning.calendar.listings import next_for
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import Verdict, admit, leave, set_membership
from planning.membership.tables import Role
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan, load_plan
from planning.plan.tables import MeetingRow
from tests.support.network import join
from tests.support.plans import plan_of

MEMBER = 101


async def _admit(database: Database, clock: FixedClock) -> Verdict:
    admission = await database.run(
        admit,
        clock,
        telegram_user_id=MEMBER,
        name="x",
        username=None,
        admins=frozenset(),
        starting=False,
    )
    return admission.verdict


async def _planned(database: Database, clock: FixedClock) -> None:
    await database.run(import_plan, clock, plan_of(example_plan_text()))
    await join(database, clock, MEMBER, "gouda", "contactpersonen")


async def test_a_member_who_left_is_refused_at_once(database: Database, clock: FixedClock) -> None:
    await _planned(database, clock)
    assert await _admit(database, clock) == Verdict.MEMBER  # now kept

    await database.run(leave, clock, MEMBER)

    assert await _admit(database, clock) == Verdict.LEFT
    assert await database.run(next_for, clock, MEMBER) is None


async def test_a_new_role_shows_at_the_next_update(database: Database, clock: FixedClock) -> None:
    await _planned(database, clock)
    before = await database.run(
        admit,
        clock,
        telegram_user_id=MEMBER,
        name="x",
        username=None,
        admins=frozenset(),
        starting=False,
    )
    assert before.member is not None and not before.member.is_coordinator

    await database.run(set_membership, MEMBER, role=Role.COORDINATOR)

    after = await database.run(
        admit,
        clock,
        telegram_user_id=MEMBER,
        name="x",
        username=None,
        admins=frozenset(),
        starting=False,
    )
    assert after.member is not None and after.member.is_coordinator


async def test_a_moved_meeting_is_what_volgende_says_next(
    database: Database, clock: FixedClock
) -> None:
    await _planned(database, clock)
    first = await database.run(next_for, clock, MEMBER)
    assert first is not None
    plan = await database.run(load_plan)
    assert plan is not None

    # A statement, not a flush: /wijzig-like changes made with UPDATE count too.
    async with database.transaction() as session:
        await session.execute(update(MeetingRow).values(location="Elders"))

    moved = await database.run(load_plan)
    assert moved is not None and moved is not plan
    assert {m.location for m in moved.meetings} == {"Elders"}


async def test_a_change_rolled_back_is_never_seen(database: Database, clock: FixedClock) -> None:
    await _planned(database, clock)

    class UndoError(Exception):
        pass

    try:
        async with database.transaction() as session:
            await session.execute(update(MeetingRow).values(location="Nergens"))
            # Read inside the failing unit of work: it sees its own change, keeps nothing.
            inside = await load_plan(session)
            assert inside is not None and {m.location for m in inside.meetings} == {"Nergens"}
            raise UndoError
    except UndoError:
        pass

    plan = await database.run(load_plan)
    assert plan is not None and "Nergens" not in {m.location for m in plan.meetings}


async def test_sending_messages_keeps_what_was_read(database: Database, clock: FixedClock) -> None:
    """The outbox is written all day; its writes do not make every command read the plan."""
    await _planned(database, clock)
    plan = await database.run(load_plan)

    message = NewMessage(key="k", kind="reminder", recipient=MEMBER, text="t", due_at=clock.now())
    await database.run(enqueue, clock.now(), [message])

    assert await database.run(load_plan) is plan
