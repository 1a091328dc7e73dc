"""``overlegbot run`` as an operator starts it: a separate process, polling or webhook.

The bot process talks to the stand-in through ``OVERLEGBOT_BOT_API_URL``, exactly as it would to
a self-hosted Bot API server, and migrates its empty database before it starts.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from bot.standin import StandinServer
from tests.support.standin import TOKEN


async def _run_bot(
    server: StandinServer, tmp_path: Path, *extra: str
) -> asyncio.subprocess.Process:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OVERLEGBOT_")}
    environment |= {
        "OVERLEGBOT_TOKEN": TOKEN,
        "OVERLEGBOT_BOT_API_URL": server.base_url,
        "OVERLEGBOT_BOT_FILE_URL": server.base_file_url,
        "OVERLEGBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}",
        "OVERLEGBOT_ADMINS": "9000",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        *extra,
        env=environment,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def _stop(process: asyncio.subprocess.Process) -> str:
    process.send_signal(signal.SIGINT)
    _out, err = await asyncio.wait_for(process.communicate(), timeout=20)
    assert process.returncode == 0, err.decode()
    return err.decode()


async def _admin_is_answered(server: StandinServer) -> None:
    server.add_user(9000, "Anne", "de Vries")
    server.send_message(9000, "/start")
    welcome = await server.next_message(9000, timeout=30)
    assert (welcome.text or "").startswith(
        "Welkom, Anne de Vries! U bent aangemeld als coördinator."
    )


async def test_run_polls_a_self_hosted_bot_api(server: StandinServer, tmp_path: Path) -> None:
    process = await _run_bot(server, tmp_path)
    try:
        await _admin_is_answered(server)
        assert server.commands["all_private_chats"]  # menus published at start-up
    finally:
        await _stop(process)


async def test_run_with_a_webhook_receives_updates(server: StandinServer, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/overlegbot"
    process = await _run_bot(
        server, tmp_path, "--webhook-url", url, "--listen", f"127.0.0.1:{port}"
    )
    try:
        await server.wait_for(lambda: server.webhook_url == url, timeout=30)
        await _admin_is_answered(server)
    finally:
        await _stop(process)
