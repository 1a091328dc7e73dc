"""The bot in chat tests: the real PTB Application over its real HTTP stack, against the
stand-in Bot API server, and :class:`Chat`, the test's hands and eyes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.app import OverlegApplication, build_application, polling
from bot.sandbox import standin_settings
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites
from planning.membership.tables import Role
from tests.support.outbox import OutboxWakes, due_left

ADMIN_ID = 9000
PROBE_ID = 1


def labels(message: SentMessage) -> list[str]:
    """The labels of the buttons under ``message``, row by row."""
    return [label for label, _ in message.buttons()]


@dataclass
class Chat:
    """A test's hands and eyes: people talking to the bot and what it answered."""

    server: StandinServer
    application: OverlegApplication
    database: Database
    clock: FixedClock
    wakes: OutboxWakes = field(init=False)

    def __post_init__(self) -> None:
        self.wakes = OutboxWakes(self.application)

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

        Once a probe stranger's message is answered, the bot has fetched every update before
        it (Telegram gives them in order); updates of other chats may still be in hand
        (bot/update_order.py), and PTB marks each done on its update queue when it is handled.
        """
        self.server.add_user(PROBE_ID, "Probe")
        await self.say(PROBE_ID, "/help")
        await self.application.update_queue.join()

    async def refreshed(self) -> None:
        """Wait until the outbox refreshes asked for by the updates sent so far are done.

        Handlers answer first and refresh the outbox in a task after
        (:func:`bot.outbox_job.refresh_outbox_soon`).
        """
        await self.settle()
        while (task := self.application.bot_data.refresh) is not None and not task.done():
            await task

    async def sent_all(self) -> None:
        """Wait until the outbox job has sent everything due, for a bot with the job.

        Checked once the refreshes asked for so far are done, and again after each wake of the
        job that ends: a due message wakes the job at once.
        """
        await self.refreshed()
        while True:
            seen = self.wakes.ended
            if not await due_left(self.database, self.clock.now()):
                return
            await self.wakes.until(seen + 1)

    async def latest(self, user_id: int) -> SentMessage:
        """The bot's latest message in the chat, edits applied, once the bot has caught up."""
        await self.settle()
        return self.server.messages(user_id)[-1]

    def current(self, message: SentMessage) -> SentMessage:
        """``message`` as the member sees it now, after the bot's edits."""
        [now] = [
            m for m in self.server.messages(message.chat_id) if m.message_id == message.message_id
        ]
        return now

    def texts(self, user_id: int) -> list[str]:
        return [message.text or "" for message in self.server.messages(user_id)]

    def matching(self, user_id: int, check: Callable[[str], bool]) -> list[SentMessage]:
        """The messages to ``user_id`` whose text passes ``check``."""
        return [m for m in self.server.messages(user_id) if check(m.text or "")]

    async def arrives(self, user_id: int, check: Callable[[str], bool]) -> SentMessage:
        """Wait for a message to ``user_id`` whose text passes ``check``; the first such one."""
        await self.server.wait_for(lambda: bool(self.matching(user_id, check)))
        return self.matching(user_id, check)[0]

    async def invite(
        self,
        role: Role = Role.LID,
        groups: Iterable[str] = ("contactpersonen",),
        organisation: str = "gouda",
    ) -> str:
        [invite] = await self.database.run(
            create_invites,
            self.clock,
            role=role,
            organisation_code=organisation,
            group_codes=groups,
        )
        return invite.code

    async def member(
        self,
        user_id: int,
        first_name: str,
        role: Role = Role.LID,
        *,
        organisation: str = "gouda",
        groups: Iterable[str] = ("contactpersonen",),
    ) -> int:
        """A member registered through /start with an invite, welcomed already."""
        self.person(user_id, first_name)
        await self.say(user_id, f"/start {await self.invite(role, groups, organisation)}")
        return user_id


@asynccontextmanager
async def run_bot(
    server: StandinServer,
    database: Database,
    clock: FixedClock,
    *,
    admins: Iterable[int] = (),
    timezone: str = "Europe/Amsterdam",
    outbox_job: bool = True,
    per_second: float | None = None,
    newsletter_approval: bool = False,
    incident_approval: bool = False,
    feed_base_url: str = "",
) -> AsyncIterator[Chat]:
    """The bot, started (or restarted) with ``clock``, long polling ``server``; ``per_second``
    replaces Telegram's 30 messages a second for tests of behaviour, not pace."""
    settings = standin_settings(server, database, admins=set(admins), timezone=timezone)
    if per_second is not None:
        settings = settings.model_copy(update={"messages_per_second": per_second})
    if newsletter_approval:
        settings = settings.model_copy(update={"newsletter_approval": True})
    if incident_approval:
        settings = settings.model_copy(update={"incident_approval": True})
    if feed_base_url:
        settings = settings.model_copy(update={"feed_base_url": feed_base_url})
    application = build_application(settings, database, clock, outbox_job=outbox_job)
    chat = Chat(server, application, database, clock)  # counting the job's wakes from the start
    async with polling(application, poll_timeout=1):
        yield chat
