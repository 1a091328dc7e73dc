"""What /agenda, /deadlines and /volgende answer, and the caption of the .ics file.

Plain, short Dutch with the dates written out ("dinsdag 22 maart 2011, 10:00"; a day without a
time has none; a meeting whose day is still open reads "in oktober 2011, dag volgt nog"). Every
text comes from the catalogue in HTML parse mode: each line is built by
:func:`planning.catalogue.html` once, and lines are joined, never nested, so a value is escaped
exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable

from berichten.texts.dates import due_text, when_text
from planning import catalogue
from planning.calendar.listings import AgendaPage, Concern, DeadlineItem, MeetingListing


def meeting_lines(item: MeetingListing) -> list[str]:
    """One meeting: title, moment, place, theme, its derived meetings, the agenda it closes."""
    meeting = item.meeting
    lines = [
        catalogue.html("agenda.title", title=meeting.title),
        catalogue.html("agenda.when", when=when_text(meeting.when)),
    ]
    if meeting.location:
        lines.append(catalogue.html("agenda.location", location=meeting.location))
    if meeting.theme:
        lines.append(catalogue.html("agenda.theme", theme=meeting.theme))
    lines += [
        catalogue.html("agenda.derived", title=derived.title, when=when_text(derived.when))
        for derived in item.derived
    ]
    closed = item.closes_agenda_of
    if closed is not None:
        lines.append(
            catalogue.html("agenda.closes_agenda", title=closed.title, when=when_text(closed.when))
        )
    return lines


def agenda_page(page: AgendaPage) -> str:
    """A page of /agenda: which meetings of how many, then each meeting."""
    if not page.items:
        return catalogue.html("agenda.empty")
    first = page.first_position
    lines = [
        catalogue.html(
            "agenda.header", first=first, last=first + len(page.items) - 1, total=page.total
        )
    ]
    for item in page.items:
        lines += ["", *meeting_lines(item)]
    return "\n".join(lines)


def deadline_line(item: DeadlineItem, *, with_owner: bool) -> str:
    """``• Monitor 2011 (over 2010): Start, uiterlijk dinsdag 31 mei 2011``, flagged if late."""
    milestone = item.milestone
    line = catalogue.html(
        "deadlines.item",
        product=milestone.product or "",
        title=milestone.title,
        due=due_text(milestone.when),
    )
    if with_owner:
        line += catalogue.html("deadlines.owner_suffix", owner=item.owner_name)
    if item.overdue:
        line += catalogue.html("deadlines.overdue_suffix")
    return line


def deadline_lines(items: Iterable[DeadlineItem], *, coordinator: bool = False) -> list[str]:
    """/deadlines as lines (for splitting under Telegram's limit), mine first, by heading.

    Whoever may mark a listed milestone done or move it (its owner organisation's members,
    coordinators) is pointed to /mijlpaal at the end.
    """
    items = list(items)
    if not items:
        return [catalogue.html("deadlines.empty")]
    lines = [catalogue.html("deadlines.header")]
    for concern, heading in (
        (Concern.OWNER, catalogue.html("deadlines.owner")),
        (Concern.INVOLVED, catalogue.html("deadlines.involved")),
        (Concern.OTHER, catalogue.html("deadlines.other")),
    ):
        section = [item for item in items if item.concern == concern]
        if section:
            lines += ["", heading]
            lines += [deadline_line(item, with_owner=concern != Concern.OWNER) for item in section]
    if coordinator or any(item.concern == Concern.OWNER for item in items):
        lines += ["", catalogue.html("deadlines.change_hint")]
    return lines


def next_text(thing: MeetingListing | DeadlineItem | None) -> str:
    """/volgende: the one next meeting or deadline, or that nothing is planned."""
    if thing is None:
        return catalogue.html("next.none")
    if isinstance(thing, MeetingListing):
        return "\n".join([catalogue.html("next.meeting"), *meeting_lines(thing)])
    milestone = thing.milestone
    return "\n".join(
        [
            catalogue.html("next.milestone"),
            catalogue.html("agenda.title", title=f"{milestone.product or ''}: {milestone.title}"),
            catalogue.html("next.due", due=due_text(milestone.when), owner=thing.owner_name),
        ]
    )


def ics_caption() -> str:
    """The caption of the .ics document: what it is and how a newer one behaves."""
    return catalogue.html("agenda.ics_caption")


def feed_link(https: str, webcal: str) -> str:
    """The member's private subscription link, in both forms, and what to do with it."""
    return catalogue.html("agenda.feed_link", https=https, webcal=webcal)
