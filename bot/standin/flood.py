"""Telegram's flood limits: 30 messages a second in total and one a second per chat.

A bot that sends a newsletter or a batch of reminders hits these limits in production;
with them switched on, tests can prove the bot honours RetryAfter instead of dropping
messages. The clock is injectable so the limiter can be tested without sleeping.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

__all__ = ["FLOOD_METHODS", "FloodLimiter"]

# Methods that put (or change) a message in a chat and so count against the limits.
FLOOD_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "sendMediaGroup",
        "forwardMessage",
        "copyMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
        "editMessageMedia",
    }
)


class FloodLimiter:
    """Sliding one-second windows over all chats and per chat."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        *,
        global_per_second: int = 30,
        chat_per_second: int = 1,
        window: float = 1.0,
    ) -> None:
        self._clock = clock
        self._global_limit = global_per_second
        self._chat_limit = chat_per_second
        self._window = window
        self._all: deque[float] = deque()
        self._per_chat: dict[int, deque[float]] = {}

    def retry_after(self, chat_id: int) -> int | None:
        """Whole seconds until a send to this chat is allowed again, or None if it is now."""
        now = self._clock()
        self._expire(self._all, now)
        chat = self._per_chat.setdefault(chat_id, deque())
        self._expire(chat, now)
        waits: list[float] = []
        if len(self._all) >= self._global_limit:
            waits.append(self._all[len(self._all) - self._global_limit] + self._window - now)
        if len(chat) >= self._chat_limit:
            waits.append(chat[len(chat) - self._chat_limit] + self._window - now)
        if not waits:
            return None
        return max(1, math.ceil(max(waits)))

    def record(self, chat_id: int) -> None:
        """Count a message that Telegram accepted."""
        now = self._clock()
        self._all.append(now)
        self._per_chat.setdefault(chat_id, deque()).append(now)

    def _expire(self, stamps: deque[float], now: float) -> None:
        while stamps and stamps[0] <= now - self._window:
            stamps.popleft()
