"""What the sender loop asks of Telegram, and the outcomes it can be told.

``berichten`` does not know Telegram: ``bot`` implements :class:`Sender` with PTB's bot and maps
PTB's exceptions onto the ones here (:mod:`bot.telegram_sender`). A photo or a document is sent
through the same method as a text, so pacing, retries, 429s, blocked members and recovery after
a crash are the same for both.
"""

from __future__ import annotations

from typing import Protocol

from berichten.outbox.media import Media
from berichten.outbox.store import Buttons


class RecipientBlockedError(Exception):
    """403: the member blocked the bot."""


class MessageRejectedError(Exception):
    """400: Telegram refuses this message; ``str()`` is Telegram's reason."""


class FloodWaitError(Exception):
    """429: Telegram asks to wait ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = seconds


class TransientSendError(Exception):
    """A network error, timeout or 5xx: worth another try later."""


class Sender(Protocol):
    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        """Send one message: HTML ``text``, or ``media`` with ``text`` (may be empty) as its
        caption; return Telegram's message id or raise one of the above."""
        ...
