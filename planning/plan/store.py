"""The plan in the database: read it as a :class:`Plan`, and import a new plan into it.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
An import is therefore all or nothing, and it is idempotent: the new plan is first reconciled
with the stored one (:mod:`planning.calendar.reconcile`), then the rows are made to match the
outcome. Rows are looked up in bulk by their natural keys, so a plan of thousands of meetings
imports without a query per meeting.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.calendar.model import (
    Derivation,
    FixedItems,
    Group,
    Meeting,
    Milestone,
    OccurrenceChange,
    Organisation,
    Overleg,
    Plan,
    Product,
    Recurrence,
    ReminderRule,
    When,
    YearMonth,
)
from planning.calendar.reconcile import PlanChange, PlanChangeKind, reconcile
from planning.clock import Clock
from planning.incidents.editing import chat_edits_since
from planning.incidents.plan_templates import load_templates, save_templates
from planning.membership.tables import GroupRow, OrganisationRow
from planning.plan.tables import (
    MeetingRow,
    MilestoneRow,
    OccurrenceChangeRow,
    OverlegRow,
    PlanInfoRow,
    ProductRow,
    ReminderRuleRow,
)
from planning.read_cache import cached


@dataclass(frozen=True)
class ImportReport:
    changes: tuple[PlanChange, ...]
    applied: bool  # False for a dry run


DEFAULT_ZONE = ZoneInfo("Europe/Amsterdam")  # the plan's zone before a plan is imported


async def load_plan(session: AsyncSession) -> Plan | None:
    """The stored plan, or None before the first import; from the read cache when it holds it
    (:mod:`planning.read_cache`; a :class:`Plan` is frozen, so it is safely shared)."""
    return await cached(session, "plan", lambda: _load(session))


async def plan_zone(session: AsyncSession) -> ZoneInfo:
    """The stored plan's time zone, without reading the plan; :data:`DEFAULT_ZONE` before the
    first import."""
    name = await session.scalar(select(PlanInfoRow.timezone).where(PlanInfoRow.id == 1))
    return ZoneInfo(name) if name else DEFAULT_ZONE


async def plan_today(session: AsyncSession, clock: Clock) -> date:
    """Today's date in the plan's zone (see :func:`plan_zone`)."""
    return clock.now().astimezone(await plan_zone(session)).date()


async def import_plan(
    session: AsyncSession, clock: Clock, plan: Plan, *, dry_run: bool = False
) -> ImportReport:
    """Make the database hold ``plan``; report what changed (nothing, for the same plan)."""
    stored = await _load(session)
    reconciled = reconcile(stored, plan, lambda: str(uuid.uuid4()))
    changes = await _chat_edits_noted(session, reconciled.changes, plan.zone)
    if dry_run or (stored is not None and not changes):
        return ImportReport(changes, applied=False)
    await _save(session, clock, reconciled.plan)
    return ImportReport(changes, applied=True)


async def _chat_edits_noted(
    session: AsyncSession, changes: tuple[PlanChange, ...], zone: ZoneInfo
) -> tuple[PlanChange, ...]:
    """``changes`` with each changed template that was changed in chat since the last import
    marked as overwritten, with that moment: the file is the source
    (docs/decisions/incidents.md)."""
    if not any(c.kind is PlanChangeKind.INCIDENT_TEMPLATE_CHANGED for c in changes):
        return changes
    imported_at = await session.scalar(select(PlanInfoRow.imported_at).where(PlanInfoRow.id == 1))
    edits = await chat_edits_since(session, imported_at)
    noted = []
    for change in changes:
        edit = edits.get(change.subject)
        if change.kind is PlanChangeKind.INCIDENT_TEMPLATE_CHANGED and edit is not None:
            moment = f"{edit.at.astimezone(zone):%d-%m-%Y %H:%M}"
            kind = PlanChangeKind.INCIDENT_TEMPLATE_OVERWRITTEN
            change = PlanChange(kind, change.subject, context=moment)
        noted.append(change)
    return tuple(noted)


# ---------------------------------------------------------------------------------- reading


async def _load(session: AsyncSession) -> Plan | None:
    info = await session.get(PlanInfoRow, 1)
    if info is None:
        return None
    organisations = (
        await session.scalars(select(OrganisationRow).order_by(OrganisationRow.id))
    ).all()
    groups = (await session.scalars(select(GroupRow).order_by(GroupRow.id))).all()
    overleggen = (
        await session.scalars(
            select(OverlegRow).where(OverlegRow.active).order_by(OverlegRow.position)
        )
    ).all()
    meetings = (await session.scalars(select(MeetingRow).order_by(MeetingRow.id))).all()
    changes = (await session.scalars(select(OccurrenceChangeRow))).all()
    products = (await session.scalars(select(ProductRow).order_by(ProductRow.position))).all()
    rules = (
        await session.scalars(select(ReminderRuleRow).order_by(ReminderRuleRow.position))
    ).all()
    return Plan(
        name=info.name,
        zone=ZoneInfo(info.timezone),
        version=info.version,
        organisations=tuple(Organisation(o.code, o.name, o.kind, o.on_call) for o in organisations),
        groups=tuple(Group(g.code, g.name) for g in groups),
        overleggen=tuple(_overleg(row) for row in overleggen),
        meetings=tuple(_meeting(row) for row in meetings),
        occurrence_changes=tuple(_occurrence_change(row) for row in changes),
        products=tuple(_product(row) for row in products),
        reminders=tuple(_rule(row) for row in rules),
        incident_templates=await load_templates(session),
    )


def _overleg(row: OverlegRow) -> Overleg:
    derived = None
    if row.derived_from_code is not None and row.derived_days_before is not None:
        derived = Derivation(row.derived_from_code, row.derived_days_before)
    recurrence = None
    if row.recurrence_rule is not None and row.recurrence_begin is not None:
        recurrence = Recurrence(
            row.recurrence_rule,
            row.recurrence_begin,
            row.recurrence_start,
            row.recurrence_end,
            row.recurrence_location,
        )
    return Overleg(
        code=row.code,
        name=row.name,
        purpose=row.purpose,
        trekker=row.trekker.code,
        participants=tuple(group.code for group in row.participants),
        accepts_agenda_items=row.accepts_agenda_items,
        derived=derived,
        closes_agenda_of=row.closes_agenda_of_code,
        recurrence=recurrence,
        call_days_before=row.call_days_before,
        fixed_items=_fixed_items(row.fixed_items),
        reviewers=row.reviewers_code,
    )


def _fixed_items(stored: dict[str, list[str]] | list[str] | None) -> FixedItems:
    if isinstance(stored, dict):
        return FixedItems(tuple(stored.get("opening", ())), tuple(stored.get("closing", ())))
    return FixedItems.from_list(stored or ())


def _when(
    day: date | None, month: str | None, start: time | None = None, end: time | None = None
) -> When:
    return When(day=day, month=YearMonth.parse(month) if month else None, start=start, end=end)


def _meeting(row: MeetingRow) -> Meeting:
    return Meeting(
        uid=row.uid,
        overleg=row.overleg.code,
        when=_when(row.day, row.month, row.start, row.end),
        title=row.title,
        location=row.location,
        theme=row.theme,
        participants=tuple(g.code for g in row.participants) if row.own_participants else None,
        sequence=row.sequence,
        cancelled=row.cancelled,
    )


def _occurrence_change(row: OccurrenceChangeRow) -> OccurrenceChange:
    moved = None if row.day is None else _when(row.day, None, row.start, row.end)
    return OccurrenceChange(row.overleg.code, row.original_day, moved, row.sequence)


def _product(row: ProductRow) -> Product:
    milestones = tuple(
        Milestone(m.uid, m.description, _when(m.day, m.month), m.done) for m in row.milestones
    )
    return Product(row.name, row.owner.code, tuple(g.code for g in row.involved), milestones)


def _rule(row: ReminderRuleRow) -> ReminderRule:
    days = tuple(int(day) for day in row.days_before.split(",") if day)
    return ReminderRule(row.target, days, row.at, row.audience)


# ---------------------------------------------------------------------------------- writing


async def _save(session: AsyncSession, clock: Clock, plan: Plan) -> None:
    info = await session.get(PlanInfoRow, 1)
    if info is None:
        info = PlanInfoRow(id=1)
        session.add(info)
    info.name, info.timezone, info.version = plan.name, plan.zone.key, plan.version
    info.imported_at = clock.now()
    organisations = await _save_organisations(session, plan.organisations)
    groups = await _save_groups(session, plan.groups)
    overleggen = await _save_overleggen(session, plan.overleggen, organisations, groups)
    await _save_meetings(session, plan.meetings, overleggen, groups)
    await _save_occurrence_changes(session, plan.occurrence_changes, overleggen)
    await _save_products(session, plan.products, organisations, groups)
    await session.execute(delete(ReminderRuleRow))
    session.add_all(
        ReminderRuleRow(
            target=rule.target,
            days_before=",".join(str(day) for day in rule.days_before),
            at=rule.at,
            audience=rule.audience,
            position=position,
        )
        for position, rule in enumerate(plan.reminders)
    )
    await save_templates(session, plan.incident_templates)


_Coded = TypeVar("_Coded", OrganisationRow, GroupRow, OverlegRow)


async def _coded_rows(
    session: AsyncSession, model: type[_Coded], codes: Iterable[str], present: str
) -> dict[str, _Coded]:
    """Every row of ``model`` by code, with new rows added for ``codes`` not stored yet; the
    flag ``present`` says whether the plan still names a row (rows stay for the record)."""
    wanted = list(codes)
    rows = {row.code: row for row in await session.scalars(select(model))}
    for code in wanted:
        if code not in rows:  # in the plan's order, so new rows get their ids in that order
            rows[code] = model(code=code)
            session.add(rows[code])
    for code, row in rows.items():
        setattr(row, present, code in wanted)
    return rows


async def _save_organisations(
    session: AsyncSession, organisations: Sequence[Organisation]
) -> dict[str, OrganisationRow]:
    rows = await _coded_rows(session, OrganisationRow, [o.code for o in organisations], "in_plan")
    for organisation in organisations:
        row = rows[organisation.code]
        row.name, row.kind, row.on_call = organisation.name, organisation.kind, organisation.on_call
    return rows


async def _save_groups(session: AsyncSession, groups: Sequence[Group]) -> dict[str, GroupRow]:
    rows = await _coded_rows(session, GroupRow, [g.code for g in groups], "in_plan")
    for group in groups:
        rows[group.code].name = group.name
    return rows


async def _save_overleggen(
    session: AsyncSession,
    overleggen: Sequence[Overleg],
    organisations: dict[str, OrganisationRow],
    groups: dict[str, GroupRow],
) -> dict[str, OverlegRow]:
    rows = await _coded_rows(session, OverlegRow, [o.code for o in overleggen], "active")
    for position, overleg in enumerate(overleggen):
        row = rows[overleg.code]
        row.name, row.purpose, row.position = overleg.name, overleg.purpose, position
        row.trekker = organisations[overleg.trekker]
        row.participants = [groups[code] for code in overleg.participants]
        row.accepts_agenda_items = overleg.accepts_agenda_items
        row.closes_agenda_of_code = overleg.closes_agenda_of
        row.call_days_before = overleg.call_days_before
        fixed = overleg.fixed_items
        row.fixed_items = {"opening": list(fixed.opening), "closing": list(fixed.closing)}
        row.reviewers_code = overleg.reviewers
        row.derived_from_code = overleg.derived.parent if overleg.derived else None
        row.derived_days_before = overleg.derived.days_before if overleg.derived else None
        recurrence = overleg.recurrence
        row.recurrence_rule = recurrence.rule if recurrence else None
        row.recurrence_begin = recurrence.begin if recurrence else None
        row.recurrence_start = recurrence.start if recurrence else None
        row.recurrence_end = recurrence.end if recurrence else None
        row.recurrence_location = recurrence.location if recurrence else None
    return rows


async def _save_meetings(
    session: AsyncSession,
    meetings: Iterable[Meeting],
    overleggen: dict[str, OverlegRow],
    groups: dict[str, GroupRow],
) -> None:
    rows = {row.uid: row for row in await session.scalars(select(MeetingRow))}
    for meeting in meetings:
        row = rows.get(meeting.uid)
        if row is None:
            row = rows[meeting.uid] = MeetingRow(uid=meeting.uid)
            session.add(row)
        row.overleg = overleggen[meeting.overleg]
        when = meeting.when
        row.day, row.start, row.end = when.day, when.start, when.end
        row.month = str(when.month) if when.month else None
        row.title, row.location, row.theme = meeting.title, meeting.location, meeting.theme
        row.own_participants = meeting.participants is not None
        row.participants = [groups[code] for code in meeting.participants or ()]
        row.sequence, row.cancelled = meeting.sequence, meeting.cancelled


async def _save_occurrence_changes(
    session: AsyncSession, changes: Iterable[OccurrenceChange], overleggen: dict[str, OverlegRow]
) -> None:
    await session.execute(delete(OccurrenceChangeRow))
    for change in changes:
        moved = change.moved_to
        session.add(
            OccurrenceChangeRow(
                overleg=overleggen[change.overleg],
                original_day=change.original_day,
                day=moved.day if moved else None,
                start=moved.start if moved else None,
                end=moved.end if moved else None,
                sequence=change.sequence,
            )
        )


async def _save_products(
    session: AsyncSession,
    products: Iterable[Product],
    organisations: dict[str, OrganisationRow],
    groups: dict[str, GroupRow],
) -> None:
    rows = {row.name: row for row in await session.scalars(select(ProductRow))}
    wanted: set[str] = set()
    for position, product in enumerate(products):
        wanted.add(product.name)
        row = rows.get(product.name)
        if row is None:
            row = rows[product.name] = ProductRow(name=product.name, milestones=[])
            session.add(row)
        row.owner, row.position = organisations[product.owner], position
        row.involved = [groups[code] for code in product.involved]
        row.milestones = _milestone_rows(row, product.milestones)
    for name, row in rows.items():
        if name not in wanted:
            await session.delete(row)


def _milestone_rows(product: ProductRow, milestones: Iterable[Milestone]) -> list[MilestoneRow]:
    existing = {row.uid: row for row in product.milestones}
    rows: list[MilestoneRow] = []
    for position, milestone in enumerate(milestones):
        row = existing.get(milestone.uid) or MilestoneRow(uid=milestone.uid)
        row.description, row.position, row.done = milestone.description, position, milestone.done
        row.day = milestone.when.day
        row.month = str(milestone.when.month) if milestone.when.month else None
        rows.append(row)
    return rows
