"""Member preferences change what the reminder queue queues; digests; "Ik kan niet" once."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.absences import tell_trekker
from berichten.outbox.tables import OutboxStatus
from berichten.reminders.queue import queue_reminders
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning.absences.services import AbsenceOutcome, AbsenceReport
from planning.agenda_items.services import open_meetings, review, submit
from planning.calendar.reminders import Reminder
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.preferences.rules import PauseError, Preferences, reminder_moment
from planning.preferences.services import (
    lift_pause,
    pause_until,
    set_digest,
    set_hour,
    set_muted,
)
from tests.support.network import join
from tests.support.outbox import outbox_rows, pending_firsts
from tests.support.plans import AMSTERDAM

FATIMA, ANNE, OTHER = 501, 9000, 9001  # a contact person, two coordinators
MONDAY = datetime(2011, 1, 3, 12, 0, tzinfo=UTC)  # the AO reminder is due 4 January, 09:00
AMSTERDAM_NINE = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
AO = "<b>Herinnering: Ambtelijk overleg</b>"
TS = "<b>Herinnering: Themasessie</b>"


async def _pending_titles(db: Database) -> list[str]:
    """The first line of each message pending for Fatima, sorted: twice if queued twice."""
    return [title for title, _ in await pending_firsts(db, FATIMA)]


async def _coordinator(db: Database, clock: FixedClock, user_id: int, *groups: str) -> int:
    """A coordinator of the coordination team."""
    return await join(db, clock, user_id, "coordinatie", *groups, role=Role.COORDINATOR)


async def _fatimas_ao(db: Database, clock: FixedClock) -> str:
    """Queue the reminders; the key of the AO Fatima is reminded of."""
    await db.run(queue_reminders, clock)
    [ao] = [row for row in await outbox_rows(db, recipient=FATIMA) if row.text.startswith(AO)]
    return ao.key.split("|")[0]


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    clock.set(MONDAY)
    return database


async def test_meeting_reminders_carry_the_three_buttons(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(queue_reminders, clock)

    [ao] = [row for row in await outbox_rows(planned, recipient=FATIMA) if row.text.startswith(AO)]
    assert ao.buttons is not None
    assert '"Zet in agenda", "r:a:' in ao.buttons
    assert '"Stop voor dit overleg", "r:m:ao"' in ao.buttons
    assert '"Ik kan niet", "r:x:' in ao.buttons


async def test_a_muted_overleg_is_withdrawn_and_comes_back_when_unmuted(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(queue_reminders, clock)
    assert await _pending_titles(planned) == [AO, TS]

    await planned.run(set_muted, clock, FATIMA, "ao", True)
    report = await planned.run(queue_reminders, clock)
    assert report.withdrawn == 1 and await _pending_titles(planned) == [TS]

    await planned.run(set_muted, clock, FATIMA, "ao", False)
    await planned.run(queue_reminders, clock)
    assert await pending_firsts(planned, FATIMA) == [(AO, AMSTERDAM_NINE), (TS, AMSTERDAM_NINE)]


async def test_the_chosen_hour_replaces_the_time_and_moves_queued_reminders(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(queue_reminders, clock)
    await planned.run(set_hour, clock, FATIMA, 14)
    await planned.run(queue_reminders, clock)

    two_pm = datetime(2011, 1, 4, 13, 0, tzinfo=UTC)  # 14:00 in Amsterdam
    assert await pending_firsts(planned, FATIMA) == [(AO, two_pm), (TS, two_pm)]
    rows = await outbox_rows(planned, recipient=FATIMA)
    assert all(row.next_attempt_at == two_pm for row in rows)


def test_an_hour_after_the_meeting_begins_keeps_the_rules_moment() -> None:
    zone_nine = datetime(2011, 1, 18, 8, 0, tzinfo=UTC)
    reminder = Reminder(
        at=zone_nine,
        kind="meeting",
        entry_key="k",
        overleg="ao",
        event_date=date(2011, 1, 18),
        days_before=0,
        audience="deelnemers",
        audience_groups=("contactpersonen",),
        audience_organisation=None,
        key="k|meeting|2011-01-18|0|deelnemers",
    )
    zone = AMSTERDAM
    start = datetime.combine(date(2011, 1, 18), time(10), tzinfo=zone)
    assert reminder_moment(Preferences(hour=20), reminder, start, zone) == zone_nine
    assert reminder_moment(Preferences(hour=7), reminder, start, zone) == datetime(
        2011, 1, 18, 6, 0, tzinfo=UTC
    )
    assert reminder_moment(Preferences(muted=frozenset({"ao"})), reminder, start, zone) is None
    assert reminder_moment(Preferences(digest=True), reminder, start, zone) is None


async def test_a_pause_skips_reminders_for_good_and_lifting_it_brings_back_future_ones(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(queue_reminders, clock)
    await planned.run(pause_until, clock, FATIMA, date(2011, 1, 10))
    await planned.run(queue_reminders, clock)
    assert await _pending_titles(planned) == []

    await planned.run(lift_pause, clock, FATIMA)
    await planned.run(queue_reminders, clock)
    assert await _pending_titles(planned) == [AO, TS]

    # Paused again until the 5th; on the 5th the reminders of the 4th are not sent late.
    await planned.run(pause_until, clock, FATIMA, date(2011, 1, 5))
    await planned.run(queue_reminders, clock)
    clock.set(datetime(2011, 1, 5, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)
    assert await _pending_titles(planned) == []


async def test_a_pause_must_end_after_today_and_within_a_year(
    planned: Database, clock: FixedClock
) -> None:
    with pytest.raises(PauseError):
        await planned.run(pause_until, clock, FATIMA, date(2011, 1, 3))
    with pytest.raises(PauseError):
        await planned.run(pause_until, clock, FATIMA, date(2012, 6, 1))


async def test_the_digest_replaces_single_reminders_with_one_monday_message(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(set_digest, clock, FATIMA, True)
    await planned.run(set_muted, clock, FATIMA, "kwg", True)  # not hers anyway: no effect
    clock.set(datetime(2011, 1, 15, 12, 0, tzinfo=UTC))  # Saturday: Monday is in the window
    await planned.run(queue_reminders, clock)

    rows = [
        row
        for row in await outbox_rows(planned, recipient=FATIMA)
        if row.status == OutboxStatus.PENDING
    ]
    assert [row.kind for row in rows] == ["digest"]
    [digest] = rows
    assert digest.key == f"digest|2011-W03|{FATIMA}"
    assert digest.due_at == datetime(2011, 1, 17, 7, 0, tzinfo=UTC)  # 08:00 in Amsterdam
    assert digest.text.startswith(
        "<b>Uw weekoverzicht, week 3</b> (17 januari t/m 23 januari 2011)"
    )
    assert "• dinsdag 18 januari 2011" in digest.text
    assert ": Ambtelijk overleg" in digest.text and ": Themasessie" in digest.text
    assert "Kenniswerkgroep" not in digest.text


async def test_the_digest_leaves_out_muted_overleggen_and_follows_the_hour(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(set_digest, clock, FATIMA, True)
    await planned.run(set_muted, clock, FATIMA, "ts", True)
    await planned.run(set_hour, clock, FATIMA, 10)
    clock.set(datetime(2011, 1, 15, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)

    [digest] = await outbox_rows(planned, "digest", FATIMA)
    assert digest.due_at == datetime(2011, 1, 17, 9, 0, tzinfo=UTC)
    assert "Ambtelijk overleg" in digest.text and "Themasessie" not in digest.text


async def test_switching_the_digest_off_withdraws_it(planned: Database, clock: FixedClock) -> None:
    await planned.run(set_digest, clock, FATIMA, True)
    clock.set(datetime(2011, 1, 15, 12, 0, tzinfo=UTC))
    await planned.run(queue_reminders, clock)
    await planned.run(set_digest, clock, FATIMA, False)
    await planned.run(queue_reminders, clock)

    [digest] = await outbox_rows(planned, "digest", FATIMA)
    assert digest.status == OutboxStatus.SKIPPED
    assert (await _pending_titles(planned)).count(AO) == 1  # 16 January, two days before the AO


async def test_i_cannot_come_tells_the_trekker_side_once(
    planned: Database, clock: FixedClock
) -> None:
    await _coordinator(planned, clock, ANNE)
    key = await _fatimas_ao(planned, clock)

    first = await planned.run(tell_trekker, clock, FATIMA, key)
    second = await planned.run(tell_trekker, clock, FATIMA, key)

    assert first.outcome is AbsenceOutcome.REPORTED and first.tell == (ANNE,)
    assert first.told_trekker and not first.told_coordinators  # Anne is of the trekker
    assert second.outcome is AbsenceOutcome.ALREADY
    [note] = await outbox_rows(planned, "absence", ANNE)
    assert note.text == (
        "Fatima (Gemeente Gouda) kan niet bij Ambtelijk overleg op dinsdag 18 januari 2011."
    )


async def test_the_only_one_on_the_trekkers_side_is_not_told_that_anyone_heard(
    planned: Database, clock: FixedClock
) -> None:
    """Anne is the only coordinator, and of the coordination team that runs the AO: when she
    cannot come herself, nobody else is there to tell, and the report says so."""
    await _coordinator(planned, clock, ANNE)
    key = await _fatimas_ao(planned, clock)

    report = await planned.run(tell_trekker, clock, ANNE, key)

    assert report.outcome is AbsenceOutcome.REPORTED and report.tell == ()
    assert not report.told_trekker and not report.told_coordinators
    assert await outbox_rows(planned, "absence") == []


async def test_i_cannot_come_for_an_unknown_meeting_tells_nobody(
    planned: Database, clock: FixedClock
) -> None:
    report = await planned.run(tell_trekker, clock, FATIMA, "no-such-meeting")
    assert report.outcome is AbsenceOutcome.GONE and report.tell == ()


async def test_a_crash_before_the_commit_stores_neither_the_absence_nor_its_notes(
    planned: Database, clock: FixedClock
) -> None:
    await _coordinator(planned, clock, ANNE)
    key = await _fatimas_ao(planned, clock)

    async def press_then_crash(session: AsyncSession) -> None:
        await tell_trekker(session, clock, FATIMA, key)
        raise RuntimeError("the bot was killed before the commit")

    with pytest.raises(RuntimeError):
        await planned.run(press_then_crash)
    assert await outbox_rows(planned, "absence", ANNE) == []

    again = await planned.run(tell_trekker, clock, FATIMA, key)

    assert again.outcome is AbsenceOutcome.REPORTED and again.tell == (ANNE,)
    [note] = await outbox_rows(planned, "absence", ANNE)
    assert note.status == OutboxStatus.PENDING and note.text.startswith("Fatima (Gemeente Gouda)")


async def test_a_second_press_does_not_tell_a_coordinator_who_came_after_the_first(
    planned: Database, clock: FixedClock
) -> None:
    await _coordinator(planned, clock, ANNE)
    key = await _fatimas_ao(planned, clock)
    await planned.run(tell_trekker, clock, FATIMA, key)
    newcomer = await _coordinator(planned, clock, OTHER)

    again = await planned.run(tell_trekker, clock, FATIMA, key)

    assert again.outcome is AbsenceOutcome.ALREADY and again.tell == ()
    assert await outbox_rows(planned, "absence", newcomer) == []


async def _cannot_come_while_paused(
    db: Database, clock: FixedClock, paused: dict[int, date]
) -> AbsenceReport:
    """Anne and :data:`OTHER` coordinators, those in ``paused`` on holiday until their day:
    Fatima presses "Ik kan niet" under her AO reminder."""
    for coordinator in (ANNE, OTHER):
        await _coordinator(db, clock, coordinator)
    for who, until in paused.items():
        await db.run(pause_until, clock, who, until)
    return await db.run(tell_trekker, clock, FATIMA, await _fatimas_ao(db, clock))


async def test_i_cannot_come_leaves_out_a_paused_coordinator(
    planned: Database, clock: FixedClock
) -> None:
    report = await _cannot_come_while_paused(planned, clock, {ANNE: date(2011, 1, 24)})

    assert report.tell == (OTHER,)
    assert await outbox_rows(planned, "absence", ANNE) == []
    assert len(await outbox_rows(planned, "absence", OTHER)) == 1


async def test_i_cannot_come_reaches_the_coordinators_when_the_whole_trekker_side_is_paused(
    planned: Database, clock: FixedClock
) -> None:
    paused = {ANNE: date(2011, 1, 24), OTHER: date(2011, 1, 10)}

    report = await _cannot_come_while_paused(planned, clock, paused)

    assert report.tell == (ANNE, OTHER)


async def test_the_digest_carries_the_agenda_so_far_within_one_message(
    planned: Database, clock: FixedClock
) -> None:
    await _coordinator(planned, clock, ANNE, "petit-comite")
    clock.set(datetime(2011, 1, 5, 12, 0, tzinfo=UTC))
    [ao] = await planned.run(open_meetings, clock, FATIMA)  # 22 March, open until 8 March
    for number in range(1, 41):
        title = f"Punt {number:02d} " + "over de aanpak van schooluitval in de regio " * 4
        item = await planned.run(submit, clock, FATIMA, ao.entry.key, title, None)
        if number <= 30:
            await planned.run(review, clock, ANNE, item.id, accept=True)
    await planned.run(set_digest, clock, FATIMA, True)
    await planned.run(set_digest, clock, ANNE, True)

    clock.set(datetime(2011, 3, 6, 12, 0, tzinfo=UTC))  # the week of the petit comité
    await planned.run(queue_reminders, clock)
    clock.set(datetime(2011, 3, 20, 12, 0, tzinfo=UTC))  # the week of the AO
    await planned.run(queue_reminders, clock)

    [petit] = [
        r for r in await outbox_rows(planned, recipient=ANNE) if r.key.startswith("digest|2011-W10")
    ]
    assert telegram_length(petit.text) <= TEXT_LIMIT
    assert (
        "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 10 punten</b>\n"
        "• Punt 31 "
    ) in petit.text
    [week] = [
        row
        for row in await outbox_rows(planned, recipient=FATIMA)
        if row.key.startswith("digest|2011-W12")
    ]
    assert telegram_length(week.text) <= TEXT_LIMIT
    assert "Ambtelijk overleg\n\n<b>Agenda tot nu toe:</b>\n1. Punt 01 " in week.text
    more = "… en nog 11 punten. U ontvangt de hele agenda zodra de coördinatoren die versturen."
    assert more in week.text
    # The theme session of the same day (before or after the AO) stands apart from the list.
    assert "versturen.\n•" not in week.text and ": Themasessie" in week.text
