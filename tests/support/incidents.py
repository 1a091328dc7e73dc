"""The example year plan with incident templates and on-call numbers, for the incident tests.

The packaged plan stays a copy of the shared one, so the templates the tests use are added
here: two realistic ones, and a piketnummer for three organisations.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan

TEMPLATES = """
incidentsjablonen:
  - code: geweld
    naam: Geweldsincident met jongeren uit de doelgroep
    woordvoerder: De burgemeester van {plaats}; de andere partners verwijzen naar hem of haar.
    kernboodschap: >-
      Op {datum} is in {plaats} een ernstig incident gebeurd: {wat}. De gemeente, politie en
      partners werken samen aan herstel van de rust en aan hulp voor wie getroffen is.
    doen:
      - Verwijs vragen van de pers naar de woordvoerder van {plaats}.
      - Meld persvragen binnen een uur bij de coördinatie.
    niet_doen:
      - Speculeer niet over daders, achtergrond of afkomst.
      - Geef geen cijfers die niet door de gemeente zijn bevestigd.
    bellen: De coördinatie (030-2860000) en de communicatieadviseur van {plaats}.
  - code: publiciteit
    naam: Landelijke publiciteit over de aanpak
    woordvoerder: De coördinator van het samenwerkingsverband.
    kernboodschap: >-
      Naar aanleiding van {wat}: de aanpak werkt met 22 gemeenten, drie ministeries en de
      VNG aan perspectief voor jongeren en aan veiligheid in de wijk.
    doen:
      - Verwijs naar de monitor en het jaarplan.
    bellen: De coördinatie, 030-2860000.
"""
ON_CALL = {
    "utrecht": "030-2861111",
    "gouda": "0182-588222",
    "den-haag": "070-3533333",
}


def incident_plan_text() -> str:
    """The example plan with :data:`ON_CALL` and :data:`TEMPLATES` added."""
    text = example_plan_text()
    for code, number in ON_CALL.items():
        line = f"{{code: {code}, naam: Gemeente "
        start = text.index(line)
        end = text.index("}", start)
        text = text[:end] + f', piketnummer: "{number}"' + text[end:]
    return text + TEMPLATES


async def import_incident_plan(session: AsyncSession, clock: Clock) -> None:
    """Import :func:`incident_plan_text` as the command line does."""
    checked = check_plan(incident_plan_text(), "jaarplan-incidenten.yaml")
    if checked.plan is None:
        raise RuntimeError("\n".join(str(problem) for problem in checked.problems))
    await import_plan(session, clock, to_plan(checked.plan))
