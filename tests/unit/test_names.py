"""An organisation between brackets after a name never gets brackets within brackets."""

from __future__ import annotations

from berichten.texts.names import in_brackets
from planning.plan.example import example_plan_text


def test_the_plans_names_read_with_a_comma_between_brackets() -> None:
    assert in_brackets("Coördinatie Samenwerkingsverband (gemeente Utrecht)") == (
        "Coördinatie Samenwerkingsverband, gemeente Utrecht"
    )
    assert in_brackets("Ministerie van Binnenlandse Zaken en Koninkrijksrelaties (WWI)") == (
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties, WWI"
    )
    assert in_brackets("Gemeente Gouda") == "Gemeente Gouda"
    # Both names are the packaged plan's own.
    assert "naam: Coördinatie Samenwerkingsverband (gemeente Utrecht)" in example_plan_text()
