"""Every subcommand, given a bad argument, path or environment file: one Dutch line, exit 2.

The subcommands are read from the parser itself, so a new one without cases here fails
:func:`test_every_subcommand_has_cases`. Each case runs through :func:`bot.cli.main` as the
console script does; nothing may print a traceback, argparse's usage text or English.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import _parser, main
from planning.plan.example import example_plan_text

# Words of argparse's and Python's English that must not reach an operator.
ENGLISH = re.compile(r"\b(usage|error|invalid|required|expected|choose|Traceback)\b")

# For each subcommand: arguments with which it would run.
VALID: dict[tuple[str, ...], list[str]] = {
    ("run",): ["run"],
    ("db",): ["db", "upgrade"],
    ("db", "upgrade"): ["db", "upgrade"],
    ("invite",): ["invite", "--role", "lid", "--org", "gouda"],
    ("members",): ["members"],
    ("members", "set"): ["members", "set", "--user", "42", "--org", "gouda"],
    ("plan",): ["plan", "check", "jaarplan.yaml"],
    ("plan", "check"): ["plan", "check", "jaarplan.yaml"],
    ("plan", "import"): ["plan", "import", "jaarplan.yaml"],
    ("plan", "export"): ["plan", "export"],
    ("plan", "schema"): ["plan", "schema"],
    ("schedule",): ["schedule"],
    ("calendar",): ["calendar"],
    ("sandbox",): ["sandbox"],
    ("newsletter",): ["newsletter", "export", "--id", "1", "--format", "md"],
    ("newsletter", "export"): ["newsletter", "export", "--id", "1", "--format", "md"],
    ("audit",): ["audit"],
    ("agenda",): ["agenda", "export", "--meeting", "ao-1"],
    ("agenda", "export"): ["agenda", "export", "--meeting", "ao-1", "--format", "docx"],
}

# For each subcommand: bad arguments and a piece of the line that says what is wrong.
MISTAKES: dict[tuple[str, ...], list[tuple[list[str], str]]] = {
    ("run",): [
        (["run", "--listen", "nergens"], "ongeldig adres nergens"),
        (["run", "--listen", "0.0.0.0:99999"], "ongeldig adres"),
        (["run", "--poort", "80"], "onbekende optie --poort"),
    ],
    ("db",): [(["db"], "geef ook OPDRACHT"), (["db", "downgrade"], "onbekende opdracht")],
    ("db", "upgrade"): [(["db", "upgrade", "head"], "onbekend argument head")],
    ("invite",): [
        (["invite", "--role", "lid", "--org", "gouda", "--expires", "99999d"], "hoogstens 90"),
        (["invite", "--role", "lid", "--org", "gouda", "--expires", "13w"], "hoogstens 90"),
        (["invite", "--role", "lid", "--org", "gouda", "--expires", "morgen"], "ongeldige duur"),
        # argparse takes "-3d" for an option; the duration's own check should answer.
        (["invite", "--role", "lid", "--org", "gouda", "--expires", "-3d"], "ongeldige duur -3d"),
        (["invite", "--role", "lid", "--org", "gouda", "--expires=-3d"], "ongeldige duur -3d"),
        (["invite", "--role", "lid", "--org", "gouda", "--expires", "--json"], "heeft een waarde"),
        (["invite", "--role", "lid", "--org", "gouda", "--count", "0"], "ongeldig aantal 0"),
        (["invite", "--role", "lid", "--org", "gouda", "--count", "10000"], "tot en met 500"),
        (
            ["invite", "--role", "baas", "--org", "gouda"],
            "--role 'baas' is niet mogelijk; kies lid of",
        ),
        (["invite", "--org", "gouda"], "geef ook --role"),
        (["invite", "--role", "lid", "--org", "atlantis"], "organisatie atlantis bestaat niet"),
        (["invite", "--role", "lid", "--org", "gouda", "--count"], "--count heeft een waarde"),
    ],
    ("members",): [(["members", "--jsn"], "overlegbot members: onbekende optie --jsn")],
    ("members", "set"): [
        (["members", "set", "--user", "abc", "--org", "gouda"], "ongeldig Telegram-nummer abc"),
        # Range-checked before the database: SQLite would raise OverflowError on 39 digits.
        (["members", "set", "--user", "9" * 39, "--org", "gouda"], "ongeldig Telegram-nummer 99"),
        (["members", "set", "--user", "0", "--org", "gouda"], "ongeldig Telegram-nummer 0"),
        (["members", "set", "--user", "٤٢", "--org", "gouda"], "ongeldig Telegram-nummer ٤٢"),
        (["members", "set", "--user", "999", "--org", "gouda"], "geen lid met Telegram-nummer"),
        (["members", "set", "--user", "42"], "geef --org, --role of allebei"),
        (["members", "set", "--org", "gouda"], "geef ook --user"),
    ],
    ("plan",): [(["plan"], "geef ook OPDRACHT"), (["plan", "chek", "x"], "onbekende opdracht")],
    ("plan", "check"): [
        (["plan", "check"], "geef ook BESTAND"),
        (["plan", "check", "nergens.yaml"], "nergens.yaml bestaat niet"),
        (["plan", "check", "."], ". is een map; geef een bestand"),
    ],
    ("plan", "import"): [
        (["plan", "import", "nergens.yaml"], "nergens.yaml bestaat niet"),
        (["plan", "import", "/"], "/ is een map"),
    ],
    ("plan", "export"): [
        (["plan", "export", "--output", "."], ". is een map"),
        (["plan", "export", "--output", "weg/plan.yaml"], "de map weg bestaat niet"),
    ],
    ("plan", "schema"): [(["plan", "schema", "extra"], "onbekend argument extra")],
    ("schedule",): [
        (["schedule", "--from", "2011-02-30"], "ongeldige datum 2011-02-30"),
        (["schedule", "--to", "9999-12-31"], "tussen 1900 en 2199"),
        (["schedule", "--from", "2011-05-01", "--to", "2011-01-01"], "ligt na --to"),
    ],
    ("calendar",): [
        (["calendar", "--ics", "/no/such/dir/x.ics"], "de map /no/such/dir bestaat niet"),
        (["calendar", "--ics", "."], ". is een map"),
        (["calendar", "--from", "gisteren"], "ongeldige datum gisteren"),
    ],
    ("sandbox",): [(["sandbox", "--user-id", "0"], "ongeldig Telegram-nummer 0")],
    ("newsletter",): [(["newsletter"], "geef ook OPDRACHT")],
    ("newsletter", "export"): [
        (["newsletter", "export", "--id", "7", "--format", "md"], "geen nieuwsbrief met nummer 7"),
        (["newsletter", "export", "--id", "abc", "--format", "md"], "ongeldig nummer abc"),
        (["newsletter", "export", "--id", "9" * 39, "--format", "md"], "ongeldig nummer 99"),
        (["newsletter", "export", "--id", "1", "--format", "pdf"], "'pdf' is niet mogelijk"),
        (["newsletter", "export", "--format", "md"], "geef ook --id"),
        (["newsletter", "export", "--id", "1", "--format", "md", "--output", "."], "een map"),
    ],
    ("agenda",): [
        (["agenda"], "geef ook OPDRACHT"),
        (["agenda", "exporteer"], "onbekende opdracht"),
    ],
    ("agenda", "export"): [
        (
            ["agenda", "export", "--meeting", "ao-1", "--format", "pdf"],
            "--format 'pdf' is niet mogelijk; kies md of docx",
        ),
        (["agenda", "export", "--meeting"], "--meeting heeft een waarde"),
        (["agenda", "export", "--meeting", "ao-1", "--output", "."], "een map"),
        (["agenda", "export", "--meeting", "ao-1", "--output", "weg/a.md"], "map weg bestaat niet"),
        # No meeting has accepted items here: nothing to list, so still one line.
        (["agenda", "export"], "zoals ao@2011-03-22. Nog geen"),
        (["agenda", "export", "--meeting", "ao-1"], "geen vergadering met sleutel of naam ao-1."),
        (["agenda", "export", "--meeting", "ao@2011-03-22"], "met sleutel of naam ao@2011-03-22."),
        (["agenda", "export", "--meting", "ao-1"], "onbekende optie --meting"),
    ],
    ("audit",): [
        (["audit", "--since", "1-3-2011"], "--since: ongeldige datum 1-3-2011: gebruik JJJJ-MM-DD"),
        (["audit", "--since", "2011-02-30"], "ongeldige datum 2011-02-30"),
        (["audit", "--since", "9999-12-31"], "tussen 1900 en 2199"),
        (["audit", "--since"], "--since heeft een waarde"),
        (["audit", "--newsletter", "drie"], "ongeldig nummer drie"),
        (["audit", "--kopij", "9" * 39], "ongeldig nummer 99"),
        (["audit", "--newsletter", "1", "--kopij", "1"], "één van --newsletter, --kopij en"),
        (["audit", "--kopij", "1", "--incident", "2"], "één van --newsletter, --kopij en"),
        (["audit", "--incident", "nul"], "ongeldig nummer nul"),
    ],
}


def _commands(
    parser: argparse.ArgumentParser, words: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every subcommand path the parser knows, as ``overlegbot --help`` and its children list."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield (*words, name)
                yield from _commands(child, (*words, name))


@pytest.fixture
def workdir(
    clean_environment: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A migrated default database (no plan, no people), the example plan file, and the bot's
    name (so invites need not ask Telegram for it)."""
    monkeypatch.setenv("OVERLEGBOT_BOT_USERNAME", "overlegbot_test")
    (clean_environment / "jaarplan.yaml").write_text(example_plan_text(), encoding="utf-8")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    return clean_environment


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    out, err = capsys.readouterr()
    lines = (out + err).strip().splitlines()
    assert len(lines) == 1, out + err
    assert not ENGLISH.search(lines[0]), lines[0]
    return lines[0]


def test_every_subcommand_has_cases() -> None:
    commands = set(_commands(_parser()))
    assert commands == set(MISTAKES) == set(VALID)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [case for cases in MISTAKES.values() for case in cases],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_a_mistake_is_one_dutch_line_and_exit_2(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert main(argv) == 2
    assert expected in _one_line(capsys)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--versie"], "overlegbot: onbekende optie --versie; zie overlegbot --help"),
        (
            ["--versie=2", "audit"],
            "overlegbot audit: onbekende optie --versie; zie overlegbot audit --help",
        ),
        ([], "overlegbot: geef ook OPDRACHT; zie overlegbot --help"),
    ],
)
def test_an_unknown_option_is_named_before_a_missing_command(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    assert main(argv) == 2
    assert _one_line(capsys) == expected


@pytest.mark.parametrize("command", sorted(VALID), ids=" ".join)
def test_every_subcommand_refuses_a_missing_env_file_before_or_after_its_name(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    argv = VALID[command]
    for given in (["--env-file", "nergens.env", *argv], [*argv, "--env-file", "nergens.env"]):
        assert main(given) == 2
        assert _one_line(capsys) == "overlegbot: instellingenbestand nergens.env bestaat niet"


@pytest.mark.parametrize("command", sorted(VALID), ids=" ".join)
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "OVERLEGBOT_ADMINS=1\n\n# comment\ngarbage line\n",
            "overlegbot: bad.env:4: deze regel kan niet gelezen worden; schrijf NAAM=waarde",
        ),
        ("A='open\n", "overlegbot: bad.env:1: deze regel kan niet gelezen worden"),
        (
            "PATH_EXTRA=1\n\nOVERLEGBOT_TOKN=1\n",
            "overlegbot: bad.env:3: OVERLEGBOT_TOKN is geen instelling van overlegbot; "
            "bedoelt u OVERLEGBOT_TOKEN?",
        ),
        (
            "overlegbot_env_file=x\n",
            "overlegbot: bad.env:1: overlegbot_env_file is geen instelling van overlegbot; "
            "OVERLEGBOT_ENV_FILE werkt alleen als omgevingsvariabele",
        ),
    ],
    ids=["garbage", "open quote", "misspelt", "env file in a file"],
)
def test_every_subcommand_refuses_a_malformed_env_file(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    command: tuple[str, ...],
    content: str,
    expected: str,
) -> None:
    (workdir / "bad.env").write_text(content, encoding="utf-8")
    assert main(["--env-file", "bad.env", *VALID[command]]) == 2
    assert _one_line(capsys).startswith(expected)


def test_an_unknown_variable_in_the_environment_is_a_warning(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The environment is shared (CI, other tools), so it is said but does not stop the command.
    monkeypatch.setenv("OVERLEGBOT_DATABSE_URL", "sqlite:///elders.db")
    monkeypatch.setenv("OVERLEGBOT_ENV_FILE", "")  # known, though not a setting
    assert main(["members"]) == 0
    err = capsys.readouterr().err
    assert err == (
        "overlegbot: let op: omgevingsvariabele OVERLEGBOT_DATABSE_URL is geen instelling en "
        "wordt genegeerd; bedoelt u OVERLEGBOT_DATABASE_URL?\n"
    )


# argparse's metavars are the option's English name in capitals unless given.
ENGLISH_METAVAR = re.compile(r"\b(FIRST|LAST|EXPIRES|COUNT|USER_ID|PORT|FILE|COMMAND)\b")


@pytest.mark.parametrize("command", sorted(VALID), ids=" ".join)
def test_every_subcommands_help_is_dutch(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert not ENGLISH_METAVAR.search(shown), shown
    assert "publieke" not in shown
    for action in _parser_of(command)._actions:
        if not isinstance(action, argparse._SubParsersAction):  # its choices have the help
            assert action.help, f"{' '.join(command)} {action.dest} has no help text"


def test_an_optional_subcommand_shows_as_optional(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["members", "--help"])
    assert "[--json] [OPDRACHT ...]" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["plan", "--help"])
    assert "[--env-file BESTAND] OPDRACHT ..." in capsys.readouterr().out


def _parser_of(command: tuple[str, ...]) -> argparse.ArgumentParser:
    parser = _parser()
    for word in command:
        [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = subparsers.choices[word]
    return parser


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_plan_file_is_one_line(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "jaarplan.yaml").chmod(0)
    assert main(["plan", "check", "jaarplan.yaml"]) == 2
    assert _one_line(capsys) == "overlegbot: geen leesrechten voor jaarplan.yaml"


def test_a_permission_problem_is_named_even_for_root(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    assert main(["plan", "check", "jaarplan.yaml"]) == 2
    assert _one_line(capsys) == "overlegbot: geen leesrechten voor jaarplan.yaml"
    assert main(["plan", "import", "jaarplan.yaml"]) == 2
    assert _one_line(capsys) == "overlegbot: geen leesrechten voor jaarplan.yaml"
