"""Dates as Dutch civil servants write them: "dinsdag 22 maart 2011, 10:00".

Moments are stored in UTC and shown in the plan's zone; Babel's CLDR data supplies the Dutch
day and month names, so no hand-written tables.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from planning import catalogue
from planning.calendar.model import Precision, When


def long_date(day: date) -> str:
    """``dinsdag 22 maart 2011``."""
    return str(format_date(day, "EEEE d MMMM y", locale="nl"))


def long_moment(moment: datetime, zone: ZoneInfo) -> str:
    """``dinsdag 22 maart 2011, 10:00`` in ``zone``."""
    local = moment.astimezone(zone)
    return f"{long_date(local.date())}, {local:%H:%M}"


def short_moment(moment: datetime, zone: ZoneInfo) -> str:
    """``22 maart 2011, 10:00`` in ``zone``, for lists."""
    local = moment.astimezone(zone)
    return f"{format_date(local.date(), 'd MMMM y', locale='nl')}, {local:%H:%M}"


def describe_when(when: When) -> str:
    """A meeting or milestone moment at the precision known: a month, a day, or day and time."""
    if when.day is None:
        return str(format_date(when.in_month.first_day, "MMMM y", locale="nl"))
    text = long_date(when.day)
    if when.start is not None:
        text += f", {when.start:%H:%M}"
        if when.end is not None:
            text += f"–{when.end:%H:%M}"
    return text


def when_text(when: When) -> str:
    """A meeting's moment at the precision known, as plain text: :func:`describe_when`, and for a
    meeting known to the month only ``in oktober 2011, dag volgt nog``."""
    if when.precision == Precision.MONTH:
        return catalogue.plain("agenda.month", month=describe_when(when))
    return describe_when(when)


def due_text(when: When) -> str:
    """When a milestone is due, as the plan says it: ``eind april 2011`` for a month (due by
    its last day, whatever weekday that is), else the day: ``dinsdag 31 mei 2011``."""
    if when.day is None:
        return catalogue.plain("dates.end_of_month", month=describe_when(when))
    return long_date(when.day)


def days_text(days: int) -> str:
    """``1 dag``, ``14 dagen``."""
    return catalogue.plain("days", n=days)
