"""Changing an incident template in chat (/sjablonen): one field at a time, checked exactly as
``plan check`` checks the plan file, saved with its audit line in one unit of work.

A typed text goes through the plan file's own model (:class:`IncidentTemplateModel`), so a chat
edit and the file accept and refuse the same texts with the same Dutch reason: only
``{plaats}``, ``{datum}`` and ``{wat}``, no stray brace, not blank, not too long. The list
fields (``doen``, ``niet_doen``) take one item per line; empty lines are left out.

The plan file stays the network's source: a later ``plan import`` puts the file's text back and
reports each template changed in chat since the last import as overwritten
(:func:`chat_edits_since`, read from the audit log; docs/decisions/incidents.md).

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction, AuditEventRow, SubjectKind
from planning.clock import Clock
from planning.incidents.plan_templates import template_of
from planning.incidents.tables import IncidentTemplateRow
from planning.incidents.templates import IncidentTemplate
from planning.membership.lookups import active_member
from planning.plan.check import problem_message
from planning.plan.model import IncidentTemplateModel
from planning.plan.problem import field_name

# The fields a coordinator may change, by their key in the plan file, in the order shown.
FIELDS = ("naam", "woordvoerder", "kernboodschap", "doen", "niet_doen", "bellen")
LIST_FIELDS = ("doen", "niet_doen")
_COLUMNS = {
    "naam": "name",
    "woordvoerder": "spokesperson",
    "kernboodschap": "core_message",
    "doen": "dos",
    "niet_doen": "donts",
    "bellen": "call",
}


class TemplateProblem(enum.StrEnum):
    UNKNOWN = "unknown"  # no such template (an import dropped it meanwhile)
    NOT_COORDINATOR = "not_coordinator"


class TemplateError(Exception):
    def __init__(self, problem: TemplateProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class TemplateTextError(Exception):
    """A typed text the plan check refuses; ``reason`` is its Dutch problem line."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StoredTemplate:
    """A template as stored, with its row's id (which the next import replaces)."""

    id: int
    template: IncidentTemplate


@dataclass(frozen=True)
class ChatEdit:
    """The last change made in chat to one template since the last import."""

    at: datetime
    actor: int | None


async def stored_templates(session: AsyncSession) -> list[StoredTemplate]:
    """The stored templates with their ids, in the plan's order."""
    rows = await session.scalars(select(IncidentTemplateRow).order_by(IncidentTemplateRow.position))
    return [StoredTemplate(row.id, template_of(row)) for row in rows]


async def stored_template(session: AsyncSession, template_id: int) -> StoredTemplate | None:
    row = await session.get(IncidentTemplateRow, template_id)
    return None if row is None else StoredTemplate(row.id, template_of(row))


def checked_field(template: IncidentTemplate, field: str, typed: str) -> str | tuple[str, ...]:
    """``typed`` as ``field``'s new value, checked as the plan file's is; a refusal raises
    :class:`TemplateTextError` with the Dutch reason (``kernboodschap: onbekende ...``)."""
    if field not in FIELDS:
        raise ValueError(field)
    value: str | list[str] = typed
    if field in LIST_FIELDS:
        value = [line for line in typed.splitlines() if line.strip()] or [""]
    entry = _entry(template) | {field: value}
    try:
        checked = IncidentTemplateModel.model_validate(entry)
    except ValidationError as error:
        first = error.errors()[0]
        raise TemplateTextError(f"{field_name(first['loc'])}: {problem_message(first)}") from None
    kept: str | list[str] = getattr(checked, _COLUMNS[field])
    return tuple(kept) if isinstance(kept, list) else kept


async def change_template(
    session: AsyncSession,
    clock: Clock,
    actor: int,
    template_id: int,
    code: str,
    field: str,
    typed: str,
) -> IncidentTemplate:
    """Check ``typed`` and store it as ``field`` of the template ``template_id``, which must
    still be ``code`` (the one the coordinator chose), with its audit line; the template as it
    is now. A refused text raises :class:`TemplateTextError`."""
    coordinator = await active_member(session, actor)
    if coordinator is None or not coordinator.is_coordinator:
        raise TemplateError(TemplateProblem.NOT_COORDINATOR)
    found = await stored_template(session, template_id)
    if found is None or found.template.code != code:
        raise TemplateError(TemplateProblem.UNKNOWN)
    value = checked_field(found.template, field, typed)
    stored = json.dumps(list(value), ensure_ascii=False) if isinstance(value, tuple) else value
    await session.execute(
        update(IncidentTemplateRow)
        .where(IncidentTemplateRow.id == template_id)
        .values({_COLUMNS[field]: stored})
    )
    await record(
        session,
        AuditAction.INCIDENT_TEMPLATE_CHANGED,
        actor,
        Subject(SubjectKind.TEMPLATE),
        at=clock.now(),
        detail=f"{found.template.code}: {field}",
    )
    changed = await stored_template(session, template_id)
    assert changed is not None
    return changed.template


async def chat_edits_since(session: AsyncSession, since: datetime | None) -> dict[str, ChatEdit]:
    """The templates changed in chat after ``since`` (the last import), by code: the last
    change of each."""
    query = select(AuditEventRow).where(
        AuditEventRow.action == AuditAction.INCIDENT_TEMPLATE_CHANGED.value
    )
    if since is not None:
        query = query.where(AuditEventRow.at > since)
    edits: dict[str, ChatEdit] = {}
    for row in await session.scalars(query.order_by(AuditEventRow.at, AuditEventRow.id)):
        code = (row.detail or "").rpartition(": ")[0]
        if code:
            edits[code] = ChatEdit(row.at, row.actor)
    return edits


def _entry(template: IncidentTemplate) -> dict[str, object]:
    return {
        "code": template.code,
        "naam": template.name,
        "woordvoerder": template.spokesperson,
        "kernboodschap": template.core_message,
        "doen": list(template.dos),
        "niet_doen": list(template.donts),
        "bellen": template.call,
    }
