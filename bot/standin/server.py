"""The HTTP face of the stand-in: an aiohttp app answering /bot<token>/<method>.

It runs in the test's own event loop, so a test can make a member act, let the real PTB
Application react over real HTTP, and then inspect what the bot sent, all without a
network or a Telegram account.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from bot.standin import pins as _pins  # noqa: F401 - registers pinChatMessage
from bot.standin import updates as _updates  # noqa: F401 - registers the update handlers
from bot.standin.flood import FLOOD_METHODS, FloodLimiter
from bot.standin.methods import HANDLERS
from bot.standin.models import ApiCall, ApiError, SentMessage
from bot.standin.spec import FilePart, SpecError, load_spec
from bot.standin.state import World
from bot.standin.updates import WebhookPusher

__all__ = ["StandinServer"]

_MAX_UPLOAD = 50 * 1024 * 1024  # Telegram's limit for bot uploads


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None
    delay: float


class StandinServer(World):
    """A local Telegram Bot API for one bot, plus the controls and records tests need."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "overlegbot_test",
        bot_id: int = 123456,
        bot_first_name: str = "Overlegbot",
        flood_limits: bool = False,
        *,
        clock: Callable[[], float] = time.monotonic,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(
            token=token, bot_username=bot_username, bot_id=bot_id, bot_first_name=bot_first_name
        )
        self.flood_limits = flood_limits
        self.spec = load_spec()
        self._limiter = FloodLimiter(clock)
        self._failures: dict[str, list[_Failure]] = {}
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._pusher = WebhookPusher(self)

    # ---------------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        """Bind the HTTP server (port 0 picks a free port) and start webhook delivery."""
        app = web.Application(client_max_size=_MAX_UPLOAD + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_unknown)
        # Long polls are woken on stop, so a short shutdown timeout loses nothing.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._port = self._runner.addresses[0][1]
        self.closing = False
        await self._pusher.start()

    async def stop(self) -> None:
        """Release waiting long polls first so shutdown does not hang on them."""
        self.closing = True
        self.notify()
        await asyncio.sleep(0)
        await self._pusher.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """For PTB's base_url; PTB appends the token itself."""
        return f"http://{self._host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._host}:{self._port}/file/bot"

    # ---------------------------------------------------------------------- test controls

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
        count: int = 1,
        delay: float = 0.0,
    ) -> None:
        """Make the next `count` calls of a method fail, to test the bot's error handling."""
        canonical = self.spec.canonical_method(method)
        if canonical is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        failure = _Failure(status, description, retry_after, delay)
        self._failures.setdefault(canonical, []).extend([failure] * count)

    async def next_message(self, chat_id: int, timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109
        """The next message the bot sent to the chat that this method has not returned yet."""
        found: list[SentMessage] = []

        def arrived() -> bool:
            message = self.take_next_message(chat_id)
            if message is not None:
                found.append(message)
            return message is not None

        if await self.wait_until(arrived, timeout):
            return found[0]
        texts = [m.text for m in self._all_in(chat_id)]
        raise AssertionError(
            f"no new bot message in chat {chat_id} within {timeout}s; the chat has received "
            f"{texts}; last API calls:\n{self._recent_calls()}"
        )

    async def wait_for(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the public test API
    ) -> None:
        """Wait until predicate() holds; it is re-checked after every API call and action."""
        if not await self.wait_until(predicate, timeout):
            raise AssertionError(
                f"condition not met within {timeout}s; last API calls:\n{self._recent_calls()}"
            )

    def _all_in(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def _recent_calls(self, count: int = 10) -> str:
        return "\n".join(f"  {call.summary()}" for call in self.calls[-count:]) or "  (none)"

    # ------------------------------------------------------------------------ HTTP side

    async def _handle_unknown(self, request: web.Request) -> web.Response:
        return _respond(ApiError(404, "Not Found").body(), 404)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return _respond(ApiError(401, "Unauthorized").body(), 401)
        path = request.match_info["path"]
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type=stored.mime_type)
        return _respond(ApiError(404, "Not Found").body(), 404)

    async def _handle_method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        method = self.spec.canonical_method(name) or name
        params: dict[str, Any] = {}
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if self.spec.canonical_method(name) is None:
                self._violate(f"{name}: not a method of {self.spec.version}")
                raise ApiError(404, "Not Found")
            raw, files = await _read_params(request)
            try:
                params = self.spec.decode_params(method, raw, files)
            except SpecError as exc:
                params = {**raw, **files}
                self._violate(str(exc))
                raise ApiError(400, f"Bad Request: {exc}") from None
            result = await self._dispatch(method, params)
            body: dict[str, Any] = {"ok": True, "result": result}
            status = 200
        except ApiError as error:
            body, status = error.body(), error.status
        self.calls.append(ApiCall(method, params, status, body))
        self.notify()
        return _respond(body, status)

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        failures = self._failures.get(method)
        if failures:
            failure = failures.pop(0)
            if failure.delay > 0:
                await asyncio.sleep(failure.delay)
            extra = {"retry_after": failure.retry_after} if failure.retry_after else None
            raise ApiError(failure.status, failure.description, extra)
        handler = HANDLERS.get(method)
        if handler is None:
            self._violate(f"{method}: method not served by the stand-in")
            raise ApiError(400, f"Bad Request: method not served by the stand-in: {method}")
        limited = self.flood_limits and method in FLOOD_METHODS
        chat_id = params.get("chat_id")
        if limited and isinstance(chat_id, int):
            wait = self._limiter.retry_after(chat_id)
            if wait is not None:
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        result = await handler(self, params)
        if limited and isinstance(chat_id, int):
            self._limiter.record(chat_id)
        return result

    def _violate(self, violation: str) -> None:
        self.violations.append(violation)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, FilePart]]:
    """Collect parameters from the query string and a form, multipart or JSON body."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, FilePart] = {}
    if not request.can_read_body:
        return raw, files
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except json.JSONDecodeError:
            raise ApiError(400, "Bad Request: can't parse JSON body") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: JSON body must be an object")
        raw.update(body)
        return raw, files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = FilePart(
                field_name=key,
                file_name=value.filename,
                content_type=value.content_type,
                content=value.file.read(),
            )
        elif isinstance(value, str):
            raw[key] = value
        else:
            raw[key] = value.decode("utf-8")
    return raw, files


def _respond(body: dict[str, Any], status: int) -> web.Response:
    return web.json_response(body, status=status)
