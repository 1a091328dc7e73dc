"""What the command line prints about the plan, in Dutch, one line each: what an import changed
(``plan import``), a calendar entry (``calendar``) and a reminder (``schedule``).

These are the operator's texts, so they live beside the command line, as a handler's prompts
live beside the handler; the messages members receive are in ``berichten/texts/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from berichten.texts.agenda_items import open_until
from berichten.texts.dates import days_text, describe_when, long_date, short_moment
from planning import catalogue
from planning.agenda_items.call import Call
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import When
from planning.calendar.reconcile import PlanChange
from planning.calendar.reminders import Reminder


def change_lines(changes: Iterable[PlanChange]) -> list[str]:
    """One line per change; the single line "Geen wijzigingen." when there are none."""
    lines = [change_line(change) for change in changes]
    return lines or [catalogue.plain("plan.change.none")]


def change_line(change: PlanChange) -> str:
    return catalogue.plain(
        f"plan.change.{change.kind.value}",
        subject=change.subject,
        context=change.context,
        old=_when(change.old),
        new=_when(change.new),
    )


def entry_line(entry: CalendarEntry) -> str:
    """One line of ``overlegbot calendar``: when, what, and where it comes from."""
    key = "calendar.milestone" if entry.kind == "milestone" else "calendar.meeting"
    line = catalogue.plain(
        key,
        when=describe_when(entry.when),
        overleg=entry.overleg or "",
        title=entry.title,
        product=entry.product or "",
        owner=entry.owner or "",
    )
    if entry.derived_from:
        line += catalogue.plain("calendar.derived", parent=entry.derived_from)
    if entry.cancelled:
        line += catalogue.plain("calendar.cancelled")
    return line


def reminder_line(reminder: Reminder, zone: ZoneInfo) -> str:
    """One line of ``overlegbot schedule``: when it goes out, about what, to whom."""
    audience = ", ".join(reminder.audience_groups) or reminder.audience_organisation or ""
    return catalogue.plain(
        f"schedule.{reminder.kind}",
        at=short_moment(reminder.at, zone),
        subject=reminder.overleg or reminder.entry_key,
        event=long_date(reminder.event_date),
        days=days_text(reminder.days_before),
        audience=audience,
    )


def call_line(call: Call, zone: ZoneInfo) -> str:
    """One line of ``overlegbot schedule`` for a call for agenda items."""
    return catalogue.plain(
        "schedule.agenda_call",
        at=short_moment(call.at, zone),
        subject=call.meeting.overleg or call.meeting.key,
        event=long_date(call.meeting.first_day),
        until=open_until(call.closes_at, zone),
    )


def call_json(call: Call) -> dict[str, object]:
    """A call in ``overlegbot schedule --json``, in the reminders' shape where it fits."""
    return {
        "at": call.at.isoformat(),
        "kind": "agenda_call",
        "overleg": call.meeting.overleg,
        "event_date": call.meeting.first_day.isoformat(),
        "entry_key": call.meeting.key,
        "audience": "deelnemers",
        "audience_groups": list(call.meeting.participants),
        "closes_at": call.closes_at.isoformat(),
        "key": call.key,
    }


def _when(when: When | None) -> str:
    return describe_when(when) if when is not None else ""
