"""``check_plan`` on the agenda cycle's keys (``oproep_dagen_vooraf``, ``vaste_punten``,
``beoordelaars``): each mistake as the exact ``FILE:LINE: field: message`` line."""

from __future__ import annotations

import pytest

from planning.plan.check import check_plan
from tests.unit.test_plan_check import BASE, OVERLEG, problems

AGENDA = BASE.replace("    trekker: co\n", "    trekker: co\n    agendapunten: ja\n")
# A case puts its keys before the AO's bijeenkomsten, at line 14.
AGENDA_CYCLE_CASES = {
    "call a year and more ahead": (
        "oproep_dagen_vooraf: 5000",
        "plan.yaml:14: overleggen[1].oproep_dagen_vooraf: 5000 dagen is te veel: ten hoogste "
        "365 (een jaar)",
    ),
    "the same fixed item twice": (
        "vaste_punten: [Opening, Opening]",
        "plan.yaml:14: overleggen[1].vaste_punten[2]: vast punt Opening komt twee keer voor",
    ),
    "the same fixed item at begin and end": (
        "vaste_punten: {begin: [Opening], eind: [' opening']}",
        "plan.yaml:14: overleggen[1].vaste_punten.eind[1]: vast punt opening komt twee keer voor",
    ),
    "an empty fixed item": (
        'vaste_punten: [Opening, "  "]',
        "plan.yaml:14: overleggen[1].vaste_punten[2]: mag niet leeg zijn",
    ),
    "a fixed item left out": (
        "vaste_punten: {begin: [Opening, ~]}",
        "plan.yaml:14: overleggen[1].vaste_punten.begin[2]: mag niet leeg zijn",
    ),
    "a fixed item longer than an item's title": (
        "vaste_punten: [Opening, " + "x" * 201 + "]",
        "plan.yaml:14: overleggen[1].vaste_punten[2]: is te lang: ten hoogste 200 tekens",
    ),
    "fixed items in neither begin nor end": (
        "vaste_punten: {midden: [Opening]}",
        "plan.yaml:14: overleggen[1].vaste_punten.midden: onbekende sleutel",
    ),
    "two reviewing groups": (
        "beoordelaars: [alle, co]",
        "plan.yaml:14: overleggen[1].beoordelaars: geef één groepscode, geen lijst; moeten meer "
        "groepen beoordelen, maak dan een groep met al die leden",
    ),
    "no reviewing group": (
        'beoordelaars: ""',
        "plan.yaml:14: overleggen[1].beoordelaars: mag niet leeg zijn",
    ),
}


@pytest.mark.parametrize("case", sorted(AGENDA_CYCLE_CASES))
def test_each_agenda_cycle_problem_is_the_only_one(case: str) -> None:
    keys, expected = AGENDA_CYCLE_CASES[case]
    text = AGENDA.replace("    bijeenkomsten:", f"    {keys}\n    bijeenkomsten:")
    assert problems(text) == [expected]


def test_a_quoted_number_of_days_is_that_number_as_everywhere() -> None:
    text = AGENDA.replace("    bijeenkomsten:", '    oproep_dagen_vooraf: "21"\n    bijeenkomsten:')
    text += OVERLEG + '    afgeleid_van: {overleg: ao, dagen_ervoor: "14"}\n'
    result = check_plan(text, "plan.yaml")
    assert result.plan is not None, result.problems
    ao, pc = result.plan.overleggen
    assert ao.call_days_before == 21
    assert pc.derived is not None and pc.derived.days_before == 14


def test_the_agenda_cycle_keys_need_agenda_items() -> None:
    """The petit comité takes no items: a call, fixed items and reviewers would do nothing."""
    keys = "    oproep_dagen_vooraf: 7\n    vaste_punten: [Opening]\n    beoordelaars: alle\n"
    text = BASE + OVERLEG + "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n" + keys
    message = "doet niets bij een overleg zonder agendapunten: ja; voeg dat toe of haal deze "
    message += "sleutel weg"
    assert problems(text) == [
        f"plan.yaml:19: overleggen[2].oproep_dagen_vooraf: {message}",
        f"plan.yaml:20: overleggen[2].vaste_punten: {message}",
        f"plan.yaml:21: overleggen[2].beoordelaars: {message}",
    ]
    assert problems(text.replace("    oproep_dagen_vooraf: 7\n", "    agendapunten: nee\n"))[
        :1
    ] == [f"plan.yaml:20: overleggen[2].vaste_punten: {message}"]
