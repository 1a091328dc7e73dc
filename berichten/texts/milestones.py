"""What members and coordinators read about deadlines that slip, and the monthly overview.

The owner's question names the milestone, the product and the date, and points at /mijlpaal,
where the answer is given. The coordinators' list and the overview add the owner organisation
and how many working days a milestone is late, the unit the escalation setting counts in. Texts
are lines (for :func:`berichten.texts.html.pack`), each built once by
:func:`planning.catalogue.html`, so every value is escaped exactly once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from babel.dates import format_date

from berichten.texts.dates import long_date
from berichten.texts.names import in_brackets
from planning import catalogue
from planning.milestones.overdue import Deadline, Overview, working_days_late


def overdue_question(deadline: Deadline) -> str:
    """To a member of the owner organisation, the working day after the due day."""
    return catalogue.html(
        "deadline.overdue_question",
        title=deadline.title,
        product=deadline.product,
        due=long_date(deadline.due),
    )


def overdue_list_lines(items: Iterable[Deadline], day: date) -> list[str]:
    """The coordinators' list of milestones past the escalation, as seen on ``day``."""
    lines = [catalogue.html("deadline.list_header")]
    lines += [_late_line(item, day) for item in items]
    lines += ["", catalogue.html("deadline.list_footer")]
    return lines


def overview_lines(state: Overview, day: date) -> list[str]:
    """The monthly overview of all products: overdue, due this month, done, and later."""
    month = str(format_date(state.month.first_day, "MMMM y", locale="nl"))
    lines = [catalogue.html("deadline.overview_header", month=month)]
    lines += ["", catalogue.html("deadline.overview_overdue", count=len(state.overdue))]
    lines += [_late_line(item, day) for item in state.overdue] or [_none()]
    lines += ["", catalogue.html("deadline.overview_this_month", count=len(state.this_month))]
    lines += [_due_line(item) for item in state.this_month] or [_none()]
    lines += ["", catalogue.html("deadline.overview_done", count=len(state.done))]
    lines += [_done_line(item) for item in state.done] or [_none()]
    lines += ["", catalogue.html("deadline.overview_later", count=state.later)]
    return lines


def working_days_text(days: int) -> str:
    """``1 werkdag``, ``5 werkdagen``."""
    return catalogue.plain("deadline.working_days", n=days)


def _late_line(item: Deadline, day: date) -> str:
    return catalogue.html(
        "deadline.late_item",
        product=item.product,
        title=item.title,
        owner=in_brackets(item.owner_name),
        due=long_date(item.due),
        late=working_days_text(working_days_late(item.due, day)),
    )


def _due_line(item: Deadline) -> str:
    return catalogue.html(
        "deadline.due_item",
        product=item.product,
        title=item.title,
        owner=in_brackets(item.owner_name),
        due=long_date(item.due),
    )


def _done_line(item: Deadline) -> str:
    return catalogue.html(
        "deadline.done_item",
        product=item.product,
        title=item.title,
        owner=in_brackets(item.owner_name),
    )


def _none() -> str:
    return catalogue.html("deadline.overview_none")
