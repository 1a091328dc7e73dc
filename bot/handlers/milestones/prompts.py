"""What /mijlpaal shows in its conversation, in Dutch HTML: the milestone buttons, a milestone
with its history, the confirmation, the receipt and the refusals.

A month means "by its last day", so a milestone's date reads ``uiterlijk eind mei 2011``. Every
value from the plan or a person is escaped by :func:`planning.catalogue.html`; button labels
are plain text. A typed date that cannot be read is answered as in /wijzig
(:func:`bot.handlers.meeting_changes.prompts.input_problem`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from berichten.texts.dates import describe_when, due_text, short_moment
from planning import catalogue
from planning.calendar.model import When
from planning.milestones.services import (
    HistoryLine,
    MilestoneAction,
    MilestoneRefusal,
    MilestoneView,
    when_of,
)

_REFUSALS = {
    MilestoneRefusal.UNKNOWN: "milestone.refused.unknown",
    MilestoneRefusal.NOT_ALLOWED: "milestone.refused.not_allowed",
    MilestoneRefusal.DONE_ALREADY: "milestone.refused.done_already",
    MilestoneRefusal.NO_REASON: "milestone.refused.no_reason",
    MilestoneRefusal.IN_PAST: "milestone.refused.in_past",
    MilestoneRefusal.UNCHANGED: "milestone.refused.unchanged",
}


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
    return catalogue.html(_REFUSALS[reason])


def _milestone_when(when: When) -> str:
    """A month means "by its last day", so say so: ``uiterlijk eind mei 2011``."""
    return catalogue.plain("milestone.by", due=due_text(when))


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
