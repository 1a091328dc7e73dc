"""The call for items (*oproep*): when an overleg's agenda opens, its participants are asked
for items. Pure: a function of the plan and a clock range, like the reminder schedule
(:func:`planning.calendar.reminders.schedule`); the outbox run turns it into messages
(:mod:`berichten.reminders.call`).

- An overleg that accepts items and has ``oproep_dagen_vooraf: N`` opens each meeting's agenda
  N days before it closes (:func:`planning.agenda_items.rules.closes_at`): the call goes at
  :data:`CALL_TIME` in the plan's zone on the closing moment's day minus N. The AO of 22 March
  2011 closes when its petit comité of 8 March begins, so with 21 days the call goes on
  15 February at 09:00. Overleggen without the key get no call.
- A call that would come at or after the closing moment (N = 0 and an agenda closing before
  nine) is not made.
- ``key`` is the meeting's key (stable across moves): one call per meeting, whatever moves.
- ``reference`` names the meeting on the call's button without its key (callback data stays
  short, whatever the key): the first 12 hex digits of its SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from planning.agenda_items.rules import closers, closes_at
from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Plan

CALL_TIME = time(9)
REFERENCE_LENGTH = 12


@dataclass(frozen=True)
class Call:
    """The call for one meeting's items: when it goes (aware UTC) and until when items come."""

    at: datetime
    meeting: CalendarEntry
    closes_at: datetime
    key: str

    @property
    def reference(self) -> str:
        return call_reference(self.meeting.key)


def call_reference(meeting_key: str) -> str:
    """The short name of a meeting on a call's button."""
    return hashlib.sha256(meeting_key.encode()).hexdigest()[:REFERENCE_LENGTH]


def calls(plan: Plan, first: datetime, last: datetime) -> list[Call]:
    """Every call due at ``first <= at < last`` (aware datetimes), by time."""
    days = {
        o.code: o.call_days_before
        for o in plan.overleggen
        if o.accepts_agenda_items and o.call_days_before is not None
    }
    if not days:
        return []
    zone = plan.zone
    # A derived closer (the petit comité) lies up to that reach before its parent.
    reach = plan.derivation_reach + timedelta(days=1)
    start = first.astimezone(zone).date() - reach
    end = last.astimezone(zone).date() + timedelta(days=max(days.values())) + reach
    meetings = [entry for entry in entries(plan, start, end) if entry.kind == "meeting"]
    closing = closers(meetings)
    found = []
    for entry in meetings:
        if entry.cancelled or entry.overleg not in days:
            continue
        closes = closes_at(entry, closing.get(entry.key), zone)
        day = closes.astimezone(zone).date() - timedelta(days=days[entry.overleg])
        at = datetime.combine(day, CALL_TIME, tzinfo=zone).astimezone(UTC)
        if first <= at < last and at < closes:
            found.append(Call(at, entry, closes, f"agenda_call:{entry.key}"))
    return sorted(found, key=lambda call: (call.at, call.key))
