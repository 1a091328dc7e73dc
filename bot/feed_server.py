"""The personal calendar feed: a small aiohttp server in the bot process (``--feed-listen``).

A member's calendar program polls ``GET /agenda/<token>.ics`` and gets the same ``.ics`` as
/agenda's file: the member's meetings with stable UIDs, rising SEQUENCE and STATUS:CANCELLED,
so every move and cancellation shows up by itself. It runs beside polling and beside PTB's
webhook server (another port), started and stopped with the Application.

A wrong, replaced or left member's token gets exactly the answer an unknown path gets (404,
same body). Misses are counted per address in memory (behind a reverse proxy on the same
machine, per address it forwards); after :data:`MISSES_PER_MINUTE` in a
minute the address gets 429 until its minute is over, and one log line says so. Nothing else
about a requester is logged or stored.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from aiohttp import web
from telegram.ext import Application

from berichten.ics import calendar_file
from bot.cli_runtime import CliError
from planning import catalogue
from planning.calendar.feed_tokens import calendar_for_token
from planning.calendar.listings import MyCalendar
from planning.clock import Clock
from planning.db import Database

log = logging.getLogger(__name__)

FEED_PATH = "/agenda/"
SUFFIX = ".ics"
MISSES_PER_MINUTE = 30
WINDOW_SECONDS = 60.0
# At most this many addresses are remembered, so a scan from many addresses cannot fill memory.
ADDRESSES_KEPT = 10_000
# Calendar programs poll every few hours; a proxy may keep an answer a quarter of an hour.
CACHE_CONTROL = "private, max-age=900"
LOOPBACK = frozenset({"127.0.0.1", "::1"})
# Rendered files kept, least recently used dropped first: one per distinct set of entries.
CACHED_FILES = 256


def feed_links(base_url: str, token: str) -> tuple[str, str]:
    """The member's ``https://`` (or ``http://``) link and its ``webcal://`` twin."""
    url = f"{base_url.rstrip('/')}{FEED_PATH}{token}{SUFFIX}"
    return url, "webcal://" + url.split("://", 1)[1]


class Misses:
    """Missed requests per address in the last minute; in memory only."""

    def __init__(
        self, limit: int = MISSES_PER_MINUTE, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._limit = limit
        self._monotonic = monotonic
        self._seen: dict[str, deque[float]] = {}

    def blocked(self, address: str) -> bool:
        """Whether this address missed too often in the last minute."""
        recent = self._recent(address)
        return recent is not None and len(recent) >= self._limit

    def add(self, address: str) -> None:
        recent = self._recent(address)
        if recent is None:
            recent = self._seen[address] = deque()
        recent.append(self._monotonic())
        if len(self._seen) > ADDRESSES_KEPT:  # forget those first seen longest ago
            for quiet in list(self._seen)[: len(self._seen) - ADDRESSES_KEPT]:
                del self._seen[quiet]
        if len(recent) == self._limit:
            log.warning(catalogue.plain("feed.misses", address=address, limit=self._limit))

    def _recent(self, address: str) -> deque[float] | None:
        recent = self._seen.get(address)
        if recent is None:
            return None
        cutoff = self._monotonic() - WINDOW_SECONDS
        while recent and recent[0] <= cutoff:
            recent.popleft()
        if not recent:
            del self._seen[address]
            return None
        return recent


class FeedServer:
    """Serves the feeds on ``host:port``; port 0 picks a free one (see :attr:`port`)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        host: str,
        port: int,
        misses: Misses | None = None,
    ) -> None:
        self._database = database
        self._clock = clock
        self._host = host
        self._port = port
        self._misses = misses or Misses()
        self._runner: web.AppRunner | None = None
        self._files: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self.port = port

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get(FEED_PATH + "{name}", self._feed)
        app.router.add_route("*", "/{tail:.*}", self._unknown)
        # No access log: it would keep every requester's address and token.
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        listen = f"{self._host}:{self._port}"
        try:
            await site.start()
        except OSError as error:
            await self.stop()
            raise CliError(
                catalogue.plain("feed.cannot_listen", listen=listen, problem=error)
            ) from error
        addresses = self._runner.addresses  # learns the port picked for 0
        if addresses:
            self.port = int(addresses[0][1])
        log.info(catalogue.plain("feed.listening", listen=f"{self._host}:{self.port}"))

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        address = _address(request)
        if self._misses.blocked(address):
            return _too_many()
        name = request.match_info["name"]
        calendar = None
        if name.endswith(SUFFIX) and request.method == "GET":
            calendar = await self._database.run(
                calendar_for_token, self._clock, name.removesuffix(SUFFIX)
            )
        if calendar is None:
            self._misses.add(address)
            return _not_found()
        return web.Response(
            body=self._rendered(calendar),
            content_type="text/calendar",
            charset="utf-8",
            headers={"Cache-Control": CACHE_CONTROL},
        )

    def _rendered(self, calendar: MyCalendar) -> bytes:
        """The .ics of ``calendar``, from :attr:`_files` when the same entries were rendered.

        Members of the same groups get the same entries, and writing the file is most of a
        request's work (bench/feed.py). A cached file keeps the DTSTAMP of its first writing,
        which is when its content was last new.
        """
        key = (calendar.zone.key, calendar.name, tuple(calendar.entries))
        content = self._files.get(key)
        if content is None:
            content = calendar_file(
                calendar.entries, calendar.zone, calendar.name, self._clock.now()
            )
            self._files[key] = content
            if len(self._files) > CACHED_FILES:
                self._files.popitem(last=False)
        else:
            self._files.move_to_end(key)
        return content

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        address = _address(request)
        if self._misses.blocked(address):
            return _too_many()
        self._misses.add(address)
        return _not_found()


def _address(request: web.Request) -> str:
    """Who asked: the peer, or behind a reverse proxy on this machine the address it passes on
    in ``X-Forwarded-For`` (its last entry, the one the proxy added); trusted only from there."""
    peer = request.remote or "?"
    forwarded = request.headers.get("X-Forwarded-For")
    if peer in LOOPBACK and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip() or peer
    return peer


def _not_found() -> web.Response:
    return web.Response(status=404, text="Not Found")


def _too_many() -> web.Response:
    return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "60"})


def serve_alongside(
    application: Application[Any, Any, Any, Any, Any, Any], server: FeedServer
) -> None:
    """Start ``server`` when the Application starts, stop it when it shuts down.

    PTB calls ``post_init`` and ``post_shutdown`` in polling and webhook mode alike.
    """
    before_init, before_shutdown = application.post_init, application.post_shutdown

    async def post_init(started: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if before_init is not None:
            await before_init(started)
        await server.start()

    async def post_shutdown(stopping: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await server.stop()
        if before_shutdown is not None:
            await before_shutdown(stopping)

    application.post_init = post_init
    application.post_shutdown = post_shutdown
