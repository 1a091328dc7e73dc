"""The benchmark's stand-in Bot API, in this process or in a process of its own.

Telegram is not in the bot's process. The stand-in's own work (reading each request, checking
it against the Bot API, counting it against the flood limits, answering) costs as much CPU as
the sending it measures; in the bot's event loop it delays every answer the pacer waits for,
and one slow moment of either side is lost for both. In a process of its own (the default of
``bench/delivery.py``) the stand-in is a server across loopback, as a self-hosted Bot API server
is. The records the benchmark reads (when each message arrived, the 429s, what each member
received) are asked for over a pipe; arrival times are ``time.monotonic()``, which on Linux is
one clock for every process, so they compare with the benchmark's own.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any, Protocol, Self

from bot.standin import SentMessage, StandinServer


class TimedStandin(StandinServer):
    """The stand-in, noting when each message arrived, optionally as far away as Telegram."""

    def __init__(self, *, flood_limits: bool, latency: float = 0.0) -> None:
        super().__init__(flood_limits=flood_limits)
        self.arrivals: list[float] = []
        self.latency = latency

    async def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        if not self.latency:
            return await super()._dispatch(method, params)
        await asyncio.sleep(self.latency / 2)  # the request on its way
        try:
            return await super()._dispatch(method, params)
        finally:
            await asyncio.sleep(self.latency / 2)  # the answer on its way back

    def record_sent(self, message: SentMessage) -> None:
        super().record_sent(message)
        self.arrivals.append(time.monotonic())

    def count_429(self) -> int:
        return sum(1 for call in self.calls if call.status == 429)

    def received(self, members: Sequence[int]) -> list[int]:
        """How many messages each member has."""
        return [len(self.messages(member)) for member in members]


class Standin(Protocol):
    """What the benchmark needs of a stand-in, wherever it runs."""

    token: str
    base_url: str

    async def add_users(self, members: Sequence[int]) -> None: ...
    async def arrivals(self) -> list[float]: ...
    async def count_429(self) -> int: ...
    async def received(self, members: Sequence[int]) -> list[int]: ...


class InlineStandin:
    """The stand-in in the benchmark's own event loop, as the tests run it."""

    def __init__(self, *, flood_limits: bool, latency: float) -> None:
        self._server = TimedStandin(flood_limits=flood_limits, latency=latency)
        self.token = self._server.token
        self.base_url = ""

    async def __aenter__(self) -> Self:
        await self._server.start()
        self.base_url = self._server.base_url
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.stop()

    async def add_users(self, members: Sequence[int]) -> None:
        for member in members:
            self._server.add_user(member, f"Lid {member}")

    async def arrivals(self) -> list[float]:
        return list(self._server.arrivals)

    async def count_429(self) -> int:
        return self._server.count_429()

    async def received(self, members: Sequence[int]) -> list[int]:
        return self._server.received(members)


class ProcessStandin:
    """The stand-in in a process of its own, driven over a pipe (see the module docstring)."""

    def __init__(self, *, flood_limits: bool, latency: float) -> None:
        self._options = (flood_limits, latency)
        self._pipe: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        self._lock = asyncio.Lock()  # one question on the pipe at a time
        self.token = ""
        self.base_url = ""

    async def __aenter__(self) -> Self:
        context = multiprocessing.get_context("spawn")  # no copy of our event loop or database
        ours, theirs = context.Pipe()
        self._pipe = ours
        self._process = context.Process(target=_serve, args=(theirs, *self._options), daemon=True)
        self._process.start()
        theirs.close()
        self.token, self.base_url = await self._ask("address")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._process is None:
            return
        await self._ask("stop")
        await asyncio.to_thread(self._process.join, 10)
        if self._process.is_alive():
            self._process.kill()

    async def add_users(self, members: Sequence[int]) -> None:
        await self._ask("add_users", list(members))

    async def arrivals(self) -> list[float]:
        arrivals: list[float] = await self._ask("arrivals")
        return arrivals

    async def count_429(self) -> int:
        count: int = await self._ask("count_429")
        return count

    async def deliveries(self, start: int = 0) -> list[tuple[int, float]]:
        """Every message taken, from the ``start``-th on, as (chat, arrival), in order."""
        found: list[tuple[int, float]] = await self._ask("deliveries", start)
        return found

    async def received(self, members: Sequence[int]) -> list[int]:
        counts: list[int] = await self._ask("received", list(members))
        return counts

    async def headings(self, start: int = 0) -> list[tuple[int, float, str]]:
        """Every message taken, from the ``start``-th on, as (chat, arrival, its first line)."""
        found: list[tuple[int, float, str]] = await self._ask("headings", start)
        return found

    async def say(self, lines: Sequence[tuple[int, str]]) -> list[float]:
        """Each member sends their text, in this order; when each was sent (monotonic)."""
        moments: list[float] = await self._ask("say", list(lines))
        return moments

    async def _ask(self, question: str, *args: Any) -> Any:
        """Ask the stand-in's process; the pipe is read in a thread so our loop runs on."""
        pipe = self._pipe
        if pipe is None:
            raise RuntimeError("the stand-in's process has not started")
        async with self._lock:
            pipe.send((question, args))
            ok, answer = await asyncio.to_thread(pipe.recv)
        if not ok:
            raise RuntimeError(f"the stand-in's process failed: {answer}")
        return answer


def _serve(pipe: Connection, flood_limits: bool, latency: float) -> None:
    """The stand-in's process: serve HTTP and answer the benchmark's questions until "stop"."""
    asyncio.run(_serve_async(pipe, flood_limits, latency))


async def _serve_async(pipe: Connection, flood_limits: bool, latency: float) -> None:
    async with TimedStandin(flood_limits=flood_limits, latency=latency) as server:
        while True:
            question, args = await asyncio.to_thread(pipe.recv)
            if question == "stop":
                pipe.send((True, None))
                return
            try:
                pipe.send((True, _answer(server, question, args)))
            except Exception as error:  # the benchmark reports it and stops
                pipe.send((False, repr(error)))


def _answer(server: TimedStandin, question: str, args: tuple[Any, ...]) -> Any:
    if question == "address":
        return server.token, server.base_url
    if question == "add_users":
        for member in args[0]:
            server.add_user(member, f"Lid {member}")
        return None
    if question == "arrivals":
        return server.arrivals
    if question == "count_429":
        return server.count_429()
    if question == "received":
        return server.received(args[0])
    if question == "say":
        moments: list[float] = []
        for member, text in args[0]:
            server.send_message(member, text)
            moments.append(time.monotonic())
        return moments
    if question == "deliveries":
        # record_sent appends to both lists: they pair up one to one.
        chats = [message.chat_id for message in server.sent[args[0] :]]
        return list(zip(chats, server.arrivals[args[0] :], strict=True))
    if question == "headings":
        lines = [(m.chat_id, (m.text or "").split("\n", 1)[0]) for m in server.sent[args[0] :]]
        return [
            (chat, arrival, line)
            for (chat, line), arrival in zip(lines, server.arrivals[args[0] :], strict=True)
        ]
    raise ValueError(f"unknown question {question!r}")
