"""``overlegbot audit``: one aligned Dutch line per event in the plan's zone, or JSON in UTC;
a member who left shows by id only. Its mistakes are in ``test_cli_mistakes.py``."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from berichten.incidents.closing import close_incident
from berichten.incidents.escalation import escalate_due
from berichten.incidents.sending import send_incident
from berichten.newsletters.kopij import decide_and_notify, send_in_and_notify
from berichten.newsletters.schedule import send_issue
from berichten.texts.incidents import from_text
from bot.cli import main
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.services import Answer, Incident, acknowledge
from planning.membership.services import add_organisation, leave
from planning.membership.tables import Role
from planning.newsletters.issues import Audience, Issue
from planning.newsletters.services import Kopij
from planning.newsletters.tables import KopijKind, KopijStatus
from tests.support.incidents import import_incident_plan
from tests.support.network import join

FATIMA, KOEN, ANNE = 501, 502, 601
# 09:00 UTC is 10:00 in Amsterdam (the plan's zone before a plan is imported) in winter.
MOMENT = datetime(2011, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def logged(clean_environment: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """A migrated database in the working folder: kopij sent in and set aside on 1 March, a
    newsletter sent on 2 March; returns the issue's id."""
    assert main(["db", "upgrade"]) == 0  # as the CLI runs: its own event loop
    capsys.readouterr()
    return asyncio.run(_happen(Database(f"sqlite:///{clean_environment / 'overlegbot.db'}")))


async def _happen(database: Database) -> int:
    clock = FixedClock(MOMENT)
    try:
        await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
        await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
        await join(database, clock, FATIMA, "gouda", name="Fatima")
        await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
        kopij = Kopij("Nieuwe monitor", KopijKind.TEXT, "Tekst", "Tekst")
        item, _ = await database.run(send_in_and_notify, clock, FATIMA, kopij)
        clock.advance(timedelta(minutes=5, seconds=30))
        await database.run(decide_and_notify, clock, ANNE, item.id, KopijStatus.SET_ASIDE)
        clock.set(MOMENT + timedelta(days=1))
        issue = Issue("draft", "Nieuwsbrief maart", "Tekst", kopij_ids=(item.id,))
        sent, _members = await database.run(send_issue, clock, ANNE, issue)
    finally:
        await database.dispose()
    return sent


def _leave(folder: Path, user_id: int) -> None:
    async def go(database: Database) -> None:
        try:
            await database.run(leave, FixedClock(MOMENT + timedelta(days=2)), user_id)
        finally:
            await database.dispose()

    asyncio.run(go(Database(f"sqlite:///{folder / 'overlegbot.db'}")))


def test_one_aligned_line_per_event_in_the_plans_zone(
    logged: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit"]) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "2011-03-01 10:00:00 CET  Fatima (#501)  kopij 1        "
        "ingezonden                   aan 1 persoon   Nieuwe monitor",
        "2011-03-01 10:05:30 CET  Anne (#601)    kopij 1        bewaard voor de nieuwsbrief",
        f"2011-03-02 10:00:00 CET  Anne (#601)    nieuwsbrief {logged}"
        "  verstuurd                    aan 2 personen  Nieuwsbrief maart",
    ]


def test_json_is_one_array_with_moments_in_utc(
    logged: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--json", "--newsletter", str(logged)]) == 0

    assert json.loads(capsys.readouterr().out) == [
        {
            "id": 3,
            "at": "2011-03-02T09:00:00+00:00",
            "actor": ANNE,
            "actor_name": "Anne",
            "actor_organisation": "Coördinatieteam",
            "actor_left": False,
            "action": "newsletter_sent",
            "subject_kind": "newsletter",
            "subject_id": logged,
            "count": 2,
            "detail": "Nieuwsbrief maart",
        }
    ]


def test_since_starts_at_midnight_in_the_plans_zone(
    logged: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "--since", "2011-03-02"]) == 0
    assert [line.split("  ")[2] for line in capsys.readouterr().out.splitlines()] == [
        f"nieuwsbrief {logged}"
    ]

    assert main(["audit", "--since", "2011-03-03"]) == 0
    assert capsys.readouterr().out == "Het auditlogboek bevat hierover (nog) niets.\n"
    assert main(["audit", "--kopij", "1", "--json"]) == 0
    assert [e["action"] for e in json.loads(capsys.readouterr().out)] == [
        "kopij_sent_in",
        "kopij_set_aside",
    ]


def test_a_member_who_left_is_shown_by_id_without_their_name(
    logged: int, clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _leave(clean_environment, FATIMA)

    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(
        "2011-03-01 10:00:00 CET  lid dat zich heeft afgemeld (#501)  kopij 1  "
    )
    assert "Fatima" not in out and len(out.splitlines()) == 3
    assert main(["audit", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)[0]
    assert (first["actor"], first["actor_name"], first["actor_left"]) == (FATIMA, None, True)


def test_an_empty_log_says_it_is_empty(
    clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    assert main(["audit"]) == 0
    assert capsys.readouterr().out == "Het auditlogboek is (nog) leeg.\n"
    assert main(["audit", "--newsletter", "1"]) == 0
    assert capsys.readouterr().out == "Het auditlogboek bevat hierover (nog) niets.\n"


def test_without_a_database_it_says_so(
    clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit"]) == 2

    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert "overlegbot.db" in err


async def _incident(database: Database) -> None:
    """An incident sent by Anne on 6 December, read by Fatima, escalated twice and closed."""
    clock = FixedClock(datetime(2011, 12, 6, 9, 0, tzinfo=UTC))
    every = timedelta(minutes=15)
    try:
        await database.run(import_incident_plan, clock)
        await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
        await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen")
        await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
        text = from_text("Steekpartij", "Tekst")
        audience = Audience(everyone=False, groups=("contactpersonen",))
        await database.run(
            send_incident, clock, ANNE, Incident("d", "Steekpartij", text, None, audience)
        )
        clock.advance(timedelta(minutes=3))
        await database.run(acknowledge, clock, 1, FATIMA, Answer.READ)
        for _round in (1, 2):
            clock.advance(every)
            await database.run(escalate_due, clock, every)
        clock.advance(timedelta(minutes=1))
        await database.run(close_incident, clock, ANNE, 1)
    finally:
        await database.dispose()


def test_an_incidents_timeline_from_composing_to_closing(
    clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    asyncio.run(_incident(Database(f"sqlite:///{clean_environment / 'overlegbot.db'}")))
    capsys.readouterr()

    assert main(["audit", "--incident", "1"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  incident 1  ")[0].rstrip() for line in lines] == [
        "2011-12-06 10:00:00 CET  Anne (#601)",
        "2011-12-06 10:00:00 CET  Anne (#601)",
        "2011-12-06 10:03:00 CET  Fatima (#501)",
        "2011-12-06 10:18:00 CET  Overlegbot",
        "2011-12-06 10:33:00 CET  Overlegbot",
        "2011-12-06 10:34:00 CET  Anne (#601)",
    ]
    assert [line.split("  incident 1  ")[1].split("  ")[0] for line in lines] == [
        "opgesteld",
        "verstuurd",
        "gelezen",
        "opnieuw verstuurd (escalatie)",
        "onbereikte organisaties gemeld",
        "gesloten",
    ]
    assert [part.strip() for part in lines[3].split("  ") if part][-2:] == [
        "aan 1 persoon",
        "Steekpartij",
    ]
    assert main(["audit", "--incident", "2"]) == 0
    assert capsys.readouterr().out == "Het auditlogboek bevat hierover (nog) niets.\n"
