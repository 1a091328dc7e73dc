"""What every ``overlegbot`` subcommand shares: its parser, one-line errors, files and a
database for one job.

Exit status 2 with one Dutch line on stderr is the answer to every operator mistake: a bad
argument (:class:`Parser` puts argparse's English in Dutch, without the usage text), a path
that is missing, a folder, or not readable or writable (:func:`read_input`,
:func:`check_output`, :func:`write_output`), a setting, an unreachable or unmigrated database.
Each subcommand runs its work in a fresh event loop with its own engine, disposed afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import re
import sys
from collections.abc import Callable, Coroutine, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError

from bot.logs import database_problem
from bot.migrate import current_revision
from bot.settings import Settings
from planning import catalogue
from planning.db import Database

EXIT_USAGE = 2
# Dates on the command line: wide enough for any plan, narrow enough that date arithmetic
# never overflows.
_FIRST_YEAR, _LAST_YEAR = 1900, 2199
_T = TypeVar("_T")
# scheme://user:password@host...: the password runs to the last "@", as its writer meant.
_CREDENTIALS = re.compile(r"(?P<start>[^:/@]+://[^:/@]*:)(?P<password>.*)(?P<end>@[^@]*)", re.S)
# Characters a URL reads as its structure, and a "%" that starts no percent-escape.
_RESERVED_IN_PASSWORD = re.compile(r"[@#/?]|%(?![0-9A-Fa-f]{2})")


class CliError(Exception):
    """One line for the operator; exit status 2."""


# argparse's English errors (Python 3.11), tried in order, with the Dutch text for each. The
# last ``argument X: message`` is one of our own type functions' Dutch messages.
_ARGPARSE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"the following arguments are required: (?P<arguments>.+)"), "cli.args.required"),
    (re.compile(r"unrecognized arguments: (?P<arguments>.+)"), "cli.args.unrecognized"),
    (
        re.compile(
            r"argument OPDRACHT: invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"
        ),
        "cli.args.unknown_command",
    ),
    (
        re.compile(
            r"argument (?P<argument>[^:]+): invalid choice: (?P<value>.+?)"
            r" \(choose from (?P<choices>.+)\)"
        ),
        "cli.args.invalid_choice",
    ),
    (re.compile(r"argument (?P<argument>[^:]+): expected .*argument"), "cli.args.expected_value"),
    (
        re.compile(r"argument (?P<argument>[^:]+): invalid \S+ value: (?P<value>.+)"),
        "cli.args.invalid_value",
    ),
    (
        re.compile(r"ambiguous option: (?P<argument>\S+) could match (?P<choices>.+)"),
        "cli.args.ambiguous",
    ),
    (re.compile(r"argument [^:]+: (not allowed with|ignored explicit) "), "cli.args.other"),
    (re.compile(r"argument (?P<argument>[^:]+): (?P<message>.+)"), "cli.args.invalid"),
)


class Parser(argparse.ArgumentParser):
    """The parser of ``overlegbot`` and, through ``add_subparsers``, of every subcommand.

    Each one takes the options every subcommand shares, so they may come before or after the
    subcommand's name; their default is ``SUPPRESS`` so that a subcommand without them leaves
    what came before alone. A mistake is one Dutch line (a :class:`CliError`), never argparse's
    usage text and English message.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _DutchHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        # argparse's own headings and its -h are English; these are the same in Dutch.
        self._positionals.title = catalogue.plain("cli.help.positionals")
        self._optionals.title = catalogue.plain("cli.help.optionals")
        self.add_argument("-h", "--help", action="help", help=catalogue.plain("cli.help.help"))
        self.add_argument(
            "--env-file",
            metavar="BESTAND",
            type=Path,
            default=argparse.SUPPRESS,
            help=catalogue.plain("cli.help.env_file"),
        )

        # The deepest parser's defaults win, so after parsing this names the subcommand given.
        self.set_defaults(parser_prog=self.prog)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        words = self._dash_values(sys.argv[1:] if args is None else list(args))
        try:
            parsed, extra = self.parse_known_args(words, namespace)
        except CliError:
            # argparse says "geef ook OPDRACHT" before it looks at `overlegbot --versie`'s
            # option: the option no parser knows is the mistake to name.
            unknown = [word for word in words if self._unknown_option(word)]
            if not unknown:
                raise
            raise CliError(_unknown_option(self.prog, unknown[0])) from None
        if extra:
            # argparse reports unknown arguments from the top-level parser; name the subcommand.
            prog = getattr(parsed, "parser_prog", self.prog)
            options = [word for word in extra if self._unknown_option(word)]
            if options:
                raise CliError(_unknown_option(prog, options[0]))
            raise CliError(argument_problem(prog, f"unrecognized arguments: {' '.join(extra)}"))
        return parsed

    def _unknown_option(self, word: str) -> bool:
        """Whether ``word`` looks like an option (``--versie``, ``-x=1``) that no parser has."""
        if word[:1] != "-" or word == "-" or word[1:2].isdigit():
            return False
        name = word.split("=", 1)[0]
        return all(name not in parser._option_string_actions for parser in _parsers(self))

    def error(self, message: str) -> NoReturn:
        raise CliError(argument_problem(self.prog, message))

    def _dash_values(self, words: list[str]) -> list[str]:
        """``--expires -3d`` as ``--expires=-3d``. argparse reads a value that starts with "-"
        as an option, and would say that ``--expires`` has no value; the option's own check
        says better what is wrong with it. A known option (``--count -h``) stays itself."""
        takes_value: set[str] = set()
        known: set[str] = set()
        for parser in _parsers(self):
            for action in parser._actions:
                known.update(action.option_strings)
                if action.option_strings and action.nargs is None:
                    takes_value.update(action.option_strings)
        joined: list[str] = []
        for word in words:
            follows_option = bool(joined) and joined[-1] in takes_value
            if follows_option and word[:1] == "-" and word[:2] != "--" and word not in known:
                joined[-1] = f"{joined[-1]}={word}"
            else:
                joined.append(word)
        return joined


def _parsers(parser: argparse.ArgumentParser) -> Iterable[argparse.ArgumentParser]:
    """``parser`` and every subcommand's parser under it."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


class _DutchHelp(argparse.HelpFormatter):
    """argparse's help layout, with "gebruik:" where it writes "usage:", and an optional
    subcommand (``members [set]``) in brackets, which argparse leaves out."""

    def _format_args(self, action: argparse.Action, default_metavar: str) -> str:
        formatted = super()._format_args(action, default_metavar)
        if action.nargs == argparse.PARSER and not action.required:
            return f"[{formatted}]"
        return formatted

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        dutch = catalogue.plain("cli.help.usage") if prefix is None else prefix
        super().add_usage(usage, actions, groups, dutch)


def _unknown_option(prog: str, word: str) -> str:
    return catalogue.plain("cli.args.unknown_option", prog=prog, option=word.split("=", 1)[0])


def argument_problem(prog: str, message: str) -> str:
    """argparse's ``message`` about ``prog``'s arguments as one Dutch line."""
    for pattern, key in _ARGPARSE_ERRORS:
        match = pattern.fullmatch(message)
        if match is not None:
            values: dict[str, str] = match.groupdict()
            if values.get("choices"):
                values["choices"] = _one_of(values["choices"])
            return catalogue.plain(key, n=None, prog=prog, **values)
    return catalogue.plain("cli.args.other", prog=prog)


def _one_of(choices: str) -> str:
    """argparse's ``'md', 'docx'`` as ``md of docx``; left alone if it is not such a list."""
    names: list[str] = re.findall(r"'([^']*)'", choices)
    if not names:
        return choices
    if len(names) == 1:
        return names[0]
    return catalogue.plain("cli.args.one_of", first=", ".join(names[:-1]), last=names[-1])


def day_argument(value: str) -> date:
    """An argparse type: a date ``JJJJ-MM-DD`` between 1900 and 2199, else one Dutch line."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise argparse.ArgumentTypeError(catalogue.plain("cli.bad_date", value=value))
    return day


def read_input(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of ``path`` (so a caller sees that it is too large)."""
    try:
        with path.open("rb") as file:
            return file.read(limit + 1)
    except FileNotFoundError as error:
        raise CliError(catalogue.plain("cli.file_missing", file=path)) from error
    except IsADirectoryError as error:
        raise CliError(catalogue.plain("cli.file_is_directory", file=path)) from error
    except PermissionError as error:
        raise CliError(catalogue.plain("cli.file_no_permission", file=path)) from error
    except OSError as error:
        problem = _os_problem(error)
        raise CliError(catalogue.plain("cli.unreadable", file=path, problem=problem)) from error


def check_output(path: Path) -> None:
    """Refuse, before any work, an output path that cannot be written."""
    if path.is_dir():
        raise CliError(catalogue.plain("cli.file_is_directory", file=path))
    folder = path.parent
    if not folder.is_dir():
        raise CliError(catalogue.plain("cli.folder_missing", file=path, folder=folder))
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise CliError(catalogue.plain("cli.output_no_permission", file=path))


def write_output(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path``; what still goes wrong (a full disk) is one line too."""
    try:
        path.write_bytes(content)
    except IsADirectoryError as error:
        raise CliError(catalogue.plain("cli.file_is_directory", file=path)) from error
    except FileNotFoundError as error:
        folder = path.parent
        # /proc/a.docx: the folder is there, but no file can be made in it.
        key = "cli.folder_not_writable" if folder.is_dir() else "cli.folder_missing"
        raise CliError(catalogue.plain(key, file=path, folder=folder)) from error
    except PermissionError as error:
        raise CliError(catalogue.plain("cli.output_no_permission", file=path)) from error
    except OSError as error:
        problem = _os_problem(error)
        raise CliError(catalogue.plain("cli.unwritable", file=path, problem=problem)) from error


def _os_problem(error: OSError) -> str:
    """The error's symbolic name (ENOSPC, EIO): the system's own sentence would be English."""
    return errno.errorcode.get(error.errno or 0, type(error).__name__)


def with_database(settings: Settings, work: Callable[[Database], Coroutine[Any, Any, _T]]) -> _T:
    """Run ``work`` on the configured database in a fresh event loop."""
    database = Database(settings.database_url)
    file = _sqlite_file(database)
    # Said before connecting: aiosqlite's failed connect reports to a loop already closed.
    if file is not None and not file.parent.is_dir():
        raise CliError(
            catalogue.plain("cli.database_folder_missing", file=file, folder=file.parent)
        )

    async def run() -> _T:
        try:
            return await work(database)
        finally:
            await database.dispose()

    try:
        return asyncio.run(run())
    except (OperationalError, DBAPIError, OSError) as error:
        problem = database_problem(getattr(error, "orig", None) or error)
        url = without_password(settings.database_url)
        problem += password_hint(settings.database_url)
        raise CliError(
            catalogue.plain("cli.database_unreachable", url=url, problem=problem)
        ) from error


async def require_schema(database: Database) -> None:
    """Commands other than ``run`` and ``db upgrade`` do not migrate behind the operator's back.

    Nor do they make an empty SQLite file: one that is not there is most often the default
    ``./overlegbot.db`` of a command run without the service's ``--env-file``.
    """
    file = _sqlite_file(database)
    if file is not None and not await asyncio.to_thread(file.exists):
        raise CliError(catalogue.plain("cli.database_missing", file=file))
    if await current_revision(database) is None:
        raise CliError(catalogue.plain("cli.schema_missing"))


def _sqlite_file(database: Database) -> Path | None:
    """The file of an SQLite database; None for another engine or one in memory."""
    url = database.engine.url
    file = url.database if url.get_backend_name() == "sqlite" else None
    return None if file in (None, "", ":memory:") else Path(str(file))


def without_password(url: str) -> str:
    """``url`` with its whole password as ``***``: everything between the user's ``:`` and the
    last ``@``, also when the password holds an ``@`` or ``#`` that was not percent-encoded."""
    found = _CREDENTIALS.match(url)
    if found is None:
        return url
    return f"{found['start']}***{found['end']}"


def password_hint(url: str) -> str:
    """A Dutch hint to percent-encode the password if it holds characters that make the URL
    mean something else (a host after its ``@``, a fragment after its ``#``); else ""."""
    found = _CREDENTIALS.match(url)
    if found is None or not _RESERVED_IN_PASSWORD.search(found["password"]):
        return ""
    return catalogue.plain("cli.database_password_hint")
