"""A crash in the middle of sending repeats at most what was just sent, and loses nothing.

The bot is "killed" at a moment of virtual time: from then on its database takes no more work
(a transaction already under way may still finish, as it may when a process is killed), and
the sender loop is stopped without a chance to record anything. At the next start the messages
left ``sending`` go back to the queue (:func:`berichten.outbox.store.recover`): those that
Telegram had already answered are the ones a member gets twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import NewMessage, enqueue, recover
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from tests.support.crash import FirstSendTelegram, KillableDatabase
from tests.support.network import join_all
from tests.support.virtual_time import VirtualTime

MEMBERS = 300
FIRST = 7000
ROUND_TRIP = 0.005  # seconds, as from a server near Telegram's


@pytest.fixture
async def queued(
    database_url: str, database: Database, clock: FixedClock
) -> AsyncIterator[KillableDatabase]:
    """One reminder due now for each of :data:`MEMBERS` active members."""
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await join_all(database, clock, range(FIRST, FIRST + MEMBERS))
    messages = [
        NewMessage(
            key=f"m|{user}", kind="meeting", recipient=user, text="Hallo", due_at=clock.now()
        )
        for user in range(FIRST, FIRST + MEMBERS)
    ]
    await database.run(enqueue, clock.now(), messages)
    killable = KillableDatabase(database_url)
    try:
        yield killable
    finally:
        await killable.dispose()


@pytest.mark.parametrize("kill_at", [1.37, 4.02, 7.71])
async def test_a_kill_while_sending_repeats_at_most_six_and_loses_none(
    queued: KillableDatabase, clock: FixedClock, kill_at: float
) -> None:
    time = VirtualTime()
    telegram = FirstSendTelegram(time, ROUND_TRIP)
    pacer = Pacer(per_second=30.0, monotonic=time.monotonic, sleep=time.sleep)
    async with time.run():
        sending = asyncio.create_task(deliver_due(queued, clock, telegram, pacer))
        await telegram.first.wait()  # the claim took real time; count from the first send
        await time.sleep(kill_at)
        queued.killed = True
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
    delivered = {chat for chat, times in telegram.answered_at.items() if times}
    assert 0 < len(delivered) < MEMBERS  # killed in the middle, not before or after

    queued.killed = False
    await queued.run(recover)
    status = await queued.run(_status_by_recipient)
    repeated = {chat for chat in delivered if status[chat] == OutboxStatus.PENDING}
    lost = {chat for chat, now in status.items() if now not in (OutboxStatus.PENDING, "sent")}
    assert len(repeated) <= 6
    assert lost == set()


async def _status_by_recipient(session: AsyncSession) -> dict[int, Any]:
    rows = await session.execute(select(OutboxMessageRow.recipient, OutboxMessageRow.status))
    return {recipient: status for recipient, status in rows}
