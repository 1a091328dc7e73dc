"""The crash benchmark's two processes: the stand-in, which outlives every kill, and the sender.

The sender is the bot's outbox job and nothing else, in a process of its own so it can be
killed with SIGKILL: ``deliver_due`` with ``TelegramSender`` and the bot's default pacer (30/s,
1 s per chat, the sends in flight it derives), woken again when a message sent back by a 429 is
due, until nothing is pending. It reads the database the benchmark queued; the benchmark puts
back what a kill left ``sending`` (``recover``) before it starts the next one, as a start does.

The stand-in is the benchmark's (``standin_process.py``), in its own process as Telegram is:
it tells which chat each message went to and when it arrived (``time.monotonic()``, one clock
for every process on Linux), so the benchmark can tell what each kill repeated and how old
those sends were.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time

from telegram.ext import ApplicationBuilder

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import next_due
from bot.app import freeze_startup_heap
from bot.telegram_sender import TelegramSender
from planning.clock import SystemClock
from planning.db import Database

Delivery = tuple[int, float]  # the chat, and when the stand-in took the message


def start_sender(
    database_url: str, token: str, base_url: str, seconds: float
) -> multiprocessing.process.BaseProcess:
    """A sender process (spawned: no copy of our event loop or database), started."""
    context = multiprocessing.get_context("spawn")
    process = context.Process(
        target=_send, args=(database_url, token, base_url, seconds), daemon=True
    )
    process.start()
    return process


def _send(database_url: str, token: str, base_url: str, seconds: float) -> None:
    asyncio.run(_send_async(database_url, token, base_url, seconds))


async def _send_async(database_url: str, token: str, base_url: str, seconds: float) -> None:
    """What the outbox job does, wake after wake, until nothing is pending (or ``seconds``
    have passed: the benchmark must stop by itself)."""
    deadline = time.monotonic() + seconds
    database = Database(database_url)
    clock = SystemClock()
    pacer = Pacer()  # bot.app's, with the settings' defaults: 30/s, 1 s per chat
    try:
        async with ApplicationBuilder().token(token).base_url(base_url).build() as app:
            sender = TelegramSender(app.bot)
            freeze_startup_heap()  # as `python -m bot run` does before it starts
            while True:
                await deliver_due(database, clock, sender, pacer)
                upcoming = await database.run(next_due)
                if upcoming is None or time.monotonic() > deadline:
                    return
                await asyncio.sleep(max(0.0, (upcoming - clock.now()).total_seconds()))
    finally:
        await database.dispose()
