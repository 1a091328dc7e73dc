"""``overlegbot run`` as an operator starts it: a process of its own, and what it logged.

The process talks to whatever ``OVERLEGBOT_BOT_API_URL`` says (the stand-in, or a closed port),
exactly as it would to a self-hosted Bot API server; only its settings come from the test.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.standin import TOKEN


def bot_environment(api_url: str, directory: Path, **settings: str) -> dict[str, str]:
    """The environment of a bot process: this machine's, without any OVERLEGBOT_ setting but
    the token, the Bot API URL, an SQLite file in ``directory`` and ``settings`` (names without
    the prefix, e.g. ``ADMINS="9000"``)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OVERLEGBOT_")}
    environment |= {
        "OVERLEGBOT_TOKEN": TOKEN,
        "OVERLEGBOT_BOT_API_URL": api_url,
        "OVERLEGBOT_DATABASE_URL": f"sqlite:///{directory / 'bot.db'}",
    }
    environment |= {f"OVERLEGBOT_{name}": value for name, value in settings.items()}
    return environment


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class BotProcess:
    """A running ``overlegbot run`` and the lines it wrote to stderr so far."""

    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)

    @classmethod
    async def start(cls, environment: dict[str, str], cwd: Path, *args: str) -> BotProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            *args,
            env=environment,
            cwd=cwd,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(process)

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    async def wait_for(self, text: str, timeout: float = 30) -> str:  # noqa: ASYNC109
        """The first line from now on that contains ``text``."""

        async def read() -> str:
            assert self.process.stderr is not None
            while True:
                raw = await self.process.stderr.readline()
                if not raw:
                    raise AssertionError(f"the bot ended without saying {text!r}:\n{self.output}")
                self.lines.append(raw.decode().rstrip("\n"))
                if text in self.lines[-1]:
                    return self.lines[-1]

        try:
            return await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(f"no {text!r} in {timeout} s:\n{self.output}") from None

    async def end(self, timeout: float = 30) -> int:  # noqa: ASYNC109
        """Wait until the process ends by itself; its exit status."""
        assert self.process.stderr is not None
        rest = await asyncio.wait_for(self.process.stderr.read(), timeout)
        self.lines += rest.decode().splitlines()
        status = await asyncio.wait_for(self.process.wait(), timeout)
        return status

    async def stop(self) -> int:
        """Stop it as a terminal's Ctrl-C (or systemd) would; its exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        return await self.end(timeout=20)

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
