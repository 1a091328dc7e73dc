"""Flood limits, driven by an injected clock so no test has to sleep."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot
from telegram.error import RetryAfter

from bot.standin import StandinServer
from bot.standin.flood import FloodLimiter
from tests.support.standin import ALICE, TOKEN


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta retry_after; the int form warns, and warnings are errors."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest_asyncio.fixture
async def limited(clock: FakeClock) -> AsyncIterator[StandinServer]:
    async with StandinServer(token=TOKEN, flood_limits=True, clock=clock) as running:
        running.add_user(ALICE, "Alice")
        for member in range(1, 40):
            running.add_user(member, f"Lid {member}")
        yield running


async def test_second_message_in_a_second_to_one_chat_must_wait(
    limited: StandinServer, clock: FakeClock
) -> None:
    async with Bot(TOKEN, base_url=limited.base_url) as bot:
        await bot.send_message(ALICE, "een")
        clock.now += 0.2
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ALICE, "twee")
        assert caught.value.retry_after == dt.timedelta(seconds=1)
        clock.now += 0.8
        await bot.send_message(ALICE, "twee")
        assert [m.text for m in limited.messages(ALICE)] == ["een", "twee"]


async def test_limits_can_be_switched_off_at_runtime(limited: StandinServer) -> None:
    limited.flood_limits = False
    async with Bot(TOKEN, base_url=limited.base_url) as bot:
        for text in ("een", "twee", "drie"):
            await bot.send_message(ALICE, text)
    assert len(limited.messages(ALICE)) == 3


async def test_thirty_messages_per_second_over_all_chats(
    limited: StandinServer, clock: FakeClock
) -> None:
    async with Bot(TOKEN, base_url=limited.base_url) as bot:
        for member in range(1, 31):
            await bot.send_message(member, "Nieuwsbrief")
            clock.now += 0.01
        with pytest.raises(RetryAfter):
            await bot.send_message(31, "Nieuwsbrief")
        clock.now += 0.8
        await bot.send_message(31, "Nieuwsbrief")


def test_retry_after_rounds_up_to_whole_seconds() -> None:
    clock = FakeClock()
    limiter = FloodLimiter(clock, chat_per_second=1, window=3.0)
    assert limiter.retry_after(7) is None
    limiter.record(7)
    clock.now += 0.5
    assert limiter.retry_after(7) == 3  # 2.5 s left, rounded up
    assert limiter.retry_after(8) is None
    clock.now += 2.5
    assert limiter.retry_after(7) is None
