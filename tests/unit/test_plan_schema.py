"""The JSON Schema for editors: Dutch keys, Dutch descriptions, and it accepts the real plan."""

from __future__ import annotations

import json
from typing import Any

from planning.plan.schema import plan_json_schema


def test_the_schema_has_the_dutch_keys_and_is_json() -> None:
    schema = plan_json_schema()
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "versie",
        "naam",
        "tijdzone",
        "organisaties",
        "groepen",
        "overleggen",
        "producten",
        "herinneringen",
        "incidentsjablonen",
    }
    assert set(schema["required"]) == {"versie", "naam", "tijdzone"}
    overleg = schema["$defs"]["OverlegModel"]["properties"]
    assert {"afgeleid_van", "sluit_agenda_van", "herhaling", "bijeenkomsten"} <= set(overleg)
    assert "dagen_ervoor" in schema["$defs"]["DerivationModel"]["properties"]
    assert json.loads(json.dumps(schema)) == schema


def test_descriptions_are_dutch_and_docstrings_stay_out() -> None:
    schema = plan_json_schema()
    assert "RRULE" in schema["$defs"]["OverlegModel"]["properties"]["herhaling"]["description"]
    assert schema["properties"]["tijdzone"]["description"].startswith("Tijdzone")
    assert all("description" not in definition for definition in schema["$defs"].values())


def test_fixed_items_are_a_list_or_begin_and_end() -> None:
    schema = plan_json_schema()
    fixed: dict[str, Any] = schema["$defs"]["OverlegModel"]["properties"]["vaste_punten"]
    forms = fixed.get("oneOf") or fixed["anyOf"]
    assert {"$ref": "#/$defs/FixedItemsModel"} in forms
    assert any(form.get("type") == "array" for form in forms)
    assert "begin" in fixed["description"] and "eind" in fixed["description"]
    ends = schema["$defs"]["FixedItemsModel"]["properties"]
    assert ends["begin"]["description"].startswith("Vaste agendapunten vóór")
    assert ends["begin"]["items"]["maxLength"] == 200


def test_a_bare_date_or_an_object_is_a_meeting() -> None:
    overleg = plan_json_schema()["$defs"]["OverlegModel"]
    meetings: dict[str, Any] = overleg["properties"]["bijeenkomsten"]
    items = meetings["anyOf"][0]["items"]["anyOf"]
    assert {"format": "date", "type": "string"} in items
    assert {"$ref": "#/$defs/MeetingModel"} in items
