"""``overlegbot plan export``: the stored plan written back as a plan file.

The output uses the same keys as the file that was imported, so a coordinator can export, edit
and re-import; importing the export changes nothing. The layout is YAML block style (every
value that needs quotes gets them, so a name with a comma survives), not the original
hand-made layout. What the file format cannot express stays in the database only and is not
lost by a re-import: cancelled meetings, moved or cancelled single occurrences of a recurring
overleg, and the status and history of milestones.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import yaml

from planning import catalogue
from planning.calendar.model import (
    FixedItems,
    Meeting,
    Milestone,
    Overleg,
    Plan,
    Product,
    ReminderRule,
    When,
)
from planning.incidents.templates import IncidentTemplate


def export_plan(plan: Plan) -> str:
    """The plan as plan-file text."""
    document: dict[str, Any] = {
        "versie": plan.version,
        "naam": plan.name,
        "tijdzone": plan.zone.key,
        "organisaties": [
            _without_none(
                {"code": o.code, "naam": o.name, "soort": o.kind, "piketnummer": o.on_call}
            )
            for o in plan.organisations
        ],
        "groepen": [{"code": g.code, "naam": g.name} for g in plan.groups],
        "overleggen": [_overleg(o, plan.meetings) for o in plan.overleggen],
        "producten": [_product(p) for p in plan.products],
        "herinneringen": [_reminder(r) for r in plan.reminders],
    }
    if plan.incident_templates:
        document["incidentsjablonen"] = [_template(t) for t in plan.incident_templates]
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
    return catalogue.plain("plan.export_header", name=plan.name) + "\n" + body


def _overleg(overleg: Overleg, meetings: tuple[Meeting, ...]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": overleg.code,
        "naam": overleg.name,
        "doel": overleg.purpose,
        "trekker": overleg.trekker,
        "deelnemers": list(overleg.participants),
        "agendapunten": "ja" if overleg.accepts_agenda_items else "nee",
    }
    if overleg.derived is not None:
        entry["afgeleid_van"] = {
            "overleg": overleg.derived.parent,
            "dagen_ervoor": overleg.derived.days_before,
        }
    else:
        listed = [m for m in meetings if m.overleg == overleg.code and not m.cancelled]
        listed.sort(key=lambda m: (m.when.latest_day, m.when.start or time(0)))
        if listed or overleg.recurrence is None:
            entry["bijeenkomsten"] = [_meeting(m) for m in listed]
    if overleg.closes_agenda_of is not None:
        entry["sluit_agenda_van"] = overleg.closes_agenda_of
    if overleg.call_days_before is not None:
        entry["oproep_dagen_vooraf"] = overleg.call_days_before
    if overleg.fixed_items:
        entry["vaste_punten"] = _fixed_items(overleg.fixed_items)
    if overleg.reviewers is not None:
        entry["beoordelaars"] = overleg.reviewers
    if overleg.recurrence is not None:
        recurrence = overleg.recurrence
        entry["herhaling"] = _without_none(
            {
                "regel": recurrence.rule,
                "begin": recurrence.begin,
                "tijd": _clock(recurrence.start),
                "eind": _clock(recurrence.end),
                "locatie": recurrence.location,
            }
        )
    return entry


def _fixed_items(fixed: FixedItems) -> Any:
    """The list form when it splits the items as the plan does, else ``{begin, eind}``."""
    listed = fixed.as_list()
    if listed is not None:
        return list(listed)
    return _without_none(
        {"begin": list(fixed.opening) or None, "eind": list(fixed.closing) or None}
    )


def _meeting(meeting: Meeting) -> Any:
    details = _without_none(
        {
            "titel": meeting.title,
            "locatie": meeting.location,
            "thema": meeting.theme,
            "deelnemers": list(meeting.participants) if meeting.participants is not None else None,
        }
    )
    when = _when(meeting.when)
    if list(when) == ["datum"] and not details:
        return when["datum"]  # a bare date, as the hand-written plan lists most meetings
    return when | details


def _product(product: Product) -> dict[str, Any]:
    return {
        "naam": product.name,
        "verantwoordelijk": product.owner,
        "betrokken": list(product.involved),
        "mijlpalen": [_milestone(m) for m in product.milestones],
    }


def _milestone(milestone: Milestone) -> dict[str, Any]:
    return _when(milestone.when) | {"omschrijving": milestone.description}


def _reminder(rule: ReminderRule) -> dict[str, Any]:
    return {
        "voor": rule.target,
        "dagen_vooraf": list(rule.days_before),
        "om": _clock(rule.at),
        "aan": rule.audience,
    }


def _template(template: IncidentTemplate) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": template.code,
        "naam": template.name,
        "woordvoerder": template.spokesperson,
        "kernboodschap": template.core_message,
    }
    if template.dos:
        entry["doen"] = list(template.dos)
    if template.donts:
        entry["niet_doen"] = list(template.donts)
    return entry | {"bellen": template.call}


def _when(when: When) -> dict[str, Any]:
    if when.day is None:
        return {"maand": str(when.in_month)}
    return _without_none({"datum": when.day, "tijd": _clock(when.start), "eind": _clock(when.end)})


def _clock(moment: time | None) -> str | None:
    return None if moment is None else f"{moment:%H:%M}"


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
