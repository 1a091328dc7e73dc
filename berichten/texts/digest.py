"""The weekly digest: a member's meetings and deadlines of one week, with the agenda sections
(:class:`berichten.texts.reminders.AgendaState`) under its meetings.

Every text comes from the catalogue in HTML parse mode; lines are built once and joined, so a
value is escaped exactly once. The digest stays one message: the agenda sections get the room the
rest leaves under Telegram's 4,096 characters (:func:`berichten.texts.reminders.fit_each`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from babel.dates import format_date

from berichten.texts.dates import describe_when, due_text
from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.reminders import Section, fit_each
from planning import catalogue
from planning.calendar.expand import CalendarEntry


def digest_text(
    week: str,
    first: date,
    last: date,
    meetings: Sequence[CalendarEntry],
    deadlines: Sequence[CalendarEntry],
    sections: Mapping[str, Sequence[Section]] | None = None,
) -> str:
    """The digest of one week from ``first`` to ``last`` (inclusive); ``sections`` are the
    agenda sections under each meeting (by key), fitted together to the room the rest
    leaves."""
    lines = [
        catalogue.html(
            "digest.header",
            week=week.rsplit("W", 1)[-1].lstrip("0"),
            first=format_date(first, "d MMMM", locale="nl"),
            last=format_date(last, "d MMMM y", locale="nl"),
        )
    ]
    if meetings:
        lines += ["", catalogue.html("digest.meetings")]
        lines += [_meeting_line(entry) for entry in meetings]
    if deadlines:
        lines += ["", catalogue.html("digest.deadlines")]
        lines += [
            catalogue.html(
                "digest.deadline",
                when=due_text(entry.when),
                product=entry.product or "",
                title=entry.title,
            )
            for entry in deadlines
        ]
    if not meetings and not deadlines:
        lines += ["", catalogue.html("digest.nothing")]
    lines += ["", catalogue.html("digest.footer")]
    if not sections or not any(sections.values()):
        return "\n".join(lines)
    return "\n".join(_with_sections(lines, meetings, sections))


def _with_sections(
    lines: list[str], meetings: Sequence[CalendarEntry], sections: Mapping[str, Sequence[Section]]
) -> list[str]:
    """``lines`` with each meeting's sections under its line, all within Telegram's limit."""
    # Each meeting after a section gets a blank line before it: one newline each.
    room = TEXT_LIMIT - telegram_length("\n".join(lines)) - len(meetings)
    order = [(m.key, section) for m in meetings for section in sections.get(m.key, ())]
    fitted = fit_each([section for _, section in order], room)
    under: dict[str, list[str]] = {}
    for (key, _), section_lines in zip(order, fitted, strict=True):
        under.setdefault(key, []).extend(section_lines)
    first_meeting = lines.index(catalogue.html("digest.meetings")) + 1
    result = lines[:first_meeting]
    for offset, meeting in enumerate(meetings):
        if offset and under.get(meetings[offset - 1].key):
            result.append("")
        result.append(lines[first_meeting + offset])
        result += under.get(meeting.key, [])
    return result + lines[first_meeting + len(meetings) :]


def _meeting_line(entry: CalendarEntry) -> str:
    line = catalogue.html("digest.meeting", when=describe_when(entry.when), title=entry.title)
    if entry.location:
        line += catalogue.html("digest.meeting_location", location=entry.location)
    return line
