"""The coordinators' monthly overview of the products: on the first working day, with what
slipped and what is done, kept up to date while pending, and split when long."""

from __future__ import annotations

from datetime import UTC, datetime

from berichten.milestones import queue_deadline_messages
from planning.clock import FixedClock
from planning.db import Database
from planning.milestones.services import mark_done
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan
from tests.support.milestones import COORDINATOR, milestone_uid
from tests.support.outbox import outbox_rows
from tests.support.plans import plan_of


async def test_the_monthly_overview_comes_on_the_first_working_day(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 3, 1, 8, 0, tzinfo=UTC))  # Tuesday 1 March, 09:00
    await planned.run(queue_deadline_messages, clock)

    [march] = await outbox_rows(planned, "overview")
    assert march.key == f"overview|2011-03|{COORDINATOR}"
    assert march.due_at == datetime(2011, 3, 1, 8, 0, tzinfo=UTC)
    assert march.text.splitlines()[:7] == [
        "<b>Stand van de producten, begin maart 2011</b>",
        "",
        "<b>Over tijd (0)</b>",
        "Geen.",
        "",
        "<b>Deze maand (1)</b>",
        "• Jaarplan 2011: Jaarplan vastgesteld (Coördinatie Samenwerkingsverband, gemeente "
        "Utrecht), uiterlijk donderdag 31 maart 2011",
    ]
    assert "Mijlpalen die later volgen: 8." in march.text


async def test_the_overview_of_may_waits_for_monday_and_shows_what_slipped_and_what_is_done(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(
        mark_done,
        clock,
        await milestone_uid(planned, "Jaarplan 2011", "Jaarplan vastgesteld"),
        COORDINATOR,
    )
    clock.set(datetime(2011, 5, 1, 7, 0, tzinfo=UTC))  # Sunday 1 May
    await planned.run(queue_deadline_messages, clock)
    assert await outbox_rows(planned, "overview") == []

    clock.set(datetime(2011, 5, 2, 7, 0, tzinfo=UTC))  # Monday 2 May
    await planned.run(queue_deadline_messages, clock)

    [may] = await outbox_rows(planned, "overview")
    assert may.key == f"overview|2011-05|{COORDINATOR}"
    text = may.text
    assert "<b>Over tijd (1)</b>\n• Communicatieplan: Communicatieplan gereed" in text
    assert "uiterlijk zaterdag 30 april 2011, 1 werkdag over tijd" in text
    assert "<b>Deze maand (2)</b>" in text
    assert "• Monitor 2011 (over 2010): Start (Ministerie van Binnenlandse Zaken" in text
    assert "<b>Klaar (1)</b>\n• Jaarplan 2011: Jaarplan vastgesteld" in text


async def test_a_pending_overview_follows_a_milestone_marked_done(
    planned: Database, clock: FixedClock
) -> None:
    clock.set(datetime(2011, 5, 2, 6, 0, tzinfo=UTC))  # queued an hour ahead
    await planned.run(queue_deadline_messages, clock)
    uid = await milestone_uid(planned, "Communicatieplan", "Communicatieplan gereed")
    await planned.run(mark_done, clock, uid, COORDINATOR)

    report = await planned.run(queue_deadline_messages, clock)

    [may] = await outbox_rows(planned, "overview")
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
    longer = example_plan_text().replace("producten:\n", "producten:\n" + extra)
    await planned.run(import_plan, clock, plan_of(longer))
    clock.set(datetime(2011, 3, 1, 8, 0, tzinfo=UTC))

    await planned.run(queue_deadline_messages, clock)

    parts = await outbox_rows(planned, "overview")
    assert len(parts) > 1
    assert parts[0].key == f"overview|2011-03|{COORDINATOR}"
    assert [r.key for r in parts[1:]] == [
        f"overview|2011-03|{COORDINATOR}|{n}" for n in range(2, len(parts) + 1)
    ]
    assert all(len(r.text) <= 4096 for r in parts)
    assert sum(r.text.count("• Deelproduct") for r in parts) == 120
