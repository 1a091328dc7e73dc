"""The plan at the command line: ``plan check|import|export|schema``, ``schedule``, ``calendar``.

Without ``--from``/``--to``, ``schedule`` and ``calendar`` cover the whole plan: from its first
date to a year after its last one (recurring meetings without an end stop there).

Exit status 1 means the plan file has problems (each a line, ``FILE:LINE: field: message``, also
for a file too large, binary or not YAML); 2 means the command could not do its work: a path
that is missing, a folder or not readable or writable, a bad date, no plan stored yet.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from berichten.ics import calendar_file
from berichten.outbox.store import note_change
from bot.cli_runtime import (
    CliError,
    check_output,
    day_argument,
    read_input,
    require_schema,
    with_database,
    write_output,
)
from bot.cli_texts import call_json, call_line, change_lines, entry_line, reminder_line
from bot.settings import load_settings
from planning import catalogue
from planning.agenda_items.call import calls
from planning.calendar.expand import entries
from planning.calendar.model import Plan, Precision
from planning.calendar.reminders import schedule
from planning.clock import SystemClock
from planning.db import Database
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.export import export_plan
from planning.plan.schema import plan_json_schema
from planning.plan.source import MAX_PLAN_BYTES
from planning.plan.store import import_plan, load_plan

EXIT_PROBLEMS = 1
_SPAN_AFTER_LAST = timedelta(days=366)
# "-" as a file name means standard output, as for most Unix tools.
_STDOUT = Path("-")

Handler = Callable[[argparse.Namespace], int]


def add_plan_commands(commands: Any) -> None:
    """Register the plan subcommands on the top-level subparsers."""
    text = catalogue.plain
    plan = commands.add_parser(
        "plan", help=text("cli.help.plan"), description=text("cli.help.plan")
    )
    plan_commands = plan.add_subparsers(required=True, metavar="OPDRACHT")
    check = _sub(plan_commands, "check", "cli.help.plan_check", _check)
    check.add_argument("file", metavar="BESTAND", type=Path, help=text("cli.help.plan_file"))
    do_import = _sub(plan_commands, "import", "cli.help.plan_import", _import)
    do_import.add_argument("file", metavar="BESTAND", type=Path, help=text("cli.help.plan_file"))
    do_import.add_argument("--dry-run", action="store_true", help=text("cli.help.dry_run"))
    export = _sub(plan_commands, "export", "cli.help.plan_export", _export)
    export.add_argument("--output", metavar="BESTAND", type=Path, help=text("cli.help.output"))
    _sub(plan_commands, "schema", "cli.help.plan_schema", _schema)

    reminders = _sub(commands, "schedule", "cli.help.schedule", _schedule)
    calendar = _sub(commands, "calendar", "cli.help.calendar", _calendar)
    calendar.add_argument("--ics", metavar="BESTAND", type=Path, help=text("cli.help.ics"))
    for command in (reminders, calendar):
        command.add_argument(
            "--from", dest="first", type=day_argument, metavar="DATUM", help=text("cli.help.from")
        )
        command.add_argument(
            "--to", dest="last", type=day_argument, metavar="DATUM", help=text("cli.help.to")
        )
        command.add_argument("--json", action="store_true", help=text("cli.help.json"))


def _sub(commands: Any, name: str, help_key: str, handler: Handler) -> argparse.ArgumentParser:
    text = catalogue.plain(help_key)
    parser: argparse.ArgumentParser = commands.add_parser(name, help=text, description=text)
    parser.set_defaults(command=handler)
    return parser


def _check(args: argparse.Namespace) -> int:
    result = check_plan(_read(args.file), str(args.file))
    for problem in result.problems:
        print(problem)
    if result.problems:
        return EXIT_PROBLEMS
    print(catalogue.plain("cli.plan_ok", file=args.file))
    return 0


def _import(args: argparse.Namespace) -> int:
    result = check_plan(_read(args.file), str(args.file))
    if result.plan is None:
        for problem in result.problems:
            print(problem)
        print(catalogue.plain("cli.plan_not_imported"))
        return EXIT_PROBLEMS
    plan = to_plan(result.plan)

    async def store(db: Database) -> list[str]:
        await require_schema(db)
        report = await db.run(import_plan, SystemClock(), plan, dry_run=args.dry_run)
        if report.applied:  # a running bot queues the new plan's reminders within a minute
            await db.run(note_change, SystemClock().now())
        return change_lines(report.changes)

    for line in with_database(load_settings(), store):
        print(line)
    if args.dry_run:
        print(catalogue.plain("cli.dry_run"))
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.output is not None:
        check_output(args.output)
    text = export_plan(_stored_plan())
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_output(args.output, text.encode("utf-8"))
    return 0


def _schema(_args: argparse.Namespace) -> int:
    print(json.dumps(plan_json_schema(), ensure_ascii=False, indent=2))
    return 0


def _schedule(args: argparse.Namespace) -> int:
    _check_span(args.first, args.last)
    plan = _stored_plan()
    first, last = _span(plan, args.first, args.last)
    start = datetime.combine(first, time(0), tzinfo=plan.zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=plan.zone)
    # The reminders and the calls for agenda items, which the reminder run queues alike.
    found: list[tuple[datetime, str, dict[str, object]]] = [
        (r.at, reminder_line(r, plan.zone), r.as_json()) for r in schedule(plan, start, end)
    ]
    found += [(c.at, call_line(c, plan.zone), call_json(c)) for c in calls(plan, start, end)]
    found.sort(key=lambda row: row[0])
    if args.json:
        print(json.dumps([row[2] for row in found], ensure_ascii=False, indent=2))
    else:
        for _at, line, _json in found:
            print(line)
    return 0


def _calendar(args: argparse.Namespace) -> int:
    _check_span(args.first, args.last)
    to_stdout = args.ics == _STDOUT
    if args.ics is not None and not to_stdout:
        check_output(args.ics)
    plan = _stored_plan()
    first, last = _span(plan, args.first, args.last)
    found = entries(plan, first, last)
    if args.ics is not None:
        ics = calendar_file(found, plan.zone, plan.name, SystemClock().now())
        if to_stdout:  # the file itself, and nothing else: `calendar --ics - > plan.ics`
            sys.stdout.flush()
            sys.stdout.buffer.write(ics)
            sys.stdout.buffer.flush()
            return 0
        write_output(args.ics, ics)
        written = sum(
            1 for entry in found if entry.kind == "milestone" or entry.precision != Precision.MONTH
        )
        print(catalogue.plain("cli.ics_written", file=args.ics, count=written))
    elif args.json:
        print(json.dumps([e.as_json(plan.zone) for e in found], ensure_ascii=False, indent=2))
    else:
        for entry in found:
            print(entry_line(entry))
    return 0


def _stored_plan() -> Plan:
    async def fetch(db: Database) -> Plan | None:
        await require_schema(db)
        return await db.run(load_plan)

    plan = with_database(load_settings(), fetch)
    if plan is None:
        raise CliError(catalogue.plain("cli.no_plan"))
    return plan


def _check_span(first: date | None, last: date | None) -> None:
    if first is not None and last is not None and first > last:
        raise CliError(catalogue.plain("cli.bad_span", first=first, last=last))


def _span(plan: Plan, first: date | None, last: date | None) -> tuple[date, date]:
    days = [m.when.in_month.first_day for m in plan.meetings]
    days += [m.when.latest_day for m in plan.meetings]
    days += [ms.when.latest_day for p in plan.products for ms in p.milestones]
    days += [o.recurrence.begin for o in plan.overleggen if o.recurrence]
    earliest = min(days, default=date(2000, 1, 1))
    latest = max(days, default=earliest)
    # A derived meeting lies before its parent; give it room at the start.
    longest_lead = max((o.derived.days_before for o in plan.overleggen if o.derived), default=0)
    return (
        first or earliest - timedelta(days=longest_lead),
        last or latest + _SPAN_AFTER_LAST,
    )


def _read(path: Path) -> bytes:
    """The file's bytes, or as many as show it is too large; the check decodes them."""
    return read_input(path, MAX_PLAN_BYTES)
