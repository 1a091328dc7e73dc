"""JSON Schema of the plan file, so editors (VS Code's YAML extension and the like) complete the
Dutch keys and flag mistakes while a coordinator types.

It is the models' validation schema with the Dutch keys (``by_alias``), plus descriptions from
the catalogue (the same words as the file's header), so they are Dutch and edited in one place.
"""

from __future__ import annotations

from typing import Any

from planning import catalogue
from planning.plan.model import PlanFileModel

# (definition, property) -> catalogue key; definition None is the file itself.
_DESCRIPTIONS: dict[tuple[str | None, str], str] = {
    (None, "versie"): "plan.schema.versie",
    (None, "tijdzone"): "plan.schema.tijdzone",
    (None, "organisaties"): "plan.schema.organisaties",
    (None, "groepen"): "plan.schema.groepen",
    (None, "overleggen"): "plan.schema.overleggen",
    (None, "producten"): "plan.schema.producten",
    (None, "herinneringen"): "plan.schema.herinneringen",
    (None, "incidentsjablonen"): "plan.schema.incidentsjablonen",
    ("OrganisationModel", "piketnummer"): "plan.schema.piketnummer",
    ("OverlegModel", "trekker"): "plan.schema.trekker",
    ("OverlegModel", "deelnemers"): "plan.schema.deelnemers",
    ("OverlegModel", "agendapunten"): "plan.schema.agendapunten",
    ("OverlegModel", "bijeenkomsten"): "plan.schema.bijeenkomsten",
    ("OverlegModel", "afgeleid_van"): "plan.schema.afgeleid_van",
    ("OverlegModel", "sluit_agenda_van"): "plan.schema.sluit_agenda_van",
    ("OverlegModel", "herhaling"): "plan.schema.herhaling",
    ("OverlegModel", "oproep_dagen_vooraf"): "plan.schema.oproep_dagen_vooraf",
    ("OverlegModel", "vaste_punten"): "plan.schema.vaste_punten",
    ("OverlegModel", "beoordelaars"): "plan.schema.beoordelaars",
    ("FixedItemsModel", "begin"): "plan.schema.vaste_punten_begin",
    ("FixedItemsModel", "eind"): "plan.schema.vaste_punten_eind",
    ("MeetingModel", "maand"): "plan.schema.maand",
    ("MeetingModel", "deelnemers"): "plan.schema.bijeenkomst_deelnemers",
    ("MilestoneModel", "maand"): "plan.schema.mijlpaal_maand",
    ("RecurrenceModel", "regel"): "plan.schema.regel",
    ("ReminderRuleModel", "voor"): "plan.schema.voor",
    ("ReminderRuleModel", "aan"): "plan.schema.aan",
}


def plan_json_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (``json.dumps`` takes it as it is)."""
    schema = PlanFileModel.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = catalogue.plain("plan.schema.title")
    definitions: dict[str, Any] = schema.get("$defs", {})
    for target in (schema, *definitions.values()):
        target.pop("description", None)  # the classes' docstrings: English, for developers
    for (definition, name), key in _DESCRIPTIONS.items():
        target = schema if definition is None else definitions[definition]
        target["properties"][name]["description"] = catalogue.plain(key)
    return schema
