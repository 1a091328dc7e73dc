"""The Dutch texts of coordinators' calendar changes and of milestone status.

Confirmations show old and new side by side, with the derived meetings that move along, so a
coordinator sees the whole consequence before confirming; notices tell a member only what
concerns them, naming both dates. Every value from the plan or a person is escaped by
:func:`planning.catalogue.html`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from berichten.texts.dates import describe_when, short_moment
from planning import catalogue
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import When
from planning.calendar.when_input import WhenInputProblem
from planning.meeting_changes.rules import (
    EntryChange,
    MeetingChange,
    MeetingChangeError,
    MeetingChangeKind,
    MeetingChangeRefusal,
)
from planning.milestones.services import (
    HistoryLine,
    MilestoneAction,
    MilestoneRefusal,
    MilestoneView,
    when_of,
)

_REFUSALS = {
    MeetingChangeRefusal.NO_PLAN: "meeting_change.refused.no_plan",
    MeetingChangeRefusal.UNKNOWN_MEETING: "meeting_change.refused.unknown_meeting",
    MeetingChangeRefusal.DERIVED: "meeting_change.refused.derived",
    MeetingChangeRefusal.CANCELLED: "meeting_change.refused.cancelled",
    MeetingChangeRefusal.NOT_MONTH: "meeting_change.refused.not_month",
    MeetingChangeRefusal.OUTSIDE_MONTH: "meeting_change.refused.outside_month",
    MeetingChangeRefusal.IN_PAST: "meeting_change.refused.in_past",
    MeetingChangeRefusal.UNCHANGED: "meeting_change.refused.unchanged",
    MeetingChangeRefusal.UNKNOWN_OVERLEG: "meeting_change.refused.unknown_overleg",
    MeetingChangeRefusal.DERIVED_OVERLEG: "meeting_change.refused.derived_overleg",
    MeetingChangeRefusal.STALE: "meeting_change.refused.stale",
}
_INPUT_PROBLEMS = {
    WhenInputProblem.UNREADABLE: "when.unreadable",
    WhenInputProblem.NO_SUCH_DAY: "when.no_such_day",
    WhenInputProblem.BAD_TIME: "when.bad_time",
    WhenInputProblem.MONTH_NOT_ALLOWED: "when.month_not_allowed",
    WhenInputProblem.TIME_NOT_ALLOWED: "when.time_not_allowed",
}
_CONFIRM = {
    MeetingChangeKind.MOVED: "meeting_change.confirm.moved",
    MeetingChangeKind.CANCELLED: "meeting_change.confirm.cancelled",
    MeetingChangeKind.DAY_FIXED: "meeting_change.confirm.day_fixed",
    MeetingChangeKind.ADDED: "meeting_change.confirm.added",
}
_DERIVED = {
    MeetingChangeKind.MOVED: "meeting_change.derived.moved",
    MeetingChangeKind.CANCELLED: "meeting_change.derived.cancelled",
    MeetingChangeKind.DAY_FIXED: "meeting_change.derived.moved",
    MeetingChangeKind.ADDED: "meeting_change.derived.added",
}
_NOTICE = {
    MeetingChangeKind.MOVED: "meeting_change.notice.moved",
    MeetingChangeKind.CANCELLED: "meeting_change.notice.cancelled",
    MeetingChangeKind.DAY_FIXED: "meeting_change.notice.day_fixed",
    MeetingChangeKind.ADDED: "meeting_change.notice.added",
}
_MILESTONE_REFUSALS = {
    MilestoneRefusal.UNKNOWN: "milestone.refused.unknown",
    MilestoneRefusal.NOT_ALLOWED: "milestone.refused.not_allowed",
    MilestoneRefusal.DONE_ALREADY: "milestone.refused.done_already",
    MilestoneRefusal.NO_REASON: "milestone.refused.no_reason",
    MilestoneRefusal.IN_PAST: "milestone.refused.in_past",
    MilestoneRefusal.UNCHANGED: "milestone.refused.unchanged",
}


# ------------------------------------------------------------------------------ meetings


def meeting_button(entry: CalendarEntry) -> str:
    """A short button label: ``di 22 mrt 2011 · Ambtelijk overleg``."""
    if entry.when.day is not None:
        day = format_date(entry.when.day, "EEE d MMM y", locale="nl")
    else:
        day = format_date(entry.when.in_month.first_day, "MMMM y", locale="nl")
    return catalogue.plain("meeting_change.meeting_button", when=day, title=entry.title)


def chosen(entry: CalendarEntry) -> str:
    """The meeting a coordinator picked, with the question what to do with it."""
    return catalogue.html(
        "meeting_change.ask_action", title=entry.title, when=describe_when(entry.when)
    )


def ask_day(entry: CalendarEntry, *, fixing: bool) -> str:
    if fixing:
        return catalogue.html(
            "meeting_change.ask_fix_day", title=entry.title, when=describe_when(entry.when)
        )
    return catalogue.html("meeting_change.ask_date", title=entry.title)


def confirmation(change: MeetingChange) -> str:
    """Old and new, and what moves, vanishes or appears along with it."""
    lines = [_line(_CONFIRM[change.kind], change.meeting)]
    lines += [_line(_DERIVED[change.kind], item) for item in change.derived]
    return "\n".join(lines)


def applied(change: MeetingChange, told: int) -> str:
    """The coordinator's receipt: the change, and how many members were told."""
    lines = [_line(_NOTICE[change.kind], item) for item in change.all]
    return "\n".join([*lines, catalogue.html("meeting_change.applied", n=told)])


def notice(kind: MeetingChangeKind, concerns: Iterable[EntryChange]) -> str:
    """What a member is told: only the meetings of theirs that changed."""
    lines = [catalogue.html("meeting_change.notice.header")]
    lines += [_line(_NOTICE[kind], item) for item in concerns]
    return "\n".join(lines)


def refusal(error: MeetingChangeError) -> str:
    return catalogue.html(_REFUSALS[error.reason], detail=error.detail)


def input_problem(problem: WhenInputProblem) -> str:
    return catalogue.html(_INPUT_PROBLEMS[problem])


def _line(key: str, item: EntryChange) -> str:
    before = item.before.when if item.before is not None else item.after.when
    return catalogue.html(
        key, title=item.after.title, old=describe_when(before), new=describe_when(item.after.when)
    )


# ---------------------------------------------------------------------------- milestones


def milestone_button(view: MilestoneView) -> str:
    return catalogue.plain(
        "milestone.button",
        when=_milestone_when(view.when),
        product=view.product,
        description=view.description,
    )


def milestone_details(view: MilestoneView, lines: Sequence[HistoryLine], zone: ZoneInfo) -> str:
    """The milestone, whose it is, and what happened to it so far."""
    text = [
        catalogue.html(
            "milestone.details",
            product=view.product,
            description=view.description,
            when=_milestone_when(view.when),
            owner=view.owner,
        )
    ]
    shown = [line for line in lines if line.action in set(MilestoneAction)]
    if shown:
        text.append(catalogue.html("milestone.history_header"))
        text += [_history_line(line, zone) for line in shown]
    return "\n".join(text)


def milestone_confirm(view: MilestoneView, new_when: When | None, reason: str = "") -> str:
    """Mark done (``new_when`` None) or move, as the member is asked to confirm it."""
    if new_when is None:
        return catalogue.html(
            "milestone.confirm_done", product=view.product, description=view.description
        )
    return catalogue.html(
        "milestone.confirm_moved",
        product=view.product,
        description=view.description,
        old=_milestone_when(view.when),
        new=_milestone_when(new_when),
        reason=reason,
    )


def milestone_saved(view: MilestoneView) -> str:
    key = "milestone.saved_done" if view.done else "milestone.saved_moved"
    return catalogue.html(
        key,
        product=view.product,
        description=view.description,
        when=_milestone_when(view.when),
    )


def milestone_refusal(reason: MilestoneRefusal) -> str:
    return catalogue.html(_MILESTONE_REFUSALS[reason])


def _milestone_when(when: When) -> str:
    """A month means "by its last day", so say so: ``uiterlijk eind mei 2011``."""
    if when.day is None:
        return catalogue.plain("milestone.by_month", month=describe_when(when))
    return catalogue.plain("milestone.by_day", day=describe_when(when))


def _history_line(line: HistoryLine, zone: ZoneInfo) -> str:
    at = short_moment(datetime.fromisoformat(line.at), zone)
    if line.action == MilestoneAction.DONE:
        return catalogue.html("milestone.history_done", at=at)
    return catalogue.html(
        "milestone.history_moved",
        at=at,
        old=describe_when(when_of(line.old_when or "")),
        new=describe_when(when_of(line.new_when or "")),
        reason=line.reason or "",
    )
