"""The plan's incident templates in the database: read with the plan, made to match
the plan by an import (a template keeps its row while its code stays).

:mod:`planning.plan.store` calls these inside the import's unit of work, so templates change
together with the rest of the plan, all or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.incidents.tables import IncidentTemplateRow
from planning.incidents.templates import IncidentTemplate


async def load_templates(session: AsyncSession) -> tuple[IncidentTemplate, ...]:
    """The stored templates, in the plan's order."""
    rows = await session.scalars(select(IncidentTemplateRow).order_by(IncidentTemplateRow.position))
    return tuple(template_of(row) for row in rows)


def template_of(row: IncidentTemplateRow) -> IncidentTemplate:
    return IncidentTemplate(
        row.code,
        row.name,
        row.spokesperson,
        row.core_message,
        tuple(json.loads(row.dos)),
        tuple(json.loads(row.donts)),
        row.call,
    )


async def save_templates(session: AsyncSession, templates: Sequence[IncidentTemplate]) -> None:
    """Make the stored templates exactly ``templates`` (incidents keep their own copy). A
    template whose code stays keeps its row, so a /sjablonen button for it keeps working."""
    rows = {row.code: row for row in await session.scalars(select(IncidentTemplateRow))}
    wanted = {template.code for template in templates}
    dropped = [row.id for code, row in rows.items() if code not in wanted]
    if dropped:
        await session.execute(
            delete(IncidentTemplateRow).where(IncidentTemplateRow.id.in_(dropped))
        )
    for position, template in enumerate(templates):
        row = rows.get(template.code)
        if row is None:
            row = IncidentTemplateRow(code=template.code)
            session.add(row)
        row.name, row.position = template.name, position
        row.spokesperson, row.core_message = template.spokesperson, template.core_message
        row.dos = json.dumps(list(template.dos), ensure_ascii=False)
        row.donts = json.dumps(list(template.donts), ensure_ascii=False)
        row.call = template.call
