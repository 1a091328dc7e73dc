"""Which commands exist, for whom: the one list behind /help and the published command menus.

Telegram shows a command menu per scope (``setMyCommands``): all private chats see the member
commands, each coordinator's chat also the coordinator commands, and group chats only /help,
since the bot talks about members only in private.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)
from telegram.error import TelegramError

from planning import catalogue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Command:
    name: str

    @property
    def description(self) -> str:
        return catalogue.plain(f"command.{self.name}")


MEMBER_COMMANDS = (
    Command("help"),
    Command("agenda"),
    Command("deadlines"),
    Command("volgende"),
    Command("mijlpaal"),
    Command("agendapunt"),
    Command("mijnpunten"),
    Command("nieuws"),
    Command("mijnnieuws"),
    Command("nieuwsbrieven"),
    Command("instellingen"),
    Command("mijngegevens"),
    Command("afmelden"),
    Command("annuleren"),
)
COORDINATOR_COMMANDS = (
    Command("uitnodigen"),
    Command("leden"),
    Command("wijzig"),
    Command("punten"),
    Command("publiceer"),
    Command("afgehandeld"),
    Command("nieuwsbrief"),
    Command("ingepland"),
    Command("incident"),
    Command("incidenten"),
    Command("sjablonen"),
)
GROUP_COMMANDS = (Command("help"),)


def commands_for(*, coordinator: bool) -> tuple[Command, ...]:
    """The commands one person may use; /help and the menus both come from here."""
    return MEMBER_COMMANDS + (COORDINATOR_COMMANDS if coordinator else ())


REVIEWER_COMMANDS = (Command("punten"),)  # for an overleg's beoordelaars, besides coordinators


def help_text(*, coordinator: bool, reviewer: bool = False) -> str:
    """/help: member commands, and the coordinator's under their own heading (a reviewer of
    agenda items who is not a coordinator: /punten under theirs)."""
    lines = [catalogue.html("help.header")]
    lines += [_line(command) for command in MEMBER_COMMANDS]
    if coordinator:
        lines += ["", catalogue.html("help.coordinator_header")]
        lines += [_line(command) for command in COORDINATOR_COMMANDS]
    elif reviewer:
        lines += ["", catalogue.html("agenda_item.review.help_header")]
        lines += [_line(command) for command in REVIEWER_COMMANDS]
    return "\n".join(lines)


def _line(command: Command) -> str:
    return catalogue.html("help.line", command=command.name, description=command.description)


async def publish_menus(bot: Bot, coordinator_chat_ids: Iterable[int]) -> None:
    """Publish the command menus at start-up: one call per scope, one per coordinator."""
    await bot.set_my_commands(
        _bot_commands(MEMBER_COMMANDS), scope=BotCommandScopeAllPrivateChats()
    )
    await bot.set_my_commands(_bot_commands(GROUP_COMMANDS), scope=BotCommandScopeAllGroupChats())
    for chat_id in coordinator_chat_ids:
        try:
            await publish_coordinator_menu(bot, chat_id)
        except TelegramError:
            # One coordinator's chat (gone, blocked) must not keep the bot from starting.
            log.warning("could not publish the coordinator menu in chat %s", chat_id, exc_info=True)


async def publish_coordinator_menu(bot: Bot, chat_id: int) -> None:
    """A coordinator's own chat shows the coordinator commands in the menu too."""
    commands = commands_for(coordinator=True)
    await bot.set_my_commands(_bot_commands(commands), scope=BotCommandScopeChat(chat_id))


async def withdraw_coordinator_menu(bot: Bot, chat_id: int) -> None:
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))


def _bot_commands(commands: Iterable[Command]) -> list[BotCommand]:
    return [BotCommand(command.name, command.description) for command in commands]
