"""A meeting's agenda for the secretary: Markdown text, or a Word file (.docx).

Both hold the same, in the order of the published agenda (:meth:`AgendaDraft.numbered`): the
heading (the meeting, and its overleg when the meeting has a title of its own), when and where,
the numbered points (fixed items as the plan names them; accepted items with their kind, who
submitted them for which organisation, "aangehouden" for an item carried over, and the
explanation), and the documents by point number. ``overlegbot agenda export`` writes either
(:mod:`bot.cli_agenda`); after /publiceer the coordinator gets the Word file in chat.

What members typed is escaped for Markdown, so a title with ``*``, ``#`` or a leading ``1.``
reads as typed and cannot break the list; in Word it is plain text anyway.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.texts.agenda_items import items_text, kind_text, meeting_name
from berichten.texts.dates import when_text
from berichten.texts.names import in_brackets
from planning import catalogue
from planning.agenda_items.documents import DocumentView
from planning.agenda_items.export import (
    AgendaExport,
    MeetingWithAgenda,
    Outcome,
    export_draft,
    short_name,
)
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.clock import Clock

_LANGUAGE = "nl-NL"
# CommonMark lets a backslash escape any ASCII punctuation; these could start formatting.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|~!&])")
# At the start of a line these open a list, a heading underline or a rule.
_MARKDOWN_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")
# XML 1.0 refuses these even escaped; python-docx would raise on them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SLUG_GAPS = re.compile(r"[^a-z0-9]+")
_SLUG_LENGTH = 60
_COLUMNS = (
    "agenda_item.export.column.number",
    "agenda_item.export.column.point",
    "agenda_item.export.column.kind",
    "agenda_item.export.column.submitter",
)


class ExportFormat(enum.StrEnum):
    MARKDOWN = "md"
    WORD = "docx"


@dataclass(frozen=True)
class AgendaFile:
    """A Word file of an agenda, ready to send or write."""

    file_name: str
    content: bytes


async def agenda_word_file(session: AsyncSession, clock: Clock, meeting_key: str) -> AgendaFile:
    """The meeting's agenda as it stands now, as a Word file with its Dutch file name.

    Raises :class:`planning.agenda_items.rules.AgendaItemError` as
    :func:`planning.agenda_items.export.export_draft` does."""
    export = await export_draft(session, clock, meeting_key)
    return AgendaFile(file_name(export.draft.meeting), as_word(export))


def file_name(meeting: CalendarEntry) -> str:
    """``agenda-ambtelijk-overleg-2011-03-22.docx``: the title without accents, and the day
    (or month) of the meeting."""
    when = meeting.when
    day = when.day.isoformat() if when.day is not None else f"{when.in_month.first_day:%Y-%m}"
    plain = unicodedata.normalize("NFKD", meeting.title).encode("ascii", "ignore").decode()
    slug = _SLUG_GAPS.sub("-", plain.lower())[:_SLUG_LENGTH].strip("-") or "overleg"
    return catalogue.plain("agenda_item.export.file_name", meeting=slug, day=day)


def meeting_lines(meetings: list[MeetingWithAgenda]) -> list[str]:
    """For the operator: a heading, then each meeting with an agenda, its key and its short
    name (``ao@2011-03-22``) first, aligned; nothing when there are none (see
    :func:`no_meetings`)."""
    if not meetings:
        return []
    width = max(len(found.meeting.key) for found in meetings)
    short = max(len(short_name(found.meeting)) for found in meetings)
    return [
        catalogue.plain("agenda_item.export.meetings"),
        *(
            catalogue.plain(
                "agenda_item.export.meeting_line",
                key=found.meeting.key.ljust(width),
                short=short_name(found.meeting).ljust(short),
                meeting=meeting_name(
                    found.meeting.title, found.meeting.when, cancelled=found.meeting.cancelled
                ),
                count=items_text(found.accepted),
            )
            for found in meetings
        ),
    ]


def no_meetings() -> str:
    """Said instead of the list when no meeting has accepted items."""
    return catalogue.plain("agenda_item.export.no_meetings")


# ---------------------------------------------------------------------------- Markdown


def as_markdown(export: AgendaExport) -> str:
    """The agenda as Markdown (CommonMark): heading, details, numbered points, documents."""
    blocks = [
        f"# {_md_line(_heading(export.draft.meeting))}",
        "\\\n".join(map(_md_line, _details(export))),
    ]
    blocks.append(f"## {_md_line(catalogue.plain('agenda_item.export.points'))}")
    points = []
    for number, point in export.draft.numbered():
        marker = f"{number}. "
        indent = " " * len(marker)
        if isinstance(point, str):
            points.append(marker + _md_line(point))
            continue
        lines = [f"**{_md_line(point.title)}**", _md_line(_kind_and_submitter(export, point))]
        lines += _md_lines(point.explanation or "")
        points.append(marker + f"\\\n{indent}".join(lines))
    blocks.append("\n".join(points))
    blocks.append(f"## {_md_line(catalogue.plain('agenda_item.export.documents'))}")
    documents = _documents(export)
    if documents:
        blocks.append("\n".join(f"- {_md_line(line)}" for line in documents))
    else:
        blocks.append(_md_line(catalogue.plain("agenda_item.export.no_documents")))
    return "\n\n".join(blocks) + "\n"


def _md_lines(text: str) -> list[str]:
    return [_md_line(line) for line in text.splitlines() if line.strip()]


def _md_line(text: str) -> str:
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    return _MARKDOWN_LINE_START.sub(
        lambda m: f"{m[1]}\\{m[2]}" if m[1] is not None else f"\\{m[3]}", escaped, count=1
    )


# ---------------------------------------------------------------------------- Word


def as_word(export: AgendaExport) -> bytes:
    """The agenda as a Word file: a title, the details, a table of the points (number, point
    with its explanation, kind, submitter) and the documents as a list."""
    text = catalogue.plain
    document = Document()
    heading = _heading(export.draft.meeting)
    document.core_properties.title = _xml(heading)
    document.core_properties.author = "Overlegbot"
    _in_dutch(document)
    document.add_heading(_xml(heading), level=0)
    for line in _details(export):
        document.add_paragraph(_xml(line))
    document.add_heading(text("agenda_item.export.points"), level=1)
    table = document.add_table(rows=1, cols=len(_COLUMNS))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, _COLUMNS, strict=True):
        cell.text = text(column)
    for number, point in export.draft.numbered():
        cells = table.add_row().cells
        cells[0].text = catalogue.plain("agenda_item.export.number", number=number)
        if isinstance(point, str):
            cells[1].text = _xml(point)
            continue
        cells[1].text = _xml(point.title)
        for line in (point.explanation or "").splitlines():
            if line.strip():
                cells[1].add_paragraph(_xml(line.strip()))
        cells[2].text = _kind(export, point)
        cells[3].text = _xml(_person(point) or text("agenda_item.export.submitter_unknown"))
    document.add_heading(text("agenda_item.export.documents"), level=1)
    documents = _documents(export)
    for line in documents:
        document.add_paragraph(_xml(line), style="List Bullet")
    if not documents:
        document.add_paragraph(text("agenda_item.export.no_documents"))
    written = BytesIO()
    document.save(written)
    return written.getvalue()


def _in_dutch(document: WordDocument) -> None:
    """Make Dutch (nl-NL) the language of the document's text, so Word checks its spelling in
    Dutch: the default run properties' ``w:lang`` (python-docx's template says en-US)."""
    document.core_properties.language = _LANGUAGE
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    properties = run_defaults.find(qn("w:rPr"))
    if properties is None:
        properties = OxmlElement("w:rPr")
        run_defaults.append(properties)
    language = properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        properties.append(language)
    language.set(qn("w:val"), _LANGUAGE)
    for styled in styles.iter(qn("w:lang")):  # a style that names a language of its own
        styled.set(qn("w:val"), _LANGUAGE)


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


# ---------------------------------------------------------------------------- shared


def _heading(meeting: CalendarEntry) -> str:
    heading = catalogue.plain("agenda_item.export.heading", title=meeting.title)
    if meeting.cancelled:
        heading += catalogue.plain("agenda_item.cancelled_suffix")
    return heading


def _details(export: AgendaExport) -> list[str]:
    """The overleg (when the meeting's title is not its name), when, where and the theme."""
    meeting = export.draft.meeting
    lines = []
    if export.overleg_name and export.overleg_name != meeting.title:
        lines.append(catalogue.plain("agenda_item.export.overleg", overleg=export.overleg_name))
    lines.append(catalogue.plain("agenda_item.export.when", when=when_text(meeting.when)))
    if meeting.location:
        lines.append(catalogue.plain("agenda_item.export.location", location=meeting.location))
    if meeting.theme:
        lines.append(catalogue.plain("agenda_item.export.theme", theme=meeting.theme))
    return lines


def _kind(export: AgendaExport, item: AgendaItemView) -> str:
    """``ter besluitvorming``, or ``ter bespreking (aangehouden)`` for an item carried over to
    this meeting or, after it, to the next, ``(afgehandeld)`` for one dealt with."""
    kind = kind_text(item.kind)
    outcome = export.outcomes.get(item.id)
    if outcome is Outcome.DEALT_WITH:
        return catalogue.plain("agenda_item.export.dealt_with", kind=kind)
    if item.held_over or outcome is Outcome.HELD_OVER:
        return catalogue.plain("agenda_item.export.held_over", kind=kind)
    return kind


def _person(item: AgendaItemView) -> str:
    """``Fatima El Amrani (Gemeente Gouda)``, whichever is known, or ""."""
    name, organisation = item.submitter_name, in_brackets(item.submitter_organisation)
    if name and organisation:
        return catalogue.plain("agenda_item.export.person", name=name, organisation=organisation)
    return name or organisation


def _kind_and_submitter(export: AgendaExport, item: AgendaItemView) -> str:
    person, kind = _person(item), _kind(export, item)
    if not person:
        return catalogue.plain("agenda_item.export.kind_line_unknown", kind=kind)
    return catalogue.plain("agenda_item.export.kind_line", kind=kind, submitter=person)


def _documents(export: AgendaExport) -> list[str]:
    """``Punt 2: begroting.pdf`` per document, in the order of the points."""
    number_of = {
        point.id: number for number, point in export.draft.numbered() if not isinstance(point, str)
    }
    return [
        catalogue.plain(
            "agenda_item.export.document", number=number_of[document.item_id], name=_name(document)
        )
        for document in export.draft.documents
        if document.item_id in number_of
    ]


def _name(document: DocumentView) -> str:
    return document.file_name or catalogue.plain("agenda_item.export.unnamed_document")
