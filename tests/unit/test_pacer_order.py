"""Messages to one chat leave in the order they were claimed, however their timers fire; and a
freed slot goes to the sender that asked for one first.

An agenda sent in parts is several outbox rows to one chat, claimed in order and sent by
different workers; each waits for the chat's second to pass. Which sleeper the event loop wakes
first is not the pacer's to choose, so the timers here fire last-in first-out on purpose.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from berichten.outbox.pacing import (
    Pacer,
)

CHAT = 42


@dataclass
class StackedTime:
    """A clock and a sleep whose sleepers are woken newest first, when the test says so."""

    now: float = 0.0
    sleepers: list[asyncio.Future[None]] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.sleepers.append(future)
        await future

    async def pass_a_second(self) -> None:
        self.now += 1.0
        woken, self.sleepers = self.sleepers, []
        for future in reversed(woken):
            if not future.done():  # not given up
                future.set_result(None)
                await _settle()


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def _send(pacer: Pacer, sent: list[str], name: str, chat: int = CHAT) -> None:
    async with pacer.slot(chat):
        sent.append(name)


async def test_parts_to_one_chat_go_in_the_order_they_asked_for_a_slot() -> None:
    time = StackedTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
    sent: list[str] = []
    await _send(pacer, sent, "vorig bericht")  # the chat's second has just begun
    parts = [asyncio.create_task(_send(pacer, sent, f"deel {n}")) for n in (1, 2, 3)]
    await _settle()
    for _ in range(10):
        await time.pass_a_second()
    assert all(part.done() for part in parts)
    assert sent == ["vorig bericht", "deel 1", "deel 2", "deel 3"]


async def test_a_part_given_up_while_waiting_does_not_hold_up_the_next() -> None:
    time = StackedTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
    sent: list[str] = []
    await _send(pacer, sent, "vorig bericht")
    first = asyncio.create_task(_send(pacer, sent, "deel 1"))
    second = asyncio.create_task(_send(pacer, sent, "deel 2"))
    await _settle()
    first.cancel()
    await _settle()
    for _ in range(10):
        await time.pass_a_second()
    second.cancel()  # still waiting if the given-up part kept its turn
    assert sent == ["vorig bericht", "deel 2"]


async def test_a_chat_that_waited_its_second_is_not_passed_over_for_later_chats() -> None:
    # A reminder to a member who has just got the newsletter waits for that chat's second; the
    # newsletter to others, asked for after it, must not take every slot that frees meanwhile.
    time = StackedTime()
    pacer = Pacer(per_second=1, monotonic=time.monotonic, sleep=time.sleep)
    sent: list[str] = []
    await _send(pacer, sent, "nieuwsbrief")  # the chat's second and the overall one begin
    reminder = asyncio.create_task(_send(pacer, sent, "herinnering"))
    others = [asyncio.create_task(_send(pacer, sent, f"aan {c}", c)) for c in (43, 44)]
    await _settle()
    await time.pass_a_second()  # one slot free; the later senders are woken first
    assert sent == ["nieuwsbrief", "herinnering"]
    for _ in range(3):
        await time.pass_a_second()
    assert sent == ["nieuwsbrief", "herinnering", "aan 43", "aan 44"]
    assert reminder.done() and all(task.done() for task in others)
