"""The operator's commands: migrate, invite, list members; mistakes end in one Dutch line."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from bot.cli import main
from planning import catalogue
from planning.db import Database
from planning.membership.services import add_group, add_organisation


@pytest.fixture
def database_file(clean_environment: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default database, an SQLite file in the working directory (CLI behaviour does not
    depend on the database engine; the service tests cover PostgreSQL)."""
    monkeypatch.setenv("OVERLEGBOT_BOT_USERNAME", "overlegbot_test")
    return clean_environment / "overlegbot.db"


def _seed(path: Path) -> None:
    async def seed() -> None:
        database = Database(f"sqlite:///{path}")
        await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
        await database.run(add_group, "contactpersonen", "Contactpersonen")
        await database.dispose()

    asyncio.run(seed())


def test_upgrade_then_invite_prints_one_link_per_line(
    database_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.startswith("Database bijgewerkt: 0001, ")
    _seed(database_file)

    assert (
        main(
            [
                "invite",
                "--role",
                "lid",
                "--org",
                "gouda",
                "--group",
                "contactpersonen",
                "--count",
                "3",
                "--expires",
                "2w",
            ]
        )
        == 0
    )

    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    for line in lines:
        code, link = line.split(" ")
        assert link == f"https://t.me/overlegbot_test?start={code}"
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code)


def test_members_lists_as_json(database_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["members", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["members"], "voer eerst `overlegbot db upgrade` uit"),
        (["invite", "--role", "lid", "--org", "atlantis"], "voer eerst"),
    ],
)
def test_an_unmigrated_database_is_named_not_traced(
    database_file: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_an_unknown_organisation_lists_the_known_ones(
    database_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["db", "upgrade"])
    _seed(database_file)
    capsys.readouterr()

    assert main(["invite", "--role", "lid", "--org", "atlantis"]) == 2

    assert capsys.readouterr().err.strip() == (
        "overlegbot: organisatie atlantis bestaat niet. Bekend: gouda"
    )


def test_run_without_a_token_is_one_line_and_exit_2(
    database_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    assert capsys.readouterr().err.strip() == (
        "overlegbot: instelling OVERLEGBOT_TOKEN ontbreekt; zet die als omgevingsvariabele "
        "of in het bestand .env"
    )


def test_an_unreachable_database_is_one_line(
    database_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OVERLEGBOT_DATABASE_URL", "postgresql://bot:geheim@127.0.0.1:1/overleg")

    assert main(["members"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("overlegbot: de database postgresql://bot:***@127.0.0.1:1/overleg ")
    assert "geheim" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "description"),
    [
        (["run"], "cli.help.run"),
        (["db"], "cli.help.db"),
        (["db", "upgrade"], "cli.help.db_upgrade"),
        (["invite"], "cli.help.invite"),
        (["members"], "cli.help.members"),
        (["sandbox"], "cli.help.sandbox"),
    ],
)
def test_every_subcommand_has_dutch_help(
    capsys: pytest.CaptureFixture[str], argv: list[str], description: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    assert " ".join(catalogue.plain(description).split()) in " ".join(
        capsys.readouterr().out.split()
    )


@pytest.mark.parametrize("url", ["mysql://bot@localhost/overleg", "nonsense"])
def test_a_malformed_database_url_is_one_line(
    database_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    monkeypatch.setenv("OVERLEGBOT_DATABASE_URL", url)

    assert main(["members"]) == 2

    err = capsys.readouterr().err.strip()
    assert err.startswith(
        "overlegbot: instelling OVERLEGBOT_DATABASE_URL is ongeldig: gebruik sqlite"
    )
    assert "\n" not in err
