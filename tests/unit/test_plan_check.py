"""``check_plan``: each kind of problem, as the exact ``FILE:LINE: field: message`` line."""

from __future__ import annotations

import pytest

from planning.plan.check import check_plan

BASE = """\
versie: 1
naam: Test
tijdzone: Europe/Amsterdam
organisaties:
  - {code: co, naam: Coördinatie, soort: coordinatie}
groepen:
  - {code: alle, naam: Iedereen}
overleggen:
  - code: ao
    naam: Ambtelijk overleg
    trekker: co
    deelnemers: [alle]
    bijeenkomsten: [2011-01-18]
"""
# Line 14 onwards: whatever a case appends.
OVERLEG = """\
  - code: pc
    naam: Petit comité
    trekker: co
    deelnemers: [alle]
"""
PRODUCT = """\
producten:
  - naam: Jaarplan
    verantwoordelijk: co
    betrokken: [alle]
    mijlpalen: [{maand: 2011-03, omschrijving: Vastgesteld}]
"""


def problems(text: str) -> list[str]:
    result = check_plan(text, "plan.yaml")
    assert (result.plan is None) == bool(result.problems)
    return [str(problem) for problem in result.problems]


def test_the_base_is_clean() -> None:
    assert problems(BASE) == []
    assert problems(BASE + OVERLEG + "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n") == []


CASES = {
    "impossible date": (
        BASE.replace("[2011-01-18]", "[2011-01-18, 2011-02-30]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[2].datum: ongeldige datum 2011-02-30: "
        "schrijf JJJJ-MM-DD met een bestaande dag",
    ),
    "impossible date in an object": (
        BASE.replace("[2011-01-18]", "\n      - {datum: 2011-02-30, titel: AO}"),
        "plan.yaml:14: overleggen[1].bijeenkomsten[1].datum: ongeldige datum 2011-02-30: "
        "schrijf JJJJ-MM-DD met een bestaande dag",
    ),
    "versie": (
        BASE.replace("versie: 1", "versie: 2"),
        "plan.yaml:1: versie: versie 2 wordt niet ondersteund: gebruik 1",
    ),
    "tijdzone": (
        BASE.replace("Europe/Amsterdam", "Europa/Amsterdam"),
        "plan.yaml:3: tijdzone: onbekende tijdzone Europa/Amsterdam, bijvoorbeeld Europe/Amsterdam",
    ),
    "duplicate organisation": (
        BASE.replace("organisaties:\n", "organisaties:\n  - {code: co, naam: X, soort: rijk}\n"),
        "plan.yaml:6: organisaties[2].code: code co komt al voor op regel 5",
    ),
    "duplicate group": (
        BASE.replace("groepen:\n", "groepen:\n  - {code: alle, naam: Allen}\n"),
        "plan.yaml:8: groepen[2].code: code alle komt al voor op regel 7",
    ),
    "duplicate overleg": (
        BASE + OVERLEG.replace("pc", "ao") + "    bijeenkomsten: [2011-02-01]\n",
        "plan.yaml:14: overleggen[2].code: code ao komt al voor op regel 9",
    ),
    "duplicate product": (
        BASE + PRODUCT + PRODUCT.removeprefix("producten:\n"),
        "plan.yaml:19: producten[2].naam: naam Jaarplan komt al voor op regel 15",
    ),
    "unknown trekker": (
        BASE.replace("trekker: co", "trekker: cx"),
        "plan.yaml:11: overleggen[1].trekker: onbekende organisatie cx",
    ),
    "unknown verantwoordelijk": (
        BASE + PRODUCT.replace("verantwoordelijk: co", "verantwoordelijk: bzk"),
        "plan.yaml:16: producten[1].verantwoordelijk: onbekende organisatie bzk",
    ),
    "unknown group in deelnemers": (
        BASE.replace("deelnemers: [alle]", "deelnemers: [alle, bestuur]"),
        "plan.yaml:12: overleggen[1].deelnemers[2]: onbekende groep bestuur",
    ),
    "unknown group in a meeting's deelnemers": (
        BASE.replace("[2011-01-18]", "\n      - {datum: 2011-01-18, deelnemers: [rijk]}"),
        "plan.yaml:14: overleggen[1].bijeenkomsten[1].deelnemers[1]: onbekende groep rijk",
    ),
    "unknown group in betrokken": (
        BASE + PRODUCT.replace("betrokken: [alle]", "betrokken:\n      - alle\n      - pers"),
        "plan.yaml:19: producten[1].betrokken[2]: onbekende groep pers",
    ),
    "unknown group in aan": (
        BASE + "herinneringen:\n  - {voor: ao, dagen_vooraf: [7], om: '09:00', aan: pers}\n",
        "plan.yaml:15: herinneringen[1].aan: onbekende ontvanger pers: deelnemers, "
        "verantwoordelijk, betrokken of een groepcode",
    ),
    "afgeleid_van unknown": (
        BASE + OVERLEG + "    afgeleid_van: {overleg: bo, dagen_ervoor: 14}\n",
        "plan.yaml:18: overleggen[2].afgeleid_van.overleg: onbekend overleg bo",
    ),
    "afgeleid_van itself": (
        BASE + OVERLEG + "    afgeleid_van: {overleg: pc, dagen_ervoor: 14}\n",
        "plan.yaml:18: overleggen[2].afgeleid_van.overleg: afgeleid_van maakt een kring: pc → pc",
    ),
    "sluit_agenda_van unknown": (
        BASE + OVERLEG + "    bijeenkomsten: []\n    sluit_agenda_van: bo\n",
        "plan.yaml:19: overleggen[2].sluit_agenda_van: onbekend overleg bo",
    ),
    "no meetings at all": (
        BASE + OVERLEG,
        "plan.yaml:14: overleggen[2]: geen bijeenkomsten, afgeleid_van of herhaling: "
        "geef aan wanneer dit overleg is",
    ),
    "derived and listed": (
        BASE
        + OVERLEG
        + "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n    bijeenkomsten: [2011-02-01]\n",
        "plan.yaml:18: overleggen[2].afgeleid_van: een afgeleid overleg heeft geen eigen "
        "bijeenkomsten of herhaling: kies het een of het ander",
    ),
    "hour 25": (
        BASE.replace("[2011-01-18]", "[{datum: 2011-01-18, tijd: '25:00'}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1].tijd: ongeldige tijd 25:00: schrijf UU:MM, "
        'bijvoorbeeld "09:30"',
    ),
    "Dutch hour": (
        BASE + "herinneringen:\n  - {voor: ao, dagen_vooraf: [7], om: 9u, aan: deelnemers}\n",
        'plan.yaml:15: herinneringen[1].om: ongeldige tijd 9u: schrijf UU:MM, bijvoorbeeld "09:30"',
    ),
    "end before start": (
        BASE.replace("[2011-01-18]", "[{datum: 2011-01-18, tijd: 10:00, eind: 9:30}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1].eind: eindtijd 9:30 ligt niet na "
        "begintijd 10:00",
    ),
    "end without start": (
        BASE.replace("[2011-01-18]", "[{datum: 2011-01-18, eind: '12:00'}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1].eind: een eindtijd zonder begintijd (tijd)",
    ),
    "month 13": (
        BASE.replace("[2011-01-18]", "[{maand: 2011-13}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1].maand: ongeldige maand 2011-13: "
        "schrijf JJJJ-MM, bijvoorbeeld 2011-10",
    ),
    "month and day": (
        BASE.replace("[2011-01-18]", "[{maand: 2011-01, datum: 2011-01-18}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1].maand: datum en maand tegelijk: geef er één",
    ),
    "neither month nor day": (
        BASE.replace("[2011-01-18]", "[{titel: AO}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1]: datum of maand ontbreekt",
    ),
    "time in a month": (
        BASE.replace("[2011-01-18]", "[{maand: 2011-01, tijd: '10:00'}]"),
        "plan.yaml:13: overleggen[1].bijeenkomsten[1].tijd: een tijd hoort bij een datum, "
        "niet bij een maand",
    ),
    "malformed rrule": (
        BASE + OVERLEG + "    herhaling: {regel: 'FREQ=SOMETIMES', begin: 2011-01-10}\n",
        "plan.yaml:18: overleggen[2].herhaling.regel: ongeldige herhalingsregel FREQ=SOMETIMES: "
        'gebruik een RFC 5545-RRULE, bijvoorbeeld "FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701"',
    ),
    "reminder for an unknown overleg": (
        BASE + "herinneringen:\n  - {voor: bo, dagen_vooraf: [7], om: '09:00', aan: deelnemers}\n",
        "plan.yaml:15: herinneringen[1].voor: onbekend overleg bo",
    ),
    "negative days": (
        BASE + "herinneringen:\n  - {voor: ao, dagen_vooraf: [7, -1], om: '09:00', aan: alle}\n",
        "plan.yaml:15: herinneringen[1].dagen_vooraf[2]: -1 dagen kan niet: gebruik 0 of meer",
    ),
    "unknown key": (
        BASE.replace("    naam: Ambtelijk", "    nam: Ambtelijk"),
        "plan.yaml:9: overleggen[1].naam: ontbreekt",
    ),
    "organisation kind": (
        BASE.replace("soort: coordinatie", "soort: stad"),
        "plan.yaml:5: organisaties[1].soort: onbekende soort stad: coordinatie, gemeente, rijk "
        "of koepel",
    ),
    "agendapunten": (
        BASE.replace("    trekker: co\n", "    trekker: co\n    agendapunten: soms\n"),
        "plan.yaml:12: overleggen[1].agendapunten: soms is geen ja of nee",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_is_one_line_with_file_line_field_and_dutch_message(case: str) -> None:
    text, expected = CASES[case]
    assert expected in problems(text)


def test_an_unknown_key_is_reported_at_its_own_line() -> None:
    found = problems(BASE.replace("    naam: Ambtelijk", "    nam: Ambtelijk"))
    assert found == [
        "plan.yaml:9: overleggen[1].naam: ontbreekt",
        "plan.yaml:10: overleggen[1].nam: onbekende sleutel",
    ]


def test_a_cycle_is_reported_at_every_overleg_in_it() -> None:
    text = (
        BASE
        + OVERLEG
        + "    afgeleid_van: {overleg: kwg, dagen_ervoor: 14}\n"
        + OVERLEG.replace("pc", "kwg")
        + "    afgeleid_van: {overleg: pc, dagen_ervoor: 7}\n"
    )
    assert problems(text) == [
        "plan.yaml:18: overleggen[2].afgeleid_van.overleg: afgeleid_van maakt een kring: "
        "pc → kwg → pc",
        "plan.yaml:23: overleggen[3].afgeleid_van.overleg: afgeleid_van maakt een kring: "
        "kwg → pc → kwg",
    ]


def test_every_problem_in_a_file_is_reported_in_file_order() -> None:
    text = (
        BASE.replace("versie: 1", "versie: 3")
        .replace("trekker: co", "trekker: gouda")
        .replace("[2011-01-18]", "[2011-01-18, 2011-02-30]")
        + OVERLEG
        + "    afgeleid_van: {overleg: bo, dagen_ervoor: -14}\n"
        + "herinneringen:\n  - {voor: ts, dagen_vooraf: [7], om: '9.00', aan: deelnemers}\n"
    )
    assert problems(text) == [
        "plan.yaml:1: versie: versie 3 wordt niet ondersteund: gebruik 1",
        "plan.yaml:11: overleggen[1].trekker: onbekende organisatie gouda",
        "plan.yaml:13: overleggen[1].bijeenkomsten[2].datum: ongeldige datum 2011-02-30: "
        "schrijf JJJJ-MM-DD met een bestaande dag",
        "plan.yaml:18: overleggen[2].afgeleid_van.dagen_ervoor: -14 dagen kan niet: "
        "gebruik 0 of meer",
        "plan.yaml:18: overleggen[2].afgeleid_van.overleg: onbekend overleg bo",
        "plan.yaml:20: herinneringen[1].om: ongeldige tijd 9.00: schrijf UU:MM, "
        'bijvoorbeeld "09:30"',
        "plan.yaml:20: herinneringen[1].voor: onbekend overleg ts",
    ]


def test_a_syntax_error_is_the_only_problem() -> None:
    found = problems(BASE.replace("deelnemers: [alle]", "deelnemers: [alle"))
    assert len(found) == 1
    assert found == [
        "plan.yaml:13:18: yaml: in de lijst [...] die op regel 12 begint, ontbreekt hier een "
        "komma of de sluitende ]"
    ]


def test_a_duplicate_key_is_reported_with_the_rest() -> None:
    found = problems(BASE.replace("    trekker: co\n", "    trekker: co\n    trekker: vng\n"))
    assert found == [
        "plan.yaml:12: overleggen[1].trekker: sleutel trekker komt twee keer voor "
        "(eerder op regel 11)"
    ]


def test_recurrence_may_come_with_listed_meetings() -> None:
    text = (
        BASE
        + OVERLEG
        + (
            "    bijeenkomsten: [{datum: 2011-12-20, locatie: Utrecht}]\n"
            "    herhaling:\n"
            "      regel: FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701\n"
            "      begin: 2011-01-10\n"
            "      tijd: 10:00\n"
            "      eind: '12:00'\n"
        )
    )
    assert problems(text) == []


def test_reminders_for_products_need_no_overleg() -> None:
    reminder = "{voor: producten, dagen_vooraf: [14, 0], om: '09:00', aan: betrokken}"
    text = BASE + PRODUCT + f"herinneringen:\n  - {reminder}\n"
    assert problems(text) == []


def test_a_file_that_is_not_a_mapping() -> None:
    assert problems("- 1\n- 2\n") == ["plan.yaml:1: yaml: moet een object met sleutels zijn"]


@pytest.mark.parametrize(
    ("rule", "valid"),
    [
        ("FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701", True),
        ("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20111231T235959Z", True),  # a UTC UNTIL is allowed
        ("RRULE:FREQ=WEEKLY;COUNT=10", True),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20110701", False),  # RFC 5545 forbids both
        ("FREQ=WEEKLY;BYDAY=DI", False),  # Dutch day names are not RFC 5545
        ("DTSTART:20110110\nRRULE:FREQ=WEEKLY", False),  # begin is the start
    ],
)
def test_rrules_are_checked_as_the_calendar_expands_them(rule: str, valid: bool) -> None:
    text = BASE + OVERLEG + f"    herhaling: {{regel: {rule!r}, begin: 2011-01-10}}\n"
    found = problems(text)
    assert (found == []) is valid, found


RULE_TEXT = """\
    herhaling: FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701
    bijeenkomsten:
      - {datum: 2011-01-10, tijd: "10:00", eind: "12:00", locatie: Utrecht}
      - {datum: 2011-12-20, titel: Extra}
"""


def test_herhaling_as_text_starts_at_the_first_meeting() -> None:
    assert problems(BASE + OVERLEG + RULE_TEXT) == []
    bare = "    herhaling: FREQ=MONTHLY;BYDAY=2TU\n    bijeenkomsten: [2011-01-11]\n"
    assert problems(BASE + OVERLEG + bare) == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            "    herhaling: FREQ=WEEKLY\n",
            "plan.yaml:18: overleggen[2].herhaling: een herhaling als tekst begint bij de eerste "
            "bijeenkomst, maar dit overleg heeft er geen: geef die (datum, tijd, eind, locatie) "
            "of schrijf de herhaling als object met begin",
        ),
        (
            "    bijeenkomsten: []\n    herhaling: FREQ=WEEKLY\n",
            "plan.yaml:19: overleggen[2].herhaling: een herhaling als tekst begint bij de eerste "
            "bijeenkomst, maar dit overleg heeft er geen: geef die (datum, tijd, eind, locatie) "
            "of schrijf de herhaling als object met begin",
        ),
        (
            "    herhaling: FREQ=WEEKLY\n    bijeenkomsten:\n      - {maand: 2011-01}\n",
            "plan.yaml:20: overleggen[2].bijeenkomsten[1].maand: de eerste bijeenkomst is de "
            "start van de herhaling en heeft een datum nodig, geen maand",
        ),
        (
            "    herhaling: FREQ=WEEKLY\n    bijeenkomsten:\n"
            "      - {datum: 2011-01-10, thema: Start}\n",
            "plan.yaml:20: overleggen[2].bijeenkomsten[1].thema: de eerste bijeenkomst geeft de "
            "hele herhaling datum, tijd, eind en locatie; thema kan daar niet (zet het bij een "
            "losse bijeenkomst)",
        ),
        (
            "    herhaling: FREQ=WEEKLY;BYDAY=TU\n    bijeenkomsten:\n"
            "      - {datum: 2011-01-10, tijd: '10:00'}\n",
            "plan.yaml:20: overleggen[2].bijeenkomsten[1].datum: 2011-01-10 valt niet op de "
            "herhalingsregel, maar de eerste bijeenkomst is de eerste van de reeks",
        ),
        (
            "    herhaling: FREQ=SOMETIMES\n    bijeenkomsten: [2011-01-10]\n",
            "plan.yaml:18: overleggen[2].herhaling: ongeldige herhalingsregel FREQ=SOMETIMES: "
            'gebruik een RFC 5545-RRULE, bijvoorbeeld "FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701"',
        ),
        (
            "    herhaling: [FREQ=WEEKLY]\n    bijeenkomsten: [2011-01-10]\n",
            "plan.yaml:18: overleggen[2].herhaling: moet een herhalingsregel als tekst zijn (de "
            "eerste bijeenkomst is de start), of een object met regel en begin",
        ),
    ],
)
def test_herhaling_as_text_without_a_proper_start(lines: str, expected: str) -> None:
    assert problems(BASE + OVERLEG + lines) == [expected]


def test_a_derived_overleg_may_leave_out_its_trekker() -> None:
    derived = OVERLEG.replace("    trekker: co\n", "")
    assert problems(BASE + derived + "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n") == []
    assert problems(BASE + derived + "    bijeenkomsten: [2011-02-01]\n") == [
        "plan.yaml:14: overleggen[2].trekker: ontbreekt"
    ]


def test_a_blank_name_is_empty_and_overrides_are_stripped_from_names() -> None:
    blank = BASE.replace("naam: Coördinatie", 'naam: "\\u200b \\u2060"')
    assert "plan.yaml:5: organisaties[1].naam: mag niet leeg zijn" in problems(blank)

    turned = BASE.replace("naam: Coördinatie", 'naam: "\\u202eCoördinatie\\0"')
    plan = check_plan(turned, "plan.yaml").plan
    assert plan is not None and plan.organisations[0].name == "Coördinatie"
