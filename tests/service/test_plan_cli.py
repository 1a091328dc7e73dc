"""The plan at the command line, as a coordinator uses it: check, import, schedule, calendar."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from planning.plan.example import example_plan_text

EXAMPLE = example_plan_text()


@pytest.fixture
def workdir(clean_environment: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A working directory with a migrated default database and the example plan file."""
    (clean_environment / "jaarplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    assert main(["db", "upgrade"]) == 0
    capsys.readouterr()
    return clean_environment


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_check_names_file_line_and_field_of_every_problem(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = EXAMPLE.replace("[2011-01-18, 2011-03-22,", "[2011-01-18, 2011-02-30,")
    broken = broken.replace("afgeleid_van: {overleg: ao,", "afgeleid_van: {overleg: oa,")
    (workdir / "kapot.yaml").write_text(broken, encoding="utf-8")

    status, out = _run(capsys, "plan", "check", "kapot.yaml")

    assert status == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0] == (
        "kapot.yaml:69: overleggen[2].bijeenkomsten[2].datum: "
        "ongeldige datum 2011-02-30: schrijf JJJJ-MM-DD met een bestaande dag"
    )
    assert lines[1].startswith("kapot.yaml:76: overleggen[3].afgeleid_van.overleg: ")


def test_a_plan_with_problems_imports_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "kapot.yaml").write_text(EXAMPLE.replace("trekker: coordinatie", "trekker: x", 1))

    status, out = _run(capsys, "plan", "import", "kapot.yaml")

    assert status == 1
    assert out.splitlines()[-1] == "Niets geïmporteerd: los eerst de problemen hierboven op."
    assert main(["calendar"]) == 2
    assert "nog geen jaarplan geïmporteerd" in capsys.readouterr().err


def test_import_twice_then_schedule_as_json(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _run(capsys, "plan", "import", "jaarplan.yaml")
    assert status == 0 and "ao: nieuwe bijeenkomst op dinsdag 22 maart 2011" in out
    assert _run(capsys, "plan", "import", "jaarplan.yaml") == (0, "Geen wijzigingen.\n")

    status, out = _run(capsys, "schedule", "--from", "2011-01-01", "--json")

    reminders = json.loads(out)
    assert status == 0
    pc = sorted({r["event_date"] for r in reminders if r["overleg"] == "pc"})
    assert pc == ["2011-01-04", "2011-03-08", "2011-06-07", "2011-09-13", "2011-11-08"]
    ao_two_weeks = [
        (r["event_date"], r["at"])
        for r in reminders
        if r["overleg"] == "ao" and r["days_before"] == 14 and r["kind"] == "meeting"
    ]
    at = dict(ao_two_weeks)
    assert len(at) == len(ao_two_weeks)  # one reminder for each AO, not two
    # 09:00 in Amsterdam: 08:00 UTC in winter time, 07:00 UTC in summer time.
    assert at["2011-03-22"] == "2011-03-08T08:00:00+00:00"
    assert at["2011-06-21"] == "2011-06-07T07:00:00+00:00"
    assert at["2011-11-22"] == "2011-11-08T08:00:00+00:00"


def test_calendar_as_json_and_as_ics(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "plan", "import", "jaarplan.yaml")

    status, out = _run(capsys, "calendar", "--from", "2011-10-01", "--to", "2011-10-31", "--json")

    found = json.loads(out)
    assert status == 0
    bo = [e for e in found if e["overleg"] == "bo"]
    assert [(e["start"], e["precision"], e["derived_from"]) for e in bo] == [
        ("2011-10", "month", None),
        ("2011-10", "month", None),
    ]
    kwg = [e for e in found if e["overleg"] == "kwg"]
    assert [(e["kind"], e["start"], e["precision"]) for e in kwg] == [
        ("meeting", "2011-10-13", "day")
    ]
    status, out = _run(capsys, "calendar", "--ics", "jaarplan.ics")
    assert status == 0 and (workdir / "jaarplan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_export_writes_a_plan_that_checks_clean(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "plan", "import", "jaarplan.yaml")

    assert _run(capsys, "plan", "export", "--output", "export.yaml")[0] == 0

    assert _run(capsys, "plan", "check", "export.yaml") == (0, "export.yaml: in orde.\n")
