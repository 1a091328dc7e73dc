"""Reviewers from the plan on a real database: the AO's beoordelaars (the petit comité) review
its items besides the coordinators, declining may give a reason, and a waiting item can move to
the overleg's next meeting, its submitter told once."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from berichten.agenda_items import (
    ITEM_KIND,
    MOVED_KIND,
    REVIEW_KIND,
    move_and_notify,
    review_and_notify,
    submit_and_notify,
)
from bot.handlers.agenda_items.prompts import my_items_text, review_list, review_result
from planning.agenda_items.attachments import documents_for_review
from planning.agenda_items.reviewing import (
    REASON_LIMIT,
    items_to_review,
    meeting_tag,
    move_to_next,
)
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal, open_calendar
from planning.agenda_items.services import my_items, open_meetings, review, submit
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.store import import_plan, load_plan
from tests.support.agenda_items import (
    CONTACT,
    COORDINATOR,
    KWG,
    PETIT,
    SECOND_COORDINATOR,
    march_ao,
    submitted,
)
from tests.support.network import join
from tests.support.outbox import outbox_rows
from tests.support.plans import agenda_cycle_plan_text, plan_of

PC_COORDINATOR = 902  # a coordinator who is in the petit comité as well
JUNE = "Ambtelijk overleg van dinsdag 21 juni 2011"


@pytest.fixture
async def cycle(planned: Database, clock: FixedClock) -> Database:
    """The people of ``planned`` with the AO's petit comité as its beoordelaars."""
    await planned.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
    return planned


async def kwg_item(database: Database, clock: FixedClock) -> AgendaItemView:
    [meeting] = await database.run(open_meetings, clock, KWG)
    assert meeting.entry.overleg == "kwg"
    return await database.run(submit, clock, KWG, meeting.entry.key, "Thema mei", None)


async def test_a_petit_comite_member_reviews_ao_items_but_not_kwg_items(
    cycle: Database, clock: FixedClock
) -> None:
    ao = await submitted(cycle, clock, "Cijfers 2010")
    kwg = await kwg_item(cycle, clock)

    assert [i.id for i in await cycle.run(items_to_review, clock, PETIT)] == [ao.id]
    assert {i.id for i in await cycle.run(items_to_review, clock, COORDINATOR)} == {ao.id, kwg.id}
    with pytest.raises(AgendaItemError) as refused:
        await cycle.run(review, clock, PETIT, kwg.id, accept=True)
    assert refused.value.reason == AgendaItemRefusal.NOT_REVIEWER

    # The documents of the items they review, too ("Stukken bekijken").
    assert await cycle.run(documents_for_review, PETIT, ao.id) == ("Cijfers 2010", ())
    with pytest.raises(AgendaItemError):
        await cycle.run(documents_for_review, PETIT, kwg.id)

    outcome = await cycle.run(review, clock, PETIT, ao.id, accept=True)

    assert outcome.changed
    assert (outcome.item.status, outcome.item.reviewer_name) == (
        AgendaItemStatus.ACCEPTED,
        "Pieter",
    )


async def test_a_plain_member_may_not_review(cycle: Database, clock: FixedClock) -> None:
    item = await submitted(cycle, clock)

    for who in (CONTACT, KWG):
        with pytest.raises(AgendaItemError) as refused:
            await cycle.run(review, clock, who, item.id, accept=False)
        assert refused.value.reason == AgendaItemRefusal.NOT_REVIEWER
        with pytest.raises(AgendaItemError) as refused:
            await cycle.run(move_to_next, clock, who, item.id)
        assert refused.value.reason == AgendaItemRefusal.NOT_REVIEWER
        with pytest.raises(AgendaItemError):
            await cycle.run(items_to_review, clock, who)
    [still] = await cycle.run(my_items, clock, CONTACT)
    assert still.status == AgendaItemStatus.WAITING


async def test_a_new_item_reaches_every_reviewer_once(cycle: Database, clock: FixedClock) -> None:
    await join(cycle, clock, PC_COORDINATOR, "coordinatie", "petit-comite", role=Role.COORDINATOR)
    meeting = await march_ao(cycle, clock)

    ao, queued = await cycle.run(submit_and_notify, clock, CONTACT, meeting.entry.key, "AO", None)
    [kwg_meeting] = await cycle.run(open_meetings, clock, KWG)
    kwg, _ = await cycle.run(submit_and_notify, clock, KWG, kwg_meeting.entry.key, "KWG", None)

    notices = await outbox_rows(cycle, ITEM_KIND)
    to_ao = sorted(n.recipient for n in notices if n.key.startswith(f"{ITEM_KIND}:{ao.id}|"))
    to_kwg = sorted(n.recipient for n in notices if n.key.startswith(f"{ITEM_KIND}:{kwg.id}|"))
    assert queued == 4
    assert to_ao == sorted([COORDINATOR, SECOND_COORDINATOR, PC_COORDINATOR, PETIT])
    assert to_kwg == sorted([COORDINATOR, SECOND_COORDINATOR, PC_COORDINATOR])


async def test_declining_with_a_reason_tells_the_submitter_the_reason(
    cycle: Database, clock: FixedClock
) -> None:
    with_reason = await submitted(cycle, clock, "Met reden")
    without = await submitted(cycle, clock, "Zonder reden")

    declined, _ = await cycle.run(
        review_and_notify, clock, PETIT, with_reason.id, False, "  Past beter bij het BO.\n"
    )
    plain, _ = await cycle.run(review_and_notify, clock, PETIT, without.id, False, None)

    assert declined.item.decline_reason == "Past beter bij het BO."
    assert plain.item.decline_reason is None
    texts = {n.key: n.text for n in await outbox_rows(cycle, REVIEW_KIND)}
    assert texts[f"{REVIEW_KIND}:{with_reason.id}|{CONTACT}"].endswith(
        "\n\nReden: Past beter bij het BO."
        "\n\nHeeft u vragen, neem dan contact op met de coördinatie."
    )
    assert "Reden" not in texts[f"{REVIEW_KIND}:{without.id}|{CONTACT}"]
    assert "Reden: Past beter bij het BO." in review_result(declined)


async def test_a_reason_too_long_is_refused_and_the_item_waits(
    cycle: Database, clock: FixedClock
) -> None:
    item = await submitted(cycle, clock)

    with pytest.raises(AgendaItemError) as refused:
        await cycle.run(review, clock, PETIT, item.id, False, "x" * (REASON_LIMIT + 1))

    assert (refused.value.reason, refused.value.limit) == (
        AgendaItemRefusal.REASON_TOO_LONG,
        REASON_LIMIT,
    )
    [still] = await cycle.run(my_items, clock, CONTACT)
    assert still.status == AgendaItemStatus.WAITING


async def test_moving_to_21_june_keeps_it_waiting_and_tells_the_submitter_once(
    cycle: Database, clock: FixedClock
) -> None:
    item = await submitted(cycle, clock, "Later graag")
    march = meeting_tag(item.meeting_key)

    moved, queued = await cycle.run(move_and_notify, clock, PETIT, item.id, march)
    again, queued_again = await cycle.run(move_and_notify, clock, COORDINATOR, item.id, march)
    late_accept = await cycle.run(review, clock, COORDINATOR, item.id, True, None, march)

    assert (moved.changed, queued, again.changed, queued_again) == (True, 1, False, 0)
    assert not late_accept.changed
    after = moved.item
    assert after.meeting_when is not None and after.meeting_when.day == date(2011, 6, 21)
    assert (after.status, after.carried_from, after.held_over) == (
        AgendaItemStatus.WAITING,
        item.meeting_key,
        False,
    )
    [notice] = await outbox_rows(cycle, MOVED_KIND)
    assert notice.recipient == CONTACT
    assert notice.text == (
        f"Uw agendapunt <b>Later graag</b> is verplaatst naar {JUNE}. Het wacht daar op "
        "beoordeling; u hoort het zodra er een besluit is."
    )
    assert f"Verplaatst naar {JUNE} door Pieter." in review_result(again)
    # Where it went, in /mijnpunten and /punten; in June it is reviewed as any item.
    [mine] = await cycle.run(my_items, clock, CONTACT)
    moved_from = "verplaatst van de vergadering van dinsdag 22 maart 2011"
    assert f"Later graag (ter bespreking): ter beoordeling ({moved_from})" in my_items_text([mine])
    waiting = await cycle.run(items_to_review, clock, PETIT)
    assert moved_from in review_list(waiting)
    june = await cycle.run(
        review, clock, PETIT, item.id, True, None, meeting_tag(after.meeting_key)
    )
    assert (june.changed, june.item.position) == (True, 1)


async def test_two_presses_at_once_act_once(cycle: Database, clock: FixedClock) -> None:
    item = await submitted(cycle, clock)
    tag = meeting_tag(item.meeting_key)

    moved, accepted = await asyncio.gather(
        cycle.run(move_to_next, clock, PETIT, item.id, tag),
        cycle.run(review, clock, COORDINATOR, item.id, True, None, tag),
    )

    assert [moved.changed, accepted.changed].count(True) == 1
    assert moved.item.status == accepted.item.status


async def test_the_last_meeting_of_the_year_has_no_next_one(
    cycle: Database, clock: FixedClock
) -> None:
    # Only the first open AO is offered, but any open one may be chosen: November's.
    plan = await cycle.run(load_plan)
    assert plan is not None
    [*_, november] = [
        m.entry.key for m in open_calendar(plan, clock.now()) if m.entry.overleg == "ao"
    ]
    item = await cycle.run(submit, clock, CONTACT, november, "Eind van het jaar", None)

    with pytest.raises(AgendaItemError) as refused:
        await cycle.run(move_to_next, clock, PETIT, item.id)

    assert refused.value.reason == AgendaItemRefusal.NO_NEXT_MEETING
    [still] = await cycle.run(my_items, clock, CONTACT)
    assert (still.status, still.meeting_key) == (AgendaItemStatus.WAITING, november)
