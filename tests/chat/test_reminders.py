"""Reminders that arrive: the real bot with its outbox job, on a fake clock, through the stand-in.

The clock is set to the moment a reminder is due, so the job (woken with no delay) sends it at
once: nothing waits for real time.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.standin import SentMessage, StandinServer
from planning.agenda_items.services import open_meetings, review, submit
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.plan.store import import_plan
from tests.support.chat import labels, run_bot
from tests.support.network import join
from tests.support.plans import example_with_pc_items, plan_of

FATIMA = 501
PIETER, CORA = 502, 900
# 09:00 in Amsterdam, fourteen days before the AO and the theme session of 18 January 2011.
TWO_WEEKS_BEFORE = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
# 09:00 in Amsterdam, two days before that AO.
TWO_DAYS_BEFORE = datetime(2011, 1, 16, 8, 0, tzinfo=UTC)


@pytest.fixture
async def contact_person(database: Database, clock: FixedClock, server: StandinServer) -> int:
    await database.run(import_example_plan, clock)
    server.add_user(FATIMA, "Fatima", "El Amrani")
    return await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")


async def _sent_at(
    moment: datetime, server: StandinServer, database: Database, user_id: int, count: int
) -> list[SentMessage]:
    """The bot started (or restarted) with its clock at ``moment``: the first ``count``
    messages it sends ``user_id``, once it has sent all that was due."""
    async with run_bot(server, database, FixedClock(moment)) as chat:
        sent = [await server.next_message(user_id) for _ in range(count)]
        await chat.sent_all()
    return sent


async def test_reminders_arrive_on_time_with_what_when_and_preparation(
    contact_person: int, server: StandinServer, database: Database
) -> None:
    first, second = await _sent_at(TWO_WEEKS_BEFORE, server, database, contact_person, 2)

    texts = sorted([first.text or "", second.text or ""])
    assert texts[0].startswith("Herinnering: Ambtelijk overleg\ndinsdag 18 januari 2011")
    assert "(over 14 dagen)" in texts[0]
    assert "Voorbereiding: Petit comité op dinsdag 4 januari 2011" in texts[0]
    assert texts[1].startswith("Herinnering: Themasessie\ndinsdag 18 januari 2011")
    assert "Thema: Vertaalslag monitor naar praktijk" in texts[1]


async def test_a_restart_loses_nothing_and_repeats_nothing(
    contact_person: int, server: StandinServer, database: Database
) -> None:
    await _sent_at(TWO_WEEKS_BEFORE, server, database, contact_person, 2)

    [latest] = await _sent_at(TWO_DAYS_BEFORE, server, database, contact_person, 1)

    assert (latest.text or "").startswith("Herinnering: Ambtelijk overleg")
    assert "(over 2 dagen)" in (latest.text or "")
    texts = [m.text or "" for m in server.messages(contact_person)]
    assert len(texts) == len(set(texts)) == 3


async def test_after_delivering_the_job_waits_for_the_next_reminder(
    contact_person: int, server: StandinServer, database: Database
) -> None:
    async with run_bot(server, database, FixedClock(TWO_WEEKS_BEFORE)) as chat:
        await server.next_message(contact_person)
        await server.next_message(contact_person)

        # The job sets its next wake as its last act: once the wake that sent them has ended.
        await chat.wakes.until(1)
        assert chat.application.job_queue is not None
        [job] = chat.application.job_queue.get_jobs_by_name("outbox")
        assert job.next_t is not None
        # Nothing else is due today: the next wake is the hourly look, not a busy loop.
        wait = job.next_t - datetime.now(UTC)
        assert wait.total_seconds() > 60 * 50


async def test_a_petit_comite_reminder_with_long_agendas_arrives_as_one_message_with_buttons(
    database: Database, clock: FixedClock, server: StandinServer
) -> None:
    # A petit comité that takes items itself: its reminder carries its own agenda so far and
    # the AO's items waiting for review, here both far longer than one message holds.
    await database.run(import_plan, clock, plan_of(example_with_pc_items()))
    server.add_user(PIETER, "Pieter", "de Vries")
    await join(database, clock, PIETER, "utrecht", "petit-comite")
    await join(database, clock, CORA, "coordinatie", role=Role.COORDINATOR)
    meetings = {
        m.entry.overleg: m.entry.key for m in await database.run(open_meetings, clock, CORA)
    }
    for number in range(1, 31):
        title = f"Punt {number:02d} " + "over de aanpak van schooluitval in de regio " * 4
        accepted = await database.run(submit, clock, CORA, meetings["pc"], title, None)
        await database.run(review, clock, CORA, accepted.id, accept=True)
        await database.run(submit, clock, CORA, meetings["ao"], title, None)

    # 09:00 in Amsterdam on 1 March, seven days before the petit comité of 8 March.
    [reminder] = await _sent_at(datetime(2011, 3, 1, 8, 0, tzinfo=UTC), server, database, PIETER, 1)

    assert (reminder.text or "").startswith("Herinnering: Petit comité\ndinsdag 8 maart 2011")
    assert "Agenda tot nu toe:\n1. Punt 01 " in (reminder.text or "")
    assert "Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 30 punten" in (
        reminder.text or ""
    )
    assert "U ontvangt de hele agenda zodra de coördinatoren die versturen." in (
        reminder.text or ""
    )
    assert "De volledige lijst kunt u opvragen bij de coördinatoren." in (reminder.text or "")
    assert labels(reminder) == [
        "Zet in agenda",
        "Ik kan niet",
        "Stop voor dit overleg",
    ]
    assert len(server.messages(PIETER)) == 1
