"""A checked plan file as the calendar model (:class:`planning.calendar.model.Plan`).

The file has no identities for meetings and milestones, so they get provisional uids from their
place in the file: ``{overleg code}-{n}`` for the n-th entry of an overleg's ``bijeenkomsten`` and
``product-{k}-{n}`` for the n-th milestone of the k-th product (both 1-based, as in the problem
fields). The import matches them to the stored ones; a file read on its own uses them as they
are. Only a :class:`PlanFile` from :func:`planning.plan.check.check_plan` without problems may
be converted: the checks between entries are what make the calendar's invariants hold.

The file's shorthands become the calendar's one way of saying it: a ``herhaling`` written as
text becomes a :class:`~planning.calendar.model.Recurrence` that begins at the overleg's first
``bijeenkomst`` (with its time, end and place), and that meeting is the series' first
occurrence, not a listed meeting besides it (the others keep their place numbers, ``pc-2``...);
a derived overleg without ``trekker`` gets its parent's (up the chain).
"""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

from planning.calendar import model as cal
from planning.incidents.templates import IncidentTemplate
from planning.plan import model as planfile
from planning.plan.model import parse_clock


def to_plan(plan_file: planfile.PlanFileModel) -> cal.Plan:
    """The calendar model of ``plan_file``."""
    trekkers = _trekkers(plan_file.overleggen)
    return cal.Plan(
        name=plan_file.name,
        zone=ZoneInfo(plan_file.zone),
        version=plan_file.version,
        organisations=tuple(
            cal.Organisation(o.code, o.name, o.kind, o.on_call) for o in plan_file.organisations
        ),
        groups=tuple(cal.Group(g.code, g.name) for g in plan_file.groups),
        overleggen=tuple(_overleg(o, trekkers[o.code]) for o in plan_file.overleggen),
        meetings=tuple(
            _meeting(overleg.code, n, meeting)
            for overleg in plan_file.overleggen
            for n, meeting in enumerate(overleg.meetings or [], start=1)
            if not (n == 1 and isinstance(overleg.recurrence, str))  # the series' start
        ),
        products=tuple(_product(k, p) for k, p in enumerate(plan_file.products, start=1)),
        reminders=tuple(_reminder(r) for r in plan_file.reminders),
        incident_templates=tuple(_template(t) for t in plan_file.incident_templates),
    )


def _trekkers(overleggen: list[planfile.OverlegModel]) -> dict[str, str]:
    """Each overleg's trekker: its own, else (derived) the nearest ancestor's."""
    by_code = {overleg.code: overleg for overleg in overleggen}

    def trekker(overleg: planfile.OverlegModel) -> str:
        # The check guarantees a trekker at the root of every chain, and no cycles.
        if overleg.trekker is not None:
            return overleg.trekker
        assert overleg.derived is not None
        return trekker(by_code[overleg.derived.parent])

    return {overleg.code: trekker(overleg) for overleg in overleggen}


def _overleg(overleg: planfile.OverlegModel, trekker: str) -> cal.Overleg:
    derived = overleg.derived
    recurrence = overleg.recurrence
    return cal.Overleg(
        code=overleg.code,
        name=overleg.name,
        purpose=overleg.purpose,
        trekker=trekker,
        participants=tuple(overleg.participants),
        accepts_agenda_items=overleg.accepts_agenda_items,
        derived=cal.Derivation(derived.parent, derived.days_before) if derived else None,
        closes_agenda_of=overleg.closes_agenda_of,
        recurrence=_recurrence(overleg, recurrence) if recurrence else None,
        call_days_before=overleg.call_days_before,
        fixed_items=_fixed_items(overleg.fixed_items),
        reviewers=overleg.reviewers,
    )


def _fixed_items(fixed: list[str] | planfile.FixedItemsModel) -> cal.FixedItems:
    if isinstance(fixed, list):
        return cal.FixedItems.from_list(fixed)
    return cal.FixedItems(tuple(fixed.opening), tuple(fixed.closing))


def _recurrence(
    overleg: planfile.OverlegModel, recurrence: planfile.RecurrenceModel | str
) -> cal.Recurrence:
    if isinstance(recurrence, str):
        first = (overleg.meetings or [])[0]  # the check guarantees it, with a day
        assert first.day is not None
        return cal.Recurrence(
            rule=recurrence,
            begin=first.day,
            start=_time(first.start),
            end=_time(first.end),
            location=first.location,
        )
    return cal.Recurrence(
        rule=recurrence.rule,
        begin=recurrence.begin,
        start=_time(recurrence.start),
        end=_time(recurrence.end),
        location=recurrence.location,
    )


def _meeting(overleg: str, n: int, meeting: planfile.MeetingModel) -> cal.Meeting:
    return cal.Meeting(
        uid=f"{overleg}-{n}",
        overleg=overleg,
        when=_when(meeting.day, meeting.month, meeting.start, meeting.end),
        title=meeting.title,
        location=meeting.location,
        theme=meeting.theme,
        participants=tuple(meeting.participants) if meeting.participants is not None else None,
    )


def _product(k: int, product: planfile.ProductModel) -> cal.Product:
    return cal.Product(
        name=product.name,
        owner=product.owner,
        involved=tuple(product.involved),
        milestones=tuple(
            cal.Milestone(
                uid=f"product-{k}-{n}",
                description=milestone.description,
                when=_when(milestone.day, milestone.month),
            )
            for n, milestone in enumerate(product.milestones, start=1)
        ),
    )


def _reminder(reminder: planfile.ReminderRuleModel) -> cal.ReminderRule:
    return cal.ReminderRule(
        target=reminder.target,
        days_before=tuple(reminder.days_before),
        at=parse_clock(reminder.at),
        audience=reminder.audience,
    )


def _when(
    day: date | None, month: str | None, start: str | None = None, end: str | None = None
) -> cal.When:
    return cal.When(
        day=day,
        month=cal.YearMonth.parse(month) if month is not None else None,
        start=_time(start),
        end=_time(end),
    )


def _time(text: str | None) -> time | None:
    return parse_clock(text) if text is not None else None


def _template(template: planfile.IncidentTemplateModel) -> IncidentTemplate:
    return IncidentTemplate(
        code=template.code,
        name=template.name,
        spokesperson=template.spokesperson,
        core_message=template.core_message,
        dos=tuple(template.dos),
        donts=tuple(template.donts),
        call=template.call,
    )
