"""The documents (stukken) attached to agenda items, as plain data.

A document is a Telegram document kept by its ``file_id`` (valid for this bot only), with the
name, type and size Telegram gave, for the lists. Service functions take the session and never
commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.tables import AgendaItemDocumentRow
from planning.db import in_chunks


@dataclass(frozen=True)
class DocumentView:
    """One attached document as lists and the outbox need it."""

    id: int
    item_id: int
    file_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int | None


async def documents_of(
    session: AsyncSession, item_ids: Iterable[int]
) -> dict[int, tuple[DocumentView, ...]]:
    """Item id -> its documents in the order they were attached; items without any are left
    out."""
    ids = sorted(set(item_ids))
    found: dict[int, list[DocumentView]] = {}
    for chunk in in_chunks(ids):
        rows = await session.scalars(
            select(AgendaItemDocumentRow)
            .where(AgendaItemDocumentRow.item_id.in_(chunk))
            .order_by(AgendaItemDocumentRow.added_at, AgendaItemDocumentRow.id)
        )
        for row in rows:
            found.setdefault(row.item_id, []).append(
                DocumentView(
                    row.id, row.item_id, row.file_id, row.file_name, row.mime_type, row.file_size
                )
            )
    return {item_id: tuple(documents) for item_id, documents in found.items()}
