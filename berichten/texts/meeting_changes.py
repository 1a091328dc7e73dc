"""The notice a member gets when a coordinator changes a meeting of theirs, in Dutch HTML.

A notice tells a member only what concerns them, naming both dates; the coordinator's
confirmation and receipt in /wijzig (:mod:`bot.handlers.meeting_changes.prompts`) are built from
the same lines. Every value from the plan or a person is escaped by
:func:`planning.catalogue.html`.
"""

from __future__ import annotations

from collections.abc import Iterable

from berichten.texts.dates import describe_when
from planning import catalogue
from planning.meeting_changes.rules import EntryChange, MeetingChangeKind

_NOTICE = {
    MeetingChangeKind.MOVED: "meeting_change.notice.moved",
    MeetingChangeKind.CANCELLED: "meeting_change.notice.cancelled",
    MeetingChangeKind.DAY_FIXED: "meeting_change.notice.day_fixed",
    MeetingChangeKind.ADDED: "meeting_change.notice.added",
}


def notice(kind: MeetingChangeKind, concerns: Iterable[EntryChange]) -> str:
    """What a member is told: only the meetings of theirs that changed."""
    lines = [catalogue.html("meeting_change.notice.header")]
    lines += notice_lines(kind, concerns)
    return "\n".join(lines)


def notice_lines(kind: MeetingChangeKind, items: Iterable[EntryChange]) -> list[str]:
    """One line per changed meeting, old and new, as a change of ``kind`` tells it."""
    return [change_line(_NOTICE[kind], item) for item in items]


def change_line(key: str, item: EntryChange) -> str:
    """The catalogue text ``key`` about one changed meeting: its title, its old moment and its new
    one (an added meeting has no old moment: its new one stands in)."""
    before = item.before.when if item.before is not None else item.after.when
    return catalogue.html(
        key, title=item.after.title, old=describe_when(before), new=describe_when(item.after.when)
    )
