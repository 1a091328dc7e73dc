"""Calendar feeds: the meetings and milestones as an RFC 5545 ``.ics`` file (icalendar).

A member imports the file in Outlook or another calendar program; importing a newer file must
update events, not duplicate them. Hence a stable UID per meeting (its key, which survives
moves), a SEQUENCE that rises with every change, and STATUS:CANCELLED for a meeting that lapsed.
Times are written in the plan's zone with its VTIMEZONE, so 10:00 stays 10:00 across DST.

A meeting whose day is still open (month precision) has no place in a calendar yet and is left
out; a meeting without a time is an all-day event, one without an end time lasts two hours; a
milestone is an all-day event on the day it is due (for a month: its last day).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from planning import catalogue
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import Precision

PRODUCT_ID = "-//Overlegbot//Samenwerkingsverband//NL"
UID_DOMAIN = "overlegbot"


def calendar_file(
    entries: Iterable[CalendarEntry], zone: ZoneInfo, name: str, stamp: datetime
) -> bytes:
    """The .ics file for ``entries``; ``stamp`` (aware) is the DTSTAMP of every event."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    # Always the plan's VTIMEZONE, also when every event is all-day, so a program that
    # receives a timed event later already knows the zone.
    calendar.add_component(Timezone.from_tzid(zone.key))
    for entry in entries:
        if entry.kind == "milestone" or entry.precision != Precision.MONTH:
            calendar.add_component(_event(entry, zone, stamp))
    calendar.add_missing_timezones()
    result: bytes = calendar.to_ical()
    return result


def _event(entry: CalendarEntry, zone: ZoneInfo, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{entry.key}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    event.add("summary", _summary(entry))
    start, end = entry.start(zone), entry.end(zone)
    if start is not None:
        event.add("dtstart", start)
        event.add("dtend", end if end is not None else start + timedelta(hours=2))
    else:
        day = entry.when.latest_day
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
    if entry.location:
        event.add("location", entry.location)
    if entry.theme:
        event.add("description", catalogue.plain("ics.theme", theme=entry.theme))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    return event


def _summary(entry: CalendarEntry) -> str:
    if entry.kind == "milestone":
        return catalogue.plain("ics.milestone", product=entry.product or "", title=entry.title)
    return entry.title
