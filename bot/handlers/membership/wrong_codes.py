"""Slowing down whoever sends wrong invite codes, remembered in memory only.

Codes carry 96 random bits, so guessing one is hopeless; what a flood of wrong codes costs is
database look-ups and answers that share Telegram's limits with everyone else. The rules:

- A wrong code (unknown, used or expired) is counted against the Telegram id that sent it.
- The :data:`LIMIT`-th wrong code within :data:`WINDOW` slows that id down for a
  :data:`WINDOW`: its codes are not even checked, the first message meanwhile is answered with
  "try again in a minute", the rest get no answer at all.
- After that the next code is checked again. An id that was slowed down stays so (until it
  sends a right code, or nothing for :data:`FORGET_AFTER`): each wrong code slows it down for
  another minute at once, its refusal being that minute's answer. So it gets at most about one
  answer a minute.

Nothing of this reaches the database: strangers are not stored (docs/decisions/membership.md).
At most :data:`CAPACITY` ids are remembered, the least recently seen forgotten first, so a
flood from many ids cannot grow it without limit.
"""

from __future__ import annotations

import enum
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import datetime, timedelta

LIMIT = 10
WINDOW = timedelta(minutes=1)
FORGET_AFTER = timedelta(minutes=10)
CAPACITY = 10_000


class Attempt(enum.Enum):
    """What to do with a code someone sent."""

    CHECK = "check"
    SLOW_DOWN = "slow_down"  # not checked; answer that they must wait a minute
    IGNORE = "ignore"  # not checked, and no answer


@dataclass
class _Record:
    seen: datetime
    wrong: deque[datetime] = field(default_factory=lambda: deque(maxlen=LIMIT))
    slowed: bool = False
    quiet_until: datetime | None = None
    told: bool = False  # the one answer of this quiet minute was given


class WrongCodes:
    """The ids that sent wrong codes lately, and whether their next code is checked."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._records: OrderedDict[int, _Record] = OrderedDict()  # least recently seen first

    def __len__(self) -> int:
        return len(self._records)

    def attempt(self, user_id: int, now: datetime) -> Attempt:
        """A code arrived from ``user_id``: check it, or answer "slow down", or ignore it."""
        self._forget_stale(now)
        record = self._records.get(user_id)
        if record is None:
            return Attempt.CHECK
        self._touch(user_id, record, now)
        if record.quiet_until is None or now >= record.quiet_until:
            return Attempt.CHECK
        if record.told:
            return Attempt.IGNORE
        record.told = True
        return Attempt.SLOW_DOWN

    def wrong(self, user_id: int, now: datetime) -> None:
        """The code ``user_id`` sent was checked and wrong."""
        record = self._records.get(user_id)
        if record is None:
            if len(self._records) >= self._capacity:
                self._records.popitem(last=False)
            record = self._records[user_id] = _Record(seen=now)
        self._touch(user_id, record, now)
        record.wrong.append(now)
        if record.slowed:
            record.quiet_until, record.told = now + WINDOW, True
        elif len(record.wrong) == LIMIT and now - record.wrong[0] < WINDOW:
            record.slowed, record.quiet_until, record.told = True, now + WINDOW, False

    def right(self, user_id: int) -> None:
        """``user_id`` got in (or was a member already): forget their wrong codes."""
        self._records.pop(user_id, None)

    def _touch(self, user_id: int, record: _Record, now: datetime) -> None:
        record.seen = now
        self._records.move_to_end(user_id)

    def _forget_stale(self, now: datetime) -> None:
        while self._records:
            user_id, oldest = next(iter(self._records.items()))
            if now - oldest.seen < FORGET_AFTER:
                return
            del self._records[user_id]
