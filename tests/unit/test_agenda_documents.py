"""The rule of an item's documents, without I/O: the same file once, at most ten; and how a
document is named and sized in a list."""

from __future__ import annotations

import pytest

from berichten.texts.agenda_documents import document_lines, document_size, documents_line
from planning.agenda_items.documents import (
    DOCUMENT_LIMIT,
    DocumentError,
    DocumentRefusal,
    NewDocument,
    with_document,
)


def _document(number: int, name: str | None = "stuk.pdf", size: int | None = 1) -> NewDocument:
    return NewDocument(f"BQAC{number}", f"AgAD{number}", name, "application/pdf", size)


def test_a_draft_takes_the_same_file_once_and_at_most_ten() -> None:
    documents: list[NewDocument] = []
    for number in range(DOCUMENT_LIMIT):
        documents = with_document(documents, _document(number))

    same = with_document(documents, _document(3, "andere naam.pdf"))
    with pytest.raises(DocumentError) as refused:
        with_document(documents, _document(DOCUMENT_LIMIT))

    assert (len(documents), same) == (DOCUMENT_LIMIT, documents)
    assert refused.value.reason == DocumentRefusal.TOO_MANY


def test_documents_are_listed_with_their_size_and_escaped() -> None:
    documents = [_document(1, "<b>notulen</b>.pdf", 123_456), _document(2, None, None)]

    assert document_lines(documents) == [
        "2 stukken:",
        "• &lt;b&gt;notulen&lt;/b&gt;.pdf (123 kB)",
        "• naamloos stuk",
    ]
    assert documents_line(documents[:1]) == ["1 stuk: &lt;b&gt;notulen&lt;/b&gt;.pdf"]
    assert (document_lines([]), documents_line([])) == ([], [])
    assert [document_size(size) for size in (300, 1_450_000, 20_000_000)] == [
        "1 kB",
        "1,4 MB",
        "20 MB",
    ]
