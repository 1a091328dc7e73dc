"""What a reminder says: what, when, where and the theme; for an AO its petit comité; for a
milestone the product, the owner and the date. (That a reminder comes late is added when it is
sent, see :mod:`berichten.delivery`.) A meeting reminder ends with the ``sections`` the queue
adds: the agenda so far, or the items waiting for review (:mod:`berichten.agenda_item_texts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from berichten.dates import days_text, describe_when
from planning import catalogue
from planning.calendar.expand import Entry
from planning.calendar.reminders import Reminder


def reminder_text(
    reminder: Reminder,
    entry: Entry,
    *,
    preparation: Entry | None = None,
    owner_name: str = "",
    days_left: int | None = None,
    sections: Sequence[str] = (),
) -> str:
    """The HTML text of one reminder; ``preparation`` is an AO's petit comité; ``days_left``
    (default: the rule's days before) is how far off the event is when the member reads it;
    ``sections`` are lines (already HTML) added to a meeting reminder."""
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
        lines += sections
    return "\n".join(lines)


def _days(days_left: int | None, reminder: Reminder) -> str:
    """How far off, as the member reads it: "vandaag", "morgen", "over 14 dagen"."""
    days = reminder.days_before if days_left is None else max(days_left, 0)
    if days == 0:
        return catalogue.plain("relative.today")
    if days == 1:
        return catalogue.plain("relative.tomorrow")
    return catalogue.plain("relative.in_days", days=days_text(days))
