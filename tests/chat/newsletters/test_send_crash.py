"""Issue 13 ("Done when", the crash test): the bot is killed mid-send and restarted; it finishes
the issue with no member missing and repeats at most what was in flight.

The bot is ``overlegbot run`` in a process of its own (as in ``tests/chat/test_bot_process.py``)
long polling the stand-in in this process, whose flood limits are on: 30 messages a second
overall, one a second per chat, a 429 beyond. :data:`TARGETS` members of the contactpersonen
and :data:`OTHERS` of the petit comité are registered; a coordinator composes an issue of two
messages in chat and sends it to the contactpersonen. Once the stand-in has taken
:data:`KILL_AFTER` of its messages, about a third, the bot is killed with SIGKILL, and then
started again as an operator (or systemd) would. The coordinator's progress message (the
question they pressed, edited in place) must end with the report of all of them.

What a kill repeats is what the killed bot sent and had not recorded yet (the outbox records
sends every 0.1 s: docs/decisions/outbox.md): counted from the stand-in and the database at the
kill, it must be what the members got twice by the end, and at most :data:`REPEATS_AT_MOST`.
Everything else arrives exactly once, to the audience only, within Telegram's limits.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from bot.standin import SentMessage
from planning.clock import SystemClock
from planning.db import Database
from planning.membership.tables import Role
from tests.support.bot_process import BotProcess, bot_environment
from tests.support.network import add_network, join_all
from tests.support.shifted_bot import TimedStandin
from tests.support.standin import BOT_USERNAME

COORDINATOR = 30_001
FIRST_TARGET = 31_001
FIRST_OTHER = 32_001
TARGETS = 120  # 240 messages: 8 s at Telegram's 30 a second
OTHERS = 30
KILL_AFTER = 80
# A kill repeats the sends in flight (4 at 30/s) and those answered since the last record (at
# most 0.1 s of sends, 3 at 30/s): bench/delivery.py --crash saw at most 5 in 60 kills.
REPEATS_AT_MOST = 8
STARTED = "Overlegbot is gestart"
TITLE = "Nieuwsbrief december"
# The most a coordinator may type, with the title more than Telegram's 4,096 characters: the
# issue is two messages.
SENTENCE = "Het samenwerkingsverband heeft dit jaar veel bereikt met elkaar."
TEXT = "\n\n".join(" ".join([SENTENCE] * 16) for _ in range(4))[:4090]
WAIT = 30.0  # seconds: far more than any step should take


@pytest.fixture
async def standin() -> AsyncIterator[TimedStandin]:
    async with TimedStandin(flood_limits=True) as server:
        yield server
        assert server.violations == []


@pytest.fixture
async def bots() -> AsyncIterator[list[BotProcess]]:
    """Bot processes the test starts; any still running at its end are killed."""
    started: list[BotProcess] = []
    yield started
    for bot in started:
        bot.kill()


async def _seat(standin: TimedStandin, database: Database) -> tuple[list[int], list[int]]:
    """The network, the coordinator and the members, registered through invites and known to
    the stand-in; the targets and the others."""
    clock = SystemClock()
    targets = list(range(FIRST_TARGET, FIRST_TARGET + TARGETS))
    others = list(range(FIRST_OTHER, FIRST_OTHER + OTHERS))
    for user in (COORDINATOR, *targets, *others):  # first: a starting bot sets menus per chat
        standin.add_user(user, "Lid", str(user))
    await add_network(database)
    await join_all(database, clock, [COORDINATOR], "coordinatie", role=Role.COORDINATOR)
    await join_all(database, clock, targets, "gouda", "contactpersonen")
    await join_all(database, clock, others, "gouda", "petit-comite")
    return targets, others


async def _start(bots: list[BotProcess], environment: dict[str, str], cwd: Path) -> BotProcess:
    bot = await BotProcess.start(environment, cwd)
    bots.append(bot)
    await bot.wait_for(STARTED)
    return bot


async def _reply(standin: TimedStandin, starts: str, typed: str | None = None) -> SentMessage:
    """The coordinator types ``typed`` (if any); the bot's next message that starts with
    ``starts``."""
    seen = len(standin.messages(COORDINATOR))
    if typed is not None:
        standin.send_message(COORDINATOR, typed)

    def found() -> list[SentMessage]:
        later = standin.messages(COORDINATOR)[seen:]
        return [m for m in later if (m.text or "").startswith(starts)]

    await standin.wait_for(lambda: bool(found()), WAIT)
    return found()[0]


def _current(standin: TimedStandin, message: SentMessage) -> SentMessage:
    """``message`` as the coordinator sees it now, after the bot's edits."""
    [now] = [m for m in standin.messages(COORDINATOR) if m.message_id == message.message_id]
    return now


async def _press(
    standin: TimedStandin, message: SentMessage, label: str, until: Callable[[str], bool]
) -> None:
    """The coordinator taps ``label`` under ``message``; wait until its text passes ``until``."""
    [data] = [data for text, data in message.buttons() if text == label]
    standin.press_button(COORDINATOR, message.message_id, data)
    await standin.wait_for(lambda: until(_current(standin, message).text or ""), WAIT)


async def _compose_and_send(standin: TimedStandin) -> tuple[list[str], SentMessage]:
    """The coordinator composes the issue for the contactpersonen and presses "Nu versturen";
    the messages of the issue as the preview showed them, and the question they pressed it
    under."""
    await _reply(standin, "U stelt een nieuwsbrief samen", "/nieuwsbrief")
    await _reply(standin, "Stuur nu de tekst", TITLE)
    await _reply(standin, "Wilt u er een foto of document bij", TEXT)
    audience = await _reply(standin, "Voor wie is deze nieuwsbrief", "/geen")
    await _press(standin, audience, "Contactpersonen", lambda text: f"{TARGETS} deelnemers" in text)
    seen = len(standin.messages(COORDINATOR))
    [data] = [data for text, data in audience.buttons() if text == "Verder"]
    standin.press_button(COORDINATOR, audience.message_id, data)
    confirm = await _reply(standin, "Hierboven ziet u")
    preview = standin.messages(COORDINATOR)[seen:]
    parts = [m.text or "" for m in preview[: preview.index(confirm)]]
    await _press(standin, confirm, "Nu versturen", lambda text: "wordt verstuurd" in text)
    return parts, confirm


def coordinator_messages_since(standin: TimedStandin, question: SentMessage) -> list[SentMessage]:
    """What the coordinator sees from the question with "Nu versturen" on, as it now stands (the
    question itself, edited once pressed, first): where the send reports to them."""
    messages = standin.messages(COORDINATOR)
    return messages[messages.index(_current(standin, question)) :]


async def _recorded_sent(database: Database) -> int:
    """How many of the issue's messages the outbox has recorded as sent."""
    async with database.transaction() as session:
        query = select(func.count()).where(
            OutboxMessageRow.kind == "newsletter", OutboxMessageRow.status == OutboxStatus.SENT
        )
        return int(await session.scalar(query) or 0)


def _taken(standin: TimedStandin, members: list[int]) -> int:
    return sum(len(standin.messages(member)) for member in members)


@pytest.mark.timeout(90)
async def test_a_bot_killed_mid_send_finishes_the_issue_once_to_its_audience(
    standin: TimedStandin,
    database: Database,
    database_url: str,
    tmp_path: Path,
    bots: list[BotProcess],
) -> None:
    environment = bot_environment(
        standin.base_url, tmp_path, DATABASE_URL=database_url, BOT_USERNAME=BOT_USERNAME
    )
    # The members register while the bot starts: both take seconds.
    (targets, others), first = await asyncio.gather(
        _seat(standin, database), _start(bots, environment, tmp_path)
    )
    parts, question = await _compose_and_send(standin)
    assert len(parts) == 2
    assert parts[0].startswith(f"{TITLE}\n\nHet samenwerkingsverband")

    await standin.wait_for(lambda: _taken(standin, targets) >= KILL_AFTER, WAIT)
    first.process.send_signal(signal.SIGKILL)
    assert await first.end() == -signal.SIGKILL
    recorded = await _recorded_sent(database)
    taken = _taken(standin, targets)
    assert KILL_AFTER <= taken < TARGETS * len(parts)  # killed in the middle of the send

    second = await _start(bots, environment, tmp_path)
    await standin.wait_for(
        lambda: all(len(standin.messages(member)) >= len(parts) for member in targets), WAIT
    )
    # The progress message, the question they pressed, ends with the report.
    await standin.wait_for(lambda: "is verstuurd" in (_current(standin, question).text or ""), WAIT)
    assert await second.stop() == 0, second.output

    got = {member: Counter(m.text for m in standin.messages(member)) for member in targets}
    assert all(set(counts) == set(parts) for counts in got.values())  # every part, nothing else
    repeated = sum(count - 1 for counts in got.values() for count in counts.values())
    print(
        f"\nkilled after {taken} of {TARGETS * len(parts)} messages, {recorded} recorded: "
        f"{repeated} repeated"
    )
    assert repeated == taken - recorded  # exactly the sends the killed bot had not recorded
    assert repeated <= REPEATS_AT_MOST
    assert all(standin.messages(member) == [] for member in others)
    assert standin.refused(429) == 0
    [report, *_later] = coordinator_messages_since(standin, question)
    assert (report.text or "").startswith(f"De nieuwsbrief ‘{TITLE}’ is verstuurd.")
    assert f"Verzonden: {TARGETS} van {TARGETS} · mislukt: 0" in (report.text or "")
    assert "Traceback" not in first.output + second.output
