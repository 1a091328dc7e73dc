"""Agenda items (agendapunten): members submit points for a meeting, coordinators review them.

Each async function is one use case that owns its transaction, with the clock passed in; what a
person can get wrong is raised as :class:`~planning.agenda_items.rules.AgendaItemError` with a
:class:`~planning.agenda_items.rules.AgendaItemRefusal` the texts
turn into Dutch (:func:`berichten.texts.agenda_items.refusal_text`). What leaves this module is
plain data (:class:`AgendaItemView`, :class:`OpenMeeting`), never an ORM object.

The rules of who may submit for which meeting until when are in
:mod:`planning.agenda_items.rules`; here:

- **Statuses**: waiting, then accepted or declined by a coordinator (final: a second review
  returns what happened instead of changing it), or withdrawn by the submitter while waiting.
  An accepted item gets the next ``position`` on its meeting's agenda (order of acceptance).
- Items are tied to the meeting's :attr:`Entry.key`, stable across moves; a cancelled meeting's
  items stay for the coordinators to see, but the meeting is not offered any more. Items of a
  meeting that is over (:func:`planning.calendar.listings.is_over`) leave the lists.
- **Publishing** records a new version per meeting each time (so a corrected agenda reaches
  everyone again); only a coordinator publishes, only accepted items, only before the meeting
  is over and not when it is cancelled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.rules import (
    AgendaItemError,
    AgendaItemRefusal,
    OpenMeeting,
    clean_explanation,
    clean_title,
    may_attend,
    meetings_around,
    offered_meetings,
    open_calendar,
)
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus, AgendaPublicationRow
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import HORIZON, is_over, meeting_order
from planning.calendar.model import Plan, When
from planning.clock import Clock
from planning.db import Database
from planning.membership.services import members_in_groups
from planning.membership.tables import MemberRow
from planning.plan.store import load_plan

LOOKBACK = timedelta(days=400)  # how far back meetings are looked up to describe old items
_ATTEMPTS = 5  # a position or version taken by a concurrent review or publication: try again


@dataclass(frozen=True)
class AgendaItemView:
    """One item as texts show it: plain data, read inside one session.

    ``meeting_title`` and ``meeting_when`` are None when the meeting is not (or no longer) in
    the calendar around now; :func:`agenda_of` and :func:`waiting_for` leave them None, since
    their callers know the meetings already.
    """

    id: int
    meeting_key: str
    overleg_code: str
    title: str
    explanation: str | None
    status: AgendaItemStatus
    submitted_by: int
    submitter_name: str
    submitter_organisation: str  # the organisation's name; "" when unknown
    submitted_at: datetime
    reviewed_by: int | None = None
    reviewer_name: str | None = None
    reviewed_at: datetime | None = None
    position: int | None = None
    meeting_title: str | None = None
    meeting_when: When | None = None
    meeting_cancelled: bool = False


@dataclass(frozen=True)
class ReviewOutcome:
    """The item after a review; ``changed`` is False when it had been reviewed (or withdrawn)
    already, and the item says by whom and how."""

    item: AgendaItemView
    changed: bool


@dataclass(frozen=True)
class AgendaDraft:
    """A meeting's agenda as it would be published: the accepted items by position."""

    meeting: CalendarEntry
    items: tuple[AgendaItemView, ...]
    published_versions: int  # how many times it was published before


@dataclass(frozen=True)
class Publication:
    """A published agenda: ``version`` counts from 1; ``recipients`` are the Telegram user ids
    of the meeting's active participants."""

    meeting: CalendarEntry
    items: tuple[AgendaItemView, ...]
    version: int
    published_at: datetime
    published_by: int
    recipients: tuple[int, ...]


# ------------------------------------------------------------------ use cases


async def open_meetings(db: Database, clock: Clock, telegram_user_id: int) -> list[OpenMeeting]:
    """The meetings this member may submit items for now: per overleg the first open one."""
    async with db.session() as session:
        member = await _member(session, telegram_user_id)
    plan = await load_plan(db)
    if member is None or not member.is_active or plan is None:
        return []
    return offered_meetings(member, plan, clock.now())


async def submit(
    db: Database,
    clock: Clock,
    telegram_user_id: int,
    meeting_key: str,
    title: str,
    explanation: str | None,
    along: Callable[[AsyncSession, AgendaItemView], Awaitable[object]] | None = None,
) -> AgendaItemView:
    """Store a new waiting item; refused when the member may not or the agenda closed.

    Any meeting whose agenda is open may be chosen (not only the offered one), so a draft made
    for one meeting is refused only when that meeting's agenda closed in the meantime.

    ``along`` writes, in the same transaction, what must exist exactly when the item does: the
    coordinators' notice (:func:`berichten.agenda_items.submit_and_notify`), so a crash
    cannot leave an item waiting that no coordinator heard of.
    """
    now = clock.now()
    plan = await load_plan(db)
    async with db.session() as session:
        member = await _member(session, telegram_user_id)
        if member is None or not member.is_active:
            raise AgendaItemError(AgendaItemRefusal.NOT_MEMBER)
        meeting = _open_meeting(plan, now, meeting_key)
        if meeting is not None and not may_attend(member, meeting.entry):
            raise AgendaItemError(AgendaItemRefusal.NOT_MEMBER)
        if meeting is None:
            raise AgendaItemError(AgendaItemRefusal.NOT_OPEN)
        row = AgendaItemRow(
            meeting_key=meeting_key,
            overleg_code=meeting.entry.overleg or "",
            title=clean_title(title),
            explanation=clean_explanation(explanation),
            submitted_by=telegram_user_id,
            submitted_at=now,
            status=AgendaItemStatus.WAITING,
        )
        session.add(row)
        await session.flush()  # the item's id, for the notice's key and buttons
        view = _view(row, {telegram_user_id: member}, {meeting_key: meeting.entry})
        if along is not None:
            await along(session, view)
        await session.commit()
        return view


def _open_meeting(plan: Plan | None, now: datetime, meeting_key: str) -> OpenMeeting | None:
    if plan is None:
        return None
    return next((m for m in open_calendar(plan, now) if m.entry.key == meeting_key), None)


async def withdraw_item(
    db: Database, clock: Clock, telegram_user_id: int, item_id: int
) -> AgendaItemView:
    """The submitter takes back an own item that is still waiting.

    UNKNOWN_ITEM for someone else's item (as for one that does not exist: nothing to tell),
    NOT_WAITING once it was reviewed or withdrawn.
    """
    now = clock.now()
    async with db.session() as session:
        row = await session.get(AgendaItemRow, item_id)
        if row is None or row.submitted_by != telegram_user_id:
            raise AgendaItemError(AgendaItemRefusal.UNKNOWN_ITEM)
        # Conditional, like a review: a coordinator's press at the same moment wins or loses
        # as a whole.
        result = await session.execute(
            update(AgendaItemRow)
            .where(AgendaItemRow.id == item_id, AgendaItemRow.status == AgendaItemStatus.WAITING)
            .values(status=AgendaItemStatus.WITHDRAWN, reviewed_at=now)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise AgendaItemError(AgendaItemRefusal.NOT_WAITING)
        await session.commit()
        await session.refresh(row)
    return (await _views(db, clock, [row]))[0]


async def my_items(db: Database, clock: Clock, telegram_user_id: int) -> list[AgendaItemView]:
    """The member's own items for meetings that are not over (any status), by meeting."""
    async with db.session() as session:
        rows = list(
            await session.scalars(
                select(AgendaItemRow)
                .where(AgendaItemRow.submitted_by == telegram_user_id)
                .order_by(AgendaItemRow.submitted_at, AgendaItemRow.id)
            )
        )
    return await _upcoming_views(db, clock, rows)


async def waiting_items(db: Database, clock: Clock) -> list[AgendaItemView]:
    """The coordinators' review list: waiting items of meetings that are not over (cancelled
    ones too, flagged), by meeting, then by submission."""
    async with db.session() as session:
        rows = list(
            await session.scalars(
                select(AgendaItemRow)
                .where(AgendaItemRow.status == AgendaItemStatus.WAITING)
                .order_by(AgendaItemRow.submitted_at, AgendaItemRow.id)
            )
        )
    return await _upcoming_views(db, clock, rows)


async def review(
    db: Database,
    clock: Clock,
    coordinator_id: int,
    item_id: int,
    accept: bool,
    along: Callable[[AsyncSession, AgendaItemView], Awaitable[object]] | None = None,
) -> ReviewOutcome:
    """Accept (onto the agenda, next position) or decline a waiting item; final.

    Refuses someone who is not an active coordinator (NOT_COORDINATOR) and unknown items. The
    update is conditional on the item still waiting, so of two presses at once exactly one
    decides; the other gets the decision back with ``changed`` False.

    ``along`` writes, in the decision's transaction, what must exist exactly when the decision
    does: the submitter's notice (:func:`berichten.agenda_items.review_and_notify`), so a
    crash cannot leave a decision the submitter never hears of. It gets the item as it stands
    after every review, not only the deciding one, so a decision recorded without its notice
    (before notices were queued this way) still gets one.
    """
    now = clock.now()
    meetings = await _meeting_index(db, clock)  # read before the transaction: it needs no lock
    for attempt in range(_ATTEMPTS):
        async with db.session() as session:
            await _coordinator(session, coordinator_id)
            row = await session.get(AgendaItemRow, item_id)
            if row is None:
                raise AgendaItemError(AgendaItemRefusal.UNKNOWN_ITEM)
            values: dict[str, object] = {"reviewed_by": coordinator_id, "reviewed_at": now}
            if accept:
                highest = await session.scalar(
                    select(func.max(AgendaItemRow.position)).where(
                        AgendaItemRow.meeting_key == row.meeting_key
                    )
                )
                values |= {"status": AgendaItemStatus.ACCEPTED, "position": (highest or 0) + 1}
            else:
                values["status"] = AgendaItemStatus.DECLINED
            try:
                result = await session.execute(
                    update(AgendaItemRow)
                    .where(
                        AgendaItemRow.id == item_id,
                        AgendaItemRow.status == AgendaItemStatus.WAITING,
                    )
                    .values(**values)
                )
                changed = result.rowcount == 1  # type: ignore[attr-defined]
                await session.refresh(row)
                item = _view(row, await _people(session, [row]), meetings)
                if along is not None:
                    await along(session, item)
                await session.commit()
            except IntegrityError:
                # Another coordinator accepted an item of the same meeting at this moment and
                # took the number: count again.
                if attempt == _ATTEMPTS - 1:
                    raise
                continue
        return ReviewOutcome(item, changed)
    raise AssertionError("unreachable")  # pragma: no cover


async def agenda_of(db: Database, meeting_keys: Iterable[str]) -> dict[str, list[AgendaItemView]]:
    """The accepted items of these meetings by position; meetings without any are left out."""
    return await _of(db, meeting_keys, AgendaItemStatus.ACCEPTED)


async def waiting_for(db: Database, meeting_keys: Iterable[str]) -> dict[str, list[AgendaItemView]]:
    """The waiting items of these meetings by submission; meetings without any are left out."""
    return await _of(db, meeting_keys, AgendaItemStatus.WAITING)


async def _of(
    db: Database, meeting_keys: Iterable[str], status: AgendaItemStatus
) -> dict[str, list[AgendaItemView]]:
    keys = sorted(set(meeting_keys))
    if not keys:
        return {}
    order = (
        (AgendaItemRow.position,)
        if status == AgendaItemStatus.ACCEPTED
        else (AgendaItemRow.submitted_at, AgendaItemRow.id)
    )
    found: dict[str, list[AgendaItemView]] = {}
    async with db.session() as session:
        rows: list[AgendaItemRow] = []
        for start in range(0, len(keys), 500):  # well under every database's parameter limit
            rows += await session.scalars(
                select(AgendaItemRow)
                .where(AgendaItemRow.meeting_key.in_(keys[start : start + 500]))
                .where(AgendaItemRow.status == status)
                .order_by(*order)
            )
        people = await _people(session, rows)
    for row in rows:
        found.setdefault(row.meeting_key, []).append(_view(row, people, {}))
    return found


async def publishable_meetings(
    db: Database, clock: Clock, coordinator_id: int
) -> list[AgendaDraft]:
    """For /publiceer: meetings not over and not cancelled that have accepted items."""
    now = clock.now()
    async with db.session() as session:
        await _coordinator(session, coordinator_id)
        keys = set(
            await session.scalars(
                select(AgendaItemRow.meeting_key).where(
                    AgendaItemRow.status == AgendaItemStatus.ACCEPTED
                )
            )
        )
    plan = await load_plan(db)
    if plan is None or not keys:
        return []
    meetings = {e.key: e for e in meetings_around(plan, now, HORIZON) if e.key in keys}
    live = [e for e in meetings.values() if not e.cancelled and not is_over(e, now, plan.zone)]
    return [await _draft(db, entry) for entry in sorted(live, key=meeting_order)]


async def agenda_draft(
    db: Database, clock: Clock, coordinator_id: int, meeting_key: str
) -> AgendaDraft:
    """One meeting's agenda as members would see it.

    NOT_COORDINATOR, NOT_OPEN (unknown, cancelled or over), NOTHING_ACCEPTED when empty.
    """
    async with db.session() as session:
        await _coordinator(session, coordinator_id)
    entry = await _live_meeting(db, clock, meeting_key)
    draft = await _draft(db, entry)
    if not draft.items:
        raise AgendaItemError(AgendaItemRefusal.NOTHING_ACCEPTED)
    return draft


async def record_publication(
    db: Database,
    clock: Clock,
    coordinator_id: int,
    meeting_key: str,
    along: Callable[[AsyncSession, Publication], Awaitable[object]] | None = None,
) -> Publication:
    """Record the next publication of a meeting's agenda and say to whom it goes.

    Refused for non-coordinators, unknown, cancelled or past meetings (NOT_OPEN) and agendas
    without accepted items (NOTHING_ACCEPTED). ``along`` writes, in the same transaction, what
    must exist exactly when the publication does: the messages to the participants
    (:func:`berichten.agenda_items.publish_agenda`), so a crash cannot leave a publication
    that reaches nobody, or messages of a version that was never recorded.
    """
    now = clock.now()
    draft = await agenda_draft(db, clock, coordinator_id, meeting_key)
    participants = await members_in_groups(db, draft.meeting.participants)
    recipients = tuple(member.telegram_user_id for member in participants)
    for attempt in range(_ATTEMPTS):
        async with db.session() as session:
            highest = await session.scalar(
                select(func.max(AgendaPublicationRow.version)).where(
                    AgendaPublicationRow.meeting_key == meeting_key
                )
            )
            version = (highest or 0) + 1
            session.add(
                AgendaPublicationRow(
                    meeting_key=meeting_key,
                    version=version,
                    published_at=now,
                    published_by=coordinator_id,
                )
            )
            try:
                await session.flush()
            except IntegrityError:
                # A publication of the same meeting at this moment took the version: count again.
                if attempt == _ATTEMPTS - 1:
                    raise
                continue
            publication = Publication(
                meeting=draft.meeting,
                items=draft.items,
                version=version,
                published_at=now,
                published_by=coordinator_id,
                recipients=recipients,
            )
            if along is not None:
                await along(session, publication)
            await session.commit()
        return publication
    raise AssertionError("unreachable")  # pragma: no cover


# ------------------------------------------------------------------ helpers


async def _member(session: AsyncSession, telegram_user_id: int) -> MemberRow | None:
    return await session.scalar(
        select(MemberRow).where(MemberRow.telegram_user_id == telegram_user_id)
    )


async def _coordinator(session: AsyncSession, telegram_user_id: int) -> MemberRow:
    member = await _member(session, telegram_user_id)
    if member is None or not member.is_active or not member.is_coordinator:
        raise AgendaItemError(AgendaItemRefusal.NOT_COORDINATOR)
    return member


async def _people(session: AsyncSession, rows: Iterable[AgendaItemRow]) -> dict[int, MemberRow]:
    ids = {row.submitted_by for row in rows} | {
        row.reviewed_by for row in rows if row.reviewed_by is not None
    }
    if not ids:
        return {}
    found = await session.scalars(select(MemberRow).where(MemberRow.telegram_user_id.in_(ids)))
    return {member.telegram_user_id: member for member in found}


async def _live_meeting(db: Database, clock: Clock, meeting_key: str) -> CalendarEntry:
    """The meeting, if it is known, not cancelled and not over; else NOT_OPEN."""
    now = clock.now()
    plan = await load_plan(db)
    if plan is not None:
        for entry in meetings_around(plan, now, HORIZON):
            if entry.key == meeting_key and not entry.cancelled:
                if not is_over(entry, now, plan.zone):
                    return entry
                break
    raise AgendaItemError(AgendaItemRefusal.NOT_OPEN)


async def _draft(db: Database, entry: CalendarEntry) -> AgendaDraft:
    items = (await agenda_of(db, [entry.key])).get(entry.key, [])
    async with db.session() as session:
        published = await session.scalar(
            select(func.count()).where(AgendaPublicationRow.meeting_key == entry.key)
        )
    described = tuple(_with_meeting(item, entry) for item in items)
    return AgendaDraft(entry, described, int(published or 0))


async def _views(db: Database, clock: Clock, rows: Sequence[AgendaItemRow]) -> list[AgendaItemView]:
    """Views of ``rows`` with names and, where the calendar knows it, the meeting."""
    meetings = await _meeting_index(db, clock)
    async with db.session() as session:
        people = await _people(session, rows)
    return [_view(row, people, meetings) for row in rows]


async def _upcoming_views(
    db: Database, clock: Clock, rows: Sequence[AgendaItemRow]
) -> list[AgendaItemView]:
    """The rows whose meeting is known and not over, by meeting, then as given."""
    plan = await load_plan(db)
    if plan is None or not rows:
        return []
    now = clock.now()
    meetings = {e.key: e for e in meetings_around(plan, now, HORIZON, LOOKBACK)}
    kept = [
        row
        for row in rows
        if row.meeting_key in meetings and not is_over(meetings[row.meeting_key], now, plan.zone)
    ]
    async with db.session() as session:
        people = await _people(session, kept)
    position = {row.id: index for index, row in enumerate(kept)}
    kept.sort(key=lambda row: (meeting_order(meetings[row.meeting_key]), position[row.id]))
    return [_view(row, people, meetings) for row in kept]


async def _meeting_index(db: Database, clock: Clock) -> dict[str, CalendarEntry]:
    plan = await load_plan(db)
    if plan is None:
        return {}
    return {e.key: e for e in meetings_around(plan, clock.now(), HORIZON, LOOKBACK)}


def _view(
    row: AgendaItemRow, people: dict[int, MemberRow], meetings: dict[str, CalendarEntry]
) -> AgendaItemView:
    submitter = people.get(row.submitted_by)
    reviewer = people.get(row.reviewed_by) if row.reviewed_by is not None else None
    organisation = submitter.organisation if submitter is not None else None
    view = AgendaItemView(
        id=row.id,
        meeting_key=row.meeting_key,
        overleg_code=row.overleg_code,
        title=row.title,
        explanation=row.explanation,
        status=AgendaItemStatus(row.status),
        submitted_by=row.submitted_by,
        submitter_name=submitter.name if submitter is not None else "",
        submitter_organisation=organisation.name if organisation is not None else "",
        submitted_at=row.submitted_at,
        reviewed_by=row.reviewed_by,
        reviewer_name=reviewer.name if reviewer is not None else None,
        reviewed_at=row.reviewed_at,
        position=row.position,
    )
    meeting = meetings.get(row.meeting_key)
    return view if meeting is None else _with_meeting(view, meeting)


def _with_meeting(view: AgendaItemView, meeting: CalendarEntry) -> AgendaItemView:
    return replace(
        view,
        meeting_title=meeting.title,
        meeting_when=meeting.when,
        meeting_cancelled=meeting.cancelled,
    )
