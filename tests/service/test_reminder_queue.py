"""The schedule turned into outbox messages: per member, once, withdrawn when a meeting moves."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from berichten.outbox.tables import OutboxStatus
from berichten.reminders import queue as reminder_queue
from berichten.reminders.queue import queue_reminders
from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.reminders import reminder_text
from planning.agenda_items.services import open_meetings, review, submit
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan
from tests.support.network import join
from tests.support.outbox import deliver, outbox_rows
from tests.support.plans import example_with_pc_items, plan_of


async def test_each_member_of_the_audience_gets_one_message_per_reminder(
    planned: Database, clock: FixedClock
) -> None:
    await join(planned, clock, 501, "gouda", "contactpersonen")
    await join(planned, clock, 502, "gouda", "petit-comite")

    report = await planned.run(queue_reminders, clock)
    again = await planned.run(queue_reminders, clock)

    assert again.queued == 0 and report.queued > 0
    rows = await outbox_rows(planned)
    ao = [r for r in rows if r.recipient == 501 and "Ambtelijk overleg" in r.text]
    assert [(r.due_at, r.status) for r in ao] == [
        (datetime(2011, 1, 4, 8, 0, tzinfo=UTC), OutboxStatus.PENDING)
    ]
    assert "dinsdag 18 januari 2011 (over 14 dagen)" in ao[0].text
    assert "Voorbereiding: Petit comité op dinsdag 4 januari 2011" in ao[0].text
    assert not [r for r in rows if r.recipient == 502 and "Ambtelijk overleg" in r.text]


async def test_a_moved_meeting_withdraws_its_pending_reminders(
    planned: Database, clock: FixedClock
) -> None:
    await join(planned, clock, 501, "gouda", "contactpersonen")
    clock.set(datetime(2011, 1, 3, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)

    moved = example_plan_text().replace("[2011-01-18, 2011-03-22", "[2011-01-25, 2011-03-22")
    await planned.run(import_plan, clock, plan_of(moved))
    report = await planned.run(queue_reminders, clock)

    assert report.withdrawn >= 1
    old = [
        r
        for r in await outbox_rows(planned)
        if "Ambtelijk overleg" in r.text and "dinsdag 18 januari 2011" in r.text
    ]
    assert old and {(r.status, r.last_error) for r in old} == {
        (OutboxStatus.SKIPPED, "withdrawn: no longer in the schedule")
    }


async def test_reminders_missed_while_down_expire_when_their_day_is_over(
    planned: Database, clock: FixedClock
) -> None:
    await join(planned, clock, 501, "gouda", "petit-comite")
    clock.set(datetime(2011, 1, 2, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)
    clock.set(datetime(2011, 1, 5, 9, 0, tzinfo=UTC))  # down until after the petit comité's day

    await planned.run(queue_reminders, clock)

    [pc] = [r for r in await outbox_rows(planned) if "Petit comité" in r.text]
    assert pc.due_at == datetime(2011, 1, 3, 8, 0, tzinfo=UTC)  # the day before, 09:00
    assert pc.expires_at == datetime(2011, 1, 4, 23, 0, tzinfo=UTC)  # the end of its day
    assert pc.expires_at <= clock.now() - timedelta(hours=1)


async def test_someone_who_joins_later_gets_no_old_reminders(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(queue_reminders, clock)  # 4 January 09:00: the AO's two-week reminders
    clock.set(datetime(2011, 1, 10, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)

    await join(planned, clock, 501, "gouda", "contactpersonen")
    await planned.run(queue_reminders, clock)

    assert [r for r in await outbox_rows(planned) if r.recipient == 501] == []


async def test_a_reminder_queued_late_counts_the_days_from_now(
    planned: Database, clock: FixedClock
) -> None:
    await join(planned, clock, 504, "gouda", "kenniswerkgroep")
    clock.set(datetime(2010, 12, 29, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)
    # The seven-days reminder of the 6 January KWG was due on 30 December; the bot was down.
    clock.set(datetime(2011, 1, 4, 12, 0, tzinfo=UTC))

    await planned.run(queue_reminders, clock)

    [late] = [r for r in await outbox_rows(planned) if r.recipient == 504 and "|7|" in r.key]
    assert "donderdag 6 januari 2011 (over 2 dagen)" in late.text


# ------------------------------------------------ a reminder with long agenda sections


async def test_a_reminder_with_two_long_agenda_sections_stays_one_message_that_fits(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_plan, clock, plan_of(example_with_pc_items()))
    await join(database, clock, 502, "gouda", "petit-comite")
    await join(
        database, clock, 900, "coordinatie", "petit-comite", role=Role.COORDINATOR, name="Cora"
    )
    meetings = {m.entry.overleg: m.entry.key for m in await database.run(open_meetings, clock, 900)}
    for number in range(1, 31):
        title = f"Punt {number:02d} " + "over de aanpak van schooluitval in de regio " * 4
        accepted = await database.run(submit, clock, 900, meetings["pc"], title, None)
        await database.run(review, clock, 900, accepted.id, accept=True)
        await database.run(submit, clock, 900, meetings["ao"], title, None)

    # The petit comité of 8 March is reminded on 1 March at 09:00; the bot was down until noon.
    clock.set(datetime(2011, 2, 27, 12, 0, tzinfo=UTC))
    await database.run(queue_reminders, clock)
    clock.set(datetime(2011, 3, 1, 11, 0, tzinfo=UTC))
    await database.run(queue_reminders, clock)
    sent = await deliver(database, clock)
    sent = [(who, text) for who, text in sent if "Herinnering: Petit comité" in text]

    # One message each (with its buttons), not one per part.
    assert Counter(who for who, _ in sent) == {502: 1, 900: 1}
    [member] = [text for who, text in sent if who == 502]
    [coordinator] = [text for who, text in sent if who == 900]
    for text in (member, coordinator):
        assert telegram_length(text) <= TEXT_LIMIT
        assert "komt later dan gepland" in text
        assert "<b>Agenda tot nu toe:</b>\n1. Punt 01 " in text
        assert (
            "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 30 punten" in text
        )
    shown = member.count("\n• Punt ")
    assert 0 < shown < 30
    assert (
        f"… en nog {30 - shown} punten. De volledige lijst kunt u opvragen bij de coördinatoren."
        in member
    )
    assert "… en nog " in coordinator and "Alle punten ziet u met /punten." in coordinator
    assert "De hele agenda ziet u met /publiceer" in coordinator
    assert "U ontvangt de hele agenda zodra de coördinatoren die versturen." in member


async def test_a_reminder_text_is_rendered_once_for_members_who_read_the_same(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for user_id in (501, 502, 503):
        await join(planned, clock, user_id, "gouda", "contactpersonen")
    rendered: list[str] = []

    def counting(*args: Any, **kwargs: Any) -> str:
        text = reminder_text(*args, **kwargs)
        rendered.append(text)
        return text

    monkeypatch.setattr(reminder_queue, "reminder_text", counting)

    await planned.run(queue_reminders, clock)

    rows = [r for r in await outbox_rows(planned) if r.kind == "meeting"]
    by_key: dict[str, set[str]] = {}
    for row in rows:
        by_key.setdefault(row.key.rsplit("|", 1)[0], set()).add(row.text)
    assert len(rows) == 3 * len(by_key)  # each reminder reaches all three members
    assert all(len(texts) == 1 for texts in by_key.values())  # with the same text
    assert len(rendered) == len(by_key)  # rendered once, not once per member
