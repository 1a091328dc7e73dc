"""Deadlines that slip: the pure rules of who is asked about an overdue milestone, and when.

Decisions (the messages themselves are queued by :mod:`berichten.milestones`; the reasons are
in docs/decisions/slipping-deadlines.md and, for pauses, docs/decisions/preferences.md):

- A milestone is *due* on its latest day (a month means its last day). If that day has passed
  and the milestone is not done, the owner organisation is asked on the **next working day**
  (Monday to Friday; the plan knows no public holidays, as :func:`first_working_day` says).
- After ``escalation_days`` working days still not done (counted from the day after the due
  day, so with 5 a milestone due on Thursday 31 March escalates on Thursday 7 April), the
  milestone goes on the coordinators' list.
- The coordinators get a list on a working day when a milestone escalates that day, and every
  Monday while any escalated milestone is still open: a nudge on the day something new is late,
  and a weekly reminder of what stays late, without a daily repeat of an unchanged list.
- The monthly overview (first working day of a month) covers every product: overdue, due this
  month, done, and how many are planned later.
- Lateness is counted in working days, like the escalation setting.
- **A pause** (/instellingen, :mod:`planning.preferences`) holds back what the member would get
  during it. A member of the owner organisation who is paused on the day they would be asked is
  asked on the first working day from the day the pause ends (or is lifted), if the milestone
  is still open then, rather than not at all. Their colleagues are asked on time.
- The coordinators' list does **not** wait for a holiday: escalation counts working days
  from the due day, whoever is away. A coordinator who is paused gets no list and no monthly
  overview during the pause (they are not postponed: the Monday list after the pause holds
  every milestone still escalated, and next month's overview the state of all products).
- **Every coordinator paused** (the whole team away at once): the list and the overview go to
  all of them anyway, on their day: an escalation must reach someone, and it waits in their
  chat for whoever is back first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from planning.calendar.model import Plan, YearMonth
from planning.calendar.reminders import first_working_day

MONDAY = 0


@dataclass(frozen=True)
class Deadline:
    """One milestone as the overdue rules see it."""

    uid: str
    product: str
    owner: str  # organisation code
    owner_name: str
    title: str
    due: date  # the latest day
    done: bool


@dataclass(frozen=True)
class Overview:
    """The monthly overview's sections, each sorted by due day."""

    month: YearMonth
    overdue: tuple[Deadline, ...]
    this_month: tuple[Deadline, ...]
    done: tuple[Deadline, ...]
    later: int  # open milestones due after this month


def deadlines(plan: Plan) -> list[Deadline]:
    """Every milestone of the plan, earliest first."""
    names = {organisation.code: organisation.name for organisation in plan.organisations}
    found = [
        Deadline(
            uid=milestone.uid,
            product=product.name,
            owner=product.owner,
            owner_name=names.get(product.owner, product.owner),
            title=milestone.description,
            due=milestone.when.latest_day,
            done=milestone.done,
        )
        for product in plan.products
        for milestone in product.milestones
    ]
    return sorted(found, key=_order)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def working_day_after(day: date, count: int = 1) -> date:
    """The ``count``-th working day after ``day`` (``count`` >= 1)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    while count:
        day += timedelta(days=1)
        count -= is_working_day(day)
    return day


def working_days_late(due: date, day: date) -> int:
    """Working days after ``due`` up to and including ``day``: 0 while not yet late."""
    late, current = 0, due
    while current < day:
        current += timedelta(days=1)
        late += is_working_day(current)
    return late


def ask_day(deadline: Deadline) -> date:
    """When the owner organisation is asked: the first working day after the due day."""
    return working_day_after(deadline.due)


def escalation_day(deadline: Deadline, escalation_days: int) -> date:
    """When an open milestone goes on the coordinators' list."""
    return working_day_after(deadline.due, escalation_days)


def asked_on(items: Iterable[Deadline], day: date) -> list[Deadline]:
    """The open milestones whose owners are asked on ``day``."""
    return [item for item in items if not item.done and ask_day(item) == day]


def member_ask_day(deadline: Deadline, resume_on: date | None) -> date:
    """When one member of the owner organisation is asked, given the first day after their
    pause (``resume_on``, None without a pause): the ask day, or, if they are paused then, the
    first working day from ``resume_on`` on."""
    day = ask_day(deadline)
    if resume_on is None or day >= resume_on:
        return day
    return resume_on if is_working_day(resume_on) else working_day_after(resume_on)


def escalated(items: Iterable[Deadline], day: date, escalation_days: int) -> list[Deadline]:
    """The open milestones on the coordinators' list on ``day``."""
    return [
        item for item in items if not item.done and escalation_day(item, escalation_days) <= day
    ]


def is_list_day(items: Sequence[Deadline], day: date, escalation_days: int) -> bool:
    """Whether the coordinators get a list on ``day`` (see the module's decisions)."""
    if not is_working_day(day):
        return False
    late = escalated(items, day, escalation_days)
    if not late:
        return False
    return day.weekday() == MONDAY or any(
        escalation_day(item, escalation_days) == day for item in late
    )


def is_overview_day(day: date) -> bool:
    return day == first_working_day(YearMonth.of(day))


def overview(items: Iterable[Deadline], day: date) -> Overview:
    """The state of every product's milestones as seen on ``day``."""
    month = YearMonth.of(day)
    items = sorted(items, key=_order)
    open_items = [item for item in items if not item.done]
    return Overview(
        month=month,
        overdue=tuple(item for item in open_items if item.due < day),
        this_month=tuple(
            item for item in open_items if item.due >= day and YearMonth.of(item.due) == month
        ),
        done=tuple(item for item in items if item.done),
        later=sum(1 for item in open_items if item.due > month.last_day),
    )


def _order(item: Deadline) -> tuple[date, str, str]:
    return (item.due, item.product, item.uid)
