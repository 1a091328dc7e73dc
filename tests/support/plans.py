"""Year plans for the tests: jaarplan 2011 built by hand, plans read from YAML text, and the
people and moments the plan rules are asked about.

:func:`jaarplan_2011` mirrors ``planning/plans/jaarplan-2011.yaml`` for the overleggen, products
and herinneringen, so the calendar tests check the issue's "done when" figures (the petit
comité dates, 09:00 Amsterdam in UTC on both sides of a DST change) without the file converter.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import (
    PRODUCTS,
    Derivation,
    Meeting,
    Milestone,
    Overleg,
    Plan,
    Product,
    ReminderRule,
    When,
    YearMonth,
)
from planning.db import Database
from planning.membership.tables import GroupRow, MemberRow, MemberStatus, OrganisationRow, Role
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.example import example_plan_text
from planning.plan.store import load_plan

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NINE = time(9, 0)
# The petit comité of the plans: it meets 14 days before each AO, and closes its agenda.
PETIT_COMITE = Overleg(
    "pc",
    "Petit comité",
    "Bereidt het AO voor",
    "coordinatie",
    ("petit-comite",),
    derived=Derivation(parent="ao", days_before=14),
    closes_agenda_of="ao",
)


def amsterdam_time(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day`` in Amsterdam, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


def member_row(
    *groups: str, organisation: str = "gouda", role: Role = Role.LID, user_id: int = 1
) -> MemberRow:
    """An active member of ``organisation`` and ``groups``, not stored anywhere."""
    return MemberRow(
        telegram_user_id=user_id,
        name="Fatima",
        role=role,
        status=MemberStatus.ACTIVE,
        organisation=OrganisationRow(code=organisation, name=organisation, kind="gemeente"),
        groups=[GroupRow(code=code, name=code) for code in groups],
    )


def plan_of(text: str) -> Plan:
    """The plan a YAML text describes, checked and converted as the import does."""
    checked = check_plan(text, "jaarplan.yaml")
    assert checked.plan is not None, [str(p) for p in checked.problems]
    return to_plan(checked.plan)


def example_with_pc_items() -> str:
    """The example plan's text with a petit comité that takes agenda items itself: its reminder
    carries its own agenda so far and the AO's items waiting for review."""
    return example_plan_text().replace(
        "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n",
        "    afgeleid_van: {overleg: ao, dagen_ervoor: 14}\n    agendapunten: ja\n",
    )


def agenda_cycle_plan_text() -> str:
    """The example plan's text with the AO's whole agenda cycle switched on: the call 21 days
    before its agenda closes, three fixed items, and the petit comité as reviewers."""
    return example_plan_text().replace(
        "    agendapunten: ja\n    bijeenkomsten: [2011-01-18,",
        "    agendapunten: ja\n"
        "    oproep_dagen_vooraf: 21\n"
        "    vaste_punten: [Opening, Verslag vorige vergadering, Rondvraag]\n"
        "    beoordelaars: petit-comite\n"
        "    bijeenkomsten: [2011-01-18,",
        1,
    )


def _days(code: str, *days: str) -> tuple[Meeting, ...]:
    return tuple(
        Meeting(uid=f"{code}-{day}", overleg=code, when=When(day=date.fromisoformat(day)))
        for day in days
    )


def _month(text: str) -> When:
    return When(month=YearMonth.parse(text))


def _product(name: str, owner: str, involved: tuple[str, ...], *steps: tuple[str, str]) -> Product:
    return Product(
        name=name,
        owner=owner,
        involved=involved,
        milestones=tuple(
            Milestone(uid=f"{name}/{n}", description=text, when=_month(month))
            for n, (month, text) in enumerate(steps, start=1)
        ),
    )


def jaarplan_2011() -> Plan:
    """Jaarplan 2011's overleggen ao/pc/kwg/bo/ts, products and herinneringen."""
    overleggen = (
        Overleg("bo", "Bestuurlijk overleg", "Besluiten", "coordinatie", ("bestuurders",), True),
        Overleg("ao", "Ambtelijk overleg", "Jaarplan", "coordinatie", ("contactpersonen",), True),
        PETIT_COMITE,
        Overleg("kwg", "Kenniswerkgroep", "Thema's", "coordinatie", ("kenniswerkgroep",), True),
        Overleg("ts", "Themasessie", "Kennis uitwisselen", "coordinatie", ("alle",)),
    )
    bo = (
        Meeting("bo-2011-05-16", "bo", When(day=date(2011, 5, 16)), title="Bestuurlijk overleg"),
        Meeting("bo-2011-10-1", "bo", _month("2011-10"), title="Bestuurlijk overleg"),
        Meeting(
            "bo-2011-10-2",
            "bo",
            _month("2011-10"),
            title="Bestuurlijk overleg met het Rijk",
            participants=("bestuurders", "rijk"),
        ),
    )
    ao = _days("ao", "2011-01-18", "2011-03-22", "2011-06-21", "2011-09-27", "2011-11-22")
    kwg = _days(
        "kwg",
        *("2011-01-06", "2011-02-03", "2011-03-03", "2011-05-12"),
        *("2011-06-09", "2011-09-15", "2011-10-13", "2011-12-08"),
    )
    ts = tuple(
        Meeting(f"ts-{day}", "ts", When(day=date.fromisoformat(day)), theme=theme)
        for day, theme in (
            ("2011-01-18", "Vertaalslag monitor naar praktijk"),
            ("2011-03-22", "Beeldvorming en beleid"),
            ("2011-06-21", "Relatie schooluitval – criminele loopbaan"),
            ("2011-11-22", "Nog nader te bepalen"),
        )
    )
    products = (
        _product("Jaarplan 2011", "coordinatie", ("alle",), ("2011-03", "Jaarplan vastgesteld")),
        _product(
            "Communicatieplan",
            "coordinatie",
            ("communicatieadviseurs",),
            ("2011-04", "Communicatieplan gereed"),
        ),
        _product(
            "Model beleidsprogramma",
            "coordinatie",
            ("contactpersonen",),
            ("2011-05", "Informatiebehoefte vastgesteld"),
            ("2011-11", "Concept gereed"),
        ),
        _product(
            "Analyse resultaten van extra inzet",
            "coordinatie",
            ("alle",),
            ("2011-10", "Concept gereed"),
        ),
        _product(
            "Monitor 2011 (over 2010)",
            "bzk",
            ("alle",),
            ("2011-05", "Start"),
            ("2011-10", "Concept gereed"),
        ),
        _product(
            "Inventarisatie ervaringen regulier/maatwerk",
            "coordinatie",
            ("alle",),
            ("2011-11", "Concept gereed"),
        ),
        _product(
            "Inventarisatie benodigde inzet 2012", "coordinatie", ("alle",), ("2011-12", "Gereed")
        ),
    )
    reminders = (
        ReminderRule("ao", (14, 2), NINE, "deelnemers"),
        ReminderRule("pc", (7, 1), NINE, "deelnemers"),
        ReminderRule("kwg", (7, 1), NINE, "deelnemers"),
        ReminderRule("bo", (14, 2), NINE, "deelnemers"),
        ReminderRule("ts", (14,), NINE, "deelnemers"),
        ReminderRule(PRODUCTS, (14, 3), NINE, "verantwoordelijk"),
    )
    return Plan(
        name="Samenwerkingsverband aanpak Marokkaans-Nederlandse risicojongeren",
        zone=AMSTERDAM,
        overleggen=overleggen,
        meetings=bo + ao + kwg + ts,
        products=products,
        reminders=reminders,
    )


async def stored_plan(database: Database) -> Plan:
    """The plan in the database; there must be one."""
    plan = await database.run(load_plan)
    assert plan is not None
    return plan


async def stored_calendar(database: Database) -> list[CalendarEntry]:
    """Every entry of the stored plan from December 2010 to January 2012, as consumers see it."""
    return entries(await stored_plan(database), date(2010, 12, 1), date(2012, 1, 31))
