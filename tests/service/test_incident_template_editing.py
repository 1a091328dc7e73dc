"""Changing an incident template in chat: checked as ``plan check`` checks the file, saved with
its audit line; the next ``plan import`` puts the file's text back and says so; an export
carries the chat's text, so the file can be brought in line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.cli_texts import change_lines
from planning.audit.services import events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.editing import (
    TemplateError,
    TemplateTextError,
    change_template,
    stored_templates,
)
from planning.incidents.services import templates
from planning.membership.tables import Role
from planning.plan.export import export_plan
from planning.plan.store import import_plan
from tests.support.incidents import import_incident_plan, incident_plan_text
from tests.support.network import join
from tests.support.plans import plan_of, stored_plan

ANNE, FATIMA = 601, 501
MOMENT = datetime(2011, 12, 6, 9, 0, tzinfo=UTC)
NEW_CORE = "In {plaats} is op {datum} iets ernstigs gebeurd: {wat}. Wij werken samen."


@pytest.fixture
async def network(database: Database) -> Database:
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    return database


async def _violence_id(database: Database) -> int:
    return next(s.id for s in await database.run(stored_templates) if s.template.code == "geweld")


async def _refusal(database: Database, field: str, typed: str) -> str:
    clock = FixedClock(MOMENT)
    template_id = await _violence_id(database)
    with pytest.raises(TemplateTextError) as refused:
        await database.run(change_template, clock, ANNE, template_id, "geweld", field, typed)
    return refused.value.reason


async def test_a_coordinator_changes_the_core_message_with_an_audit_line(
    network: Database,
) -> None:
    clock = FixedClock(MOMENT + timedelta(hours=1))
    template_id = await _violence_id(network)

    changed = await network.run(
        change_template, clock, ANNE, template_id, "geweld", "kernboodschap", f"  {NEW_CORE}\n"
    )
    listed = await network.run(
        change_template,
        clock,
        ANNE,
        template_id,
        "geweld",
        "doen",
        "Bel de coördinatie.\n\nZwijg over {wat}.",
    )

    assert changed.core_message == NEW_CORE
    assert listed.dos == ("Bel de coördinatie.", "Zwijg over {wat}.")
    [violence, _] = await network.run(templates)  # what /incident offers, read anew
    assert violence.core_message == NEW_CORE
    lines = [
        e for e in await network.run(events) if e.action is AuditAction.INCIDENT_TEMPLATE_CHANGED
    ]
    assert [(e.actor, e.detail) for e in lines] == [
        (ANNE, "geweld: kernboodschap"),
        (ANNE, "geweld: doen"),
    ]


async def test_a_text_is_refused_as_plan_check_refuses_it(network: Database) -> None:
    assert await _refusal(network, "kernboodschap", "Op {dag} in {plaats}") == (
        "kernboodschap: onbekende plaatshouder {dag}: een sjabloon kent alleen {plaats}, "
        "{datum} en {wat}"
    )
    assert (await _refusal(network, "bellen", "Bel {plaats")).startswith(
        "bellen: een losse accolade {"
    )
    assert await _refusal(network, "woordvoerder", " \u200b ") == "woordvoerder: mag niet leeg zijn"
    assert await _refusal(network, "niet_doen", "\n \n") == "niet_doen[1]: mag niet leeg zijn"
    assert (await _refusal(network, "doen", "Goed\nNiet {goed}")).startswith("doen[2]: ")
    assert await _refusal(network, "naam", "x" * 201) == "naam: is te lang: ten hoogste 200 tekens"
    too_long = await _refusal(network, "kernboodschap", "x" * 1001)
    assert too_long == "kernboodschap: is te lang: ten hoogste 1000 tekens"
    [violence, _] = await network.run(templates)
    assert "{dag}" not in violence.core_message  # nothing was stored


async def test_only_a_coordinator_changes_a_template_and_only_one_still_there(
    network: Database,
) -> None:
    clock = FixedClock(MOMENT)
    template_id = await _violence_id(network)
    with pytest.raises(TemplateError):
        await network.run(
            change_template, clock, FATIMA, template_id, "geweld", "bellen", "Bel mij"
        )
    await network.run(
        import_plan, clock, plan_of(incident_plan_text().replace("code: geweld", "code: geweld2"))
    )
    with pytest.raises(TemplateError):  # the import replaced the row the button named
        await network.run(change_template, clock, ANNE, template_id, "geweld", "bellen", "Bel mij")


async def test_the_next_import_puts_the_file_back_and_says_so(network: Database) -> None:
    edited_at = MOMENT + timedelta(hours=1)
    template_id = await _violence_id(network)
    await network.run(
        change_template,
        FixedClock(edited_at),
        ANNE,
        template_id,
        "geweld",
        "kernboodschap",
        NEW_CORE,
    )

    clock = FixedClock(MOMENT + timedelta(hours=2))
    report = await network.run(import_plan, clock, plan_of(incident_plan_text()))

    assert change_lines(report.changes) == [
        "Incidentsjabloon geweld: gewijzigd (in de chat aangepast op 06-12-2011 11:00; "
        "dat wordt overschreven door het jaarplan)"
    ]
    [violence, _] = await network.run(templates)
    assert violence.core_message.startswith("Op {datum} is in {plaats} een ernstig incident")
    again = await network.run(import_plan, clock, plan_of(incident_plan_text()))
    assert again.changes == ()


async def test_an_export_carries_the_chat_edit_so_the_file_can_be_brought_in_line(
    network: Database,
) -> None:
    clock = FixedClock(MOMENT + timedelta(hours=1))
    template_id = await _violence_id(network)
    await network.run(
        change_template, clock, ANNE, template_id, "geweld", "kernboodschap", NEW_CORE
    )

    exported = export_plan(await stored_plan(network))

    assert NEW_CORE in exported
    report = await network.run(import_plan, clock, plan_of(exported))
    assert report.changes == ()
