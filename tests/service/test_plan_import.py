"""Importing the year plan into a real database: all or nothing, idempotent, edits reported.

The example plan is imported unchanged; an edited copy moves, adds and cancels meetings and
milestones, keeps meeting identities (what calendar programs rely on) and says what changed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import vobject

from berichten.ics import calendar_file
from bot.cli_texts import change_lines
from planning.calendar.expand import entries
from planning.calendar.model import FixedItems, Plan
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.check import check_plan
from planning.plan.example import example_plan_text
from planning.plan.export import export_plan
from planning.plan.store import import_plan
from tests.support.incidents import incident_plan_text
from tests.support.plans import agenda_cycle_plan_text, plan_of, stored_plan

EXAMPLE = example_plan_text()


def _edited() -> str:
    """The example with the March AO a week later, one KWG dropped and one added, and a
    milestone a month later."""
    text = EXAMPLE.replace("2011-03-22, 2011-06-21", "2011-03-29, 2011-06-21")
    text = text.replace("2011-10-13, 2011-12-08]", "2011-10-13, 2011-11-10]")
    return text.replace(
        "{maand: 2011-04, omschrijving: Communicatieplan gereed}",
        "{maand: 2011-05, omschrijving: Communicatieplan gereed}",
    )


async def test_the_example_plan_imports_and_again_changes_nothing(
    database: Database, clock: FixedClock
) -> None:
    first = await database.run(import_plan, clock, plan_of(EXAMPLE))
    assert first.applied and len(first.changes) > 30

    again = await database.run(import_plan, clock, plan_of(EXAMPLE))

    assert (again.applied, again.changes) == (False, ())
    assert change_lines(again.changes) == ["Geen wijzigingen."]


async def test_the_petit_comite_meets_two_weeks_before_each_ao(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_plan, clock, plan_of(EXAMPLE))
    plan = await stored_plan(database)

    found = entries(plan, date(2011, 1, 1), date(2011, 12, 31))

    assert [e.when.day for e in found if e.overleg == "pc"] == [
        date(2011, 1, 4),
        date(2011, 3, 8),
        date(2011, 6, 7),
        date(2011, 9, 13),
        date(2011, 11, 8),
    ]


async def test_an_edited_plan_moves_adds_and_cancels_and_says_so(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_plan, clock, plan_of(EXAMPLE))
    before = await stored_plan(database)
    [march] = [m for m in before.meetings if m.when.day == date(2011, 3, 22) and m.overleg == "ao"]

    report = await database.run(import_plan, clock, plan_of(_edited()))

    assert sorted(change_lines(report.changes)) == [
        "Communicatieplan: mijlpaal Communicatieplan gereed verschoven van april 2011 "
        "naar mei 2011",
        "ao: bijeenkomst van dinsdag 22 maart 2011 verplaatst naar dinsdag 29 maart 2011",
        "kwg: bijeenkomst van donderdag 8 december 2011 verplaatst naar donderdag 10 november 2011",
    ]
    after = await stored_plan(database)
    [moved] = [m for m in after.meetings if m.uid == march.uid]
    assert (moved.when.day, moved.sequence) == (date(2011, 3, 29), 1)
    pc_days = [e.when.day for e in entries(after, date(2011, 3, 1), date(2011, 3, 31))]
    assert date(2011, 3, 15) in pc_days and date(2011, 3, 8) not in pc_days


async def test_a_meeting_left_out_is_cancelled_and_its_derived_meeting_too(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_plan, clock, plan_of(EXAMPLE))

    report = await database.run(
        import_plan, clock, plan_of(EXAMPLE.replace("2011-09-27, 2011-11-22]", "2011-11-22]"))
    )

    assert change_lines(report.changes) == ["ao: bijeenkomst op dinsdag 27 september 2011 vervalt"]
    september = entries(await stored_plan(database), date(2011, 9, 1), date(2011, 9, 30))
    assert {(e.overleg, e.cancelled) for e in september if e.overleg in ("ao", "pc")} == {
        ("ao", True),
        ("pc", True),
    }


async def test_a_dry_run_reports_but_stores_nothing(database: Database, clock: FixedClock) -> None:
    await database.run(import_plan, clock, plan_of(EXAMPLE))
    before = await stored_plan(database)

    report = await database.run(import_plan, clock, plan_of(_edited()), dry_run=True)

    assert len(report.changes) == 3 and not report.applied
    assert (await stored_plan(database)).meetings == before.meetings
    unchanged = await database.run(import_plan, clock, plan_of(EXAMPLE))
    assert unchanged.changes == ()


async def test_an_export_imports_back_without_changes(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_plan, clock, plan_of(_edited()))

    exported = export_plan(await stored_plan(database))

    assert "naam: Ministeries van BZK, J&V en VWS" in exported
    report = await database.run(import_plan, clock, plan_of(exported))
    assert report.changes == ()


async def test_the_calendar_feed_updates_instead_of_duplicating(
    database: Database, clock: FixedClock
) -> None:
    timed = EXAMPLE.replace(
        "bijeenkomsten: [2011-01-18, 2011-03-22,",
        "bijeenkomsten: [2011-01-18, {datum: 2011-03-22, tijd: '10:00', eind: '12:30'},",
    )
    await database.run(import_plan, clock, plan_of(timed))
    before = _ao_events(await stored_plan(database), clock)
    moved = timed.replace("{datum: 2011-03-22,", "{datum: 2011-03-29,")
    await database.run(import_plan, clock, plan_of(moved.replace("2011-09-27, ", "")))
    after = _ao_events(await stored_plan(database), clock)

    assert before.keys() == after.keys()  # same UIDs: updated, not duplicated
    [march] = [uid for uid, event in before.items() if event[1].month == 3]
    assert before[march][1] == datetime(2011, 3, 22, 10, 0, tzinfo=before[march][1].tzinfo)
    assert before[march][1].utcoffset() == timedelta(hours=1)
    assert (after[march][0], after[march][1].day, after[march][1].hour) == (1, 29, 10)
    [september] = [uid for uid, event in after.items() if event[2] == "CANCELLED"]
    assert after[september][1] == date(2011, 9, 27)


def _ao_events(plan: Plan, clock: FixedClock) -> dict[str, tuple[int, Any, str]]:
    """UID -> (SEQUENCE, DTSTART, STATUS) of the AO events, read by vobject, not icalendar."""
    feed = calendar_file(
        entries(plan, date(2011, 1, 1), date(2011, 12, 31)), plan.zone, "x", clock.now()
    )
    parsed = vobject.readOne(feed.decode("utf-8"))
    assert parsed.vtimezone.tzid.value == "Europe/Amsterdam"
    return {
        event.uid.value: (int(event.sequence.value), event.dtstart.value, event.status.value)
        for event in parsed.vevent_list
        if event.summary.value == "Ambtelijk overleg"
    }


async def test_milestones_due_in_a_month_are_in_the_feed_on_its_last_day(
    database: Database, clock: FixedClock
) -> None:
    await database.run(import_plan, clock, plan_of(EXAMPLE))
    plan = await stored_plan(database)

    feed = calendar_file(
        entries(plan, date(2011, 1, 1), date(2011, 12, 31)), plan.zone, "x", clock.now()
    )

    parsed = vobject.readOne(feed.decode("utf-8"))
    deadlines = {
        event.summary.value: event.dtstart.value
        for event in parsed.vevent_list
        if event.summary.value.startswith("Deadline")
    }
    assert deadlines["Deadline Jaarplan 2011: Jaarplan vastgesteld"] == date(2011, 3, 31)
    assert not [
        e for e in parsed.vevent_list if e.summary.value == "Bestuurlijk overleg met het Rijk"
    ]


async def test_incident_templates_and_on_call_numbers_are_imported_and_reported(
    database: Database, clock: FixedClock
) -> None:
    plan = plan_of(incident_plan_text())
    await database.run(import_plan, clock, plan)
    stored = await stored_plan(database)
    assert stored.incident_templates == plan.incident_templates
    assert {o.code: o.on_call for o in stored.organisations}["gouda"] == "0182-588222"

    fewer = replace(plan, incident_templates=plan.incident_templates[:1])
    report = await database.run(import_plan, clock, fewer)

    assert change_lines(report.changes) == ["Incidentsjabloon publiciteit: vervallen"]
    assert (await stored_plan(database)).incident_templates == fewer.incident_templates


async def test_the_agenda_cycle_keys_are_kept_and_exported(database: Database) -> None:
    """oproep_dagen_vooraf, vaste_punten and beoordelaars reach the calendar and come back out
    of the export unchanged."""
    text = agenda_cycle_plan_text()
    await database.run(import_plan, FixedClock(datetime(2011, 1, 3, tzinfo=UTC)), plan_of(text))
    ao = (await stored_plan(database)).overleg("ao")
    assert ao.call_days_before == 21
    assert ao.fixed_items == FixedItems(("Opening", "Verslag vorige vergadering"), ("Rondvraag",))
    assert ao.reviewers == "petit-comite"
    exported = export_plan(await stored_plan(database))
    assert "vaste_punten:\n  - Opening\n" in exported  # the list form, as written
    assert plan_of(exported).overleg("ao") == ao


BEGIN_AND_END = "vaste_punten: {begin: [Opening, Mededelingen], eind: [Rondvraag, Sluiting]}"


async def test_fixed_items_with_begin_and_end_open_and_close_the_agenda(
    database: Database,
) -> None:
    """With begin and eind, Rondvraag comes after the submitted items (the list form would put
    it before them: only the last item closes); the export writes the form back."""
    text = agenda_cycle_plan_text().replace(
        "vaste_punten: [Opening, Verslag vorige vergadering, Rondvraag]", BEGIN_AND_END
    )
    await database.run(import_plan, FixedClock(datetime(2011, 1, 3, tzinfo=UTC)), plan_of(text))
    ao = (await stored_plan(database)).overleg("ao")
    assert (ao.opening_items, ao.closing_items) == (
        ("Opening", "Mededelingen"),
        ("Rondvraag", "Sluiting"),
    )
    exported = export_plan(await stored_plan(database))
    assert "vaste_punten:\n    begin:\n    - Opening\n    - Mededelingen\n    eind:\n" in exported
    assert check_plan(exported, "export.yaml").ok
    assert plan_of(exported).overleg("ao") == ao
    listed = text.replace(BEGIN_AND_END, "vaste_punten: [Opening, Mededelingen, Sluiting]")
    assert plan_of(listed).overleg("ao").closing_items == ("Sluiting",)


def test_reviewers_must_be_a_known_group() -> None:
    text = agenda_cycle_plan_text().replace("beoordelaars: petit-comite", "beoordelaars: pc-x")
    problems = [str(p) for p in check_plan(text, "jaarplan.yaml").problems]
    assert len(problems) == 1 and "pc-x" in problems[0] and "jaarplan.yaml:71:" in problems[0], (
        problems
    )


def test_agenda_cycle_mistakes_are_one_line_each_and_nothing_imports() -> None:
    """What a coordinator trying the agenda cycle's keys got wrong: one line per mistake."""
    pc = "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n"
    text = (
        agenda_cycle_plan_text()
        .replace("oproep_dagen_vooraf: 21", "oproep_dagen_vooraf: 5000")
        .replace("[Opening, Verslag vorige vergadering, Rondvraag]", "[Opening, Opening]")
        .replace("beoordelaars: petit-comite", 'beoordelaars: ""')
        .replace(pc, pc + "    vaste_punten: [Opening]\n")
    )
    result = check_plan(text, "jaarplan.yaml")
    assert result.plan is None
    assert [(p.line, p.field) for p in result.problems] == [
        (69, "overleggen[2].oproep_dagen_vooraf"),
        (70, "overleggen[2].vaste_punten[2]"),
        (71, "overleggen[2].beoordelaars"),
        (80, "overleggen[3].vaste_punten"),  # the petit comité takes no items
    ], [str(p) for p in result.problems]
