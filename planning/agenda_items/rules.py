"""The rules of agenda items, without I/O: who may submit for which meeting, when an agenda
closes, and what a title and an explanation may be.

- **Who may submit**: an active member who takes part in the meeting
  (:func:`planning.membership.rules.in_audience`); coordinators for any meeting. The overleg must
  accept items (``agendapunten: ja``), the meeting must not be cancelled and its agenda open.
- **When an agenda closes**: when the meeting that closes it begins (the AO's petit comité,
  ``sluit_agenda_van``), otherwise, and at the latest, when the meeting itself begins. A meeting
  known to the day only begins at 00:00 of that day in the plan's zone; one known to the month
  only (BO "oktober, dag volgt") at its month's first day. A cancelled closer closes nothing.
- **Which meetings are offered**: per overleg the first meeting of the member's whose agenda is
  still open (the next AO, not November's), ordered like /agenda. Any open meeting may be
  submitted for, so a draft is refused only when its meeting's agenda closed meanwhile.
- **Title** 1-:data:`TITLE_LIMIT` characters as :func:`planning.typed_text.clean_line` keeps
  it (one line, no controls or bidi characters); an **explanation** is optional, at most
  :data:`EXPLANATION_LIMIT` characters as :func:`planning.typed_text.clean_block` keeps it. A
  blank one (whitespace or zero-width characters only) counts as not given.

What a person can get wrong is raised as :class:`AgendaItemError` with an
:class:`AgendaItemRefusal` the handlers turn into Dutch
(:func:`bot.handlers.agenda_items.prompts.refusal_text`).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.listings import LISTING_AHEAD, closed_agenda, meeting_order
from planning.calendar.model import AGENDA_TITLE_LIMIT, FixedItems, Plan
from planning.membership.rules import in_audience
from planning.membership.tables import MemberRow
from planning.typed_text import clean_block, clean_line

TITLE_LIMIT = AGENDA_TITLE_LIMIT  # the plan's vaste_punten are held to it too
EXPLANATION_LIMIT = 1000


class AgendaItemRefusal(enum.StrEnum):
    """Why a request about agenda items was refused; each has a Dutch text in the catalogue."""

    NOT_MEMBER = "not_member"  # not an active member, or not a participant of the meeting
    NOT_OPEN = "not_open"  # no items for this overleg, cancelled, unknown, or agenda closed
    TITLE_EMPTY = "title_empty"
    TITLE_TOO_LONG = "title_too_long"
    EXPLANATION_TOO_LONG = "explanation_too_long"
    NOT_COORDINATOR = "not_coordinator"  # publishing is for coordinators
    NOT_REVIEWER = "not_reviewer"  # reviewing: coordinators and the overleg's beoordelaars
    REASON_TOO_LONG = "reason_too_long"  # a reason for declining
    NO_NEXT_MEETING = "no_next_meeting"  # moving an item: the overleg meets no more this year
    UNKNOWN_ITEM = "unknown_item"  # no such item, or (withdrawing) not one's own
    NOT_WAITING = "not_waiting"  # withdrawing an item that was reviewed or withdrawn already
    NOTHING_ACCEPTED = "nothing_accepted"  # publishing an agenda without accepted items
    NOT_AFTER = "not_after"  # /afgehandeld for a meeting not over, too long ago, or cancelled


class AgendaItemError(Exception):
    """A request that cannot be honoured; ``limit`` is the length limit a text exceeded."""

    def __init__(self, reason: AgendaItemRefusal, limit: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.limit = limit


@dataclass(frozen=True)
class OpenMeeting:
    """A meeting one may submit items for, and when (aware UTC) its agenda closes.

    ``closer`` is the meeting whose beginning closes it (the AO's petit comité), if any.
    """

    entry: CalendarEntry
    closes_at: datetime
    closer: CalendarEntry | None
    zone: ZoneInfo  # the plan's: what "tot en met maandag" means, as in the reminders


# ------------------------------------------------------------------ input rules, without I/O


def clean_title(raw: str) -> str:
    """The title as stored: one line without controls or bidi characters, inner whitespace
    collapsed to one space (:func:`planning.typed_text.clean_line`).

    Raises :class:`AgendaItemError` (TITLE_EMPTY, also for a blank title; TITLE_TOO_LONG with
    the limit).
    """
    title = clean_line(raw)
    if not title:
        raise AgendaItemError(AgendaItemRefusal.TITLE_EMPTY)
    if len(title) > TITLE_LIMIT:
        raise AgendaItemError(AgendaItemRefusal.TITLE_TOO_LONG, TITLE_LIMIT)
    return title


def clean_explanation(raw: str | None) -> str | None:
    """The explanation as stored (:func:`planning.typed_text.clean_block`; None when blank), or
    EXPLANATION_TOO_LONG.

    Line breaks inside are kept: an explanation may have paragraphs.
    """
    explanation = clean_block(raw)
    if not explanation:
        return None
    if len(explanation) > EXPLANATION_LIMIT:
        raise AgendaItemError(AgendaItemRefusal.EXPLANATION_TOO_LONG, EXPLANATION_LIMIT)
    return explanation


# ------------------------------------------------------------------ calendar rules, without I/O


def beginning(entry: CalendarEntry, zone: ZoneInfo) -> datetime:
    """When a meeting begins, aware UTC: its start; a day-only one at 00:00 of that day; a
    month-only one at 00:00 of its month's first day (in ``zone``)."""
    start = entry.start(zone) or datetime.combine(entry.first_day, time(0), tzinfo=zone)
    return start.astimezone(UTC)


def closes_at(meeting: CalendarEntry, closer: CalendarEntry | None, zone: ZoneInfo) -> datetime:
    """When ``meeting``'s agenda closes: when ``closer`` begins, at the latest when the meeting
    itself begins."""
    own = beginning(meeting, zone)
    return own if closer is None else min(own, beginning(closer, zone))


def closers(meetings: Sequence[CalendarEntry]) -> dict[str, CalendarEntry]:
    """Meeting key -> the (earliest) meeting that closes its agenda, among ``meetings``.

    A cancelled closer closes nothing: the agenda then stays open until the meeting begins.
    """
    alive = [entry for entry in meetings if not entry.cancelled]
    by_key = {entry.key: entry for entry in alive}
    found: dict[str, CalendarEntry] = {}
    for entry in sorted(alive, key=meeting_order):
        closed = closed_agenda(entry, alive, by_key)
        if closed is not None and closed.key not in found:
            found[closed.key] = entry
    return found


def may_attend(member: MemberRow, meeting: CalendarEntry) -> bool:
    """Whether the member may submit for ``meeting``: a participant, or any coordinator."""
    return member.is_active and (member.is_coordinator or in_audience(member, meeting.participants))


def offered_meetings(
    member: MemberRow, plan: Plan, now: datetime, horizon: timedelta = LISTING_AHEAD
) -> list[OpenMeeting]:
    """Per overleg that accepts items, the member's first meeting whose agenda is still open;
    ordered like /agenda."""
    offered: dict[str, OpenMeeting] = {}
    for meeting in open_calendar(plan, now, horizon):
        code = meeting.entry.overleg or ""
        if code not in offered and may_attend(member, meeting.entry):
            offered[code] = meeting
    return sorted(offered.values(), key=lambda meeting: meeting_order(meeting.entry))


def open_calendar(
    plan: Plan, now: datetime, horizon: timedelta = LISTING_AHEAD
) -> list[OpenMeeting]:
    """Every meeting whose agenda is open at ``now`` (whoever may submit), in meeting order."""
    accepting = {o.code for o in plan.overleggen if o.accepts_agenda_items}
    if not accepting:
        return []
    meetings = meetings_around(plan, now, horizon)
    closing = closers(meetings)
    found = []
    for entry in sorted(meetings, key=meeting_order):
        if entry.cancelled or entry.overleg not in accepting:
            continue
        closer = closing.get(entry.key)
        moment = closes_at(entry, closer, plan.zone)
        if moment > now:
            found.append(OpenMeeting(entry, moment, closer, plan.zone))
    return found


def meetings_around(
    plan: Plan, now: datetime, horizon: timedelta, back: timedelta = timedelta(0)
) -> list[CalendarEntry]:
    """The plan's meetings from ``back`` before ``now`` to ``horizon`` after, in any order."""
    today = now.astimezone(plan.zone).date()
    reach = plan.derivation_reach
    return [
        entry
        for entry in entries(plan, today - back - reach, today + horizon + reach)
        if entry.kind == "meeting"
    ]


def fixed_items(fixed: FixedItems | Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The overleg's ``vaste_punten`` split into those opening and those closing its agenda:
    as the plan splits them (:class:`planning.calendar.model.FixedItems`), a plain list by its
    list form (docs/decisions/agenda-items.md)."""
    split = fixed if isinstance(fixed, FixedItems) else FixedItems.from_list(fixed)
    return split.opening, split.closing


def next_meeting(plan: Plan, meeting: CalendarEntry, now: datetime) -> CalendarEntry | None:
    """The overleg's first meeting after ``meeting`` that is not cancelled (the AO of 21 June
    after that of 22 March), looked for up to a year after ``now``; None when there is none."""
    later = [
        entry
        for entry in meetings_around(plan, now, LISTING_AHEAD)
        if entry.overleg == meeting.overleg
        and not entry.cancelled
        and entry.key != meeting.key
        and meeting_order(entry) > meeting_order(meeting)
    ]
    return min(later, key=meeting_order, default=None)
