"""A meeting's agenda at the command line, for the secretary:
``overlegbot agenda export --meeting KEY|CODE@YYYY-MM-DD [--format md|docx] [--output FILE]``;
without --format the extension of --output (.docx, .md) chooses.

Markdown goes to standard output unless ``--output`` names a file; a Word file goes to
``--output``, or without it to ``agenda-<meeting>-<day>.docx`` in the current folder; a file
written is said on standard output, and ``--output -`` is standard output itself. The command
line is the operator's: no coordinator is asked, and past and cancelled meetings export as well
(:func:`planning.agenda_items.export.export_draft`: after the meeting, as last published).
Without ``--meeting``, or with a meeting that is unknown, ambiguous or has no agenda, the
meetings that have one are listed with their keys and short names, on standard error with exit
status 2, like every other mistake.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from berichten.agenda_export import (
    ExportFormat,
    as_markdown,
    as_word,
    file_name,
    meeting_lines,
    no_meetings,
)
from berichten.texts.agenda_items import meeting_name
from bot.cli_runtime import CliError, check_output, require_schema, with_database, write_output
from bot.settings import load_settings
from planning import catalogue
from planning.agenda_items.export import (
    AgendaExport,
    MeetingWithAgenda,
    export_draft,
    meeting_by_key,
    meetings_named,
    meetings_with_agenda,
)
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.clock import Clock, SystemClock
from planning.db import Database

# "-" as a file name means standard output, as for most Unix tools.
_STDOUT = Path("-")


def add_agenda_commands(commands: Any) -> None:
    """Register ``agenda`` and its subcommand ``export`` on the top-level subparsers."""
    text = catalogue.plain
    agenda = commands.add_parser(
        "agenda", help=text("cli.help.agenda"), description=text("cli.help.agenda")
    )
    agenda_commands = agenda.add_subparsers(required=True, metavar="OPDRACHT")
    export = agenda_commands.add_parser(
        "export",
        help=text("cli.help.agenda_export"),
        description=text("cli.help.agenda_export"),
    )
    export.add_argument("--meeting", metavar="VERGADERING", help=text("cli.help.agenda_meeting"))
    export.add_argument(
        "--format",
        dest="form",
        default=None,
        choices=[form.value for form in ExportFormat],
        help=text("cli.help.agenda_format"),
    )
    export.add_argument(
        "--output", metavar="BESTAND", type=Path, help=text("cli.help.agenda_output")
    )
    export.set_defaults(command=_export)


def _export(args: argparse.Namespace) -> int:
    form = _format(args.form, args.output)
    if args.output is not None and args.output != _STDOUT:
        check_output(args.output)

    async def fetch(db: Database) -> AgendaExport | tuple[str, list[MeetingWithAgenda]]:
        await require_schema(db)
        clock = SystemClock()
        problem = catalogue.plain("cli.agenda_meeting_missing")
        if args.meeting is not None:
            named = await db.run(meetings_named, clock, args.meeting)
            if len(named) != 1:
                problem = catalogue.plain(
                    "cli.agenda_meeting_ambiguous" if named else "cli.agenda_meeting_unknown",
                    key=args.meeting,
                )
            else:
                try:
                    return await db.run(export_draft, clock, named[0].key)
                except AgendaItemError as refused:
                    problem = await _problem(db, clock, refused.reason, named[0].key)
        return problem, await db.run(meetings_with_agenda, clock)

    found = with_database(load_settings(), fetch)
    if not isinstance(found, AgendaExport):
        problem, meetings = found
        # One line when there is nothing to choose from, as every other mistake.
        listed = meeting_lines(meetings)
        raise CliError("\n".join([problem, *listed]) if listed else f"{problem} {no_meetings()}")
    if form is ExportFormat.MARKDOWN:
        if args.output is None or args.output == _STDOUT:
            sys.stdout.write(as_markdown(found))
        else:
            write_output(args.output, as_markdown(found).encode("utf-8"))
            print(catalogue.plain("cli.agenda_written", file=args.output))
        return 0
    if args.output == _STDOUT:  # the file itself, and nothing else: `... --output - > a.docx`
        sys.stdout.flush()
        sys.stdout.buffer.write(as_word(found))
        sys.stdout.buffer.flush()
        return 0
    output = args.output or Path(file_name(found.draft.meeting))
    if args.output is None:
        check_output(output)
    write_output(output, as_word(found))
    print(catalogue.plain("cli.agenda_written", file=output))
    return 0


async def _problem(db: Database, clock: Clock, reason: AgendaItemRefusal, key: str) -> str:
    """Why the meeting ``key`` cannot be exported, in one Dutch line."""
    meeting = await db.run(meeting_by_key, clock, key)
    if reason is AgendaItemRefusal.NOTHING_ACCEPTED and meeting is not None:
        label = meeting_name(meeting.title, meeting.when, cancelled=meeting.cancelled)
        return catalogue.plain("cli.agenda_meeting_empty", meeting=label, key=key)
    return catalogue.plain("cli.agenda_meeting_unknown", key=key)


# What a file name's extension says the file must hold.
_BY_SUFFIX = {".docx": ExportFormat.WORD, ".md": ExportFormat.MARKDOWN}


def _format(given: str | None, output: Path | None) -> ExportFormat:
    """The format asked for, or else the one ``--output``'s extension names (Markdown when it
    names none): a Word program cannot open Markdown in an ``agenda.docx``. A format that
    contradicts the extension is refused rather than written under the wrong name."""
    named = _BY_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if given is None:
        return named or ExportFormat.MARKDOWN
    form = ExportFormat(given)
    if named is not None and named is not form:
        raise CliError(catalogue.plain("cli.agenda_format_mismatch", file=output, form=form))
    return form
