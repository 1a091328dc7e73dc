"""The pacer: when the sender loop may start the next send, within Telegram's limits.

Telegram allows about 30 messages a second overall and one a second per private chat; beyond
that it answers 429. The pacer counts both from Telegram's answers, keeps messages to one chat
in order, and spreads sends out (see :class:`Pacer`). It knows nothing of the outbox: the
sender loop (:mod:`berichten.outbox.delivery`) asks it for a slot per message.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

# Sends in flight: a round trip of ROUND_TRIP seconds at the pacer's overall rate (Little's
# law: in flight = rate x round trip). That gives 4 at 30/s, which keeps Telegram's 30/s with
# room to spare even at 100 ms round trips (more only add contention in the event loop), and
# 130 at paid broadcast's 1,000/s, where 4 would cap the rate at 4 per round trip.
ROUND_TRIP = 0.13
FEWEST_IN_FLIGHT = 4
# The least time between two sends starting, as a share of the average (1 / per_second):
# 0.8 keeps sends from bunching (see Pacer) and still lets the rate run 25% above average to
# make up for a stall.
SPREAD = 0.8
# A gap shorter than this is not kept: one send's own work in the event loop (PTB, HTTP) spaces
# sends about that much anyway, and keeping the 0.8 ms gap of paid broadcast's 1,000/s would
# only make senders wake each other (docs/decisions/pacing.md).
SHORTEST_SPREAD = 0.002


@dataclass
class Pacer:
    """Hands out send slots: at most ``per_second`` overall, one per ``chat_interval`` per chat.

    A send occupies its slot from the moment it starts until a second after Telegram answered,
    and the next message to a chat starts ``chat_interval`` after the previous one to it was
    answered. Counting from the answer, not from the start, keeps us within Telegram's limits
    however the network delays requests (Telegram counts when a request arrives, which lies in
    between). The price is a rate of ``per_second / (1 + latency)``: 29.9/s at 5 ms, about
    27/s at 100 ms. Time and sleep are injected so tests can run it on a fake clock.

    A sender that asks with ``urgent=True`` (a direct reply to a member) goes before the
    others: while one waits whose chat could take it now, no other sender takes a slot. One
    waiting for its own chat's interval holds nobody up.

    Messages to one chat get their slots in the order they asked for them (the order they were
    claimed: priority, due time, id), whoever's timer fires first: an agenda sent in parts
    must not arrive as part 2 before part 1.

    Sends also start at least :data:`SPREAD` / ``per_second`` apart. Without that, a moment's
    delay (a batch claimed, a busy event loop) lets a heap of slots free up at once; the sends
    in the heap queue behind each other, are answered late, and so free the next second's
    slots in a heap again, for minutes below the rate (docs/decisions/pacing.md). Spread out,
    the slots stay spread out, and after a stall the backlog is still made up (at up to
    1 / SPREAD of the rate).
    At paid broadcast the gap would be shorter than a send's own work (:data:`SHORTEST_SPREAD`)
    and is not kept.
    """

    per_second: float = 30.0
    chat_interval: float = 1.0
    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    _answered: deque[float] = field(default_factory=deque)  # when recent sends were answered
    _in_flight: int = 0
    _busy_chats: set[int] = field(default_factory=set)
    _last_in_chat: dict[int, float] = field(default_factory=dict)
    _turns: dict[int, deque[object]] = field(default_factory=dict)  # per chat, who is next
    _urgent: dict[object, int] = field(default_factory=dict)  # urgent waiters' turns: chat
    _waiting: dict[object, int] = field(default_factory=dict)  # turns without a slot: chat
    _paused_until: float = 0.0
    _next_start: float = -math.inf  # the earliest start time not yet handed out
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @asynccontextmanager
    async def slot(self, chat_id: int, *, urgent: bool = False) -> AsyncIterator[None]:
        """Wait for a slot for ``chat_id``; hold it while the message is sent. An ``urgent``
        sender (a reply) is served before the others waiting."""
        turn = object()
        self._turns.setdefault(chat_id, deque()).append(turn)  # before any await: claim order
        self._waiting[turn] = chat_id  # in the order asked
        if urgent:
            self._urgent[turn] = chat_id
        try:
            await self._wait_for_slot(chat_id, turn)
        except BaseException:  # cancelled while waiting: the next in this chat goes first
            self._urgent.pop(turn, None)
            self._waiting.pop(turn, None)
            self._leave(chat_id, turn)  # no await before it: a second cancel cannot skip it
            self._wake_all()
            raise
        try:
            yield
        finally:
            answered = self.monotonic()
            self._in_flight -= 1
            self._busy_chats.discard(chat_id)
            self._answered.append(answered)
            self._last_in_chat[chat_id] = answered
            self._leave(chat_id, turn)
            self._wake_all()

    async def _wait_for_slot(self, chat_id: int, turn: object) -> None:
        """Wait until every limit allows a send, take the slot, then wait for its start time.

        Start times are handed out in turn (``_next_start``), each SPREAD / per_second after
        the last, to senders that hold a slot already: a sender sleeps once to its own time,
        and no two senders are given times for one slot. (Were they all to sleep until the
        earliest allowed start, every start would wake every waiting sender, 130 at paid
        broadcast, only for all but one to sleep again; were times handed out before the slot
        was taken, senders racing for one slot would push the next start back for nothing.)
        """
        while True:
            now = self.monotonic()
            wait, need_answer = self._blocked(chat_id, now)
            # An earlier message to this chat is still waiting: it goes first.
            need_answer = need_answer or self._turns[chat_id][0] is not turn
            # A reply that could go now goes first.
            need_answer = need_answer or (turn not in self._urgent and self._reply_ready(now))
            # One that asked earlier and could go now goes first.
            need_answer = need_answer or not self._first_in_line(turn, now)
            if wait <= 0 and not need_answer:
                break
            if wait > 0:
                await self.sleep(wait)
            else:
                await self._changed.wait()
        # The slot is this sender's from now on (counted in flight: stricter than from the
        # start, so still within the limits); only the start waits for its turn.
        self._in_flight += 1
        self._busy_chats.add(chat_id)
        del self._waiting[turn]
        gap = SPREAD / self.per_second
        if self._urgent.pop(turn, None) is not None or (gap >= SHORTEST_SPREAD and self._waiting):
            self._wake_all()  # the others held back for it may look again
        if gap < SHORTEST_SPREAD:
            return
        start = max(now, self._next_start)
        self._next_start = start + gap
        if start <= now:
            return
        try:
            await self.sleep(start - now)
        except BaseException:  # cancelled before it started: the slot is free again
            self._in_flight -= 1
            self._busy_chats.discard(chat_id)
            raise

    def _wake_all(self) -> None:
        """Let every sender waiting for an answer look again: a slot, a chat or a turn came free.

        Synchronous, like all the bookkeeping around it: the pacer's state changes only between
        awaits, so it needs no lock, and a sender cancelled (again) while it leaves cannot leave
        half its bookkeeping undone. Each waiter waits on the event that was current when it
        began; setting it and starting a fresh one wakes exactly those.
        """
        self._changed.set()
        self._changed = asyncio.Event()

    def _leave(self, chat_id: int, turn: object) -> None:
        turns = self._turns[chat_id]
        turns.remove(turn)
        if not turns:
            del self._turns[chat_id]

    @property
    def concurrency(self) -> int:
        """How many sends to keep in flight to reach ``per_second`` (see :data:`ROUND_TRIP`)."""
        return max(FEWEST_IN_FLIGHT, math.ceil(self.per_second * ROUND_TRIP))

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until it is over."""
        self._paused_until = max(self._paused_until, self.monotonic() + seconds)

    def chat_ready(self, chat_id: int) -> bool:
        """Whether a message to ``chat_id`` could start now as far as that chat goes: none in
        flight or waiting for it, and its interval since the last one passed."""
        if chat_id in self._busy_chats or self._turns.get(chat_id):
            return False
        last = self._last_in_chat.get(chat_id)
        return last is None or last + self.chat_interval <= self.monotonic()

    def _reply_ready(self, now: float) -> bool:
        """Whether an urgent sender waits whose chat could take a message now."""
        return any(self._could_go(chat_id, turn, now) for turn, chat_id in self._urgent.items())

    def _first_in_line(self, turn: object, now: float) -> bool:
        """Whether no sender that asked before ``turn`` could go now as far as its chat goes.

        Such senders wait for the overall budget alone, and the first in line gets it. Left to
        their timers, the waiters for one freed slot wake in an order set by microseconds of
        bookkeeping, always the same: one whose chat had to wait its interval (a reminder
        after the member's copy of a newsletter) lost every race to fresh chats, for seconds
        (bench/newsletter.py). Urgent senders keep their precedence; not at paid broadcast,
        where the spread is not kept either and 130 senders would wake each other per slot.
        """
        if turn in self._urgent or SPREAD / self.per_second < SHORTEST_SPREAD:
            return True
        for other, chat_id in self._waiting.items():
            if other is turn:
                return True
            if self._could_go(chat_id, other, now):
                return False
        return True

    def _could_go(self, chat_id: int, turn: object, now: float) -> bool:
        """Whether ``turn`` is next in ``chat_id`` and the chat could take a message now."""
        if chat_id in self._busy_chats or self._turns[chat_id][0] is not turn:
            return False
        last = self._last_in_chat.get(chat_id)
        return last is None or last + self.chat_interval <= now

    def _blocked(self, chat_id: int, now: float) -> tuple[float, bool]:
        """(seconds to wait, whether to wait for a send in flight to be answered)."""
        while self._answered and self._answered[0] <= now - 1.0:
            self._answered.popleft()
        wait = self._paused_until - now
        need_answer = chat_id in self._busy_chats
        last = self._last_in_chat.get(chat_id)
        if last is not None:
            wait = max(wait, last + self.chat_interval - now)
        taken = len(self._answered) + self._in_flight
        if taken >= self.per_second:
            expiring = taken - int(self.per_second)  # this many answers must age out first
            if expiring < len(self._answered):
                wait = max(wait, self._answered[expiring] + 1.0 - now)
            else:
                need_answer = True
        return wait, need_answer
