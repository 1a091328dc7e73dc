"""What /wijzig shows in its conversation, in Dutch HTML: the meeting buttons, the questions,
the confirmation, the coordinator's receipt and the refusals; and what any typed moment that
cannot be read is answered with (also in /mijlpaal).

The confirmation shows old and new side by side, with the derived meetings that move along, so a
coordinator sees the whole consequence before confirming; its lines are those of the members'
notice (:mod:`berichten.texts.meeting_changes`). Every value from the plan or a person is escaped
by :func:`planning.catalogue.html`; button labels are plain text.
"""

from __future__ import annotations

from babel.dates import format_date

from berichten.texts.dates import describe_when
from berichten.texts.meeting_changes import change_line, notice_lines
from planning import catalogue
from planning.calendar.expand import CalendarEntry
from planning.calendar.when_input import WhenInputProblem
from planning.meeting_changes.rules import (
    MeetingChange,
    MeetingChangeError,
    MeetingChangeKind,
    MeetingChangeRefusal,
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
    WhenInputProblem.YEAR_OUT_OF_RANGE: "when.year_out_of_range",
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
    lines = [change_line(_CONFIRM[change.kind], change.meeting)]
    lines += [change_line(_DERIVED[change.kind], item) for item in change.derived]
    return "\n".join(lines)


def applied(change: MeetingChange, told: int) -> str:
    """The coordinator's receipt: the change, and how many members were told."""
    lines = notice_lines(change.kind, change.all)
    return "\n".join([*lines, catalogue.html("meeting_change.applied", n=told)])


def refusal(error: MeetingChangeError) -> str:
    return catalogue.html(_REFUSALS[error.reason], detail=error.detail)


def input_problem(problem: WhenInputProblem) -> str:
    return catalogue.html(_INPUT_PROBLEMS[problem])
