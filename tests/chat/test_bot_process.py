"""Issue 11 ("Done when", first bullet): reminders on time and within Telegram's limits, from
the bot as an operator runs it.

The bot is a process of its own (``tests/support/shifted_bot.py``: the real ``Application``,
its HTTP stack and its outbox job, built as ``overlegbot run`` builds it) long polling the
stand-in in this process, whose flood limits are on: 30 messages a second overall, one a
second per chat, a 429 beyond. The plan and the invites come from the command line
(``python -m bot``, the same ``OVERLEGBOT_*`` environment), members act only through the
stand-in, and what counts is what the stand-in received, and when.

The bot's clock is the plan's (a ``ShiftedClock``): 13 September 2011, 09:00 in Amsterdam, is
when the example plan reminds the contact persons of the AO of 27 September (14 days before),
and nobody of anything else (on 8 March everyone would get the Themasessie's reminder too).
Rather than two minutes after the start, that moment comes 24 real seconds after it: enough
for 300 registrations at Telegram's pace (their welcomes count against the same 30 a second:
12 s), for the bot to queue each new member's reminder as they register (those who register
while a run is under way share the next one) and for a quiet 2 s, so that no welcome shares a
second with a reminder.

"Reaches all of them within 2 s of its moment, within limits, once each" is read as: at 30
messages a second, 300 messages take 10 s, so the first reminder must arrive within 2 s of the
moment and the last within 2 s + 300/30 s, with no 429 and one reminder per member. Measured
on 2 cores, idle or with one core busy elsewhere: the first 0.05 to 0.1 s after the moment,
the last 9.9 s after it. The 10 s are the limit itself, so the last has only the issue's 2 s
of margin; a looser bound would no longer test the issue, so the margin for a slow machine is
in the lead time instead.

A meeting imported from the command line while the bot runs must be noticed within
:data:`~bot.outbox_job.CHANGES_EVERY` (15 s) and reminded on time, to its participants only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.outbox_job import CHANGES_EVERY
from planning.db import Database
from planning.plan.example import example_plan_text
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.outbox import outbox_rows
from tests.support.shifted_bot import (
    READY,
    TimedStandin,
    overlegbot,
    register,
    start_shifted_bot,
)
from tests.support.standin import BOT_USERNAME

MOMENT = datetime(2011, 9, 13, 7, 0, tzinfo=UTC)  # 09:00 in Amsterdam
REMINDER = "Herinnering: Ambtelijk overleg\ndinsdag 27 september 2011"
MEMBERS = 300
PER_SECOND = 30  # Telegram's overall limit, as the stand-in enforces it
WITHIN = 2.0  # seconds: the "within 2 s of its moment"
# Real seconds from the bot's start to the moment: its start-up (1 s), 300 registrations (12 s
# at 25 a second) and the bot queueing their reminders (some 4 s behind), a quiet stretch
# (QUIET), and room for a slow machine.
LEAD = 24.0
QUIET = 2.0
# The second part: start-up, 15 registrations and the import (some 3 s in all), then the bot
# looks for changes at most CHANGES_EVERY later and queues; the import must be done in time.
LEAD_IMPORT = 22.0
NOTICED_WITHIN = CHANGES_EVERY.total_seconds() + 2.0
FIRST_USER = 20_001


@pytest.fixture
async def standin() -> AsyncIterator[TimedStandin]:
    async with TimedStandin(flood_limits=True) as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bots() -> AsyncIterator[list[BotProcess]]:
    """Bot processes a test starts; any still running at its end are killed."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.kill()


@pytest.fixture
def environment(
    standin: TimedStandin, database: Database, database_url: str, tmp_path: Path
) -> dict[str, str]:
    """The bot's and the command line's environment: the stand-in, and the test's database
    (``database`` has migrated it)."""
    return bot_environment(
        standin.base_url, tmp_path, DATABASE_URL=database_url, BOT_USERNAME=BOT_USERNAME
    )


async def _invites(
    environment: dict[str, str], cwd: Path, group: str, count: int, first_user: int
) -> list[tuple[int, str]]:
    """``count`` invites to ``group`` (Gouda), from the command line, each with its user."""
    invite = ("invite", "--role", "lid", "--org", "gouda", "--group", group)
    printed = await overlegbot(environment, cwd, *invite, "--count", str(count))
    codes = [line.split()[0] for line in printed.splitlines()]
    assert len(codes) == count
    return list(enumerate(codes, start=first_user))


async def _start(
    bots: list[BotProcess], environment: dict[str, str], cwd: Path, lead: float
) -> float:
    """Start the bot with its moment ``lead`` real seconds from now; the real moment."""
    at = time.time() + lead
    bot = await start_shifted_bot(environment, cwd, MOMENT, at)
    bots.append(bot)
    await bot.wait_for(READY)
    return at


def _reminders(standin: TimedStandin, user: int) -> list[float]:
    """When the reminder arrived in ``user``'s chat, each time it did."""
    sent = zip(standin.arrivals.get(user, []), standin.messages(user), strict=True)
    return [arrived for arrived, message in sent if (message.text or "").startswith(REMINDER)]


async def _until_reminded(standin: TimedStandin, users: list[int], deadline: float) -> None:
    """Wait until each of ``users`` has the reminder, or the real time ``deadline``."""
    await standin.wait_until(
        lambda: all(_reminders(standin, user) for user in users), deadline - time.time()
    )


def _once_each(standin: TimedStandin, users: list[int], at: float) -> tuple[float, float]:
    """Each of ``users`` has the reminder once: the first and the last arrival, in seconds
    after the moment ``at``."""
    counts = {user: len(_reminders(standin, user)) for user in users}
    assert counts == dict.fromkeys(users, 1)
    arrivals = [_reminders(standin, user)[0] - at for user in users]
    return min(arrivals), max(arrivals)


@pytest.mark.timeout(90)
async def test_300_members_who_register_after_start_are_reminded_on_time_within_limits(
    standin: TimedStandin,
    database: Database,
    environment: dict[str, str],
    tmp_path: Path,
    bots: list[BotProcess],
) -> None:
    (tmp_path / "jaarplan-2011.yaml").write_text(example_plan_text(), encoding="utf-8")
    await overlegbot(environment, tmp_path, "plan", "import", "jaarplan-2011.yaml")
    invites = await _invites(environment, tmp_path, "contactpersonen", MEMBERS, FIRST_USER)
    users = [user for user, _ in invites]

    at = await _start(bots, environment, tmp_path, LEAD)
    await register(standin, invites)
    registered = time.time()
    assert registered <= at - QUIET, f"registering took until {registered - at:+.1f} s"
    await _until_reminded(standin, users, at + WITHIN + MEMBERS / PER_SECOND + 5)
    assert await bots[0].stop() == 0, bots[0].output

    # Each member's reminder was queued as they registered (their welcome), not at the moment.
    rows = await outbox_rows(database, kind="meeting")
    assert sorted(row.recipient for row in rows) == users
    queued = {row.recipient: at + (row.created_at - MOMENT).total_seconds() for row in rows}
    lag = max(queued[user] - standin.arrivals[user][0] for user in users)
    first, last = _once_each(standin, users, at)
    print(
        f"\n{MEMBERS} members: registered by {registered - at:+.2f} s, queued by "
        f"{max(queued.values()) - at:+.2f} s (at most {lag:.2f} s after the welcome), the first "
        f"reminder at {first:+.2f} s, the last at {last:+.2f} s"
    )
    assert max(queued.values()) < at
    assert all(len(standin.messages(user)) == 2 for user in users)  # the welcome, the reminder
    assert 0 <= first <= WITHIN, first
    assert last <= WITHIN + MEMBERS / PER_SECOND, last
    assert standin.refused(429) == 0
    assert "Traceback" not in bots[0].output


# start_outbox asks for its first look for changes at once (first=0), but a repeating job added
# before PTB's scheduler starts first runs one interval later (PTB: run_repeating, "first"). That
# first look only notes what it finds, as if start-up had queued it, so a plan imported within
# the bot's first 15 s is queued only at the outbox job's next wake: up to an hour late.


@pytest.mark.timeout(90)
async def test_a_meeting_imported_while_the_bot_runs_is_reminded_on_time(
    standin: TimedStandin,
    environment: dict[str, str],
    tmp_path: Path,
    bots: list[BotProcess],
) -> None:
    full = example_plan_text()
    reduced = full.replace("2011-06-21, 2011-09-27, 2011-11-22", "2011-06-21, 2011-11-22")
    assert reduced != full  # the plan without the AO of 27 September
    (tmp_path / "zonder-ao.yaml").write_text(reduced, encoding="utf-8")
    (tmp_path / "jaarplan-2011.yaml").write_text(full, encoding="utf-8")
    await overlegbot(environment, tmp_path, "plan", "import", "zonder-ao.yaml")
    participants, others = await asyncio.gather(
        _invites(environment, tmp_path, "contactpersonen", 10, FIRST_USER),
        _invites(environment, tmp_path, "kenniswerkgroep", 5, FIRST_USER + 100),
    )
    users = [user for user, _ in participants]

    at = await _start(bots, environment, tmp_path, LEAD_IMPORT)
    await register(standin, participants + others)
    await overlegbot(environment, tmp_path, "plan", "import", "jaarplan-2011.yaml")
    imported = time.time()
    assert imported <= at - NOTICED_WITHIN, f"imported at {imported - at:+.1f} s"
    await _until_reminded(standin, users, at + WITHIN + 1)
    assert await bots[0].stop() == 0, bots[0].output

    first, last = _once_each(standin, users, at)
    print(
        f"\nthe imported meeting: imported at {imported - at:+.2f} s, the first reminder at "
        f"{first:+.2f} s, the last at {last:+.2f} s"
    )
    assert 0 <= first <= last <= WITHIN, (first, last)
    assert all(len(standin.messages(user)) == 1 for user, _ in others)  # the welcome only
    assert standin.refused(429) == 0
    assert "the command line changed the plan" in bots[0].output
    assert "Traceback" not in bots[0].output
