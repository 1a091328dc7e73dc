"""The outbox delivered through PTB's HTTP stack to the stand-in: on time, once, within limits.

The sender loop's pacing runs on a fake clock (its sleep moves the clock), so nothing here
waits for real; retries become due by moving the test's FixedClock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from telegram import Bot
from telegram.request import HTTPXRequest

from berichten.outbox.delivery import deliver_due
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import NewMessage, claim_due, enqueue, recover
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus, Priority
from bot.standin import StandinServer
from bot.telegram_sender import TelegramSender
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.lookups import find_member
from planning.membership.services import add_organisation
from planning.membership.tables import MemberStatus
from tests.support.network import join_all

MEMBERS = (501, 502, 503)


@dataclass
class FakeTime:
    now: float = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
async def bot(server: StandinServer) -> AsyncIterator[Bot]:
    # Short timeouts so a stalled answer from the stand-in becomes a timeout quickly.
    request = HTTPXRequest(read_timeout=0.3, connect_timeout=1.0)
    async with Bot(
        server.token, base_url=server.base_url, request=request, get_updates_request=request
    ) as telegram_bot:
        yield telegram_bot


@pytest.fixture
async def members(database: Database, clock: FixedClock, server: StandinServer) -> Database:
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    for user_id in MEMBERS:
        server.add_user(user_id, f"Lid {user_id}")
    await join_all(database, clock, MEMBERS)
    return database


def _message(key: str, recipient: int, clock: FixedClock, **kwargs: object) -> NewMessage:
    options: dict[str, object] = {
        "key": key,
        "kind": "reminder",
        "recipient": recipient,
        "text": f"Herinnering <b>{key}</b>",
        "due_at": clock.now(),
    }
    options.update(kwargs)
    return NewMessage(**options)  # type: ignore[arg-type]


async def _deliver(db: Database, clock: FixedClock, bot: Bot, time: FakeTime | None = None) -> None:
    fake = time or FakeTime()
    pacer = Pacer(monotonic=fake.monotonic, sleep=fake.sleep)
    await deliver_due(db, clock, TelegramSender(bot), pacer)


async def _statuses(db: Database) -> dict[str, tuple[str, str | None]]:
    async with db.transaction() as session:
        rows = await session.scalars(select(OutboxMessageRow))
        return {row.key: (row.status, row.last_error) for row in rows}


async def test_due_messages_arrive_once_and_future_ones_wait(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer
) -> None:
    later = clock.now() + timedelta(hours=1)
    queued = [_message("ao|501", 501, clock), _message("ao|502", 502, clock)]
    queued.append(_message("pc|501", 501, clock, due_at=later))
    assert await members.run(enqueue, clock.now(), queued) == 3
    assert (
        await members.run(enqueue, clock.now(), queued) == 0
    )  # the same reminder is never queued twice

    await _deliver(members, clock, bot)

    assert [m.text for m in server.messages(501)] == ["Herinnering ao|501"]
    assert [m.text for m in server.messages(502)] == ["Herinnering ao|502"]
    clock.advance(timedelta(hours=1))
    await _deliver(members, clock, bot)
    assert [m.text for m in server.messages(501)] == ["Herinnering ao|501", "Herinnering pc|501"]
    assert {status for status, _ in (await _statuses(members)).values()} == {OutboxStatus.SENT}


async def test_the_pacer_keeps_within_telegrams_limits(
    members: Database, clock: FixedClock
) -> None:
    time = FakeTime()
    # A stand-in with the flood limits on, on the same fake clock as the pacer: it answers 429
    # to a 2nd message in a chat within a second, or a 31st message within a second.
    async with StandinServer(flood_limits=True, clock=time.monotonic) as limited:
        for user in MEMBERS:
            limited.add_user(user, "Lid")
        async with Bot(limited.token, base_url=limited.base_url) as telegram_bot:
            queued = [_message(f"m{n}|{user}", user, clock) for n in range(3) for user in MEMBERS]
            await members.run(enqueue, clock.now(), queued)

            await _deliver(members, clock, telegram_bot, time)

            assert [len(limited.messages(user)) for user in MEMBERS] == [3, 3, 3]
            assert not [call for call in limited.calls if call.status == 429]
    assert time.now - 1000.0 >= 2.0  # three messages in one chat take two seconds


async def test_a_429_is_obeyed_exactly_and_then_delivered(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer
) -> None:
    await members.run(enqueue, clock.now(), [_message("ao|501", 501, clock)])
    server.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 7", retry_after=7
    )

    await _deliver(members, clock, bot)
    assert server.messages(501) == []
    clock.advance(timedelta(seconds=6))
    await _deliver(members, clock, bot)
    assert server.messages(501) == []  # not a second before Telegram said
    clock.advance(timedelta(seconds=1))
    await _deliver(members, clock, bot)

    assert [m.text for m in server.messages(501)] == ["Herinnering ao|501"]


@pytest.mark.parametrize("failure", ["server error", "timeout"])
async def test_5xx_and_timeouts_are_retried_until_delivered(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer, failure: str
) -> None:
    await members.run(enqueue, clock.now(), [_message("ao|501", 501, clock)])
    if failure == "timeout":
        server.fail_next("sendMessage", status=500, delay=1.0)
    else:
        server.fail_next("sendMessage", status=502, description="Bad Gateway", count=2)

    for _ in range(3):
        await _deliver(members, clock, bot)
        clock.advance(timedelta(minutes=1))

    assert [m.text for m in server.messages(501)] == ["Herinnering ao|501"]


@pytest.mark.parametrize("failure", ["429", "server error"])
async def test_parts_to_one_member_arrive_in_order_when_the_first_must_wait(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer, failure: str
) -> None:
    """An agenda in parts: when part 1 goes back to the queue, part 2 waits with it."""
    parts = [_message(f"agenda|501|part-{n}", 501, clock, kind="agenda") for n in (1, 2, 3)]
    await members.run(enqueue, clock.now(), parts)
    if failure == "429":
        server.fail_next(
            "sendMessage", status=429, description="Too Many Requests: retry after 2", retry_after=2
        )
    else:
        server.fail_next("sendMessage", status=502, description="Bad Gateway")

    await _deliver(members, clock, bot)
    assert server.messages(501) == []  # nothing overtook part 1
    clock.advance(timedelta(minutes=1))
    await _deliver(members, clock, bot)

    assert [m.text for m in server.messages(501)] == [
        "Herinnering agenda|501|part-1",
        "Herinnering agenda|501|part-2",
        "Herinnering agenda|501|part-3",
    ]


async def test_a_member_who_blocked_the_bot_is_marked_and_skipped(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer
) -> None:
    later = clock.now() + timedelta(days=1)
    await members.run(
        enqueue,
        clock.now(),
        [_message("ao|501", 501, clock), _message("pc|501", 501, clock, due_at=later)],
    )
    server.block(501)

    await _deliver(members, clock, bot)

    member = await members.run(find_member, 501)
    assert member is not None and member.status == MemberStatus.BLOCKED
    statuses = await _statuses(members)
    assert statuses["ao|501"][0] == statuses["pc|501"][0] == OutboxStatus.SKIPPED


async def test_a_message_telegram_refuses_is_recorded_with_its_reason(
    members: Database, clock: FixedClock, bot: Bot
) -> None:
    await members.run(enqueue, clock.now(), [_message("kapot|501", 501, clock, text="<b>open")])

    await _deliver(members, clock, bot)

    status, reason = (await _statuses(members))["kapot|501"]
    assert status == OutboxStatus.FAILED and reason is not None and "parse entities" in reason


async def test_a_crash_mid_delivery_repeats_nothing_that_was_sent(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer
) -> None:
    queued = [_message(f"ao|{user}", user, clock) for user in MEMBERS]
    queued.append(_message("nieuwsbrief|501", 501, clock, priority=Priority.NEWSLETTER))
    await members.run(enqueue, clock.now(), queued)
    await _deliver(members, clock, bot)  # everything sent ...
    await members.run(enqueue, clock.now(), [_message("bo|502", 502, clock)])
    await members.run(claim_due, clock, 10)  # ... then one claimed, and the process dies

    assert await members.run(recover) == 1
    await _deliver(members, clock, bot)

    sent = [m.text or "" for user in MEMBERS for m in server.messages(user)]
    assert sorted(sent) == sorted(
        [
            "Herinnering ao|501",
            "Herinnering ao|502",
            "Herinnering ao|503",
            "Herinnering nieuwsbrief|501",
            "Herinnering bo|502",
        ]
    )


async def test_a_message_whose_moment_passed_is_skipped_not_sent(
    members: Database, clock: FixedClock, bot: Bot, server: StandinServer
) -> None:
    begins = clock.now() + timedelta(minutes=30)
    await members.run(enqueue, clock.now(), [_message("ao|501", 501, clock, expires_at=begins)])
    clock.advance(timedelta(hours=1))  # the bot was down until after the meeting began

    await _deliver(members, clock, bot)

    assert server.messages(501) == []
    assert (await _statuses(members))["ao|501"] == (OutboxStatus.SKIPPED, "expired")
