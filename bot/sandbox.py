"""``overlegbot sandbox``: the bot and a stand-in Telegram in one process, in a terminal.

A new user sees the real bot (the same Application, handlers and database code as production)
without a Telegram token or network: the stand-in server runs on 127.0.0.1, the database is a
throwaway SQLite file, and the person at the keyboard is a configured admin, so a coordinator
(or, with ``--lid``, a member of Gouda).
Inline buttons are shown as numbered choices; typing the number presses the button.

The example year plan 2011 is imported, and the sandbox's clock starts on Tuesday 4 January
2011, 10:00 in Amsterdam (then runs on), so the calendar has something to show. The
environment's settings are checked first (a malformed one is the same one-line error as
elsewhere) and its time zone is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bot.app import build_application, polling
from bot.logs import QuietTelegramFilter
from bot.migrate import upgrade
from bot.settings import Settings, load_settings
from bot.standin import SentMessage, StandinServer
from planning import catalogue
from planning.clock import ShiftedClock
from planning.db import Database
from planning.membership.lookups import list_groups
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.plan.example import import_example_plan

TOKEN = "100000:SANDBOX"
BOT_USERNAME = "overlegbot_sandbox"
# After the first reaction to an input, the bot is taken to be done when it stays quiet this long.
QUIET_SECONDS = 0.3
# A minute before 09:00 in Amsterdam: the day's first reminders arrive while you look around.
SANDBOX_START = datetime(2011, 1, 4, 7, 59, tzinfo=UTC)
FIRST_REACTION_SECONDS = 10.0


def run_sandbox(
    user_id: int,
    role: Role = Role.COORDINATOR,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> int:
    timezone = load_settings().timezone.key
    with tempfile.TemporaryDirectory(prefix="overlegbot-sandbox-") as directory, _quiet_log():
        asyncio.run(_sandbox(user_id, role, timezone, Path(directory), stdin, stdout))
    return 0


@contextlib.contextmanager
def _quiet_log() -> Iterator[None]:
    """Only real errors reach the terminal, and no traceback for expected network trouble: the
    person at the keyboard reads the chat, not the bot's log."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.ERROR)
    handler.addFilter(QuietTelegramFilter())
    logging.getLogger().addHandler(handler)
    try:
        yield
    finally:
        logging.getLogger().removeHandler(handler)


async def _sandbox(
    user_id: int, role: Role, timezone: str, directory: Path, stdin: TextIO, stdout: TextIO
) -> None:
    database = Database(f"sqlite:///{directory / 'sandbox.db'}")
    await upgrade(database)
    clock = ShiftedClock(SANDBOX_START)
    await database.run(import_example_plan, clock)
    await _join_every_group(database, clock, user_id, role)
    async with StandinServer(token=TOKEN, bot_username=BOT_USERNAME) as server:
        name = "Sanne Zandbak"
        server.add_user(user_id, "Sanne", "Zandbak")
        admins = {user_id} if role is Role.COORDINATOR else set()
        settings = standin_settings(server, database, admins=admins, timezone=timezone)
        async with polling(build_application(settings, database, clock), poll_timeout=1):
            role_name = catalogue.plain(f"role.{role}")
            intro = catalogue.plain("sandbox.intro", name=name, user_id=user_id, role=role_name)
            print(intro, file=stdout)
            await Terminal(server, user_id, stdout).converse(stdin)
            # Stopping may cut off a send or the last poll; that is no news for the person.
            logging.disable(logging.CRITICAL)
        logging.disable(logging.NOTSET)
    await database.dispose()


async def _join_every_group(
    database: Database, clock: ShiftedClock, user_id: int, role: Role
) -> None:
    """The sandbox's person is in every group, so every overleg shows up in /agenda: as a
    coordinator of the coordination team, or as a member for Gouda."""
    groups = [group.code for group in await database.run(list_groups)]
    coordinator = role is Role.COORDINATOR
    [invite] = await database.run(
        create_invites,
        clock,
        role=role,
        organisation_code="coordinatie" if coordinator else "gouda",
        group_codes=groups,
    )
    await database.run(
        redeem_invite,
        clock,
        code=invite.code,
        telegram_user_id=user_id,
        name="Sanne Zandbak",
        username=None,
    )


def standin_settings(
    server: StandinServer,
    database: Database,
    admins: set[int],
    timezone: str = "Europe/Amsterdam",
) -> Settings:
    """Settings for a bot that talks to ``server`` instead of Telegram (sandbox and tests).

    A stand-in without Telegram's flood limits does not count messages per chat, so the bot
    does not wait a second between two messages to one chat either; the overall rate stays.
    """
    return Settings(
        chat_interval_seconds=1.0 if server.flood_limits else 0.0,
        timezone=ZoneInfo(timezone),
        token=SecretStr(server.token),
        bot_api_url=server.base_url,
        bot_file_url=server.base_file_url,
        admins=frozenset(admins),
        database_url=database.url,
    )


@dataclass
class Terminal:
    """Shows the bot's messages in one private chat and turns typed lines into updates."""

    server: StandinServer
    user_id: int
    out: TextIO
    seen: dict[int, tuple[str | None, int]] = field(default_factory=dict)
    alerts_seen: int = 0
    # Every button shown and not taken away since, by its number: (message id, callback data).
    # Numbers go on across messages, so the buttons of an earlier reminder stay pressable.
    buttons: dict[int, tuple[int, str]] = field(default_factory=dict)
    next_number: int = 1

    async def converse(self, stdin: TextIO) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self.out.write("> ")
            self.out.flush()
            line = await loop.run_in_executor(None, stdin.readline)
            if not line or line.strip() == "/quit":
                print(catalogue.plain("sandbox.bye"), file=self.out)
                return
            text = line.rstrip("\r\n")
            if not text:
                continue  # an empty line sends nothing, as in Telegram; spaces are sent
            text = text.strip() or text
            if not stdin.isatty():
                print(text, file=self.out)  # echo piped input so a transcript reads naturally
            if text.isdigit() and self.buttons:
                if not self._press(int(text)):
                    continue
            else:
                self.server.send_message(self.user_id, text)
            await self._show_reaction()

    def _press(self, number: int) -> bool:
        if number not in self.buttons:
            print(catalogue.plain("sandbox.no_such_button", number=number), file=self.out)
            return False
        message_id, data = self.buttons[number]
        self.server.press_button(self.user_id, message_id, data)
        return True

    async def _show_reaction(self) -> None:
        with contextlib.suppress(AssertionError):
            await self.server.wait_for(self._changed, timeout=FIRST_REACTION_SECONDS)
        while True:
            self._print_changes()
            try:
                await self.server.wait_for(self._changed, timeout=QUIET_SECONDS)
            except AssertionError:
                return

    def _changed(self) -> bool:
        return self._fresh_messages() != [] or len(self._alerts()) > self.alerts_seen

    def _fresh_messages(self) -> list[SentMessage]:
        return [
            message
            for message in self.server.messages(self.user_id)
            if self.seen.get(message.message_id) != (message.text, message.edit_count)
        ]

    def _alerts(self) -> list[str]:
        answers = self.server.answered_callbacks.values()
        return [str(answer["text"]) for answer in answers if answer.get("text")]

    def _print_changes(self) -> None:
        for message in self._fresh_messages():
            self.seen[message.message_id] = (message.text, message.edit_count)
            self._print(message)
        alerts = self._alerts()
        for alert in alerts[self.alerts_seen :]:
            print(f"\n[!] {alert}", file=self.out)
        self.alerts_seen = len(alerts)

    def _print(self, message: SentMessage) -> None:
        print(f"\n{message.text or ''}", file=self.out)
        if message.document is not None:
            document = message.document
            size = len(document.content)
            text = catalogue.plain("sandbox.document", file_name=document.file_name, size=size)
            print(text, file=self.out)
        # An edit takes the message's old buttons away (and may show new ones).
        self.buttons = {n: b for n, b in self.buttons.items() if b[0] != message.message_id}
        buttons = message.buttons()
        if buttons:
            print(catalogue.plain("sandbox.buttons"), file=self.out)
            for text, data in buttons:
                self.buttons[self.next_number] = (message.message_id, data)
                print(f"  [{self.next_number}] {text}", file=self.out)
                self.next_number += 1
