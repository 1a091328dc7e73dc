"""What a reminder says: what, when, where and the theme; for an AO its petit comité; for a
milestone the product, the owner and the date. (That a reminder comes late is added when it is
sent, see :mod:`berichten.outbox.delivery`.) A meeting reminder ends with the ``sections`` the queue
adds: the agenda so far, or the items waiting for review (:mod:`berichten.texts.agenda_items`).

A reminder stays one message, with its buttons under it: splitting would leave the buttons under
a tail of agenda items, or a first part without them. So the sections get the room the reminder
itself and a possible late note leave under Telegram's 4,096 characters, shared between them
when there are two (a meeting that takes items and closes another's agenda), and a list that
does not fit ends with "… en nog N punten" and where to see the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo

from berichten.texts.agenda_items import agenda_so_far_lines, waiting_review_lines
from berichten.texts.dates import days_text, describe_when
from berichten.texts.html import TEXT_LIMIT, share, telegram_length
from planning import catalogue
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import NO_FIXED_ITEMS, FixedItems
from planning.calendar.reminders import Reminder

# A section's lines (already HTML) for a given room in UTF-16 code units, e.g.
# ``lambda limit: agenda_so_far_lines(items, until, zone, limit=limit)``.
Section = Callable[[int], list[str]]


@dataclass(frozen=True)
class AgendaState:
    """The agenda items a queueing run shows in reminders and digests, loaded once."""

    zone: ZoneInfo
    closing_at: dict[str, datetime]  # meeting key (its overleg takes items) -> agenda closes
    accepted: dict[str, list[AgendaItemView]]  # meeting key -> accepted items, by position
    closed_by: dict[
        str, CalendarEntry
    ]  # closing meeting's key -> the meeting whose agenda it closes
    waiting: dict[str, list[AgendaItemView]]  # meeting key -> waiting items, by submission
    # meeting key -> its overleg's vaste_punten, so the items are numbered as published
    fixed: dict[str, FixedItems] = field(default_factory=dict)

    def open_until(self, meeting_key: str, read_at: datetime) -> datetime | None:
        """When the meeting's agenda closes, if it is still open at ``read_at``; else None."""
        closing = self.closing_at.get(meeting_key)
        return closing if closing is not None and closing > read_at else None

    def sections(
        self, meeting: CalendarEntry, until: datetime | None, coordinator: bool
    ) -> list[Section]:
        """The agenda so far (an overleg that takes items; ``until`` from :meth:`open_until`)
        and the items waiting for review (a meeting that closes another's agenda). A list cut
        short points a coordinator to the command that shows it whole (/publiceer, /punten),
        and a member to what they can expect."""
        if meeting.cancelled:
            return []
        zone = self.zone
        sections: list[Section] = []
        if meeting.key in self.closing_at:
            accepted = self.accepted.get(meeting.key, [])
            fixed = self.fixed.get(meeting.key, NO_FIXED_ITEMS)
            more = (
                "agenda_item.reminder.more_accepted_coordinator"
                if coordinator
                else "agenda_item.reminder.more_accepted"
            )
            sections.append(
                lambda limit: agenda_so_far_lines(
                    accepted, until, zone, fixed=fixed, limit=limit, more=more
                )
            )
        closed = self.closed_by.get(meeting.key)
        if closed is not None:
            waiting = self.waiting.get(closed.key, [])
            more_waiting = (
                "agenda_item.reminder.more_waiting_coordinator"
                if coordinator
                else "agenda_item.reminder.more_waiting"
            )
            sections.append(
                lambda limit: waiting_review_lines(closed, waiting, limit=limit, more=more_waiting)
            )
        return sections


def reminder_text(
    reminder: Reminder,
    entry: CalendarEntry,
    *,
    preparation: CalendarEntry | None = None,
    owner_name: str = "",
    days_left: int | None = None,
    sections: Sequence[Section] = (),
) -> str:
    """The HTML text of one reminder; ``preparation`` is an AO's petit comité; ``days_left``
    (default: the rule's days before) is how far off the event is when the member reads it;
    ``sections`` are added to a meeting reminder, fitted to the room it leaves."""
    if reminder.kind == "fix_date":
        lines = [
            catalogue.html("reminder.fix_date", title=entry.title, when=describe_when(entry.when))
        ]
    elif reminder.kind == "milestone":
        lines = [
            catalogue.html(
                "reminder.milestone",
                product=entry.product or "",
                title=entry.title,
                owner=owner_name or entry.owner or "",
                when=describe_when(entry.when),
                days=_days(days_left, reminder),
            )
        ]
    else:
        lines = [
            catalogue.html(
                "reminder.meeting",
                title=entry.title,
                when=describe_when(entry.when),
                days=_days(days_left, reminder),
            )
        ]
        if entry.location:
            lines.append(catalogue.html("reminder.location", location=entry.location))
        if entry.theme:
            lines.append(catalogue.html("reminder.theme", theme=entry.theme))
        if preparation is not None:
            lines.append(
                catalogue.html(
                    "reminder.preparation",
                    title=preparation.title,
                    when=describe_when(preparation.when),
                )
            )
    text = "\n".join(lines)
    if not sections:
        return text
    room = TEXT_LIMIT - telegram_length(text) - late_note_room() - 1
    return "\n".join([text, *fit_sections(sections, room)])


@cache
def late_note_room() -> int:
    """What :mod:`berichten.outbox.delivery` may add to a reminder that goes out late."""
    return telegram_length(catalogue.html("reminder.late")) + 1


def fit_sections(sections: Sequence[Section], room: int) -> list[str]:
    """The lines of all ``sections`` within ``room``, one after the other (see :func:`fit_each`)."""
    return [line for lines in fit_each(sections, room) for line in lines]


def fit_each(sections: Sequence[Section], room: int) -> list[list[str]]:
    """The lines of each of ``sections``, together within ``room`` (each joined to the text by
    a newline). Each gets what it needs if all fit; else the room is shared equally, and what a
    short one leaves over goes to the others."""
    full = [section(room) for section in sections]
    needs = [_size(lines) for lines in full]
    if sum(needs) <= room:
        return full
    return [section(share - 1) for section, share in zip(sections, share(needs, room), strict=True)]


def _size(lines: list[str]) -> int:
    """Room ``lines`` take, with the newline that joins them to what comes before."""
    return telegram_length("\n".join(lines)) + 1


def _days(days_left: int | None, reminder: Reminder) -> str:
    """How far off, as the member reads it: "vandaag", "morgen", "over 14 dagen"."""
    days = reminder.days_before if days_left is None else max(days_left, 0)
    if days == 0:
        return catalogue.plain("relative.today")
    if days == 1:
        return catalogue.plain("relative.tomorrow")
    return catalogue.plain("relative.in_days", days=days_text(days))
