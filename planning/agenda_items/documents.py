"""The documents (stukken) attached to agenda items, as plain data, and the rule of how many.

A document is a Telegram document kept by its ``file_id`` (valid for this bot only), with the
name, type and size Telegram gave, for the lists; ``file_unique_id`` tells the same file sent
twice apart from another one. An item holds at most :data:`DOCUMENT_LIMIT`. Service functions
take the session and never commit; attaching is in :mod:`planning.agenda_items.attachments`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.tables import AgendaItemDocumentRow
from planning.db import in_chunks

DOCUMENT_LIMIT = 10  # documents per item: an agenda's papers, not an archive
NAME_LIMIT = 255  # characters of a file name kept (the column's width)


@dataclass(frozen=True)
class DocumentView:
    """One attached document as lists and the outbox need it."""

    id: int
    item_id: int
    file_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int | None


@dataclass(frozen=True)
class NewDocument:
    """A document a member sent, not stored yet: in a draft, or on its way to an item."""

    file_id: str
    file_unique_id: str
    file_name: str | None = None
    mime_type: str | None = None
    file_size: int | None = None


class DocumentRefusal(enum.StrEnum):
    """Why a document cannot be attached; each has a Dutch text in the catalogue
    (``agenda_item.document.refused.<reason>``)."""

    TOO_MANY = "too_many"  # the item holds DOCUMENT_LIMIT already
    NOT_YOURS = "not_yours"  # no such item, or another member's
    SETTLED = "settled"  # declined, withdrawn or dealt with: nothing left to prepare
    OVER = "over"  # its meeting is over or cancelled


class DocumentError(Exception):
    """A document that cannot be attached, and why."""

    def __init__(self, reason: DocumentRefusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


def with_document(documents: Sequence[NewDocument], new: NewDocument) -> list[NewDocument]:
    """``documents`` with ``new`` added at the end; unchanged when the same file (by
    ``file_unique_id``) is in already. TOO_MANY when a new one would pass the limit."""
    if any(d.file_unique_id == new.file_unique_id for d in documents):
        return list(documents)
    if len(documents) >= DOCUMENT_LIMIT:
        raise DocumentError(DocumentRefusal.TOO_MANY)
    return [*documents, new]


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
