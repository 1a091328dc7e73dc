"""The audit log at the command line: ``overlegbot audit [--since DATE] [--json]``.

Oldest first, optionally from a day on (the start of that day in the plan's zone) and about one
newsletter issue, kopij item or incident (``--newsletter ID``, ``--kopij ID``, ``--incident ID``:
an incident's timeline, from composing through every answer and escalation round to closing).
Human output is one Dutch line per event, aligned in columns, its moment in the plan's zone;
``--json`` is one JSON array with moments in UTC (ISO 8601). A member who left shows by id only:
leaving erased their name (docs/decisions/audit.md). A mistake is one Dutch line and exit
status 2.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from bot.cli_runtime import CliError, day_argument, require_schema, with_database
from bot.settings import load_settings
from planning import catalogue
from planning.audit.services import AuditEvent, Subject, events
from planning.db import Database
from planning.plan.store import plan_zone

# Ids are database integers; a longer number is a typo, and SQLite would overflow on it.
_MAX_ID = 2**62
_GAP = "  "


def add_audit_commands(commands: Any) -> None:
    """Register ``audit`` on the top-level subparsers."""
    text = catalogue.plain
    audit = commands.add_parser(
        "audit", help=text("cli.help.audit"), description=text("cli.help.audit")
    )
    audit.add_argument(
        "--since", type=day_argument, metavar="DATUM", help=text("cli.help.audit_since")
    )
    audit.add_argument(
        "--newsletter", type=_id, metavar="NUMMER", help=text("cli.help.audit_newsletter")
    )
    audit.add_argument("--kopij", type=_id, metavar="NUMMER", help=text("cli.help.audit_kopij"))
    audit.add_argument(
        "--incident", type=_id, metavar="NUMMER", help=text("cli.help.audit_incident")
    )
    audit.add_argument("--json", action="store_true", help=text("cli.help.json"))
    audit.set_defaults(command=_audit)


def _audit(args: argparse.Namespace) -> int:
    chosen = [
        make(value)
        for make, value in (
            (Subject.newsletter, args.newsletter),
            (Subject.kopij, args.kopij),
            (Subject.incident, args.incident),
        )
        if value is not None
    ]
    if len(chosen) > 1:
        raise CliError(catalogue.plain("cli.audit_one_subject"))
    subject = chosen[0] if chosen else None

    async def fetch(db: Database) -> tuple[ZoneInfo, list[AuditEvent]]:
        await require_schema(db)
        zone = await db.run(plan_zone)
        since = None if args.since is None else _start_of(args.since, zone)
        return zone, await db.run(events, since=since, subject=subject)

    zone, found = with_database(load_settings(), fetch)
    if args.json:
        print(json.dumps([event_json(event) for event in found], ensure_ascii=False, indent=2))
    elif not found:
        filtered = subject is not None or args.since is not None
        print(catalogue.plain("cli.audit_empty_filtered" if filtered else "cli.audit_empty"))
    else:
        for line in event_lines(found, zone):
            print(line)
    return 0


def event_lines(found: Sequence[AuditEvent], zone: ZoneInfo) -> list[str]:
    """One line per event, its columns aligned: moment, who, about what, what, to how many,
    and the detail."""
    rows = [_columns(event, zone) for event in found]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return [
        _GAP.join([*(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)), row[-1]]).rstrip()
        for row in rows
    ]


def event_json(event: AuditEvent) -> dict[str, Any]:
    """An event for ``--json``: its moment in UTC, the actor's name None once erased."""
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "actor_name": event.actor_name,
        "actor_organisation": event.actor_organisation,
        "actor_left": event.actor_left,
        "action": event.action.value,
        "subject_kind": event.subject.kind.value,
        "subject_id": event.subject.id,
        "count": event.count,
        "detail": event.detail,
    }


def actor_text(event: AuditEvent) -> str:
    """Who did it: the name now and the id; a member who left by id only; or the bot."""
    if event.actor is None:
        return catalogue.plain("audit.actor.bot")
    if event.actor_left:
        return catalogue.plain("audit.actor.left", id=event.actor)
    if event.actor_name is None:
        return catalogue.plain("audit.actor.unknown", id=event.actor)
    return catalogue.plain("audit.actor.member", name=event.actor_name, id=event.actor)


def subject_text(subject: Subject) -> str:
    """``kopij 12``, ``nieuwsbrief 3``, ``nieuwsbrief (concept)``, ``incident 7``."""
    if subject.id is None:
        return catalogue.plain(f"audit.subject.{subject.kind.value}.draft")
    return catalogue.plain(f"audit.subject.{subject.kind.value}", id=subject.id)


def _columns(event: AuditEvent, zone: ZoneInfo) -> list[str]:
    count = "" if event.count is None else catalogue.plain("audit.count", n=event.count)
    return [
        f"{event.at.astimezone(zone):%Y-%m-%d %H:%M:%S %Z}",
        actor_text(event),
        subject_text(event.subject),
        catalogue.plain(f"audit.action.{event.action.value}"),
        count,
        event.detail or "",
    ]


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def _id(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) < _MAX_ID:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_audit_id", value=value))
    return int(value)
