"""The ``overlegbot`` command: run the bot, migrate, invite, list members, open the sandbox.

Operator mistakes (a missing setting, an unknown organisation, a database that cannot be
reached) end in one Dutch line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, Update
from telegram.error import TelegramError

from berichten.texts import membership as membership_texts
from bot.cli_plan import add_plan_commands
from bot.cli_runtime import EXIT_USAGE, CliError, require_schema, with_database
from bot.migrate import upgrade
from bot.settings import Settings, SettingsError, load_settings
from planning import catalogue
from planning.clock import SystemClock
from planning.db import Database
from planning.membership.services import (
    MembershipError,
    MembershipRefusal,
    create_invites,
    list_groups,
    list_members,
    list_organisations,
)
from planning.membership.tables import MemberRow, Role

_DURATION = re.compile(r"^(\d+)([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except (CliError, SettingsError) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `overlegbot calendar | head`: the reader left; Python's docs recipe for a quiet exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    text = catalogue.plain
    parser = argparse.ArgumentParser(prog="overlegbot", description=text("cli.help.main"))
    commands = parser.add_subparsers(required=True, metavar="OPDRACHT")

    run = commands.add_parser("run", help=text("cli.help.run"), description=text("cli.help.run"))
    run.add_argument("--webhook-url", metavar="URL", help=text("cli.help.webhook_url"))
    run.add_argument("--listen", metavar="HOST:PORT", type=_listen, help=text("cli.help.listen"))
    run.set_defaults(command=_run)

    db = commands.add_parser("db", help=text("cli.help.db"), description=text("cli.help.db"))
    db_commands = db.add_subparsers(required=True, metavar="OPDRACHT")
    db_upgrade = db_commands.add_parser(
        "upgrade", help=text("cli.help.db_upgrade"), description=text("cli.help.db_upgrade")
    )
    db_upgrade.set_defaults(command=_db_upgrade)

    invite = commands.add_parser(
        "invite", help=text("cli.help.invite"), description=text("cli.help.invite")
    )
    invite.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help=text("cli.help.role")
    )
    invite.add_argument("--org", required=True, metavar="CODE", help=text("cli.help.org"))
    invite.add_argument(
        "--group", action="append", default=[], metavar="CODE", help=text("cli.help.group")
    )
    invite.add_argument(
        "--expires", type=_duration, default=timedelta(days=14), help=text("cli.help.expires")
    )
    invite.add_argument("--count", type=_positive, default=1, help=text("cli.help.count"))
    invite.set_defaults(command=_invite)

    members = commands.add_parser(
        "members", help=text("cli.help.members"), description=text("cli.help.members")
    )
    members.add_argument("--json", action="store_true", help=text("cli.help.json"))
    members.set_defaults(command=_members)

    add_plan_commands(commands)

    sandbox = commands.add_parser(
        "sandbox", help=text("cli.help.sandbox"), description=text("cli.help.sandbox")
    )
    sandbox.add_argument("--user-id", type=_positive, default=1001, help=text("cli.help.user_id"))
    sandbox.set_defaults(command=_sandbox)
    return parser


def _run(args: argparse.Namespace) -> int:
    # Imported late: PTB wiring is not needed to migrate.
    from bot.app import build_application, freeze_startup_heap

    if (args.webhook_url is None) != (args.listen is None):
        raise CliError(catalogue.plain("cli.webhook_needs_listen"))
    settings = load_settings(require_token=True)
    database = Database(settings.database_url)
    with_database(settings, _migrate_quietly)
    application = build_application(settings, database)
    freeze_startup_heap()
    if args.webhook_url is None:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    else:
        host, port = args.listen
        application.run_webhook(
            listen=host,
            port=port,
            # PTB listens on url_path; Telegram posts to the public URL's path, often the same
            # path behind a reverse proxy.
            url_path=urlsplit(args.webhook_url).path.lstrip("/"),
            webhook_url=args.webhook_url,
            # A fresh secret per start: PTB registers it and rejects posts without it.
            secret_token=secrets.token_urlsafe(32),
            allowed_updates=Update.ALL_TYPES,
        )
    return 0


def _db_upgrade(_args: argparse.Namespace) -> int:
    settings = load_settings()
    applied = with_database(settings, upgrade)
    if applied:
        print(catalogue.plain("cli.migrated", revisions=", ".join(applied)))
    else:
        print(catalogue.plain("cli.up_to_date"))
    return 0


def _invite(args: argparse.Namespace) -> int:
    settings = load_settings()

    async def make(db: Database) -> list[str]:
        await require_schema(db)
        try:
            invites = await db.run(
                create_invites,
                SystemClock(),
                role=Role(args.role),
                organisation_code=args.org,
                group_codes=args.group,
                lifetime=args.expires,
                count=args.count,
            )
        except MembershipError as error:
            raise await _unknown_code_error(db, error) from error
        username = settings.bot_username or await _bot_username(settings)
        return [f"{i.code} {membership_texts.invite_link(username, i)}" for i in invites]

    for line in with_database(settings, make):
        print(line)
    return 0


def _members(args: argparse.Namespace) -> int:
    settings = load_settings()

    async def fetch(db: Database) -> list[MemberRow]:
        await require_schema(db)
        return list(await db.run(list_members))

    members = with_database(settings, fetch)
    if args.json:
        print(json.dumps([_member_json(m) for m in members], ensure_ascii=False, indent=2))
    elif not members:
        print(catalogue.plain("cli.no_members"))
    else:
        for member in members:
            print(_member_row(member))
    return 0


def _sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox import run_sandbox

    return run_sandbox(user_id=args.user_id)


def _member_json(member: MemberRow) -> dict[str, Any]:
    return {
        "telegram_user_id": member.telegram_user_id,
        "name": member.name,
        "username": member.username,
        "organisation": member.organisation.code if member.organisation else None,
        "role": member.role,
        "groups": [group.code for group in member.groups],
        "status": member.status,
        "registered_at": member.registered_at.isoformat(),
    }


def _member_row(member: MemberRow) -> str:
    organisation = member.organisation.code if member.organisation else "-"
    groups = ",".join(group.code for group in member.groups) or "-"
    name = member.name or "-"
    return "\t".join(
        [str(member.telegram_user_id), name, organisation, member.role, groups, member.status]
    )


async def _migrate_quietly(database: Database) -> None:
    await upgrade(database)


async def _bot_username(settings: Settings) -> str:
    if not settings.bot_token:
        raise SettingsError(catalogue.plain("cli.setting_missing", name="OVERLEGBOT_TOKEN"))
    try:
        async with Bot(settings.bot_token, base_url=settings.bot_api_url) as bot:
            return bot.username
    except TelegramError as error:
        raise CliError(
            catalogue.plain("cli.bot_unreachable", url=settings.bot_api_url, problem=error.message)
        ) from error


async def _unknown_code_error(database: Database, error: MembershipError) -> CliError:
    if error.reason == MembershipRefusal.UNKNOWN_ORGANISATION:
        known = ", ".join(org.code for org in await database.run(list_organisations))
        known = known or catalogue.plain("cli.nothing_imported")
        return CliError(catalogue.plain("cli.unknown_organisation", code=error.detail, known=known))
    known = ", ".join(group.code for group in await database.run(list_groups))
    known = known or catalogue.plain("cli.nothing_imported")
    return CliError(catalogue.plain("cli.unknown_group", code=error.detail, known=known))


def _duration(value: str) -> timedelta:
    match = _DURATION.match(value.strip())
    if match is None or int(match.group(1)) == 0:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_duration", value=value))
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_count", value=value))
    return int(value)


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_listen", value=value))
    return host.strip("[]"), int(port)
