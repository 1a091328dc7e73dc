"""The operator's commands: migrate, invite, list members; mistakes end in one Dutch line."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli import main
from planning import catalogue
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_group, add_organisation, register_admin
from planning.membership.tables import InviteRow
from tests.support.world import START


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


def test_an_invite_that_cannot_print_its_link_stores_no_code(
    database_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    _seed(database_file)
    monkeypatch.delenv("OVERLEGBOT_BOT_USERNAME")  # and no token to ask Telegram with
    capsys.readouterr()

    assert main(["invite", "--role", "lid", "--org", "gouda"]) == 2

    shown = capsys.readouterr()
    assert shown.err == (
        "overlegbot: voor de links is de naam van de bot nodig; zet OVERLEGBOT_BOT_USERNAME "
        "(bv. overlegbot_bot), of OVERLEGBOT_TOKEN zodat de bot zijn naam bij Telegram "
        "opvraagt, als omgevingsvariabele of in het bestand .env\n"
    )
    assert shown.out == ""
    assert _invites(database_file) == 0


def _invites(path: Path) -> int:
    async def count() -> int:
        database = Database(f"sqlite:///{path}")
        async with database.transaction() as session:
            found = await session.scalar(select(func.count()).select_from(InviteRow))
        await database.dispose()
        return int(found or 0)

    return asyncio.run(count())


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
    database_file.touch()
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
    ("folder_exists", "problem"),
    [
        (False, "de map data voor database data/x.db bestaat niet; maak die eerst"),
        (True, "het bestand is geen SQLite-database"),
    ],
    ids=["missing folder", "not a database"],
)
def test_an_sqlite_problem_is_said_in_dutch(
    database_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    folder_exists: bool,
    problem: str,
) -> None:
    folder = database_file.parent / "data"
    if folder_exists:
        folder.mkdir()
        (folder / "x.db").write_text("geen database, maar een brief\n" * 100)
    monkeypatch.setenv("OVERLEGBOT_DATABASE_URL", "sqlite:///data/x.db")

    assert main(["db", "upgrade"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("overlegbot: de ") and problem in err
    assert len(err.strip().splitlines()) == 1 and "database file" not in err


def test_an_unencoded_password_is_hidden_whole_and_explained(
    database_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLAlchemy reads "ss#1@127.0.0.1" as the host: the name cannot be resolved.
    monkeypatch.setenv("OVERLEGBOT_DATABASE_URL", "postgresql://bot:p@ss#1@127.0.0.1:1/overleg")

    assert main(["db", "upgrade"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("overlegbot: de database postgresql://bot:***@127.0.0.1:1/overleg ")
    assert "ss#1" not in err and len(err.strip().splitlines()) == 1
    assert err.rstrip().endswith("bv. @ als %40 en # als %23")


@pytest.mark.parametrize(
    ("argv", "description"),
    [
        (["run"], "cli.help.run"),
        (["db"], "cli.help.db"),
        (["db", "upgrade"], "cli.help.db_upgrade"),
        (["invite"], "cli.help.invite"),
        (["members"], "cli.help.members"),
        (["members", "set"], "cli.help.members_set"),
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


def test_the_env_file_gives_every_command_the_services_settings(
    clean_environment: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    service = clean_environment / "etc"
    service.mkdir()
    (service / "overlegbot.env").write_text(
        f"OVERLEGBOT_DATABASE_URL=sqlite:///{service / 'dienst.db'}\n"
        "OVERLEGBOT_BOT_USERNAME=overlegbot_dienst\n",
        encoding="utf-8",
    )
    env_file = str(service / "overlegbot.env")

    assert main(["--env-file", env_file, "db", "upgrade"]) == 0
    assert (service / "dienst.db").exists() and not (clean_environment / "overlegbot.db").exists()
    _seed(service / "dienst.db")
    capsys.readouterr()
    assert main(["invite", "--role", "lid", "--org", "gouda", "--env-file", env_file]) == 0
    assert "https://t.me/overlegbot_dienst?start=" in capsys.readouterr().out
    monkeypatch.setenv("OVERLEGBOT_ENV_FILE", env_file)
    assert main(["members", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def _register_admin_before_the_plan(path: Path) -> None:
    async def register() -> None:
        database = Database(f"sqlite:///{path}")
        await database.run(
            register_admin, FixedClock(START), telegram_user_id=42, name="Anna", username=None
        )
        await database.dispose()

    asyncio.run(register())


def test_members_set_gives_a_member_an_organisation_and_a_role(
    database_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    main(["db", "upgrade"])
    _register_admin_before_the_plan(database_file)
    _seed(database_file)
    capsys.readouterr()

    assert main(["members", "set", "--user", "42", "--org", "gouda"]) == 0
    assert capsys.readouterr().out == "Lid 42 (Anna): organisatie gouda, rol coördinator.\n"
    monkeypatch.setenv("OVERLEGBOT_ADMINS", "42")
    assert main(["members", "set", "--user", "42", "--role", "lid"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Lid 42 (Anna): organisatie gouda, rol lid.",
        "Let op: 42 staat in OVERLEGBOT_ADMINS en wordt bij de volgende start van de bot weer "
        "coördinator; haal het nummer daar eerst weg.",
    ]
    assert main(["members", "--json"]) == 0
    [member] = json.loads(capsys.readouterr().out)
    assert (member["organisation"], member["role"]) == ("gouda", "lid")
    assert member["status"] == "active"  # --json keeps the machine values
    assert main(["members"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert line.split("\t")[-1] == "actief"


def test_members_set_names_an_unknown_member_or_organisation(
    database_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["db", "upgrade"])
    _register_admin_before_the_plan(database_file)
    _seed(database_file)
    capsys.readouterr()

    assert main(["members", "set", "--user", "43", "--org", "gouda"]) == 2
    assert capsys.readouterr().err == (
        "overlegbot: er is geen lid met Telegram-nummer 43; `overlegbot members` toont wie er "
        "aangemeld is\n"
    )
    assert main(["members", "set", "--user", "42", "--org", "atlantis"]) == 2
    assert (
        capsys.readouterr().err == "overlegbot: organisatie atlantis bestaat niet. Bekend: gouda\n"
    )


def test_a_missing_sqlite_file_is_not_made_but_named(
    database_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["members"]) == 2
    assert capsys.readouterr().err == (
        "overlegbot: database overlegbot.db bestaat niet; geef de instellingen van de dienst mee "
        "(--env-file) of maak de database met `overlegbot db upgrade`\n"
    )
    assert not database_file.exists()
