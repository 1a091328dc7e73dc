"""Attaching documents (stukken) to agenda items, and handing them to a reviewer.

- **Who and when**: only the item's submitter, only while the item is waiting or on the agenda
  and its meeting is neither over nor cancelled (an agenda that closed still takes papers: the
  petit comité prepares them until the meeting). At most
  :data:`~planning.agenda_items.documents.DOCUMENT_LIMIT` per item; the same file
  (``file_unique_id``) attached twice is kept once.
- **Who sees them**: the item's reviewers (:func:`planning.agenda_items.reviewing.reviewer_of`).

Service functions take the session and never commit; refusals are
:class:`~planning.agenda_items.documents.DocumentError` (attaching) and
:class:`~planning.agenda_items.rules.AgendaItemError` (reviewing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.documents import (
    DOCUMENT_LIMIT,
    NAME_LIMIT,
    DocumentError,
    DocumentRefusal,
    DocumentView,
    NewDocument,
    documents_of,
)
from planning.agenda_items.reviewing import reviewer_of
from planning.agenda_items.tables import AgendaItemDocumentRow, AgendaItemRow, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView, upcoming_views
from planning.clock import Clock

ATTACHABLE = (AgendaItemStatus.WAITING, AgendaItemStatus.ACCEPTED)


@dataclass(frozen=True)
class Attached:
    """The item after attaching (with all its documents) and the documents that were new."""

    item: AgendaItemView
    added: tuple[DocumentView, ...]


async def attachable_item(
    session: AsyncSession, clock: Clock, telegram_user_id: int, item_id: int
) -> AgendaItemView:
    """The member's own item, with its documents, if a document may be attached to it now.

    NOT_YOURS (unknown or another's), SETTLED (declined, withdrawn, dealt with), OVER (its
    meeting is over or cancelled), TOO_MANY (it holds the limit already).
    """
    row = await session.get(AgendaItemRow, item_id)
    if row is None or row.submitted_by != telegram_user_id:
        raise DocumentError(DocumentRefusal.NOT_YOURS)
    if row.status not in ATTACHABLE:
        raise DocumentError(DocumentRefusal.SETTLED)
    found = await upcoming_views(session, clock, [row])
    if not found or found[0].meeting_cancelled:
        raise DocumentError(DocumentRefusal.OVER)
    if len(found[0].documents) >= DOCUMENT_LIMIT:
        raise DocumentError(DocumentRefusal.TOO_MANY)
    return found[0]


async def attach_documents(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    item_id: int,
    documents: Sequence[NewDocument],
) -> Attached:
    """Attach ``documents`` to the member's own item, all or none (refusals as for
    :func:`attachable_item`; TOO_MANY when they would pass the limit). Files the item holds
    already (or that come twice) are left out of ``added``."""
    item = await attachable_item(session, clock, telegram_user_id, item_id)
    seen = await _unique_ids(session, item_id)
    new = []
    for document in documents:
        if document.file_unique_id not in seen:
            seen.add(document.file_unique_id)
            new.append(document)
    if len(item.documents) + len(new) > DOCUMENT_LIMIT:
        raise DocumentError(DocumentRefusal.TOO_MANY)
    now = clock.now()
    rows = [
        AgendaItemDocumentRow(
            item_id=item_id,
            file_id=document.file_id,
            file_unique_id=document.file_unique_id,
            file_name=document.file_name[:NAME_LIMIT] if document.file_name else None,
            mime_type=document.mime_type,
            file_size=document.file_size,
            added_by=telegram_user_id,
            added_at=now,
        )
        for document in new
    ]
    session.add_all(rows)
    await session.flush()
    attached = (await documents_of(session, [item_id])).get(item_id, ())
    added = tuple(d for d in attached if d.id in {row.id for row in rows})
    return Attached(replace(item, documents=attached), added)


async def documents_for_review(
    session: AsyncSession, telegram_user_id: int, item_id: int
) -> tuple[str, tuple[DocumentView, ...]]:
    """An item's title and documents, for one of its reviewers ("Stukken bekijken").

    Refused as a review is (:func:`planning.agenda_items.reviewing.reviewer_of`): NOT_REVIEWER
    for anyone who may not review it, UNKNOWN_ITEM for an item that is gone.
    """
    _reviewer, row = await reviewer_of(session, telegram_user_id, item_id)
    return row.title, (await documents_of(session, [item_id])).get(item_id, ())


async def _unique_ids(session: AsyncSession, item_id: int) -> set[str]:
    found = await session.scalars(
        select(AgendaItemDocumentRow.file_unique_id).where(AgendaItemDocumentRow.item_id == item_id)
    )
    return set(found)
