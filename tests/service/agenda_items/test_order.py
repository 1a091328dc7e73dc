"""Putting the accepted items in order before publishing, and what each publication keeps so
the next one can say what changed: on the AO with its fixed items (vaste punten)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import select

from berichten.agenda_items import AGENDA_KIND, publish_agenda
from berichten.reminders.queue import queue_reminders
from planning.agenda_items.order import move_item
from planning.agenda_items.publication import AgendaChangedError, AgendaDraft, agenda_draft
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.services import my_items, review
from planning.agenda_items.tables import AgendaItemRow, AgendaPublicationRow
from planning.agenda_items.views import AgendaItemView
from planning.clock import FixedClock
from planning.db import Conflict, Database
from planning.plan.store import import_plan
from tests.support.agenda_items import CONTACT, COORDINATOR, SECOND_COORDINATOR, submitted
from tests.support.outbox import outbox_rows
from tests.support.plans import agenda_cycle_plan_text, plan_of


@pytest.fixture
async def cycle(planned: Database, clock: FixedClock) -> Database:
    """The people of ``planned`` with the AO's cycle switched on (its vaste punten)."""
    await planned.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
    return planned


async def accepted(database: Database, clock: FixedClock, *titles: str) -> list[AgendaItemView]:
    items = []
    for title in titles:
        item = await submitted(database, clock, title)
        await database.run(review, clock, COORDINATOR, item.id, accept=True)
        items.append(item)
    return items


def points(draft: AgendaDraft) -> list[str]:
    return [f"{n}. {p if isinstance(p, str) else p.title}" for n, p in draft.numbered()]


async def test_a_move_swaps_two_items_and_the_numbers_follow(
    cycle: Database, clock: FixedClock
) -> None:
    first, second, third = await accepted(cycle, clock, "Jaarplan", "Monitor", "Begroting")
    key = first.meeting_key

    moved = await cycle.run(move_item, clock, COORDINATOR, key, third.id, True)
    top = await cycle.run(move_item, clock, SECOND_COORDINATOR, key, first.id, True)
    bottom = await cycle.run(move_item, clock, COORDINATOR, key, second.id, False)
    refusals = []
    for who, item_id in ((CONTACT, first.id), (COORDINATOR, 999)):
        with pytest.raises(AgendaItemError) as refused:
            await cycle.run(move_item, clock, who, key, item_id, False)
        refusals.append(refused.value.reason)

    expected = [
        "1. Opening",
        "2. Verslag vorige vergadering",
        "3. Jaarplan",
        "4. Begroting",
        "5. Monitor",
        "6. Rondvraag",
    ]
    assert points(moved) == points(top) == points(bottom) == expected
    assert points(await cycle.run(agenda_draft, clock, COORDINATOR, key)) == expected
    assert refusals == [AgendaItemRefusal.NOT_COORDINATOR, AgendaItemRefusal.UNKNOWN_ITEM]


async def test_moves_at_the_same_moment_leave_a_clean_order(
    cycle: Database, clock: FixedClock
) -> None:
    items = await accepted(cycle, clock, *(f"Punt {n}" for n in range(1, 6)))
    key = items[0].meeting_key
    presses = [(item.id, up) for item in items for up in (True, False)]

    outcomes = await asyncio.gather(
        *(cycle.run(move_item, clock, COORDINATOR, key, item_id, up) for item_id, up in presses),
        return_exceptions=True,
    )

    async with cycle.transaction() as session:
        positions = list(
            await session.scalars(
                select(AgendaItemRow.position).where(AgendaItemRow.meeting_key == key)
            )
        )
    draft = await cycle.run(agenda_draft, clock, COORDINATOR, key)
    # A press may give up after its retries (Conflict), but never leaves the order broken.
    assert all(isinstance(o, AgendaDraft | Conflict) for o in outcomes)
    assert sorted(p or 0 for p in positions) == [1, 2, 3, 4, 5]  # none left without one
    assert sorted(item.id for item in draft.items) == sorted(item.id for item in items)


async def test_each_publication_keeps_what_it_held_and_the_next_says_what_changed(
    cycle: Database, clock: FixedClock
) -> None:
    first, second = await accepted(cycle, clock, "Jaarplan", "Monitor")
    key = first.meeting_key
    await cycle.run(publish_agenda, clock, COORDINATOR, key)
    [late] = await accepted(cycle, clock, "Begroting <2012>")
    await cycle.run(move_item, clock, COORDINATOR, key, second.id, True)
    preview = await cycle.run(agenda_draft, clock, COORDINATOR, key)

    with pytest.raises(AgendaChangedError):  # the preview shown before the move is stale
        await cycle.run(publish_agenda, clock, COORDINATOR, key, [first.id, second.id, late.id])
    await cycle.run(publish_agenda, clock, COORDINATOR, key, [i.id for i in preview.items])

    async with cycle.transaction() as session:
        stored = list(
            await session.scalars(
                select(AgendaPublicationRow.items).order_by(AgendaPublicationRow.version)
            )
        )
    assert stored == [
        [
            {"id": first.id, "title": "Jaarplan", "kind": "discussion", "number": 3},
            {"id": second.id, "title": "Monitor", "kind": "discussion", "number": 4},
        ],
        [
            {"id": second.id, "title": "Monitor", "kind": "discussion", "number": 3},
            {"id": first.id, "title": "Jaarplan", "kind": "discussion", "number": 4},
            {"id": late.id, "title": "Begroting <2012>", "kind": "discussion", "number": 5},
        ],
    ]
    [version_1, version_2] = await outbox_rows(cycle, AGENDA_KIND)
    assert version_1.text.startswith("<b>Agenda: Ambtelijk overleg</b>")
    assert "\n1. Opening\n2. Verslag vorige vergadering\n3. Jaarplan" in version_1.text
    assert version_1.text.endswith("– ter bespreking\n5. Rondvraag")
    assert version_2.text.startswith(
        "<b>Nieuwe versie van de agenda (versie 2)</b>. Gewijzigd ten opzichte van de vorige"
        " versie:\n• punt 5 toegevoegd: Begroting &lt;2012&gt;\n• volgorde gewijzigd\n\n"
        "<b>Agenda: Ambtelijk overleg</b>"
    )
    assert "\n3. Monitor <i>(Gemeente Gouda)</i> – ter bespreking\n" in version_2.text
    assert version_2.text.endswith("\n6. Rondvraag")


async def test_the_reminder_numbers_the_agenda_so_far_as_it_is_published(
    cycle: Database, clock: FixedClock
) -> None:
    await accepted(cycle, clock, "Jaarplan", "Monitor")
    clock.set(datetime.fromisoformat("2011-03-08T08:00:00+00:00"))  # the AO's reminder

    await cycle.run(queue_reminders, clock)

    [reminder] = [
        row
        for row in await outbox_rows(cycle, recipient=CONTACT)
        if row.text.startswith("<b>Herinnering: Ambtelijk overleg")
    ]
    assert "Agenda tot nu toe:</b>\n3. Jaarplan\n4. Monitor" in reminder.text


async def test_mijnpunten_lists_a_meetings_items_by_their_number_after_a_move(
    cycle: Database, clock: FixedClock
) -> None:
    """After the coordinator moves an item up, the submitter's list follows the agenda's
    numbers; items not on the agenda come after, in the order they were sent in."""
    first, second = await accepted(cycle, clock, "Jaarplan", "Monitor")
    waiting = await submitted(cycle, clock, "Begroting")
    await cycle.run(move_item, clock, COORDINATOR, first.meeting_key, second.id, True)

    mine = await cycle.run(my_items, clock, CONTACT)

    assert [(item.title, item.number) for item in mine] == [
        ("Monitor", 3),
        ("Jaarplan", 4),
        ("Begroting", None),
    ]
    assert waiting.id == mine[-1].id
