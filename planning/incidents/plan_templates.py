"""The plan's incident templates in the database: read with the plan, replaced by an import.

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
    return tuple(
        IncidentTemplate(
            row.code,
            row.name,
            row.spokesperson,
            row.core_message,
            tuple(json.loads(row.dos)),
            tuple(json.loads(row.donts)),
            row.call,
        )
        for row in rows
    )


async def save_templates(session: AsyncSession, templates: Sequence[IncidentTemplate]) -> None:
    """Make the stored templates exactly ``templates`` (incidents keep their own copy)."""
    await session.execute(delete(IncidentTemplateRow))
    session.add_all(
        IncidentTemplateRow(
            code=template.code,
            name=template.name,
            spokesperson=template.spokesperson,
            core_message=template.core_message,
            dos=json.dumps(list(template.dos), ensure_ascii=False),
            donts=json.dumps(list(template.donts), ensure_ascii=False),
            call=template.call,
            position=position,
        )
        for position, template in enumerate(templates)
    )
