"""The outbox seen from the tests: its rows, a sender that keeps what it was given, and the
outbox job's wakes to wait for."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from apscheduler.events import (  # type: ignore[import-untyped]
    EVENT_JOB_ERROR,
    EVENT_JOB_EXECUTED,
)
from sqlalchemy import func, or_, select

from berichten.outbox.delivery import deliver_due
from berichten.outbox.media import Media
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import Buttons
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from berichten.reminders.queue import queue_reminders
from bot.app import OverlegApplication
from bot.outbox_job import JOB_NAME
from planning.clock import FixedClock
from planning.db import Database


async def outbox_rows(
    database: Database, kind: str | None = None, recipient: int | None = None
) -> list[OutboxMessageRow]:
    """The outbox's rows in the order they were queued, of one kind or recipient if asked."""
    async with database.transaction() as session:
        query = select(OutboxMessageRow).order_by(OutboxMessageRow.id)
        if kind is not None:
            query = query.where(OutboxMessageRow.kind == kind)
        if recipient is not None:
            query = query.where(OutboxMessageRow.recipient == recipient)
        return list(await session.scalars(query))


async def pending_firsts(database: Database, recipient: int) -> list[tuple[str, datetime]]:
    """The first line and moment of each message pending for ``recipient``, sorted: a message
    queued twice is there twice."""
    rows = await outbox_rows(database, recipient=recipient)
    return sorted(
        (row.text.splitlines()[0], row.due_at) for row in rows if row.status == OutboxStatus.PENDING
    )


async def due_left(database: Database, moment: datetime) -> int:
    """How many messages are being sent, or wait to be sent at ``moment``."""
    async with database.transaction() as session:
        waiting = or_(
            OutboxMessageRow.status == OutboxStatus.SENDING,
            (OutboxMessageRow.status == OutboxStatus.PENDING)
            & (OutboxMessageRow.next_attempt_at <= moment),
        )
        return int(await session.scalar(select(func.count()).where(waiting)) or 0)


@dataclass
class RecordingSender:
    """A :class:`berichten.outbox.delivery.Sender` that keeps what it was asked to send."""

    sent: list[tuple[int, str]] = field(default_factory=list)
    media: list[Media | None] = field(default_factory=list)  # with sent, likewise

    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        self.sent.append((chat_id, text))
        self.media.append(media)
        return len(self.sent)


async def deliver(database: Database, clock: FixedClock) -> list[tuple[int, str]]:
    """(recipient, text) of what a delivery run sends now, without pacing for real."""
    sender = RecordingSender()
    await deliver_due(database, clock, sender, Pacer(per_second=1000, chat_interval=0))
    return sender.sent


async def queue_and_deliver(database: Database, clock: FixedClock) -> list[tuple[int, str]]:
    """What a wake of the outbox job sends: it queues the reminders, then delivers what is due."""
    await database.run(queue_reminders, clock)
    return await deliver(database, clock)


class OutboxWakes:
    """The wakes of a bot's outbox job that have ended, as APScheduler reports them.

    Made before the bot starts, it counts every wake, the first one at start-up too. A wake
    ends after it has delivered what was due and set the next one.
    """

    def __init__(self, application: OverlegApplication) -> None:
        self.ended = 0
        self._tick = asyncio.Event()
        assert application.job_queue is not None
        application.job_queue.scheduler.add_listener(
            self._on_job_end, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR
        )

    def _on_job_end(self, event: Any) -> None:
        # AsyncIOExecutor reports from a done callback of the job's task: in the event loop.
        if event.job_id == JOB_NAME:
            self.ended += 1
            self._tick.set()
            self._tick = asyncio.Event()

    async def until(self, count: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until ``count`` wakes have ended since the bot started."""
        try:
            async with asyncio.timeout(timeout):
                while self.ended < count:
                    await self._tick.wait()
        except TimeoutError:
            raise AssertionError(
                f"the outbox job ended {self.ended} wakes within {timeout}s, not {count}"
            ) from None
