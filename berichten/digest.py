"""The weekly digest: for members who chose it, one Monday message instead of single reminders.

Queued by :func:`berichten.reminder_queue.queue_reminders` in the same rolling window as the
reminders, with the key ``digest|YYYY-Www|<member>``, so it is queued once per week and member.
The rules of who gets it when are in :mod:`planning.preferences`; here are what it lists:

- the week's meetings (Monday-Sunday) that concern the member (their groups; ``alle`` means
  everyone), not cancelled, not of a muted overleg, and with a known day (month-precision
  meetings wait until their day is fixed);
- the week's deadlines of products the member's organisation owns or that involve their
  groups, not done; a month-precision milestone is due on its month's last day.

A digest queued during its week (the member switched it on on Wednesday, or the bot was down
on Monday) lists the rest of the week from that day and is sent at once, unless nothing is
left to list; it expires when the week is over. It has newsletter priority: reminders go
first, and the "comes late" note of a reminder does not apply. A week without anything still
gets a digest on time, saying so, so that the member can tell a quiet week from a bot that
stopped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from berichten.outbox import NewMessage
from berichten.outbox_tables import Priority
from berichten.preference_texts import digest_text
from planning.calendar.expand import Entry, entries
from planning.calendar.model import Plan, Precision
from planning.membership import in_audience
from planning.models import Member
from planning.preferences import DEFAULTS, Preferences, at_hour, digest_moment

DIGEST_KIND = "digest"


@dataclass(frozen=True)
class DigestWeek:
    """What one member's digest of one week lists, from ``first`` (a Monday or later) on."""

    monday: date
    first: date
    meetings: tuple[Entry, ...]
    deadlines: tuple[Entry, ...]

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def label(self) -> str:
        """``2011-W03``: the ISO week, as in the message key."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"


def digest_messages(
    plan: Plan,
    readers: Sequence[Member],
    wishes: dict[int, Preferences],
    first: datetime,
    last: datetime,
    now: datetime,
) -> list[NewMessage]:
    """The digests due in ``[first, last)`` for ``readers``, as outbox messages."""
    zone = plan.zone
    today = now.astimezone(zone).date()
    mondays = _mondays(first.astimezone(zone).date(), last.astimezone(zone).date())
    messages: list[NewMessage] = []
    for monday in mondays:
        week = entries(plan, monday, monday + timedelta(days=6))
        for member in readers:
            mine = wishes.get(member.telegram_user_id, DEFAULTS)
            moment = digest_moment(mine, monday, zone)
            if moment is None or not first <= moment < last:
                continue
            digest = week_for(member, mine, week, monday, max(monday, today))
            if moment < now and not (digest.meetings or digest.deadlines):
                continue  # late, and nothing left to tell this week
            messages.append(_message(digest, member, moment, zone))
    return messages


def week_for(
    member: Member, wishes: Preferences, week: Iterable[Entry], monday: date, first: date
) -> DigestWeek:
    """The meetings and deadlines of the week that concern ``member``, from ``first`` on."""
    sunday = monday + timedelta(days=6)
    organisation = member.organisation.code if member.organisation is not None else None
    meetings: list[Entry] = []
    deadlines: list[Entry] = []
    for entry in week:
        day = entry.when.latest_day
        if not first <= day <= sunday:
            continue
        if entry.kind == "meeting":
            if (
                not entry.cancelled
                and entry.precision is not Precision.MONTH
                and entry.overleg not in wishes.muted
                and in_audience(member, entry.participants)
            ):
                meetings.append(entry)
        elif not entry.done and (
            entry.owner == organisation or in_audience(member, entry.participants)
        ):
            deadlines.append(entry)
    deadlines.sort(key=lambda entry: (entry.when.latest_day, entry.key))
    return DigestWeek(monday, first, tuple(meetings), tuple(deadlines))


def _mondays(first: date, last: date) -> list[date]:
    monday = first - timedelta(days=first.weekday())
    found = []
    while monday <= last:
        found.append(monday)
        monday += timedelta(weeks=1)
    return found


def _message(digest: DigestWeek, member: Member, moment: datetime, zone: ZoneInfo) -> NewMessage:
    return NewMessage(
        key=f"{DIGEST_KIND}|{digest.label}|{member.telegram_user_id}",
        kind=DIGEST_KIND,
        recipient=member.telegram_user_id,
        text=digest_text(
            digest.label, digest.first, digest.sunday, digest.meetings, digest.deadlines
        ),
        due_at=moment,
        priority=Priority.NEWSLETTER,
        expires_at=at_hour(digest.sunday + timedelta(days=1), 0, zone),
    )
