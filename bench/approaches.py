"""How ``bench/delivery.py`` delivers one reminder to every member: the outbox, or plain PTB.

- ``overlegbot``: the members registered (active) in the database, one reminder each queued in
  the outbox (``enqueue``), then ``deliver_due`` with ``TelegramSender``, with the default
  :class:`Pacer` (30/s, 1 s per chat) when the limits are on, and unpaced when they are off;
  messages sent back to the queue by a 429 are delivered when they are due again, as the
  outbox job would;
- ``PTB loop``: ``for chat in members: await bot.send_message(chat, text)`` on an
  ``Application`` without a rate limiter, catching errors so the loop goes on;
- the same loop with ``AIORateLimiter()`` (its defaults: ``max_retries=0``, so a 429 is raised
  and that member gets nothing) and with ``AIORateLimiter(max_retries=3)``.

The crash mode (``crash.py``) queues its members the same way (:func:`queued_database`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from scratch import fresh_database
from sqlalchemy import insert
from standin_process import Standin
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from berichten.outbox.delivery import DeliveryReport, deliver_due
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import NewMessage, enqueue, next_due
from bot.app import freeze_startup_heap
from bot.telegram_sender import TelegramSender
from planning.clock import SystemClock
from planning.db import Database
from planning.membership.tables import MemberRow, MemberStatus, Role

TEXT = (
    "Herinnering: <b>Ambtelijk overleg</b> op dinsdag 18 januari 2011 van 10:00 tot 12:00, "
    "Provinciehuis Utrecht. Thema: <i>de begroting 2012</i>."
)
FIRST_MEMBER = 10_000_001

OURS = "overlegbot"
PLAIN_LOOP = "PTB loop"
PLAIN_DEFAULT = "PTB loop + AIORateLimiter()"
PLAIN_RETRIES = "PTB loop + AIORateLimiter(max_retries=3)"


@dataclass
class Run:
    """What one approach needs: the server, the members, and whether the limits are on."""

    server: Standin
    members: list[int]
    limits: bool
    database_url: str
    errors: int = 0
    notes: list[str] = field(default_factory=list)


Approach = Callable[[Run], Awaitable[float]]  # returns the seconds the delivery took


def members_of(size: int) -> list[int]:
    """The Telegram ids of ``size`` members (the stand-in must know them as users)."""
    return list(range(FIRST_MEMBER, FIRST_MEMBER + size))


def time_allowed(size: int) -> float:
    """Seconds far more than delivering to ``size`` members should ever need (three times as
    long as at 29/s, and two minutes): a benchmark must stop by itself."""
    return 120 + 3 * size / 29.0


def application(server: Standin, limiter: AIORateLimiter | None = None) -> Application:  # type: ignore[type-arg]
    """An Application as a plain PTB user (and ``bot.app``) builds it, aimed at the stand-in."""
    builder = ApplicationBuilder().token(server.token).base_url(server.base_url)
    if limiter is None:
        return builder.build()
    return builder.rate_limiter(limiter).build()


async def register(database: Database, members: list[int], now: datetime) -> None:
    """Register everyone as an active member: the outbox sends only to those."""
    rows = [
        {
            "telegram_user_id": member,
            "name": f"Lid {member}",
            "role": Role.LID,
            "status": MemberStatus.ACTIVE,
            "registered_at": now,
            "status_changed_at": now,
        }
        for member in members
    ]
    async with database.transaction() as session:
        await session.execute(insert(MemberRow), rows)


async def queued_database(url: str, members: list[int], notes: list[str]) -> Database:
    """A fresh database at ``url`` (see ``scratch.py``): the members active, one reminder
    each queued in the outbox, due now. How long queueing took goes to ``notes``."""
    database = await fresh_database(url)
    clock = SystemClock()
    now = clock.now()
    await register(database, members, now)
    queued = [
        NewMessage(key=f"bench|{member}", kind="reminder", recipient=member, text=TEXT, due_at=now)
        for member in members
    ]
    started = time.perf_counter()
    await database.run(enqueue, clock.now(), queued)
    notes.append(f"enqueue {len(queued)} took {time.perf_counter() - started:.2f} s")
    return database


async def ours(run: Run) -> float:
    """Queue one reminder per member, then deliver until nothing is pending."""
    database = await queued_database(run.database_url, run.members, run.notes)
    clock = SystemClock()
    pacer = Pacer() if run.limits else Pacer(per_second=1e9, chat_interval=0)
    total = DeliveryReport()
    deadline = time.monotonic() + time_allowed(len(run.members))
    async with application(run.server) as app:
        sender = TelegramSender(app.bot)
        freeze_startup_heap()  # as `python -m bot run` does before it starts
        started = time.perf_counter()
        while True:
            # Unpaced, the derived concurrency would be a whole batch; both modes keep the 4
            # in flight that 30/s gets, as docs/benchmarks.md describes.
            report = await deliver_due(database, clock, sender, pacer, concurrency=4)
            for name in ("sent", "retried", "failed", "blocked"):
                setattr(total, name, getattr(total, name) + getattr(report, name))
            upcoming = await database.run(next_due)
            if upcoming is None or time.monotonic() > deadline:
                break
            # What the outbox job does: wake when the next message is due.
            await asyncio.sleep(max(0.0, (upcoming - clock.now()).total_seconds()))
        seconds = time.perf_counter() - started
    left = await database.run(next_due)
    await database.dispose()
    run.errors = total.failed + total.blocked
    run.notes.append(
        f"deliver_due: sent {total.sent}, retried {total.retried}, failed {total.failed}, "
        f"blocked {total.blocked}" + (", gave up with messages pending" if left else "")
    )
    return seconds


def plain(limiter: Callable[[], AIORateLimiter | None]) -> Approach:
    async def loop(run: Run) -> float:
        async with application(run.server, limiter()) as app:
            bot = app.bot
            started = time.perf_counter()
            for chat in run.members:
                try:
                    await bot.send_message(chat, TEXT, parse_mode=ParseMode.HTML)
                except TelegramError:
                    run.errors += 1  # a user of plain PTB logs it and goes on
            return time.perf_counter() - started

    return loop


APPROACHES: dict[str, Approach] = {
    OURS: ours,
    PLAIN_LOOP: plain(lambda: None),
    PLAIN_DEFAULT: plain(AIORateLimiter),
    PLAIN_RETRIES: plain(lambda: AIORateLimiter(max_retries=3)),
}
