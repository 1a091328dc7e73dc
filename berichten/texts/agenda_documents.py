"""The texts about an agenda item's documents (stukken), in Dutch HTML: the list in the
summary before "Indienen", the line naming them under an item (the reviewers' notice, /punten,
/mijnpunten) and the captions of a document sent to a reviewer or after a published agenda.

A document is named by its file name (a file sent without one is "naamloos stuk") and its size
as people read it ("120 kB", "1,4 MB"). Every string is in the catalogue; values are escaped
once, by :func:`planning.catalogue.html`. Ten documents with names of 255 characters stay well
inside Telegram's 4,096, so an item with its documents always fits one message.
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.numbers import format_decimal

from planning import catalogue
from planning.agenda_items.documents import DocumentView, NewDocument

Document = DocumentView | NewDocument


def document_name(document: Document) -> str:
    """The file name, plain text, or "naamloos stuk"."""
    return document.file_name or catalogue.plain("agenda_item.document.unnamed")


def document_size(size: int | None) -> str:
    """``120 kB``, ``1,4 MB``; "" when Telegram did not say."""
    if size is None:
        return ""
    if size < 1_000_000:
        return catalogue.plain("agenda_item.document.kilobytes", size=max(1, round(size / 1000)))
    megabytes = format_decimal(round(size / 1_000_000, 1), locale="nl")
    return catalogue.plain("agenda_item.document.megabytes", size=megabytes)


def document_lines(documents: Sequence[Document]) -> list[str]:
    """ "Stukken:" and a line per document; nothing when there are none."""
    if not documents:
        return []
    lines = [catalogue.html("agenda_item.document.list_header", n=len(documents))]
    for document in documents:
        size = document_size(document.file_size)
        lines.append(
            catalogue.html("agenda_item.document.line", name=document_name(document), size=size)
            if size
            else catalogue.html("agenda_item.document.line_bare", name=document_name(document))
        )
    return lines


def documents_line(documents: Sequence[Document]) -> list[str]:
    """One line naming the documents ("Stukken (2): notulen.pdf, begroting.xlsx"), for lists
    of items; nothing when there are none."""
    if not documents:
        return []
    names = ", ".join(document_name(document) for document in documents)
    return [catalogue.html("agenda_item.document.names", n=len(documents), names=names)]


def document_caption(number: int, title: str, meeting: str) -> str:
    """Above a document that follows a published agenda: which point of which agenda."""
    return catalogue.html(
        "agenda_item.document.caption", number=number, title=title, meeting=meeting
    )


def review_caption(title: str) -> str:
    """Above a document a reviewer asked for with "Stukken bekijken"."""
    return catalogue.html("agenda_item.document.review_caption", title=title)
