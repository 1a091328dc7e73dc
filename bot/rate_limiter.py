"""Every message the bot sends keeps to Telegram's limits: PTB's rate limiter over the pacer.

PTB hands each Bot API request of the Application's bot to ``process_request``
(``ExtBot._do_post``; ``getUpdates`` never comes here). A request that puts or changes a message
in a chat (:func:`counts`) waits for a slot of the one :class:`berichten.outbox.pacing.Pacer`
the outbox uses, as an urgent one: a member's answer goes before queued outbox messages. The
outbox's own sends are paced by the sender loop already and say so with
``rate_limit_args=ALREADY_PACED`` (PTB moves that argument into the request's data and
``_extract_rl_kwargs`` takes it out again before it reaches Telegram); they pass straight
through, and their 429s are the sender loop's to handle. Anything else (answering a button
press, ``getMe``, ``setMyCommands``) is not counted by Telegram and passes straight through.

A 429 on a reply pauses the whole pacer for Telegram's ``retry_after`` (flood control is per
bot) and the reply is sent again once it is over: nothing the member asked for is dropped. An
edit that Telegram refuses because the message already shows that content ("message is not
modified": a second press, a stale screen) counts as done (docs/decisions/replies.md).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, RetryAfter
from telegram.ext import BaseRateLimiter

from berichten.outbox.pacing import Pacer

log = logging.getLogger(__name__)


class Pacing(enum.Enum):
    """What a caller tells the rate limiter through ``rate_limit_args``."""

    ALREADY_PACED = "already paced"  # the outbox's sender loop holds a pacer slot for it


ALREADY_PACED = Pacing.ALREADY_PACED

# Not a message in a chat, so not counted by Telegram's limits (a typing indicator).
_NOT_COUNTED = frozenset({"sendChatAction"})
NOT_MODIFIED = "message is not modified"


def counts(endpoint: str) -> bool:
    """Whether Telegram counts this request against its limits: it sends, forwards, copies or
    edits a message in a chat (the stand-in counts the same ones, bot/standin/flood.py)."""
    if endpoint in _NOT_COUNTED:
        return False
    return endpoint.startswith(("send", "editMessage", "forwardMessage", "copyMessage"))


def retry_seconds(error: RetryAfter) -> float:
    """Telegram's ``retry_after`` in seconds (PTB gives an int or, opted in, a timedelta)."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class PacedRequests(BaseRateLimiter[Pacing]):
    """Paces the bot's replies with ``pacer``, before the outbox's sends; see the module."""

    def __init__(self, pacer: Pacer) -> None:
        self.pacer = pacer
        self.waited_out = 0  # 429s on replies, waited out and sent again

    async def initialize(self) -> None:
        """Nothing to set up: the pacer lives as long as the bot."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Pacing | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Send the request within the limits; see the module."""
        chat_id = data.get("chat_id")
        try:
            if rate_limit_args is ALREADY_PACED or not counts(endpoint):
                return await callback(*args, **kwargs)
            if not isinstance(chat_id, int):  # an inline message or an @channel: no chat to pace
                return await callback(*args, **kwargs)
            return await self._paced(callback, args, kwargs, chat_id)
        except BadRequest as error:
            if endpoint.startswith("editMessage") and NOT_MODIFIED in error.message.lower():
                return True  # what PTB returns for an edit that has no message to give back
            raise

    async def _paced(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        chat_id: int,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        while True:
            try:
                async with self.pacer.slot(chat_id, urgent=True):
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_seconds(error)
                self.pacer.pause(seconds)
                self.waited_out += 1
                log.info("Telegram asked to wait %s s; the reply to %s waits", seconds, chat_id)
