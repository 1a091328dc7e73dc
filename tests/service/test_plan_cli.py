"""The plan at the command line, as a coordinator uses it: check, import, schedule, calendar."""

from __future__ import annotations

import json
import re
import textwrap
import time
from pathlib import Path

import pytest

from bot.cli import main
from planning.plan.example import example_plan_text
from tests.support.plans import agenda_cycle_plan_text

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


def test_calendar_ics_dash_is_standard_output(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "plan", "import", "jaarplan.yaml")
    written = main(["calendar", "--ics", "written.ics"])
    capsys.readouterr()

    status, out = _run(capsys, "calendar", "--ics", "-")

    assert written == status == 0 and not (workdir / "-").exists()
    assert out.startswith("BEGIN:VCALENDAR") and out.rstrip().endswith("END:VCALENDAR")
    assert out.count("BEGIN:VEVENT") == (workdir / "written.ics").read_text().count("BEGIN:VEVENT")


def test_export_writes_a_plan_that_checks_clean(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "plan", "import", "jaarplan.yaml")

    assert _run(capsys, "plan", "export", "--output", "export.yaml")[0] == 0

    assert _run(capsys, "plan", "check", "export.yaml") == (0, "export.yaml: in orde.\n")


def test_the_documented_incident_template_checks_clean_as_written(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A coordinator copies the example from the decision record into the plan file.
    record = Path(__file__).parents[2] / "docs" / "decisions" / "incidents.md"
    [example] = re.findall(r"```yaml\n(.*?)```", record.read_text(encoding="utf-8"), re.DOTALL)
    (workdir / "jaarplan.yaml").write_text(EXAMPLE + textwrap.dedent(example), encoding="utf-8")

    assert _run(capsys, "plan", "check", "jaarplan.yaml") == (0, "jaarplan.yaml: in orde.\n")
    assert _run(capsys, "plan", "import", "jaarplan.yaml")[1].count("Incidentsjabloon geweld") == 1


def test_a_hostile_or_binary_file_is_one_line_at_once(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laughs = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    (workdir / "lachen.yaml").write_text(laughs, encoding="utf-8")
    (workdir / "plan.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00")

    started = time.perf_counter()
    status, out = _run(capsys, "plan", "check", "lachen.yaml")
    assert time.perf_counter() - started < 1.0
    assert (status, out) == (
        1,
        "lachen.yaml:1:4: yaml: ankers (&naam) en verwijzingen (*naam) zijn in een jaarplan niet "
        "toegestaan; schrijf de waarde voluit\n",
    )
    assert _run(capsys, "plan", "check", "plan.docx") == (
        1,
        "plan.docx:1:6: yaml: dit is geen tekstbestand (nul-byte op offset 5); sla het jaarplan "
        "op als platte tekst (UTF-8)\n",
    )


def test_herhaling_as_text_imports_and_its_export_changes_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steering = (
        "  - code: sg\n"
        "    naam: Stuurgroep\n"
        "    trekker: coordinatie\n"
        "    deelnemers: [bestuurders]\n"
        "    herhaling: FREQ=WEEKLY;INTERVAL=6;UNTIL=20110701\n"
        "    bijeenkomsten:\n"
        "      - {datum: 2011-01-10, tijd: '10:00', eind: '12:00', locatie: Utrecht}\n"
        "      - {datum: 2011-12-12, tijd: '10:00'}\n"
        "\n"
        "producten:\n"
    )
    text = EXAMPLE.replace("\nproducten:\n", "\n" + steering, 1)
    (workdir / "stuurgroep.yaml").write_text(text, encoding="utf-8")
    assert _run(capsys, "plan", "import", "stuurgroep.yaml")[0] == 0

    status, out = _run(capsys, "calendar", "--from", "2011-01-01", "--to", "2011-12-31", "--json")
    assert status == 0
    starts = [e["start"] for e in json.loads(out) if e["overleg"] == "sg"]
    assert starts == [
        "2011-01-10T10:00:00+01:00",
        "2011-02-21T10:00:00+01:00",
        "2011-04-04T10:00:00+02:00",
        "2011-05-16T10:00:00+02:00",
        "2011-06-27T10:00:00+02:00",
        "2011-12-12T10:00:00+01:00",
    ]
    assert _run(capsys, "plan", "export", "--output", "export.yaml")[0] == 0
    assert _run(capsys, "plan", "import", "export.yaml") == (0, "Geen wijzigingen.\n")


def test_schedule_shows_the_call_for_agenda_items(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The call goes out with the reminders, so the operator sees it in the schedule."""
    (workdir / "cyclus.yaml").write_text(agenda_cycle_plan_text(), encoding="utf-8")
    assert _run(capsys, "plan", "import", "cyclus.yaml")[0] == 0

    status, out = _run(capsys, "schedule", "--from", "2011-02-15", "--to", "2011-02-15")
    assert status == 0
    assert out.splitlines() == [
        "15 februari 2011, 09:00  oproep agendapunten ao van dinsdag 22 maart 2011 (aanleveren kan "
        "tot en met maandag 7 maart 2011) aan de deelnemers"
    ]
    status, out = _run(capsys, "schedule", "--from", "2011-02-15", "--to", "2011-02-15", "--json")
    [call] = json.loads(out)
    assert (call["kind"], call["at"], call["closes_at"]) == (
        "agenda_call",
        "2011-02-15T08:00:00+00:00",
        "2011-03-07T23:00:00+00:00",
    )
