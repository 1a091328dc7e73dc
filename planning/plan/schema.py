"""JSON Schema of the plan file, so editors (VS Code's YAML extension and the like) complete the
Dutch keys and flag mistakes while a coordinator types.

It is the models' validation schema with the Dutch keys (``by_alias``), plus descriptions from
the catalogue (the same words as the file's header), so they are Dutch and edited in one place.
"""

from __future__ import annotations

from typing import Any

from planning import catalogue
from planning.plan.model import PlanFile

# (definition, property) -> catalogue key; definition None is the file itself.
_DESCRIPTIONS: dict[tuple[str | None, str], str] = {
    (None, "versie"): "plan.schema.versie",
    (None, "tijdzone"): "plan.schema.tijdzone",
    (None, "organisaties"): "plan.schema.organisaties",
    (None, "groepen"): "plan.schema.groepen",
    (None, "overleggen"): "plan.schema.overleggen",
    (None, "producten"): "plan.schema.producten",
    (None, "herinneringen"): "plan.schema.herinneringen",
    ("Overleg", "trekker"): "plan.schema.trekker",
    ("Overleg", "deelnemers"): "plan.schema.deelnemers",
    ("Overleg", "agendapunten"): "plan.schema.agendapunten",
    ("Overleg", "bijeenkomsten"): "plan.schema.bijeenkomsten",
    ("Overleg", "afgeleid_van"): "plan.schema.afgeleid_van",
    ("Overleg", "sluit_agenda_van"): "plan.schema.sluit_agenda_van",
    ("Overleg", "herhaling"): "plan.schema.herhaling",
    ("Meeting", "maand"): "plan.schema.maand",
    ("Meeting", "deelnemers"): "plan.schema.bijeenkomst_deelnemers",
    ("Milestone", "maand"): "plan.schema.mijlpaal_maand",
    ("Recurrence", "regel"): "plan.schema.regel",
    ("Reminder", "voor"): "plan.schema.voor",
    ("Reminder", "aan"): "plan.schema.aan",
}


def plan_json_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (``json.dumps`` takes it as it is)."""
    schema = PlanFile.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = catalogue.plain("plan.schema.title")
    definitions: dict[str, Any] = schema.get("$defs", {})
    for target in (schema, *definitions.values()):
        target.pop("description", None)  # the classes' docstrings: English, for developers
    for (definition, name), key in _DESCRIPTIONS.items():
        target = schema if definition is None else definitions[definition]
        target["properties"][name]["description"] = catalogue.plain(key)
    return schema
