"""Reminders that arrive: the real bot with its outbox job, on a fake clock, through the stand-in.

The clock is set to the moment a reminder is due, so the job (woken with no delay) sends it at
once: nothing waits for real time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest

from bot.app import OverlegApplication, build_application, polling
from bot.sandbox import standin_settings
from bot.standin import StandinServer
from planning.agenda_items.services import open_meetings, review, submit
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.example import example_plan_text, import_example_plan
from planning.plan.store import import_plan

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
    [invite] = await database.run(
        create_invites,
        clock,
        role=Role.LID,
        organisation_code="gouda",
        group_codes=["contactpersonen"],
    )
    await database.run(
        redeem_invite,
        clock,
        code=invite.code,
        telegram_user_id=FATIMA,
        name="Fatima",
        username=None,
    )
    return FATIMA


@asynccontextmanager
async def bot_at(
    moment: datetime, server: StandinServer, database: Database
) -> AsyncIterator[OverlegApplication]:
    """The bot, started (or restarted) with its clock at ``moment``."""
    settings = standin_settings(server, database, admins=set())
    application = build_application(settings, database, FixedClock(moment))
    async with polling(application, poll_timeout=1):
        yield application


async def test_reminders_arrive_on_time_with_what_when_and_preparation(
    contact_person: int, server: StandinServer, database: Database
) -> None:
    async with bot_at(TWO_WEEKS_BEFORE, server, database):
        first = await server.next_message(contact_person)
        second = await server.next_message(contact_person)

    texts = sorted([first.text or "", second.text or ""])
    assert texts[0].startswith("Herinnering: Ambtelijk overleg\ndinsdag 18 januari 2011")
    assert "(over 14 dagen)" in texts[0]
    assert "Voorbereiding: Petit comité op dinsdag 4 januari 2011" in texts[0]
    assert texts[1].startswith("Herinnering: Themasessie\ndinsdag 18 januari 2011")
    assert "Thema: Vertaalslag monitor naar praktijk" in texts[1]


async def test_a_restart_loses_nothing_and_repeats_nothing(
    contact_person: int, server: StandinServer, database: Database
) -> None:
    async with bot_at(TWO_WEEKS_BEFORE, server, database):
        await server.next_message(contact_person)
        await server.next_message(contact_person)

    async with bot_at(TWO_DAYS_BEFORE, server, database):
        latest = await server.next_message(contact_person)

    assert (latest.text or "").startswith("Herinnering: Ambtelijk overleg")
    assert "(over 2 dagen)" in (latest.text or "")
    texts = [m.text or "" for m in server.messages(contact_person)]
    assert len(texts) == len(set(texts)) == 3


async def test_after_delivering_the_job_waits_for_the_next_reminder(
    contact_person: int, server: StandinServer, database: Database
) -> None:
    async with bot_at(TWO_WEEKS_BEFORE, server, database) as application:
        await server.next_message(contact_person)
        await server.next_message(contact_person)
        assert application.job_queue is not None

        async def rescheduled() -> bool:
            jobs = application.job_queue.get_jobs_by_name("outbox")  # type: ignore[union-attr]
            return len(jobs) == 1 and jobs[0].next_t is not None

        # The job sets its next wake as its last act; give the event loop a moment to get there.
        for _ in range(200):
            if await rescheduled():
                break
            await asyncio.sleep(0.01)
        [job] = application.job_queue.get_jobs_by_name("outbox")
        assert job.next_t is not None
        # Nothing else is due today: the next wake is the hourly look, not a busy loop.
        wait = job.next_t - datetime.now(UTC)
        assert wait.total_seconds() > 60 * 50


async def test_a_petit_comite_reminder_with_long_agendas_arrives_as_one_message_with_buttons(
    database: Database, clock: FixedClock, server: StandinServer
) -> None:
    # A petit comité that takes items itself: its reminder carries its own agenda so far and
    # the AO's items waiting for review, here both far longer than one message holds.
    text = example_plan_text().replace(
        "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n",
        "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n    agendapunten: ja\n",
    )
    checked = check_plan(text, "jaarplan.yaml")
    assert checked.plan is not None
    await database.run(import_plan, clock, to_plan(checked.plan))
    server.add_user(PIETER, "Pieter", "de Vries")
    for user_id, role, organisation, groups in (
        (PIETER, Role.LID, "utrecht", ["petit-comite"]),
        (CORA, Role.COORDINATOR, "coordinatie", []),
    ):
        [invite] = await database.run(
            create_invites, clock, role=role, organisation_code=organisation, group_codes=groups
        )
        await database.run(
            redeem_invite,
            clock,
            code=invite.code,
            telegram_user_id=user_id,
            name="x",
            username=None,
        )
    meetings = {
        m.entry.overleg: m.entry.key for m in await database.run(open_meetings, clock, CORA)
    }
    for number in range(1, 31):
        title = f"Punt {number:02d} " + "over de aanpak van schooluitval in de regio " * 4
        accepted = await database.run(submit, clock, CORA, meetings["pc"], title, None)
        await database.run(review, clock, CORA, accepted.id, accept=True)
        await database.run(submit, clock, CORA, meetings["ao"], title, None)

    # 09:00 in Amsterdam on 1 March, seven days before the petit comité of 8 March.
    async with bot_at(datetime(2011, 3, 1, 8, 0, tzinfo=UTC), server, database):
        reminder = await server.next_message(PIETER)

    assert (reminder.text or "").startswith("Herinnering: Petit comité\ndinsdag 8 maart 2011")
    assert "Agenda tot nu toe:\n1. Punt 01 " in (reminder.text or "")
    assert "Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 30 punten" in (
        reminder.text or ""
    )
    assert "U ontvangt de hele agenda zodra de coördinatoren die versturen." in (
        reminder.text or ""
    )
    assert "De volledige lijst kunt u opvragen bij de coördinatoren." in (reminder.text or "")
    assert [label for label, _ in reminder.buttons()] == [
        "Zet in agenda",
        "Ik kan niet",
        "Stop voor dit overleg",
    ]
    assert len(server.messages(PIETER)) == 1
