"""The sender loop's supply of claimed messages: one at a time, the next batch claimed ahead.

The sender loop (:mod:`berichten.outbox.delivery`) takes its messages from a :class:`Feed`,
which claims them from the outbox a batch at a time before those in hand run out, so sending
never waits for the database, and hands each worker a message whose chat may take one.
"""

from __future__ import annotations

import asyncio
import heapq
import math
import time
from collections import deque
from collections.abc import Callable, Coroutine, Iterable
from operator import attrgetter
from typing import Any

from berichten.outbox.store import Claimed

# While a run sends, it looks for newly due messages about this often: a claim made ahead takes
# this many seconds of sends at the pacer's rate (15 at 30/s; a BATCH unpaced or at paid
# broadcast), and the messages in hand are topped up to a BATCH (with none in hand, a claim
# takes a BATCH). A reminder due during a newsletter is claimed
# within about this long and goes ahead of the newsletter in hand (bench/newsletter.py); with
# whole BATCHes it waited up to 6.7 s at 30/s.
CLAIM_AHEAD = 0.5


class Feed:
    """Claimed messages one at a time, claiming the next batch before this one runs out.

    Claiming ahead repeats nothing after a crash: a claimed message that was not sent yet is
    ``sending`` without having been sent, and recovery simply sends it once.

    A worker gets the first message whose chat may take one now (``ready``: no other worker
    sends to it, and its interval since the last message passed): several messages due for one
    member at once (a new member's reminders, an agenda in parts) would otherwise keep every
    worker waiting out that chat's interval. When no waiting message's chat is ready, it gets
    the first whose chat no worker holds, else the first; the pacer keeps each chat's messages
    in order.

    ``claim(n)`` claims up to ``n``: ``batch`` ahead, ``refill`` when none are in hand (so the
    first second of a run has chats enough to choose from). A batch claimed ahead joins the
    messages in hand as soon as it is there, by priority: more urgent ones (a reminder due
    during a newsletter) go before those in hand, others after. A claim that finds nothing is
    not repeated for :data:`CLAIM_AHEAD` seconds while messages are in hand.
    """

    def __init__(
        self,
        claim: Callable[[int], Coroutine[Any, Any, list[Claimed]]] | None,
        *,
        batch: int = 0,
        refill: int = 0,
        low_water: int = 0,
        ready: Callable[[int], bool] = lambda _chat: True,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._claim = claim
        self._batch = batch
        self._refill = refill
        self._low_water = low_water
        self._ready: deque[Claimed] = deque()
        self._claiming: asyncio.Task[list[Claimed]] | None = None
        self._lock = asyncio.Lock()
        self._busy: dict[int, int] = {}  # chat -> messages to it handed out and not finished
        self._chat_ready = ready
        self._monotonic = monotonic
        self._quiet_until = -math.inf  # no claim ahead before this: the last found nothing

    @classmethod
    def of(cls, messages: Iterable[Claimed], ready: Callable[[int], bool]) -> Feed:
        feed = cls(None, ready=ready)
        feed._ready.extend(messages)
        return feed

    async def next(self) -> Claimed | None:
        """The next message to send, or None when nothing due is left."""
        async with self._lock:
            if self._claiming is not None and self._claiming.done():
                self._add(await self._claimed())
            if not self._ready and self._claim is not None:
                self._add(await self._claimed())
                if not self._ready:
                    self._claim = None  # nothing due: the run is over
            if not self._ready:
                return None
            message = self._take()
            self._busy[message.recipient] = self._busy.get(message.recipient, 0) + 1
            if (
                len(self._ready) <= self._low_water
                and self._claiming is None
                and self._claim
                and self._monotonic() >= self._quiet_until
            ):
                self._claiming = asyncio.create_task(self._claim(self._batch))
            return message

    def _add(self, claimed: list[Claimed]) -> None:
        """Claimed messages join those in hand, by priority (both are in claim order)."""
        if not claimed:
            self._quiet_until = self._monotonic() + CLAIM_AHEAD
        elif self._ready and claimed[0].priority < self._ready[-1].priority:
            by_priority = heapq.merge(self._ready, claimed, key=attrgetter("priority"))
            self._ready = deque(by_priority)
        else:
            self._ready.extend(claimed)

    def unsent(self) -> list[Claimed]:
        """What was claimed and not handed out (a run that stopped early)."""
        left, self._ready = list(self._ready), deque()
        return left

    def finished(self, message: Claimed) -> None:
        """The worker is done with ``message``: its chat may be handed out again."""
        left = self._busy[message.recipient] - 1
        if left:
            self._busy[message.recipient] = left
        else:
            del self._busy[message.recipient]

    def _take(self) -> Claimed:
        free: int | None = None  # the first whose chat no worker holds
        for index, message in enumerate(self._ready):
            if message.recipient in self._busy:
                continue
            if self._chat_ready(message.recipient):
                del self._ready[index]
                return message
            if free is None:
                free = index
        if free is None:
            return self._ready.popleft()
        message = self._ready[free]
        del self._ready[free]
        return message

    async def close(self) -> None:
        """Wait for a claim still running, so no task outlives the run; its messages are
        handed back by :meth:`unsent` with the rest."""
        if self._claiming is not None:
            [claimed] = await asyncio.gather(self._claiming, return_exceptions=True)
            if isinstance(claimed, list):  # handed back with the rest by unsent()
                self._ready.extend(claimed)

    async def _claimed(self) -> list[Claimed]:
        if self._claiming is None:
            assert self._claim is not None
            self._claiming = asyncio.create_task(self._claim(self._refill))
        # Shielded: a run cancelled now must not cancel the claim halfway through its
        # transaction (that left a connection holding SQLite's lock); close() waits for it.
        claimed = await asyncio.shield(self._claiming)
        self._claiming = None
        return claimed
