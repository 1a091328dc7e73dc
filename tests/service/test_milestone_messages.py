"""Deadlines that slip, queued on a real database with the example year plan.

Times: 09:00 in Amsterdam is 08:00 UTC in winter and 07:00 UTC from 27 March 2011.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from berichten.milestones import queue_deadline_messages
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.milestones.services import mark_done
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.example import example_plan_text, import_example_plan
from planning.plan.store import import_plan, load_plan
from planning.preferences.services import lift_pause, pause_until

COORDINATOR = 601  # of the coordination team, which owns the Jaarplan
BZK = 602  # owns the Monitor
GOUDA = 603  # owns nothing
BZK_2 = 604  # a second member of BZK, not on holiday
SECOND = 605  # a second coordinator, in some tests


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    for user_id, organisation, role in (
        (COORDINATOR, "coordinatie", Role.COORDINATOR),
        (BZK, "bzk", Role.LID),
        (GOUDA, "gouda", Role.LID),
        (BZK_2, "bzk", Role.LID),
    ):
        [invite] = await database.run(
            create_invites, clock, role=role, organisation_code=organisation, group_codes=["alle"]
        )
        await database.run(
            redeem_invite,
            clock,
            code=invite.code,
            telegram_user_id=user_id,
            name="x",
            username=None,
        )
    return database


async def _uid(db: Database, product: str, title: str) -> str:
    plan = await db.run(load_plan)
    assert plan is not None
    [uid] = [
        m.uid
        for p in plan.products
        if p.name == product
        for m in p.milestones
        if m.description == title
    ]
    return uid


async def _outbox(db: Database, kind: str | None = None) -> list[OutboxMessageRow]:
    async with db.transaction() as session:
        query = select(OutboxMessageRow).order_by(OutboxMessageRow.id)
        if kind is not None:
            query = query.where(OutboxMessageRow.kind == kind)
        return list(await session.scalars(query))


async def test_the_owners_members_are_asked_the_next_working_day(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 3, 31, 12, 0, tzinfo=UTC))  # the due day itself: nothing yet
    await planned.run(queue_deadline_messages, clock)
    assert await _outbox(planned, "overdue") == []

    clock.set(datetime(2011, 4, 1, 7, 0, tzinfo=UTC))  # Friday 1 April, 09:00
    report = await planned.run(queue_deadline_messages, clock)

    uid = await _uid(planned, "Jaarplan 2011", "Jaarplan vastgesteld")
    [asked] = await _outbox(planned, "overdue")
    assert report.queued == 2  # the question, and April's overview (Friday 1 April)
    assert asked.key == f"overdue|{uid}|2011-03-31|{COORDINATOR}"
    assert asked.due_at == datetime(2011, 4, 1, 7, 0, tzinfo=UTC)
    assert asked.text == (
        "<b>Mijlpaal over tijd</b>\n"
        "Mijlpaal “Jaarplan vastgesteld” van product “Jaarplan 2011” was uiterlijk "
        "donderdag 31 maart 2011. Is die klaar, of komt er een nieuwe datum?\n"
        "Met /mijlpaal vinkt u de mijlpaal af of geeft u een nieuwe datum op."
    )


async def test_a_deadline_at_a_weekend_month_end_is_asked_about_on_monday(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _uid(planned, "Communicatieplan", "Communicatieplan gereed")  # by Sat 30 April
    clock.set(datetime(2011, 5, 1, 12, 0, tzinfo=UTC))  # Sunday
    await planned.run(queue_deadline_messages, clock)
    assert not [r for r in await _outbox(planned, "overdue") if uid in r.key]

    clock.set(datetime(2011, 5, 2, 7, 0, tzinfo=UTC))  # Monday 2 May, 09:00
    await planned.run(queue_deadline_messages, clock)

    [asked] = [r for r in await _outbox(planned, "overdue") if uid in r.key]
    assert asked.key == f"overdue|{uid}|2011-04-30|{COORDINATOR}"
    assert asked.due_at == datetime(2011, 5, 2, 7, 0, tzinfo=UTC)
    assert "was uiterlijk zaterdag 30 april 2011" in asked.text


async def test_the_question_goes_only_to_the_owner_organisation(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 6, 1, 7, 0, tzinfo=UTC))  # the Monitor's start was due by 31 May
    await planned.run(queue_deadline_messages, clock)

    uid = await _uid(planned, "Monitor 2011 (over 2010)", "Start")
    by_milestone = {(r.key.split("|")[1], r.recipient) for r in await _outbox(planned, "overdue")}
    assert (uid, BZK) in by_milestone
    assert (uid, COORDINATOR) not in by_milestone
    assert GOUDA not in {recipient for _, recipient in by_milestone}


async def test_nothing_is_asked_about_a_milestone_marked_done(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _uid(planned, "Jaarplan 2011", "Jaarplan vastgesteld")
    clock.set(datetime(2011, 4, 1, 6, 0, tzinfo=UTC))  # an hour before: queued ahead
    await planned.run(queue_deadline_messages, clock)
    [queued] = await _outbox(planned, "overdue")
    assert queued.status == OutboxStatus.PENDING

    await planned.run(mark_done, clock, uid, COORDINATOR)
    report = await planned.run(queue_deadline_messages, clock)

    [withdrawn] = await _outbox(planned, "overdue")
    assert report.withdrawn == 1
    assert withdrawn.status == OutboxStatus.SKIPPED
    clock.set(datetime(2011, 4, 11, 7, 0, tzinfo=UTC))  # a Monday list day, were it late
    await planned.run(queue_deadline_messages, clock)
    assert await _outbox(planned, "overdue-list") == []


async def test_coordinators_get_the_list_after_five_working_days(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 4, 6, 7, 0, tzinfo=UTC))  # 4 working days late
    await planned.run(queue_deadline_messages, clock)
    assert await _outbox(planned, "overdue-list") == []

    clock.set(datetime(2011, 4, 7, 7, 0, tzinfo=UTC))  # Thursday: the fifth working day
    await planned.run(queue_deadline_messages, clock)

    [listed] = await _outbox(planned, "overdue-list")
    assert listed.key == f"overdue-list|2011-04-07|{COORDINATOR}"
    assert listed.recipient == COORDINATOR
    assert listed.text.startswith("<b>Deze mijlpalen zijn over tijd:</b>\n")
    assert (
        "• Jaarplan 2011: Jaarplan vastgesteld (Coördinatie Samenwerkingsverband (gemeente "
        "Utrecht)), uiterlijk donderdag 31 maart 2011, 5 werkdagen over tijd"
    ) in listed.text

    clock.set(datetime(2011, 4, 8, 7, 0, tzinfo=UTC))  # Friday: nothing new, no list
    await planned.run(queue_deadline_messages, clock)
    assert len(await _outbox(planned, "overdue-list")) == 1


async def test_escalation_days_is_a_setting(planned: Database, clock: FixedClock) -> None:
    clock.set(datetime(2011, 4, 4, 7, 0, tzinfo=UTC))  # Monday, 2 working days late
    await planned.run(queue_deadline_messages, clock, escalation_days=2)

    [listed] = await _outbox(planned, "overdue-list")
    assert listed.key == f"overdue-list|2011-04-04|{COORDINATOR}"
    assert "2 werkdagen over tijd" in listed.text


async def test_a_bot_that_was_down_sends_the_question_late(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 4, 5, 12, 0, tzinfo=UTC))  # down since before Friday 1 April

    await planned.run(queue_deadline_messages, clock)

    [asked] = await _outbox(planned, "overdue")
    assert asked.due_at == datetime(2011, 4, 1, 7, 0, tzinfo=UTC)
    assert asked.status == OutboxStatus.PENDING


async def test_a_bot_that_was_down_sends_only_the_newest_list(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 4, 12, 10, 0, tzinfo=UTC))  # Tuesday; lists were due 7 and 11 April

    await planned.run(queue_deadline_messages, clock)

    assert [r.key for r in await _outbox(planned, "overdue-list")] == [
        f"overdue-list|2011-04-11|{COORDINATOR}"
    ]


async def test_the_monthly_overview_comes_on_the_first_working_day(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 3, 1, 8, 0, tzinfo=UTC))  # Tuesday 1 March, 09:00
    await planned.run(queue_deadline_messages, clock)

    [march] = await _outbox(planned, "overview")
    assert march.key == f"overview|2011-03|{COORDINATOR}"
    assert march.due_at == datetime(2011, 3, 1, 8, 0, tzinfo=UTC)
    assert march.text.splitlines()[:7] == [
        "<b>Stand van de producten, begin maart 2011</b>",
        "",
        "<b>Over tijd (0)</b>",
        "Geen.",
        "",
        "<b>Deze maand (1)</b>",
        "• Jaarplan 2011: Jaarplan vastgesteld (Coördinatie Samenwerkingsverband (gemeente "
        "Utrecht)), uiterlijk donderdag 31 maart 2011",
    ]
    assert "Mijlpalen die later volgen: 8." in march.text


async def test_the_overview_of_may_waits_for_monday_and_shows_what_slipped_and_what_is_done(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(
        mark_done, clock, await _uid(planned, "Jaarplan 2011", "Jaarplan vastgesteld"), COORDINATOR
    )
    clock.set(datetime(2011, 5, 1, 7, 0, tzinfo=UTC))  # Sunday 1 May
    await planned.run(queue_deadline_messages, clock)
    assert await _outbox(planned, "overview") == []

    clock.set(datetime(2011, 5, 2, 7, 0, tzinfo=UTC))  # Monday 2 May
    await planned.run(queue_deadline_messages, clock)

    [may] = await _outbox(planned, "overview")
    assert may.key == f"overview|2011-05|{COORDINATOR}"
    text = may.text
    assert "<b>Over tijd (1)</b>\n• Communicatieplan: Communicatieplan gereed" in text
    assert "uiterlijk zaterdag 30 april 2011, 1 werkdag over tijd" in text
    assert "<b>Deze maand (2)</b>" in text
    assert "• Monitor 2011 (over 2010): Start (Ministerie van Binnenlandse Zaken" in text
    assert "<b>Klaar (1)</b>\n• Jaarplan 2011: Jaarplan vastgesteld" in text


async def test_queueing_again_changes_nothing(planned: Database, clock: FixedClock) -> None:
    clock.set(datetime(2011, 5, 2, 7, 0, tzinfo=UTC))  # questions and the overview at once
    first = await planned.run(queue_deadline_messages, clock)
    again = await planned.run(queue_deadline_messages, clock)

    assert first.queued > 0
    assert (again.queued, again.withdrawn, again.updated) == (0, 0, 0)
    keys = [r.key for r in await _outbox(planned)]
    assert len(keys) == len(set(keys)) == first.queued


async def test_a_pending_overview_follows_a_milestone_marked_done(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 5, 2, 6, 0, tzinfo=UTC))  # queued an hour ahead
    await planned.run(queue_deadline_messages, clock)
    uid = await _uid(planned, "Communicatieplan", "Communicatieplan gereed")
    await planned.run(mark_done, clock, uid, COORDINATOR)

    report = await planned.run(queue_deadline_messages, clock)

    [may] = await _outbox(planned, "overview")
    assert report.updated == 1
    assert "<b>Klaar (1)</b>\n• Communicatieplan: Communicatieplan gereed" in may.text


async def test_a_long_overview_is_split_with_one_key_per_part(
    planned: Database, clock: FixedClock
) -> None:
    extra = "".join(
        f"  - naam: Deelproduct {n:03d} met een lange naam voor de regel\n"
        "    verantwoordelijk: coordinatie\n"
        "    betrokken: [alle]\n"
        f"    mijlpalen: [{{maand: 2011-03, omschrijving: Onderdeel {n:03d} opgeleverd}}]\n"
        for n in range(120)
    )
    checked = check_plan(
        example_plan_text().replace("producten:\n", "producten:\n" + extra), "jaarplan.yaml"
    )
    assert checked.plan is not None
    await planned.run(import_plan, clock, to_plan(checked.plan))
    clock.set(datetime(2011, 3, 1, 8, 0, tzinfo=UTC))

    await planned.run(queue_deadline_messages, clock)

    parts = await _outbox(planned, "overview")
    assert len(parts) > 1
    assert parts[0].key == f"overview|2011-03|{COORDINATOR}"
    assert [r.key for r in parts[1:]] == [
        f"overview|2011-03|{COORDINATOR}|{n}" for n in range(2, len(parts) + 1)
    ]
    assert all(len(r.text) <= 4096 for r in parts)
    assert sum(r.text.count("• Deelproduct") for r in parts) == 120


# The Monitor's start was due by Tuesday 31 May: asked Wednesday 1 June, on the coordinators'
# list Tuesday 7 June (five working days). 09:00 in Amsterdam is 07:00 UTC in summer.
WEDNESDAY_1_JUNE = datetime(2011, 6, 1, 7, 0, tzinfo=UTC)
TUESDAY_7_JUNE = datetime(2011, 6, 7, 7, 0, tzinfo=UTC)


async def _asked(db: Database, uid: str, recipient: int) -> list[OutboxMessageRow]:
    return [
        row
        for row in await _outbox(db, "overdue")
        if row.recipient == recipient and row.key.startswith(f"overdue|{uid}|")
    ]


async def test_a_member_on_holiday_is_asked_on_the_first_working_day_after_the_pause(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _uid(planned, "Monitor 2011 (over 2010)", "Start")
    clock.set(datetime(2011, 5, 27, 12, 0, tzinfo=UTC))
    await planned.run(pause_until, clock, BZK, date(2011, 6, 4))  # back on Saturday 4 June

    clock.set(WEDNESDAY_1_JUNE)
    await planned.run(queue_deadline_messages, clock)
    assert await _asked(planned, uid, BZK) == []
    assert len(await _asked(planned, uid, BZK_2)) == 1  # a colleague is asked on time

    clock.set(datetime(2011, 6, 6, 7, 0, tzinfo=UTC))  # Monday 6 June, 09:00
    await planned.run(queue_deadline_messages, clock)

    [asked] = await _asked(planned, uid, BZK)
    assert asked.key == f"overdue|{uid}|2011-05-31|{BZK}"
    assert asked.due_at == datetime(2011, 6, 6, 7, 0, tzinfo=UTC)
    assert asked.status == OutboxStatus.PENDING


async def test_a_question_queued_before_the_member_paused_waits_for_the_pause_to_end(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _uid(planned, "Monitor 2011 (over 2010)", "Start")
    clock.set(datetime(2011, 6, 1, 6, 0, tzinfo=UTC))
    await planned.run(queue_deadline_messages, clock)  # an hour ahead: queued
    await planned.run(pause_until, clock, BZK, date(2011, 6, 2))

    await planned.run(queue_deadline_messages, clock)
    [held] = await _asked(planned, uid, BZK)
    assert held.status == OutboxStatus.SKIPPED

    clock.set(datetime(2011, 6, 2, 6, 0, tzinfo=UTC))  # Thursday, an hour before 09:00
    await planned.run(queue_deadline_messages, clock)
    [asked] = await _asked(planned, uid, BZK)
    assert asked.status == OutboxStatus.PENDING
    assert asked.due_at == datetime(2011, 6, 2, 7, 0, tzinfo=UTC)


async def test_lifting_the_pause_brings_the_question_today(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _uid(planned, "Monitor 2011 (over 2010)", "Start")
    clock.set(datetime(2011, 5, 30, 12, 0, tzinfo=UTC))
    await planned.run(pause_until, clock, BZK, date(2011, 6, 20))
    clock.set(WEDNESDAY_1_JUNE)
    await planned.run(queue_deadline_messages, clock)

    clock.set(datetime(2011, 6, 3, 6, 0, tzinfo=UTC))  # Friday, 08:00
    await planned.run(lift_pause, clock, BZK)
    await planned.run(queue_deadline_messages, clock)

    [asked] = await _asked(planned, uid, BZK)
    assert asked.due_at == datetime(2011, 6, 3, 7, 0, tzinfo=UTC)


async def test_the_coordinators_list_does_not_wait_for_the_owners_holiday(
    planned: Database, clock: FixedClock
) -> None:
    uid = await _uid(planned, "Monitor 2011 (over 2010)", "Start")
    clock.set(datetime(2011, 5, 30, 12, 0, tzinfo=UTC))
    for member in (BZK, BZK_2):
        await planned.run(pause_until, clock, member, date(2011, 6, 20))

    clock.set(TUESDAY_7_JUNE)
    await planned.run(queue_deadline_messages, clock)

    [listed] = await _outbox(planned, "overdue-list")
    assert listed.key == f"overdue-list|2011-06-07|{COORDINATOR}"
    assert "• Monitor 2011 (over 2010): Start" in listed.text
    assert await _asked(planned, uid, BZK) == []

    clock.set(datetime(2011, 6, 9, 12, 0, tzinfo=UTC))
    await planned.run(mark_done, clock, uid, COORDINATOR)  # done meanwhile: nobody is asked
    clock.set(datetime(2011, 6, 20, 7, 0, tzinfo=UTC))
    await planned.run(queue_deadline_messages, clock)
    assert await _asked(planned, uid, BZK) == await _asked(planned, uid, BZK_2) == []


async def _second_coordinator(db: Database, clock: FixedClock) -> None:
    [invite] = await db.run(
        create_invites,
        clock,
        role=Role.COORDINATOR,
        organisation_code="coordinatie",
        group_codes=["alle"],
    )
    await db.run(
        redeem_invite, clock, code=invite.code, telegram_user_id=SECOND, name="y", username=None
    )


async def test_a_coordinator_on_holiday_gets_no_list_and_the_next_monday_list_has_it_all(
    planned: Database, clock: FixedClock
) -> None:
    await _second_coordinator(planned, clock)
    await planned.run(pause_until, clock, COORDINATOR, date(2011, 4, 8))

    clock.set(datetime(2011, 4, 7, 7, 0, tzinfo=UTC))  # Thursday: the Jaarplan escalates
    await planned.run(queue_deadline_messages, clock)
    assert [r.recipient for r in await _outbox(planned, "overdue-list")] == [SECOND]

    clock.set(datetime(2011, 4, 11, 7, 0, tzinfo=UTC))  # Monday 11 April
    await planned.run(queue_deadline_messages, clock)
    [listed] = [r for r in await _outbox(planned, "overdue-list") if r.recipient == COORDINATOR]
    assert listed.key == f"overdue-list|2011-04-11|{COORDINATOR}"
    assert "Jaarplan vastgesteld" in listed.text


async def test_when_every_coordinator_is_on_holiday_the_list_and_overview_still_reach_them(
    planned: Database, clock: FixedClock
) -> None:
    await _second_coordinator(planned, clock)
    await planned.run(pause_until, clock, COORDINATOR, date(2011, 4, 18))
    await planned.run(pause_until, clock, SECOND, date(2011, 4, 12))

    clock.set(datetime(2011, 4, 1, 7, 0, tzinfo=UTC))  # Friday 1 April: April's overview
    await planned.run(queue_deadline_messages, clock)
    clock.set(datetime(2011, 4, 7, 7, 0, tzinfo=UTC))  # Thursday: the Jaarplan escalates
    await planned.run(queue_deadline_messages, clock)

    overviews = await _outbox(planned, "overview")
    assert sorted(r.key for r in overviews) == [
        f"overview|2011-04|{COORDINATOR}",
        f"overview|2011-04|{SECOND}",
    ]
    lists = await _outbox(planned, "overdue-list")
    assert sorted(r.key for r in lists) == [
        f"overdue-list|2011-04-07|{COORDINATOR}",
        f"overdue-list|2011-04-07|{SECOND}",
    ]
    assert all("Jaarplan vastgesteld" in r.text for r in lists)
