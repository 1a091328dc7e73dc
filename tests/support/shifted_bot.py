"""The bot as a process of its own, living in the year plan's time; a stand-in that notes when
each message arrived; members registering at Telegram's pace; the command line beside the bot.

``python -m tests.support.shifted_bot MOMENT AT`` builds the application as ``overlegbot run``
does (bot/service.py: its settings from the ``OVERLEGBOT_*`` environment, its log, its network
watch, the real HTTP stack and the outbox job, long polling until SIGINT) but with a
:class:`~planning.clock.ShiftedClock` that shows ``MOMENT`` (ISO 8601, aware) at the real
moment ``AT`` (seconds since the epoch). The shift is fixed by ``AT``, not by when the process
got round to building its clock, so the test knows to the millisecond when the bot's moment
comes however slowly the process started. Once it polls it logs :data:`READY`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

from telegram import Update

import tests
from bot.app import OverlegApplication, build_application, freeze_startup_heap
from bot.context import OverlegContext
from bot.logs import ServiceLog
from bot.network_watch import NetworkWatch
from bot.settings import load_settings
from bot.standin import SentMessage, StandinServer
from planning.clock import ShiftedClock
from planning.db import Database
from tests.support.bot_process import BotProcess
from tests.support.standin import BOT_USERNAME, TOKEN

READY = "shifted bot polls; its clock shows "
# Members open their invite links at most this many a second, with at most UNANSWERED of them
# not yet welcomed: the bot's welcomes then stay within Telegram's 30 in any second (at most
# 26 + 3 there), however the bot bunches its answers.
REGISTRATIONS_PER_SECOND = 25
UNANSWERED = 3
_REPOSITORY = Path(tests.__file__).resolve().parent.parent


class TimedStandin(StandinServer):
    """The stand-in, noting the wall-clock time (``time.time()``, which the bot's clock also
    reads) at which each message the bot sent arrived, per chat."""

    def __init__(self, *, flood_limits: bool) -> None:
        super().__init__(token=TOKEN, bot_username=BOT_USERNAME, flood_limits=flood_limits)
        self.arrivals: dict[int, list[float]] = {}

    def record_sent(self, message: SentMessage) -> None:
        super().record_sent(message)
        self.arrivals.setdefault(message.chat_id, []).append(time.time())

    def refused(self, status: int = 429) -> int:
        """How many calls the stand-in answered with ``status``."""
        return sum(1 for call in self.calls if call.status == status)


async def start_shifted_bot(
    environment: dict[str, str], cwd: Path, moment: datetime, at: float
) -> BotProcess:
    """The bot as a process whose clock shows ``moment`` at the real time ``at`` (epoch
    seconds); it runs in ``cwd`` with ``environment`` (see bot_process.bot_environment)."""
    path = os.pathsep.join(filter(None, [str(_REPOSITORY), environment.get("PYTHONPATH")]))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.support.shifted_bot",
        moment.isoformat(),
        repr(at),
        env=environment | {"PYTHONPATH": path},
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    return BotProcess(process)


async def overlegbot(environment: dict[str, str], cwd: Path, *args: str) -> str:
    """Run the ``overlegbot`` command line (``python -m bot ...``) as an operator would, next
    to a running bot; its output. It must succeed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        env=environment,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, f"overlegbot {' '.join(args)}: {err.decode()}"
    return out.decode()


async def register(standin: TimedStandin, invites: Sequence[tuple[int, str]]) -> None:
    """Each ``(user id, invite code)`` becomes a stand-in user who sends ``/start CODE``, at
    :data:`REGISTRATIONS_PER_SECOND`; done once every one of them was answered."""
    loop = asyncio.get_running_loop()
    last = -math.inf
    for index, (user, code) in enumerate(invites):
        if index >= UNANSWERED:
            await standin.wait_for(partial(_welcomed, standin, invites[index - UNANSWERED][0]), 10)
        await asyncio.sleep(max(0.0, last + 1 / REGISTRATIONS_PER_SECOND - loop.time()))
        last = loop.time()
        standin.add_user(user, "Lid", str(user))
        standin.send_message(user, f"/start {code}")
    await standin.wait_for(lambda: all(_welcomed(standin, user) for user, _ in invites), 10)


def _welcomed(standin: TimedStandin, user: int) -> bool:
    return user in standin.arrivals


def main(argv: list[str]) -> int:
    moment, at = datetime.fromisoformat(argv[0]), float(argv[1])
    service_log = ServiceLog("text").install()
    settings = load_settings(require_token=True)
    service_log.hide(settings.bot_token)
    clock = ShiftedClock(moment + timedelta(seconds=time.time() - at))
    watch = NetworkWatch(settings.bot_api_url)
    application = build_application(settings, Database(settings.database_url), clock, network=watch)
    before = application.post_init
    assert before is not None

    async def ready(context: OverlegContext) -> None:
        watch.started()
        logging.getLogger(__name__).info("%s%s", READY, clock.now().isoformat())

    async def post_init(started: OverlegApplication) -> None:
        await before(started)
        assert started.job_queue is not None
        started.job_queue.run_once(ready, 0, job_kwargs={"misfire_grace_time": None})

    application.post_init = post_init
    freeze_startup_heap()
    application.run_polling(allowed_updates=Update.ALL_TYPES)
    logging.getLogger(__name__).info("shifted bot stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
