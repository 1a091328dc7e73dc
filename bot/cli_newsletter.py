"""Newsletters at the command line: ``newsletter export --id N --format html|md``.

The export is for the website: HTML as a small standalone page, or Markdown
(:mod:`berichten.newsletters.export`). Without ``--output``, or with ``-``, it goes to standard
output. An unknown id, like any other mistake, is one Dutch line and exit status 2; so is an
issue not sent (yet), saying where it stands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from berichten.newsletters.export import ExportFormat, export_issue
from bot.cli_runtime import CliError, check_output, require_schema, with_database, write_output
from bot.settings import load_settings
from planning import catalogue
from planning.db import Database
from planning.newsletters.archive import ArchivedIssue, archived_issue, issue_status
from planning.newsletters.tables import IssueStatus

# Why an issue that exists cannot be exported: it has not gone out, or never will.
_NOT_SENT = {
    IssueStatus.AWAITING_APPROVAL: "cli.newsletter_awaiting_approval",
    IssueStatus.SCHEDULED: "cli.newsletter_scheduled",
    IssueStatus.CANCELLED: "cli.newsletter_cancelled",
    IssueStatus.REJECTED: "cli.newsletter_rejected",
}
# "-" as a file name means standard output, as for most Unix tools.
_STDOUT = Path("-")
# Ids are database integers; a longer number is a typo, and SQLite would overflow on it.
_MAX_ID = 2**62


def add_newsletter_commands(commands: Any) -> None:
    """Register ``newsletter`` and its subcommands on the top-level subparsers."""
    text = catalogue.plain
    newsletter = commands.add_parser(
        "newsletter", help=text("cli.help.newsletter"), description=text("cli.help.newsletter")
    )
    newsletter_commands = newsletter.add_subparsers(required=True, metavar="OPDRACHT")
    export = newsletter_commands.add_parser(
        "export",
        help=text("cli.help.newsletter_export"),
        description=text("cli.help.newsletter_export"),
    )
    export.add_argument(
        "--id",
        dest="issue",
        required=True,
        type=_issue_id,
        metavar="NUMMER",
        help=text("cli.help.newsletter_id"),
    )
    export.add_argument(
        "--format",
        dest="form",
        required=True,
        choices=[form.value for form in ExportFormat],
        help=text("cli.help.newsletter_format"),
    )
    export.add_argument(
        "--output", metavar="BESTAND", type=Path, help=text("cli.help.newsletter_output")
    )
    export.set_defaults(command=_export)


def _export(args: argparse.Namespace) -> int:
    to_stdout = args.output is None or args.output == _STDOUT
    if not to_stdout:
        check_output(args.output)
    settings = load_settings()

    async def fetch(db: Database) -> ArchivedIssue | IssueStatus | None:
        await require_schema(db)
        return await db.run(archived_issue, args.issue) or await db.run(issue_status, args.issue)

    issue = with_database(settings, fetch)
    if issue is None:
        raise CliError(catalogue.plain("cli.newsletter_unknown", id=args.issue))
    if isinstance(issue, IssueStatus):
        raise CliError(catalogue.plain(_NOT_SENT[issue], id=args.issue))
    document = export_issue(issue, settings.timezone, ExportFormat(args.form))
    if to_stdout:
        sys.stdout.write(document)
    else:
        write_output(args.output, document.encode("utf-8"))
    return 0


def _issue_id(value: str) -> int:
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) < _MAX_ID:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_newsletter_id", value=value))
    return int(value)
