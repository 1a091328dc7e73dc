"""The ``overlegbot`` command: run the bot, migrate, invite, list and fix members, the sandbox;
the plan, newsletters, the audit log and agendas have modules of their own (``cli_*.py``).

Operator mistakes (a bad argument or path, a missing setting or environment file, an unknown
organisation, a database that cannot be reached) end in one Dutch line on stderr and exit
status 2, never a traceback. Every subcommand takes ``--env-file`` (:class:`Parser`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import TelegramError

from berichten.outbox.store import note_change
from berichten.texts import membership as membership_texts
from bot.cli_agenda import add_agenda_commands
from bot.cli_audit import add_audit_commands
from bot.cli_newsletter import add_newsletter_commands
from bot.cli_plan import add_plan_commands
from bot.cli_runtime import EXIT_USAGE, CliError, Parser, require_schema, with_database
from bot.migrate import upgrade
from bot.settings import (
    Settings,
    SettingsError,
    check_env_file,
    chosen_env_file,
    env_file,
    load_settings,
    unknown_environment_warnings,
)
from planning import catalogue
from planning.clock import SystemClock
from planning.db import Database
from planning.membership.lookups import list_groups, list_members, list_organisations
from planning.membership.services import (
    MembershipError,
    MembershipRefusal,
    create_invites,
    set_membership,
)
from planning.membership.tables import MemberRow, Role

_DURATION = re.compile(r"^(\d+)([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}
# Issue 12 (trust) asks for a ceiling: a link that works for a year is a link that leaks.
MAX_INVITE_DAYS = 90
# Telegram user ids fit in 52 bits (Bot API: "at most 52 significant bits").
_MAX_USER_ID = 2**52
# A typo such as --count 10000 should not fill the table; the network has some 200 people.
MAX_INVITES = 500


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        command: Callable[[argparse.Namespace], int] = args.command
        with chosen_env_file(getattr(args, "env_file", None)):
            if env_file()[1]:
                check_env_file()  # a file the operator named must be there, for every command
            for warning in unknown_environment_warnings():
                print(warning, file=sys.stderr)
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
    parser = Parser(prog="overlegbot", description=text("cli.help.main"))
    commands = parser.add_subparsers(required=True, metavar="OPDRACHT")

    run = commands.add_parser("run", help=text("cli.help.run"), description=text("cli.help.run"))
    run.add_argument("--webhook-url", metavar="URL", help=text("cli.help.webhook_url"))
    run.add_argument("--listen", metavar="HOST:POORT", type=_listen, help=text("cli.help.listen"))
    run.add_argument(
        "--feed-listen", metavar="HOST:POORT", type=_listen, help=text("cli.help.feed_listen")
    )
    run.add_argument(
        "--log-format", choices=["text", "json"], default="text", help=text("cli.help.log_format")
    )
    run.add_argument(
        "--start-retries", type=_retries, default=20, metavar="N", help=text("cli.help.retries")
    )
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
        "--expires",
        type=_duration,
        default=timedelta(days=14),
        metavar="DUUR",
        help=text("cli.help.expires"),
    )
    invite.add_argument(
        "--count", type=_count, default=1, metavar="AANTAL", help=text("cli.help.count")
    )
    invite.set_defaults(command=_invite)

    members = commands.add_parser(
        "members", help=text("cli.help.members"), description=text("cli.help.members")
    )
    members.add_argument("--json", action="store_true", help=text("cli.help.json"))
    members.set_defaults(command=_members)
    members_commands = members.add_subparsers(required=False, metavar="OPDRACHT")
    members_set = members_commands.add_parser(
        "set", help=text("cli.help.members_set"), description=text("cli.help.members_set")
    )
    members_set.add_argument(
        "--user",
        required=True,
        type=_user_id,
        metavar="TELEGRAM-ID",
        help=text("cli.help.member_user"),
    )
    members_set.add_argument("--org", metavar="CODE", help=text("cli.help.member_org"))
    members_set.add_argument(
        "--role", choices=[r.value for r in Role], help=text("cli.help.member_role")
    )
    members_set.set_defaults(command=_members_set)

    add_plan_commands(commands)
    add_newsletter_commands(commands)
    add_audit_commands(commands)
    add_agenda_commands(commands)

    sandbox = commands.add_parser(
        "sandbox", help=text("cli.help.sandbox"), description=text("cli.help.sandbox")
    )
    sandbox.add_argument(
        "--user-id",
        type=_user_id,
        default=1001,
        metavar="TELEGRAM-ID",
        help=text("cli.help.user_id"),
    )
    sandbox.add_argument("--lid", action="store_true", help=text("cli.help.sandbox_member"))
    sandbox.set_defaults(command=_sandbox)
    return parser


def _run(args: argparse.Namespace) -> int:
    from bot.service import run  # late: the bot's handlers are not needed by other commands

    return run(args)


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
        # Before any code is stored: a command that fails must leave no working invite behind.
        username = settings.bot_username or await _bot_username(settings)
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
        await db.run(note_change, SystemClock().now())
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


def _members_set(args: argparse.Namespace) -> int:
    if args.org is None and args.role is None:
        raise CliError(catalogue.plain("cli.member_set_nothing"))
    settings = load_settings()
    role = Role(args.role) if args.role is not None else None

    async def change(db: Database) -> MemberRow:
        await require_schema(db)
        try:
            member = await db.run(set_membership, args.user, organisation_code=args.org, role=role)
        except MembershipError as error:
            if error.reason == MembershipRefusal.NOT_A_MEMBER:
                raise CliError(catalogue.plain("cli.member_unknown", user=args.user)) from error
            raise await _unknown_code_error(db, error) from error
        await db.run(note_change, SystemClock().now())  # a running bot queues their messages
        return member

    member = with_database(settings, change)
    print(
        catalogue.plain(
            "cli.member_set",
            user=member.telegram_user_id,
            name=member.name or "-",
            organisation=member.organisation.code if member.organisation else "-",
            role=catalogue.plain(f"role.{member.role}"),
        )
    )
    if role == Role.LID and args.user in settings.admins:
        print(catalogue.plain("cli.member_stays_admin", user=args.user))
    return 0


def _sandbox(args: argparse.Namespace) -> int:
    from bot.sandbox import run_sandbox

    return run_sandbox(user_id=args.user_id, role=Role.LID if args.lid else Role.COORDINATOR)


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
    # The role stays the value `members set --role` takes; the status is read, not typed.
    status = catalogue.plain(f"status.{member.status}")
    return "\t".join(
        [str(member.telegram_user_id), name, organisation, member.role, groups, status]
    )


async def _bot_username(settings: Settings) -> str:
    if not settings.bot_token:
        # A link needs only the name; the token is just one way to learn it.
        raise SettingsError(catalogue.plain("cli.bot_username_missing", file=env_file()[0]))
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
    amount, unit = int(match.group(1)), _UNITS[match.group(2)]
    # Compared in hours before making a timedelta: 99999999999w would overflow it.
    hours = amount * {"hours": 1, "days": 24, "weeks": 24 * 7}[unit]
    if hours > MAX_INVITE_DAYS * 24:
        raise argparse.ArgumentTypeError(
            catalogue.plain("cli.expires_too_long", value=value, days=MAX_INVITE_DAYS)
        )
    return timedelta(**{unit: amount})


def _count(value: str) -> int:
    if not _is_number(value) or not 0 < int(value) <= MAX_INVITES:
        raise argparse.ArgumentTypeError(
            catalogue.plain("cli.bad_count", value=value, most=MAX_INVITES)
        )
    return int(value)


def _is_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


def _user_id(value: str) -> int:
    if not _is_number(value) or not 0 < int(value) < _MAX_USER_ID:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_user_id", value=value))
    return int(value)


def _retries(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_retries", value=value))
    return int(value)


def _listen(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_listen", value=value))
    return host.strip("[]"), int(port)
