"""``overlegbot newsletter export``: a sent issue for the website, to stdout or a file; an
unknown id is one Dutch line and exit 2."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from berichten.newsletters.schedule import cancel_issue, schedule_issue, send_issue
from bot.cli import main
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from planning.membership.tables import Role
from planning.newsletters.issues import Issue
from tests.support.network import join

ANNE = 601
MOMENT = datetime(2011, 3, 1, 9, 0, tzinfo=UTC)
TEXT = 'De <b>monitor</b> is klaar.\nLees <a href="https://example.nl/r">het rapport</a>.'


@pytest.fixture
def issue_id(clean_environment: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """A migrated database in the working folder with one issue sent, with a photo."""
    assert main(["db", "upgrade"]) == 0  # as the CLI runs: its own event loop, so no async here
    capsys.readouterr()
    return asyncio.run(_send_one(Database(f"sqlite:///{clean_environment / 'overlegbot.db'}")))


async def _send_one(database: Database) -> int:
    clock = FixedClock(MOMENT)
    try:
        await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
        await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
        issue = Issue("draft", "Nieuwsbrief maart", TEXT, "photo", "AgAC-foto")
        sent, _members = await database.run(send_issue, clock, ANNE, issue)
    finally:
        await database.dispose()
    return sent


def test_markdown_goes_to_stdout(issue_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["newsletter", "export", "--id", str(issue_id), "--format", "md"]) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        "# Nieuwsbrief maart\n\n_dinsdag 1 maart 2011_\n\n"
        "_Bijlage (foto), Telegram-bestand AgAC-foto_\n\n"
        "De **monitor** is klaar.\\\nLees [het rapport](https://example.nl/r).\n"
    )


def test_html_goes_to_a_file_or_to_stdout_with_a_dash(
    issue_id: int, clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["newsletter", "export", "--id", str(issue_id), "--format", "html"]
    assert main([*argv, "--output", "maart.html"]) == 0
    assert main([*argv, "--output", "-"]) == 0

    page = (clean_environment / "maart.html").read_text(encoding="utf-8")
    assert capsys.readouterr().out == page
    assert page.startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert "<title>Nieuwsbrief maart</title>" in page
    assert '<time datetime="2011-03-01">dinsdag 1 maart 2011</time>' in page
    assert "Telegram-bestand AgAC-foto" in page
    assert (
        "<p>De <strong>monitor</strong> is klaar.<br>\n"
        'Lees <a href="https://example.nl/r">het rapport</a>.</p>'
    ) in page


def test_an_unknown_id_is_one_line(issue_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["newsletter", "export", "--id", str(issue_id + 1), "--format", "md"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"overlegbot: er is geen nieuwsbrief met nummer {issue_id + 1}\n"


def test_an_issue_not_sent_says_so(issue_id: int, capsys: pytest.CaptureFixture[str]) -> None:
    scheduled, cancelled = asyncio.run(_schedule_two(Database("sqlite:///overlegbot.db")))

    assert main(["newsletter", "export", "--id", str(scheduled), "--format", "md"]) == 2
    assert capsys.readouterr().err == (
        f"overlegbot: nieuwsbrief {scheduled} is nog niet verstuurd (hij staat ingepland); "
        "exporteren kan zodra hij verstuurd is\n"
    )
    assert main(["newsletter", "export", "--id", str(cancelled), "--format", "md"]) == 2
    assert capsys.readouterr().err == (
        f"overlegbot: nieuwsbrief {cancelled} is niet verstuurd (hij is geannuleerd), dus er is "
        "niets te exporteren\n"
    )


async def _schedule_two(database: Database) -> tuple[int, int]:
    clock = FixedClock(MOMENT)
    later = MOMENT + timedelta(days=7)
    try:
        scheduled = await database.run(
            schedule_issue, clock, ANNE, Issue("april", "April", TEXT), later
        )
        cancelled = await database.run(
            schedule_issue, clock, ANNE, Issue("mei", "Mei", TEXT), later
        )
        await database.run(cancel_issue, clock, ANNE, cancelled)
    finally:
        await database.dispose()
    return scheduled, cancelled
