"""The schedule turned into outbox messages: per member, once, withdrawn when a meeting moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from berichten.outbox.delivery import (
    deliver_due,
)
from berichten.outbox.pacing import (
    Pacer,
)
from berichten.outbox.store import Buttons
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from berichten.reminders import queue as reminder_queue
from berichten.reminders.queue import queue_reminders
from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.reminders import reminder_text
from planning.agenda_items.services import open_meetings, review, submit
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.example import example_plan_text, import_example_plan
from planning.plan.store import import_plan


async def _member(db: Database, clock: FixedClock, user_id: int, *groups: str) -> None:
    [invite] = await db.run(
        create_invites, clock, role=Role.LID, organisation_code="gouda", group_codes=groups
    )
    await db.run(
        redeem_invite, clock, code=invite.code, telegram_user_id=user_id, name="x", username=None
    )


async def _outbox(db: Database) -> list[OutboxMessageRow]:
    async with db.transaction() as session:
        return list(await session.scalars(select(OutboxMessageRow).order_by(OutboxMessageRow.id)))


async def test_each_member_of_the_audience_gets_one_message_per_reminder(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_example_plan, clock)
    await _member(database, clock, 501, "contactpersonen")
    await _member(database, clock, 502, "petit-comite")

    report = await database.run(queue_reminders, clock)
    again = await database.run(queue_reminders, clock)

    assert again.queued == 0 and report.queued > 0
    rows = await _outbox(database)
    ao = [r for r in rows if r.recipient == 501 and "Ambtelijk overleg" in r.text]
    assert [(r.due_at, r.status) for r in ao] == [
        (datetime(2011, 1, 4, 8, 0, tzinfo=UTC), OutboxStatus.PENDING)
    ]
    assert "dinsdag 18 januari 2011 (over 14 dagen)" in ao[0].text
    assert "Voorbereiding: Petit comité op dinsdag 4 januari 2011" in ao[0].text
    assert not [r for r in rows if r.recipient == 502 and "Ambtelijk overleg" in r.text]


async def test_a_moved_meeting_withdraws_its_pending_reminders(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_example_plan, clock)
    await _member(database, clock, 501, "contactpersonen")
    clock.set(datetime(2011, 1, 3, 12, 0, tzinfo=UTC))
    await database.run(queue_reminders, clock)

    moved = example_plan_text().replace("[2011-01-18, 2011-03-22", "[2011-01-25, 2011-03-22")
    checked = check_plan(moved, "jaarplan.yaml")
    assert checked.plan is not None
    await database.run(import_plan, clock, to_plan(checked.plan))
    report = await database.run(queue_reminders, clock)

    assert report.withdrawn >= 1
    old = [
        r
        for r in await _outbox(database)
        if "Ambtelijk overleg" in r.text and "dinsdag 18 januari 2011" in r.text
    ]
    assert old and {(r.status, r.last_error) for r in old} == {
        (OutboxStatus.SKIPPED, "withdrawn: no longer in the schedule")
    }


async def test_reminders_missed_while_down_expire_when_their_day_is_over(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_example_plan, clock)
    await _member(database, clock, 501, "petit-comite")
    clock.set(datetime(2011, 1, 2, 12, 0, tzinfo=UTC))
    await database.run(queue_reminders, clock)
    clock.set(datetime(2011, 1, 5, 9, 0, tzinfo=UTC))  # down until after the petit comité's day

    await database.run(queue_reminders, clock)

    [pc] = [r for r in await _outbox(database) if "Petit comité" in r.text]
    assert pc.due_at == datetime(2011, 1, 3, 8, 0, tzinfo=UTC)  # the day before, 09:00
    assert pc.expires_at == datetime(2011, 1, 4, 23, 0, tzinfo=UTC)  # the end of its day
    assert pc.expires_at <= clock.now() - timedelta(hours=1)


async def test_someone_who_joins_later_gets_no_old_reminders(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_example_plan, clock)
    await database.run(queue_reminders, clock)  # 4 January 09:00: the AO's two-week reminders
    clock.set(datetime(2011, 1, 10, 12, 0, tzinfo=UTC))
    await database.run(queue_reminders, clock)

    await _member(database, clock, 501, "contactpersonen")
    await database.run(queue_reminders, clock)

    assert [r for r in await _outbox(database) if r.recipient == 501] == []


async def test_a_reminder_queued_late_counts_the_days_from_now(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_example_plan, clock)
    await _member(database, clock, 504, "kenniswerkgroep")
    clock.set(datetime(2010, 12, 29, 12, 0, tzinfo=UTC))
    await database.run(queue_reminders, clock)
    # The seven-days reminder of the 6 January KWG was due on 30 December; the bot was down.
    clock.set(datetime(2011, 1, 4, 12, 0, tzinfo=UTC))

    await database.run(queue_reminders, clock)

    [late] = [r for r in await _outbox(database) if r.recipient == 504 and "|7|" in r.key]
    assert "donderdag 6 januari 2011 (over 2 dagen)" in late.text


# ------------------------------------------------ a reminder with long agenda sections


@dataclass
class _Sender:
    """A :class:`berichten.outbox.delivery.Sender` that keeps what it was asked to send."""

    sent: list[tuple[int, str]] = field(default_factory=list)

    async def send(self, chat_id: int, text: str, buttons: Buttons | None) -> int:
        self.sent.append((chat_id, text))
        return len(self.sent)


async def _pc_takes_items(db: Database, clock: FixedClock) -> None:
    """The example plan, with a petit comité that takes agenda items itself: its reminder
    carries its own agenda so far and the AO's items waiting for review."""
    text = example_plan_text().replace(
        "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n",
        "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n    agendapunten: ja\n",
    )
    checked = check_plan(text, "jaarplan.yaml")
    assert checked.plan is not None
    await db.run(import_plan, clock, to_plan(checked.plan))


async def test_a_reminder_with_two_long_agenda_sections_stays_one_message_that_fits(
    database: Database, clock: FixedClock
) -> None:
    await _pc_takes_items(database, clock)
    await _member(database, clock, 502, "petit-comite")
    [invite] = await database.run(
        create_invites,
        clock,
        role=Role.COORDINATOR,
        organisation_code="coordinatie",
        group_codes=("petit-comite",),
    )
    await database.run(
        redeem_invite, clock, code=invite.code, telegram_user_id=900, name="Cora", username=None
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
    sender = _Sender()
    await deliver_due(database, clock, sender, Pacer(per_second=1000, chat_interval=0))

    texts = {who: text for who, text in sender.sent if "Herinnering: Petit comité" in text}
    assert set(texts) == {502, 900}  # one message each, with its buttons
    member, coordinator = texts[502], texts[900]
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
    database: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await database.run(import_example_plan, clock)
    for user_id in (501, 502, 503):
        await _member(database, clock, user_id, "contactpersonen")
    rendered: list[str] = []

    def counting(*args: Any, **kwargs: Any) -> str:
        text = reminder_text(*args, **kwargs)
        rendered.append(text)
        return text

    monkeypatch.setattr(reminder_queue, "reminder_text", counting)

    await database.run(queue_reminders, clock)

    rows = [r for r in await _outbox(database) if r.kind == "meeting"]
    by_key: dict[str, set[str]] = {}
    for row in rows:
        by_key.setdefault(row.key.rsplit("|", 1)[0], set()).add(row.text)
    assert len(rows) == 3 * len(by_key)  # each reminder reaches all three members
    assert all(len(texts) == 1 for texts in by_key.values())  # with the same text
    assert len(rendered) == len(by_key)  # rendered once, not once per member
