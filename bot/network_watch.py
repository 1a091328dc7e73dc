"""Whether Telegram answers: one log line when it stops and one when it answers again.

Every Bot API request goes through :class:`WatchedRequest`, which tells a :class:`NetworkWatch`
how it went (docs/decisions/operations.md).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from telegram.error import TelegramError

from bot.aiohttp_request import AiohttpRequest
from planning import catalogue

log = logging.getLogger(__name__)

BOOTSTRAP_METHODS = frozenset({"getMe", "deleteWebhook", "setWebhook"})
_REFUSALS = (HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.TOO_MANY_REQUESTS)


class NetworkWatch:
    """Says once when Telegram stops answering and once when it answers again.

    It hears how every Bot API request went (:class:`WatchedRequest`): no answer at all
    (refused, reset, timed out), or the HTTP status, sorted the way PTB sorts it into
    exceptions. A failure of a start-up call PTB retries (getMe, deleteWebhook, setWebhook) is
    one line per attempt instead. A refused token (401, or 404 for a token of the wrong shape)
    is kept in :attr:`rejected`; while the bot runs, :attr:`on_rejected` is called once:
    ``overlegbot run`` stops the bot, as PTB stops polling on it anyway. A call Telegram
    refused (400, 403) or slowed down (429) is its caller's business. Everything runs in the
    bot's event loop.
    """

    def __init__(
        self,
        api_url: str,
        *,
        attempts: int = 1,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url
        self.attempts = attempts
        self.starting = True
        self.rejected: str | None = None
        self.on_rejected: Callable[[], None] | None = None
        self._monotonic = monotonic
        self._down_since: float | None = None
        self._failures = 0
        self._attempt: dict[str, int] = {}

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def failing(self, method: str) -> bool:
        """Whether the last attempt of start-up call ``method`` failed."""
        return method in self._attempt

    def started(self) -> None:
        """The bot is up: from now on a failed call is ordinary trouble."""
        self.starting = False
        self._attempt.clear()

    def unreachable(self, method: str, error: TelegramError) -> None:
        """``method`` got no answer: the connection failed, broke off or timed out."""
        self._trouble(method, error.message, conflict=False)

    def answered(self, method: str, status: int, description: str) -> None:
        if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
            self._fine(method)
        elif status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.NOT_FOUND):
            self._rejected(description)
        elif status == HTTPStatus.CONFLICT:
            self._trouble(method, description, conflict=True)
        elif status in _REFUSALS:
            if self.starting and method in BOOTSTRAP_METHODS:
                self._attempt_failed(method, description)
            else:
                self._fine(method)  # Telegram answered: the network is fine
        else:  # 502 and every other status, as PTB has it: a NetworkError
            self._trouble(method, description, conflict=False)

    def _rejected(self, description: str) -> None:
        first = self.rejected is None
        self.rejected = description
        if first and not self.starting and self.on_rejected is not None:
            self.on_rejected()

    def _attempt_failed(self, method: str, problem: str) -> None:
        attempt = self._attempt[method] = self._attempt.get(method, 0) + 1
        text = catalogue.plain(
            "run.start_attempt",
            method=method,
            url=self.api_url,
            attempt=attempt,
            attempts=self.attempts,
            problem=problem,
        )
        log.warning(text)

    def _trouble(self, method: str, problem: str, *, conflict: bool) -> None:
        if self.starting and method in BOOTSTRAP_METHODS:
            self._attempt_failed(method, problem)
            return
        self._failures += 1
        if self._down_since is not None:
            return
        self._down_since = self._monotonic()
        key = "run.polled_twice" if conflict else "run.outage_began"
        log.warning(catalogue.plain(key, url=self.api_url, problem=problem))

    def _fine(self, method: str) -> None:
        self._attempt.pop(method, None)
        if self._down_since is None:
            return
        seconds = self._monotonic() - self._down_since
        self._down_since = None
        failures, self._failures = self._failures, 0
        text = catalogue.plain(
            "run.outage_ended", duration=_duration(seconds), failures=failures, url=self.api_url
        )
        log.info(text)


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, seconds_left = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {seconds_left} s"
    hours, minutes_left = divmod(minutes, 60)
    return f"{hours} u {minutes_left} min"


class WatchedRequest(AiohttpRequest):
    """A Bot API request (:class:`AiohttpRequest`), telling a :class:`NetworkWatch` how each
    call went.

    It hooks ``do_request``, the one method PTB leaves to a request class: it returns the HTTP
    status and body, or raises PTB's ``NetworkError``/``TimedOut`` when no answer came.
    """

    __slots__ = ("watch",)

    def __init__(self, watch: NetworkWatch, *, connection_pool_size: int = 1) -> None:
        super().__init__(connection_pool_size)
        self.watch = watch

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        url = str(kwargs["url"] if "url" in kwargs else args[0])
        method = url.rsplit("/", 1)[-1]
        try:
            status, payload = await super().do_request(*args, **kwargs)
        except TelegramError as error:
            self.watch.unreachable(method, error)
            raise
        self.watch.answered(method, status, _description(status, payload))
        return status, payload


def _description(status: int, payload: bytes) -> str:
    """Telegram's ``description`` of an answer, else the status, as PTB words its errors."""
    if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
        return ""
    try:
        description = json.loads(payload).get("description")
    except (ValueError, AttributeError):
        description = None
    if isinstance(description, str) and description:
        return description
    try:
        return f"{HTTPStatus(status).phrase} ({status})"
    except ValueError:
        return f"HTTP {status}"
