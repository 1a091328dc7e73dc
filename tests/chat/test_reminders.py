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
from planning.clock import FixedClock
from planning.db import Database
from planning.example import import_example_plan
from planning.membership import create_invites, redeem_invite
from planning.models import Role

FATIMA = 501
# 09:00 in Amsterdam, fourteen days before the AO and the theme session of 18 January 2011.
TWO_WEEKS_BEFORE = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
# 09:00 in Amsterdam, two days before that AO.
TWO_DAYS_BEFORE = datetime(2011, 1, 16, 8, 0, tzinfo=UTC)


@pytest.fixture
async def contact_person(database: Database, clock: FixedClock, server: StandinServer) -> int:
    await import_example_plan(database, clock)
    server.add_user(FATIMA, "Fatima", "El Amrani")
    [invite] = await create_invites(
        database, clock, role=Role.LID, organisation_code="gouda", group_codes=["contactpersonen"]
    )
    await redeem_invite(
        database, clock, code=invite.code, telegram_user_id=FATIMA, name="Fatima", username=None
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
