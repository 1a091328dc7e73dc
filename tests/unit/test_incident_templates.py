"""Incident templates in the plan file: read, checked at their line, filled in."""

from __future__ import annotations

from berichten.texts.incidents import from_template
from planning.incidents.templates import IncidentTemplate, fill, unknown_placeholders
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.export import export_plan
from tests.support.incidents import incident_plan_text
from tests.unit.test_plan_check import BASE, problems

TEMPLATE = """\
incidentsjablonen:
  - code: geweld
    naam: Geweld
    woordvoerder: De burgemeester van {plaats}
    kernboodschap: Op {datum} gebeurde {wat}.
    doen: [Verwijs naar de woordvoerder.]
    niet_doen: [Speculeer niet.]
    bellen: De coördinatie
"""


def test_the_example_templates_are_read_with_the_on_call_numbers() -> None:
    checked = check_plan(incident_plan_text(), "jaarplan.yaml")
    assert checked.problems == []
    assert checked.plan is not None
    plan = to_plan(checked.plan)
    assert [t.code for t in plan.incident_templates] == ["geweld", "publiciteit"]
    [utrecht] = [o for o in plan.organisations if o.code == "utrecht"]
    assert utrecht.on_call == "030-2861111"
    assert plan.incident_templates[0].placeholders() == ["plaats", "datum", "wat"]
    assert plan.incident_templates[1].placeholders() == ["wat"]


def test_a_clean_template_has_no_problem() -> None:
    assert problems(BASE + TEMPLATE) == []


def test_an_unknown_placeholder_is_refused_at_its_line() -> None:
    text = BASE + TEMPLATE.replace("Op {datum}", "Op {dag}")
    assert problems(text) == [
        "plan.yaml:18: incidentsjablonen[1].kernboodschap: onbekende plaatshouder {dag}: "
        "een sjabloon kent alleen {plaats}, {datum} en {wat}"
    ]


def test_a_lone_brace_in_a_do_is_refused_at_its_line() -> None:
    text = BASE + TEMPLATE.replace("[Verwijs naar de woordvoerder.]", '["Verwijs naar {plaats."]')
    assert problems(text) == [
        "plan.yaml:19: incidentsjablonen[1].doen[1]: een losse accolade {: "
        "een sjabloon kent alleen {plaats}, {datum} en {wat} tussen accolades"
    ]
    text = BASE + TEMPLATE.replace("bellen: De coördinatie", 'bellen: "Bel {plaats} }"')
    assert problems(text) == [
        "plan.yaml:21: incidentsjablonen[1].bellen: een losse accolade }: "
        "een sjabloon kent alleen {plaats}, {datum} en {wat} tussen accolades"
    ]


def test_a_template_without_spokesperson_or_call_is_refused() -> None:
    text = BASE + TEMPLATE.replace("    bellen: De coördinatie\n", "")
    assert problems(text) == ["plan.yaml:15: incidentsjablonen[1].bellen: ontbreekt"]


def test_two_templates_with_one_code_are_refused() -> None:
    second = TEMPLATE.split("\n", 1)[1]
    [problem] = problems(BASE + TEMPLATE + second)
    assert problem.startswith("plan.yaml:22: incidentsjablonen[2].code: code geweld komt al voor")


def test_an_on_call_number_written_as_a_number_must_be_quoted() -> None:
    text = BASE.replace("soort: coordinatie}", "soort: coordinatie, piketnummer: 0301234567}")
    # YAML reads 0301234567 as octal (50674039): the problem quotes what was typed.
    assert problems(text) == [
        "plan.yaml:5: organisaties[1].piketnummer: 0301234567 is als getal gelezen: zet het "
        'nummer tussen aanhalingstekens, bijvoorbeeld "030-1234567"'
    ]


def test_the_export_writes_templates_and_numbers_back_unchanged() -> None:
    checked = check_plan(incident_plan_text(), "jaarplan.yaml")
    assert checked.plan is not None
    plan = to_plan(checked.plan)
    again = check_plan(export_plan(plan), "export.yaml")
    assert again.plan is not None
    assert to_plan(again.plan).incident_templates == plan.incident_templates
    assert to_plan(again.plan).organisations == plan.organisations


def test_filling_replaces_known_placeholders_only_and_keeps_typed_braces() -> None:
    values = {"plaats": "Gouda", "wat": "een {rel}"}
    assert fill("In {plaats}: {wat} op {datum}", values) == "In Gouda: een {rel} op {datum}"
    assert unknown_placeholders("{plaats} {x} }") == ["{x}", "}"]


def test_the_message_escapes_the_plan_and_what_was_typed() -> None:
    template = IncidentTemplate(
        "t", "T", "De burgemeester van {plaats}", "Kern & <zo>", ("Doe {wat}",), (), "Bel 112"
    )
    text = from_template("<b>kop</b>", template.filled({"plaats": "<i>Ede</i>", "wat": "a&b"}))

    assert text.startswith("🚨 <b>Incident: &lt;b&gt;kop&lt;/b&gt;</b>\n\n")
    assert "<b>Kernboodschap</b>\nKern &amp; &lt;zo&gt;" in text
    assert "De burgemeester van &lt;i&gt;Ede&lt;/i&gt;" in text
    assert "<b>Wel doen</b>\n• Doe a&amp;b" in text
    assert "Niet doen" not in text
