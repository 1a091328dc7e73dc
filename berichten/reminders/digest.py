"""The weekly digest: for members who chose it, one Monday message instead of single reminders.

Queued by :func:`berichten.reminders.queue.queue_reminders` in the same rolling window as the
reminders, with the key ``digest|YYYY-Www|<member>``, so it is queued once per week and member.
The rules of who gets it when are in :mod:`planning.preferences`; here are what it lists:

- the week's meetings (Monday-Sunday) that concern the member (their groups; ``alle`` means
  everyone), not cancelled, not of a muted overleg, and with a known day (month-precision
  meetings wait until their day is fixed);
- the week's deadlines of products the member's organisation owns or that involve their
  groups, not done; a month-precision milestone is due on its month's last day;
- under each meeting, what its single reminder would carry: the agenda so far (and until when
  items are welcome) for an overleg that takes items, the items waiting for review for a
  meeting that closes another's agenda. Shorter lists, since they share one message: the
  digest keeps to Telegram's limit, and a list cut short says where the rest is.

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
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from berichten.outbox.store import NewMessage
from berichten.outbox.tables import Priority
from berichten.texts.digest import digest_text
from berichten.texts.reminders import AgendaState
from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Plan, Precision
from planning.membership.recipients import Recipient
from planning.membership.rules import in_audience
from planning.preferences.rules import DEFAULTS, Preferences, at_hour, digest_moment

DIGEST_KIND = "digest"


@dataclass(frozen=True)
class DigestWeek:
    """What one member's digest of one week lists, from ``first`` (a Monday or later) on."""

    monday: date
    first: date
    meetings: tuple[CalendarEntry, ...]
    deadlines: tuple[CalendarEntry, ...]

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
    readers: Sequence[Recipient],
    wishes: dict[int, Preferences],
    first: datetime,
    last: datetime,
    now: datetime,
    agenda: AgendaState | None = None,
) -> list[NewMessage]:
    """The digests due in ``[first, last)`` for ``readers``, as outbox messages; ``agenda``
    holds the items of the meetings they list (see :func:`digest_weeks`)."""
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
            messages.append(_message(digest, member, moment, zone, agenda, max(moment, now)))
    return messages


def digest_weeks(first: datetime, last: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """The first and last day of the weeks whose digests fall due in ``[first, last)``."""
    mondays = _mondays(first.astimezone(zone).date(), last.astimezone(zone).date())
    return mondays[0], mondays[-1] + timedelta(days=6)


def week_for(
    member: Recipient,
    wishes: Preferences,
    week: Iterable[CalendarEntry],
    monday: date,
    first: date,
) -> DigestWeek:
    """The meetings and deadlines of the week that concern ``member``, from ``first`` on."""
    sunday = monday + timedelta(days=6)
    organisation = member.organisation
    meetings: list[CalendarEntry] = []
    deadlines: list[CalendarEntry] = []
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
    # Same day: by starting time (a meeting without one first), then by key, so every run of the
    # queue renders the same text and a digest is never rewritten for nothing.
    meetings.sort(
        key=lambda entry: (entry.when.latest_day, entry.when.start or time.min, entry.key)
    )
    deadlines.sort(key=lambda entry: (entry.when.latest_day, entry.key))
    return DigestWeek(monday, first, tuple(meetings), tuple(deadlines))


def _mondays(first: date, last: date) -> list[date]:
    monday = first - timedelta(days=first.weekday())
    found = []
    while monday <= last:
        found.append(monday)
        monday += timedelta(weeks=1)
    return found


def _message(
    digest: DigestWeek,
    member: Recipient,
    moment: datetime,
    zone: ZoneInfo,
    agenda: AgendaState | None,
    read_at: datetime,
) -> NewMessage:
    sections = {
        meeting.key: agenda.sections(
            meeting, agenda.open_until(meeting.key, read_at), member.is_coordinator
        )
        for meeting in digest.meetings
        if agenda is not None
    }
    return NewMessage(
        key=f"{DIGEST_KIND}|{digest.label}|{member.telegram_user_id}",
        kind=DIGEST_KIND,
        recipient=member.telegram_user_id,
        text=digest_text(
            digest.label,
            digest.first,
            digest.sunday,
            digest.meetings,
            digest.deadlines,
            sections,
        ),
        due_at=moment,
        priority=Priority.NEWSLETTER,
        expires_at=at_hour(digest.sunday + timedelta(days=1), 0, zone),
    )
