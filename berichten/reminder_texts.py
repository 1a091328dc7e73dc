"""What a reminder says: what, when, where and the theme; for an AO its petit comité; for a
milestone the product, the owner and the date. (That a reminder comes late is added when it is
sent, see :mod:`berichten.delivery`.) A meeting reminder ends with the ``sections`` the queue
adds: the agenda so far, or the items waiting for review (:mod:`berichten.agenda_item_texts`).

A reminder stays one message, with its buttons under it: splitting would leave the buttons under
a tail of agenda items, or a first part without them. So the sections get the room the reminder
itself and a possible late note leave under Telegram's 4,096 characters, shared between them
when there are two (a meeting that takes items and closes another's agenda), and a list that
does not fit ends with "… en nog N punten" and where to see the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from berichten.chunks import TELEGRAM_TEXT_LIMIT, utf16_length
from berichten.dates import days_text, describe_when
from planning import catalogue
from planning.calendar.expand import Entry
from planning.calendar.reminders import Reminder

# A section's lines (already HTML) for a given room in UTF-16 code units, e.g.
# ``lambda limit: agenda_so_far_lines(items, until, zone, limit=limit)``.
Section = Callable[[int], list[str]]


def reminder_text(
    reminder: Reminder,
    entry: Entry,
    *,
    preparation: Entry | None = None,
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
    room = TELEGRAM_TEXT_LIMIT - utf16_length(text) - late_note_room() - 1
    return "\n".join([text, *fit_sections(sections, room)])


@cache
def late_note_room() -> int:
    """What :mod:`berichten.delivery` may add to a reminder that goes out late."""
    return utf16_length(catalogue.html("reminder.late")) + 1


def fit_sections(sections: Sequence[Section], room: int) -> list[str]:
    """The lines of all ``sections`` within ``room`` (joined by newlines). Each gets what it
    needs if all fit; else the room is shared equally, and what a short one leaves over goes
    to the others."""
    full = [section(room) for section in sections]
    needs = [_size(lines) for lines in full]
    if sum(needs) <= room:
        return [line for lines in full for line in lines]
    fitted: list[str] = []
    for section, share in zip(sections, _shares(needs, room), strict=True):
        fitted += section(share - 1)
    return fitted


def _size(lines: list[str]) -> int:
    """Room ``lines`` take, with the newline that joins them to what comes before."""
    return utf16_length("\n".join(lines)) + 1


def _shares(needs: list[int], room: int) -> list[int]:
    shares = [0] * len(needs)
    left = room
    by_need = sorted(range(len(needs)), key=needs.__getitem__)
    for done, index in enumerate(by_need):
        shares[index] = min(needs[index], left // (len(needs) - done))
        left -= shares[index]
    return shares


def _days(days_left: int | None, reminder: Reminder) -> str:
    """How far off, as the member reads it: "vandaag", "morgen", "over 14 dagen"."""
    days = reminder.days_before if days_left is None else max(days_left, 0)
    if days == 0:
        return catalogue.plain("relative.today")
    if days == 1:
        return catalogue.plain("relative.tomorrow")
    return catalogue.plain("relative.in_days", days=days_text(days))
