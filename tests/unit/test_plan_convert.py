"""The real jaarplan 2011 checks clean and becomes the calendar model; herhaling converts too."""

from __future__ import annotations

import os
from datetime import date, time
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planning.calendar.model import Derivation, Plan, Precision, Recurrence, YearMonth
from planning.plan.check import check_plan
from planning.plan.convert import to_plan

SHARED = Path(__file__).resolve().parents[3] / "shared" / "plannen" / "jaarplan-2011.yaml"


def jaarplan_text() -> str:
    return resources.files("planning").joinpath("plans/jaarplan-2011.yaml").read_text("utf-8")


def converted(text: str) -> Plan:
    result = check_plan(text, "jaarplan-2011.yaml")
    assert [str(problem) for problem in result.problems] == []
    assert result.plan is not None
    return to_plan(result.plan)


def test_the_packaged_plan_is_the_shared_one() -> None:
    # CI lays shared/ beside its clone, so there the comparison must run; a developer's clone
    # elsewhere may lack it.
    if not SHARED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing: CI must compare the packaged plan with it")
        pytest.skip("shared/ is not beside this checkout")
    assert jaarplan_text() == SHARED.read_text("utf-8")


def test_jaarplan_2011_converts() -> None:
    plan = converted(jaarplan_text())
    assert plan.name == "Samenwerkingsverband aanpak Marokkaans-Nederlandse risicojongeren"
    assert plan.zone == ZoneInfo("Europe/Amsterdam")
    assert len(plan.organisations) == 13
    assert {o.code: o.name for o in plan.organisations}["vws"] == (
        "Ministerie van Volksgezondheid, Welzijn en Sport"
    )
    assert {g.code: g.name for g in plan.groups}["rijk"] == "Ministeries van BZK, J&V en VWS"
    ao = [m for m in plan.meetings if m.overleg == "ao"]
    assert [m.when.day for m in ao] == [
        date(2011, 1, 18),
        date(2011, 3, 22),
        date(2011, 6, 21),
        date(2011, 9, 27),
        date(2011, 11, 22),
    ]
    assert [m.uid for m in ao] == ["ao-1", "ao-2", "ao-3", "ao-4", "ao-5"]
    pc = plan.overleg("pc")
    assert pc.derived == Derivation("ao", 14)
    assert pc.closes_agenda_of == "ao"
    assert not [m for m in plan.meetings if m.overleg == "pc"]
    assert plan.overleg("ao").accepts_agenda_items
    assert not pc.accepts_agenda_items


def test_jaarplan_2011_month_meetings_products_and_reminders() -> None:
    plan = converted(jaarplan_text())
    bo = [m for m in plan.meetings if m.overleg == "bo"]
    assert [m.when.precision for m in bo] == [Precision.DAY, Precision.MONTH, Precision.MONTH]
    assert bo[1].when.month == YearMonth(2011, 10)
    assert bo[2].title == "Bestuurlijk overleg met het Rijk"
    assert bo[2].participants == ("bestuurders", "rijk")
    assert bo[0].participants is None
    assert [t.theme for t in plan.meetings if t.overleg == "ts"][2] == (
        "Relatie schooluitval – criminele loopbaan"
    )
    assert len(plan.products) == 7
    beleid = plan.products[2]
    assert [m.uid for m in beleid.milestones] == ["product-3-1", "product-3-2"]
    assert beleid.milestones[1].when.latest_day == date(2011, 11, 30)
    assert plan.products[4].owner == "bzk"
    assert len(plan.reminders) == 6
    assert plan.reminders[0].days_before == (14, 2)
    assert plan.reminders[0].at == time(9, 0)
    assert plan.reminders[-1].target == "producten"
    assert plan.reminders[-1].audience == "verantwoordelijk"


def test_recurrence_and_times_convert() -> None:
    text = (
        "versie: 1\nnaam: T\ntijdzone: Europe/Amsterdam\n"
        "organisaties: [{code: co, naam: C, soort: coordinatie}]\n"
        "groepen: [{code: sg, naam: Stuurgroep}]\n"
        "overleggen:\n"
        "  - code: sg\n    naam: Stuurgroep\n    trekker: co\n    deelnemers: [sg]\n"
        "    agendapunten: nee\n"
        "    bijeenkomsten: [{datum: 2011-12-20, tijd: 9:30, eind: 11:00, locatie: Utrecht}]\n"
        "    herhaling:\n"
        "      {regel: 'FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701', begin: 2011-01-10, tijd: 10:00}\n"
    )
    plan = converted(text)
    assert plan.overleg("sg").recurrence == Recurrence(
        rule="FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701", begin=date(2011, 1, 10), start=time(10)
    )
    (meeting,) = plan.meetings
    assert (meeting.uid, meeting.location) == ("sg-1", "Utrecht")
    assert (meeting.when.start, meeting.when.end) == (time(9, 30), time(11))


def test_recurrence_as_text_begins_at_the_first_meeting() -> None:
    head = (
        "versie: 1\nnaam: T\ntijdzone: Europe/Amsterdam\n"
        "organisaties: [{code: co, naam: C, soort: coordinatie}]\n"
        "groepen: [{code: sg, naam: Stuurgroep}]\n"
        "overleggen:\n"
        "  - code: sg\n    naam: Stuurgroep\n    trekker: co\n    deelnemers: [sg]\n"
    )
    as_text = converted(
        head + "    herhaling: FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701\n"
        "    bijeenkomsten:\n"
        "      - {datum: 2011-01-10, tijd: '10:00', eind: '12:00', locatie: Utrecht}\n"
        "      - {datum: 2011-12-20, locatie: Den Haag}\n"
    )
    as_mapping = converted(
        head + "    herhaling: {regel: FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701, begin: 2011-01-10,"
        " tijd: '10:00', eind: '12:00', locatie: Utrecht}\n"
        "    bijeenkomsten: [{datum: 2011-12-20, locatie: Den Haag}]\n"
    )
    assert (
        as_text.overleg("sg").recurrence
        == as_mapping.overleg("sg").recurrence
        == Recurrence(
            "FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701",
            date(2011, 1, 10),
            time(10),
            time(12),
            "Utrecht",
        )
    )
    # The first meeting is the series' first occurrence, not a meeting besides it; the other
    # keeps its place number.
    assert [(m.uid, m.when.day) for m in as_text.meetings] == [("sg-2", date(2011, 12, 20))]


def test_a_derived_overleg_without_trekker_has_its_parents() -> None:
    plan = converted(
        "versie: 1\nnaam: T\ntijdzone: Europe/Amsterdam\n"
        "organisaties: [{code: co, naam: C, soort: coordinatie}, {code: bzk, naam: B, soort: rijk}]"
        "\ngroepen: [{code: alle, naam: Iedereen}]\n"
        "overleggen:\n"
        "  - {code: ao, naam: AO, trekker: bzk, deelnemers: [alle], bijeenkomsten: [2011-03-22]}\n"
        "  - {code: pc, naam: PC, deelnemers: [alle],"
        " afgeleid_van: {overleg: ao, dagen_ervoor: 14}}\n"
        "  - {code: vo, naam: VO, deelnemers: [alle],"
        " afgeleid_van: {overleg: pc, dagen_ervoor: 7}}\n"
        "  - {code: x, naam: X, trekker: co, deelnemers: [alle],"
        " afgeleid_van: {overleg: ao, dagen_ervoor: 1}}\n"
    )
    assert [o.trekker for o in plan.overleggen] == ["bzk", "bzk", "bzk", "co"]
