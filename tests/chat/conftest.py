"""Chat tests: the real PTB Application, over its real HTTP stack, against the stand-in server.

Each test gets a running bot (long polling the stand-in on 127.0.0.1) on a fresh database with a
small network, and plays members through :class:`Chat`. A test fails if the bot made any call
the Bot API reference does not allow.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.app import OverlegApplication, build_application, polling
from bot.sandbox import standin_settings
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_group, add_organisation, create_invites
from planning.membership.tables import Role
from planning.plan.example import import_example_plan

TOKEN = "123456:TEST-TOKEN"
BOT_USERNAME = "overlegbot_test"
ADMIN_ID = 9000
PROBE_ID = 1


@dataclass
class Chat:
    """A test's hands and eyes: people talking to the bot and what it answered."""

    server: StandinServer
    application: OverlegApplication
    database: Database
    clock: FixedClock

    def person(self, user_id: int, first_name: str, last_name: str | None = None) -> int:
        self.server.add_user(user_id, first_name, last_name)
        return user_id

    async def say(self, user_id: int, text: str, chat_id: int | None = None) -> SentMessage:
        """Send ``text`` as the person and return the bot's next message in that chat."""
        self.server.send_message(user_id, text, chat_id=chat_id)
        return await self.server.next_message(chat_id if chat_id is not None else user_id)

    async def press(self, user_id: int, message: SentMessage, button_text: str) -> None:
        """Tap the inline button labelled ``button_text`` under ``message``."""
        for text, data in message.buttons():
            if text == button_text:
                self.server.press_button(user_id, message.message_id, data)
                return
        raise AssertionError(f"no button {button_text!r} in {message.buttons()}")

    async def settle(self) -> None:
        """Wait until the bot has handled every update sent so far.

        PTB handles updates one at a time, in order (``concurrent_updates`` is off), so once a
        probe stranger's message is answered, everything before it has been handled too.
        """
        self.server.add_user(PROBE_ID, "Probe")
        await self.say(PROBE_ID, "/help")

    async def refreshed(self) -> None:
        """Wait until the outbox refreshes asked for by the updates sent so far are done.

        Handlers answer first and refresh the outbox in a task after
        (:func:`bot.outbox_job.refresh_outbox_soon`).
        """
        await self.settle()
        while (task := self.application.bot_data.refresh) is not None and not task.done():
            await task

    async def invite(
        self, role: Role = Role.LID, groups: tuple[str, ...] = ("contactpersonen",)
    ) -> str:
        [invite] = await self.database.run(
            create_invites, self.clock, role=role, organisation_code="gouda", group_codes=groups
        )
        return invite.code

    async def member(self, user_id: int, first_name: str, role: Role = Role.LID) -> int:
        """A registered member, welcomed already."""
        self.person(user_id, first_name)
        await self.say(user_id, f"/start {await self.invite(role)}")
        return user_id


@pytest.fixture
async def server() -> AsyncIterator[StandinServer]:
    async with StandinServer(token=TOKEN, bot_username=BOT_USERNAME) as standin:
        yield standin
        assert standin.violations == []


@pytest.fixture
async def chat(server: StandinServer, database: Database, clock: FixedClock) -> AsyncIterator[Chat]:
    await database.run(
        add_organisation, "coordinatie", "Coördinatie Samenwerkingsverband", "coordinatie"
    )
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_group, "contactpersonen", "Contactpersonen")
    await database.run(add_group, "petit-comite", "Petit comité (vier gemeenten)")
    settings = standin_settings(server, database, admins={ADMIN_ID})
    server.add_user(ADMIN_ID, "Anne", "de Vries")
    # Reminders are tested on their own (test_reminders.py); here they would interleave with
    # the conversations under test.
    application = build_application(settings, database, clock, outbox_job=False)
    async with polling(application, poll_timeout=1):
        yield Chat(server, application, database, clock)


@pytest.fixture
async def planned_chat(chat: Chat) -> Chat:
    """A running bot whose database holds the example year plan; the clock stands at
    Tuesday 4 January 2011, 09:00 in Amsterdam (the first petit comité's day)."""
    await chat.database.run(import_example_plan, chat.clock)
    return chat
