"""Reconciling a stored plan with a newly imported one: what moved, what is new, what lapsed.

A plan file has no identities for its meetings, yet calendar programs need one that survives a
move (the .ics UID). So a re-import matches each overleg's new meetings to its stored ones:
first identical meetings, then meetings on the same day (or month) whose details changed, then
the rest pairwise in date order (moved). What remains on the new side is added; what remains
on the stored side is cancelled, not deleted, so calendar feeds can announce the cancellation.
The outcome keeps stored uids and raises ``sequence`` on every change, as RFC 5545 asks.

Milestones are matched within their product by description, then by position; products by
name; everything else by code.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from planning.calendar.model import Meeting, Milestone, Plan, Product, When


class PlanChangeKind(enum.StrEnum):
    PLAN = "plan"
    ORGANISATION_ADDED = "organisation_added"
    ORGANISATION_CHANGED = "organisation_changed"
    ORGANISATION_DROPPED = "organisation_dropped"
    GROUP_ADDED = "group_added"
    GROUP_CHANGED = "group_changed"
    GROUP_DROPPED = "group_dropped"
    OVERLEG_ADDED = "overleg_added"
    OVERLEG_CHANGED = "overleg_changed"
    OVERLEG_DROPPED = "overleg_dropped"
    MEETING_ADDED = "meeting_added"
    MEETING_MOVED = "meeting_moved"
    MEETING_CHANGED = "meeting_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_RESTORED = "meeting_restored"
    PRODUCT_ADDED = "product_added"
    PRODUCT_CHANGED = "product_changed"
    PRODUCT_DROPPED = "product_dropped"
    MILESTONE_ADDED = "milestone_added"
    MILESTONE_MOVED = "milestone_moved"
    MILESTONE_CHANGED = "milestone_changed"
    MILESTONE_DROPPED = "milestone_dropped"
    REMINDERS_CHANGED = "reminders_changed"
    INCIDENT_TEMPLATE_ADDED = "incident_template_added"
    INCIDENT_TEMPLATE_CHANGED = "incident_template_changed"
    # changed, and changed in chat since the last import: the file's text replaces the chat's
    INCIDENT_TEMPLATE_OVERWRITTEN = "incident_template_overwritten"
    INCIDENT_TEMPLATE_DROPPED = "incident_template_dropped"


@dataclass(frozen=True)
class PlanChange:
    """One difference, structured; :mod:`berichten` turns it into a Dutch line."""

    kind: PlanChangeKind
    subject: str  # a code, product name or milestone description
    context: str = ""  # the overleg code of a meeting, the product of a milestone
    old: When | None = None
    new: When | None = None


@dataclass(frozen=True)
class Reconciled:
    plan: Plan  # the new plan with stored identities, sequences and cancellations kept
    changes: tuple[PlanChange, ...]


_T = TypeVar("_T")


def reconcile(stored: Plan | None, new: Plan, new_uid: Callable[[], str]) -> Reconciled:
    """Merge ``new`` into ``stored``; ``new_uid`` names meetings and milestones never seen."""
    if stored is None:
        fresh = _with_fresh_uids(new, new_uid)
        return Reconciled(fresh, tuple(_everything_added(fresh)))
    changes: list[PlanChange] = []
    if (stored.name, stored.zone, stored.version) != (new.name, new.zone, new.version):
        changes.append(PlanChange(PlanChangeKind.PLAN, new.name))
    changes += _coded(stored.organisations, new.organisations, "ORGANISATION")
    changes += _coded(stored.groups, new.groups, "GROUP")
    changes += _coded(stored.overleggen, new.overleggen, "OVERLEG")
    meetings: list[Meeting] = []
    codes = [o.code for o in new.overleggen] + [
        o.code for o in stored.overleggen if o.code not in {n.code for n in new.overleggen}
    ]
    for code in codes:
        old_of = [m for m in stored.meetings if m.overleg == code]
        new_of = [m for m in new.meetings if m.overleg == code]
        merged, found = _meetings(old_of, new_of, new_uid)
        meetings += merged
        changes += found
    products, product_changes = _products(stored.products, new.products, new_uid)
    changes += product_changes
    if stored.reminders != new.reminders:
        changes.append(PlanChange(PlanChangeKind.REMINDERS_CHANGED, ""))
    changes += _coded(stored.incident_templates, new.incident_templates, "INCIDENT_TEMPLATE")
    kept_changes = tuple(
        change
        for change in stored.occurrence_changes
        if _same_recurrence(stored, new, change.overleg)
    )
    plan = replace(
        new, meetings=tuple(meetings), products=products, occurrence_changes=kept_changes
    )
    return Reconciled(plan, tuple(changes))


class _HasCode(Protocol):
    @property
    def code(self) -> str: ...


def _coded(old: Sequence[_HasCode], new: Sequence[_HasCode], kind: str) -> list[PlanChange]:
    """Added, changed and dropped items of a list keyed by ``code``."""
    before = {item.code: item for item in old}
    after = {item.code: item for item in new}
    changes = [
        PlanChange(PlanChangeKind[f"{kind}_ADDED"], code) for code in after if code not in before
    ]
    changes += [
        PlanChange(PlanChangeKind[f"{kind}_CHANGED"], code)
        for code, item in after.items()
        if code in before and before[code] != item
    ]
    changes += [
        PlanChange(PlanChangeKind[f"{kind}_DROPPED"], code) for code in before if code not in after
    ]
    return changes


def _meetings(
    old: list[Meeting], new: list[Meeting], new_uid: Callable[[], str]
) -> tuple[list[Meeting], list[PlanChange]]:
    pairs, left_new, left_old = _match(
        old,
        new,
        [_content, lambda meeting: _slot(meeting.when)],
    )
    merged: list[Meeting] = []
    changes: list[PlanChange] = []
    left_old.sort(key=lambda m: m.when.latest_day)
    left_new.sort(key=lambda m: m.when.latest_day)
    moved = list(zip(left_old, left_new, strict=False))
    for before, after in pairs + moved:
        kind = _meeting_change(before, after)
        if kind is None:
            merged.append(before)
            continue
        merged.append(replace(after, uid=before.uid, sequence=before.sequence + 1))
        changes.append(PlanChange(kind, after.overleg, after.overleg, before.when, after.when))
    for after in left_new[len(moved) :]:
        merged.append(replace(after, uid=new_uid(), sequence=0))
        changes.append(
            PlanChange(PlanChangeKind.MEETING_ADDED, after.overleg, after.overleg, new=after.when)
        )
    for before in left_old[len(moved) :]:
        if before.cancelled:
            merged.append(before)
            continue
        merged.append(replace(before, cancelled=True, sequence=before.sequence + 1))
        change = PlanChange(
            PlanChangeKind.MEETING_CANCELLED, before.overleg, before.overleg, before.when
        )
        changes.append(change)
    return merged, changes


def _meeting_change(before: Meeting, after: Meeting) -> PlanChangeKind | None:
    if _content(before) == _content(after):
        return PlanChangeKind.MEETING_RESTORED if before.cancelled else None
    if before.cancelled:
        return PlanChangeKind.MEETING_RESTORED
    if before.when != after.when:
        return PlanChangeKind.MEETING_MOVED
    return PlanChangeKind.MEETING_CHANGED


def _products(
    old: Sequence[Product], new: Sequence[Product], new_uid: Callable[[], str]
) -> tuple[tuple[Product, ...], list[PlanChange]]:
    before = {product.name: product for product in old}
    products: list[Product] = []
    changes: list[PlanChange] = []
    for product in new:
        stored = before.get(product.name)
        if stored is None:
            fresh = tuple(replace(m, uid=new_uid()) for m in product.milestones)
            products.append(replace(product, milestones=fresh))
            changes.append(PlanChange(PlanChangeKind.PRODUCT_ADDED, product.name))
            continue
        if (stored.owner, stored.involved) != (product.owner, product.involved):
            changes.append(PlanChange(PlanChangeKind.PRODUCT_CHANGED, product.name))
        milestones, found = _milestones(
            product.name, stored.milestones, product.milestones, new_uid
        )
        products.append(replace(product, milestones=milestones))
        changes += found
    names = {product.name for product in new}
    changes += [
        PlanChange(PlanChangeKind.PRODUCT_DROPPED, p.name) for p in old if p.name not in names
    ]
    return tuple(products), changes


def _milestones(
    product: str,
    old: Sequence[Milestone],
    new: Sequence[Milestone],
    new_uid: Callable[[], str],
) -> tuple[tuple[Milestone, ...], list[PlanChange]]:
    pairs, left_new, left_old = _match(
        list(old), list(new), [lambda milestone: milestone.description]
    )
    pairs += list(zip(left_old, left_new, strict=False))
    by_new = {id(after): before for before, after in pairs}
    milestones: list[Milestone] = []
    changes: list[PlanChange] = []
    for after in new:
        before = by_new.get(id(after))
        if before is None:
            milestones.append(replace(after, uid=new_uid()))
            changes.append(PlanChange(PlanChangeKind.MILESTONE_ADDED, after.description, product))
            continue
        milestones.append(replace(after, uid=before.uid, done=before.done))
        if before.when != after.when:
            kind = PlanChangeKind.MILESTONE_MOVED
            changes.append(PlanChange(kind, after.description, product, before.when, after.when))
        elif before.description != after.description:
            changes.append(PlanChange(PlanChangeKind.MILESTONE_CHANGED, after.description, product))
    matched_old = {id(before) for before, _after in pairs}
    dropped = [m for m in old if id(m) not in matched_old]
    changes += [
        PlanChange(PlanChangeKind.MILESTONE_DROPPED, m.description, product) for m in dropped
    ]
    return tuple(milestones), changes


def _match(
    old: list[_T], new: list[_T], keys: Iterable[Callable[[_T], Hashable]]
) -> tuple[list[tuple[_T, _T]], list[_T], list[_T]]:
    """Pair items with equal keys, key function by key function, each item at most once.

    Dictionaries keep this linear: a plan with thousands of meetings re-imports in moments.
    """
    pairs: list[tuple[_T, _T]] = []
    left_old, left_new = list(old), list(new)
    for key in keys:
        waiting: dict[Hashable, list[_T]] = defaultdict(list)
        for before in left_old:
            waiting[key(before)].append(before)
        unmatched: list[_T] = []
        for after in left_new:
            candidates = waiting.get(key(after))
            if candidates:
                pairs.append((candidates.pop(0), after))
            else:
                unmatched.append(after)
        left_new = unmatched
        left_old = [item for items in waiting.values() for item in items]
    return pairs, left_new, left_old


def _content(meeting: Meeting) -> tuple[object, ...]:
    return (meeting.when, meeting.title, meeting.location, meeting.theme, meeting.participants)


def _slot(when: When) -> object:
    return when.day if when.day is not None else when.month


def _same_recurrence(stored: Plan, new: Plan, code: str) -> bool:
    try:
        return stored.overleg(code).recurrence == new.overleg(code).recurrence
    except KeyError:
        return False


def _with_fresh_uids(plan: Plan, new_uid: Callable[[], str]) -> Plan:
    meetings = tuple(replace(m, uid=new_uid(), sequence=0) for m in plan.meetings)
    products = tuple(
        replace(p, milestones=tuple(replace(m, uid=new_uid()) for m in p.milestones))
        for p in plan.products
    )
    return replace(plan, meetings=meetings, products=products)


def _everything_added(plan: Plan) -> list[PlanChange]:
    empty = replace(plan, organisations=(), groups=(), overleggen=())
    changes = _coded(empty.organisations, plan.organisations, "ORGANISATION")
    changes += _coded(empty.groups, plan.groups, "GROUP")
    changes += _coded(empty.overleggen, plan.overleggen, "OVERLEG")
    changes += [
        PlanChange(PlanChangeKind.MEETING_ADDED, m.overleg, m.overleg, new=m.when)
        for m in plan.meetings
    ]
    changes += [PlanChange(PlanChangeKind.PRODUCT_ADDED, p.name) for p in plan.products]
    if plan.reminders:
        changes.append(PlanChange(PlanChangeKind.REMINDERS_CHANGED, ""))
    changes += _coded((), plan.incident_templates, "INCIDENT_TEMPLATE")
    return changes
