"""Publishing a meeting's agenda: what would go out, and the record of each publication.

Publishing records a new version per meeting each time, so a corrected agenda reaches everyone
again. Only a coordinator publishes, only accepted items, only before the meeting is over and
not when it is cancelled. The operator's export reads the same draft without a coordinator
(:mod:`planning.agenda_items.export`). Service functions take the session and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.changes import (
    AgendaChange,
    AgendaEntry,
    changes,
    from_json,
    snapshot,
    to_json,
)
from planning.agenda_items.documents import DocumentView, documents_of
from planning.agenda_items.rules import (
    AgendaItemError,
    AgendaItemRefusal,
    fixed_items,
    meetings_around,
)
from planning.agenda_items.services import accepted_meeting_keys, agenda_of, coordinator
from planning.agenda_items.tables import AgendaPublicationRow
from planning.agenda_items.views import AgendaItemView, with_meeting
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import LISTING_AHEAD, is_over, meeting_order
from planning.calendar.model import NO_FIXED_ITEMS, FixedItems
from planning.clock import Clock
from planning.db import Conflict
from planning.membership.lookups import members_in_groups
from planning.plan.store import load_plan


class _Numbered:
    """What a draft and a publication share: their points numbered, and the changes since the
    version before."""

    items: tuple[AgendaItemView, ...]
    fixed: FixedItems
    previous: tuple[AgendaEntry, ...] | None

    def numbered(self) -> list[tuple[int, str | AgendaItemView]]:
        """The agenda's points as numbered: see :func:`numbered`."""
        return numbered(self.items, self.fixed)

    def changes(self) -> list[AgendaChange] | None:
        """What changed since the last publication; None when there is nothing to compare."""
        if self.previous is None:
            return None
        return changes(self.previous, snapshot(self.numbered()))


@dataclass(frozen=True)
class AgendaDraft(_Numbered):
    """A meeting's agenda as it would be published: the accepted items by position."""

    meeting: CalendarEntry
    items: tuple[AgendaItemView, ...]
    published_versions: int  # how many times it was published before
    fixed: FixedItems = NO_FIXED_ITEMS  # the overleg's vaste_punten, opening and closing it
    documents: tuple[DocumentView, ...] = ()  # the items' documents, by item then attached
    # What the last publication held; None before the first (or if it stored nothing).
    previous: tuple[AgendaEntry, ...] | None = None


@dataclass(frozen=True)
class Publication(_Numbered):
    """A published agenda: ``version`` counts from 1; ``recipients`` are the Telegram user ids
    of the meeting's active participants."""

    meeting: CalendarEntry
    items: tuple[AgendaItemView, ...]
    version: int
    published_at: datetime
    published_by: int
    recipients: tuple[int, ...]
    fixed: FixedItems = NO_FIXED_ITEMS
    documents: tuple[DocumentView, ...] = ()
    previous: tuple[AgendaEntry, ...] | None = None  # what the version before held

    @property
    def published_versions(self) -> int:
        """How many versions went out before this one."""
        return self.version - 1


def numbered(
    items: Sequence[AgendaItemView], fixed: FixedItems | Sequence[str]
) -> list[tuple[int, str | AgendaItemView]]:
    """Every point of the agenda with its number from 1: the opening fixed items (text), the
    accepted items by position, then the closing fixed item (docs/decisions/agenda-items.md).
    Texts, the change list and the export all number by this."""
    opening, closing = fixed_items(fixed)
    return list(enumerate([*opening, *items, *closing], start=1))


async def publishable_meetings(
    session: AsyncSession, clock: Clock, coordinator_id: int
) -> list[AgendaDraft]:
    """For /publiceer: meetings not over and not cancelled that have accepted items."""
    now = clock.now()
    await coordinator(session, coordinator_id)
    keys = await accepted_meeting_keys(session)
    plan = await load_plan(session)
    if plan is None or not keys:
        return []
    meetings = [e for e in meetings_around(plan, now, LISTING_AHEAD) if e.key in keys]
    live = [e for e in meetings if not e.cancelled and not is_over(e, now, plan.zone)]
    return [await load_draft(session, entry) for entry in sorted(live, key=meeting_order)]


async def agenda_draft(
    session: AsyncSession, clock: Clock, coordinator_id: int, meeting_key: str
) -> AgendaDraft:
    """One meeting's agenda as members would see it.

    NOT_COORDINATOR, NOT_OPEN (unknown, cancelled or over), NOTHING_ACCEPTED when empty.
    """
    await coordinator(session, coordinator_id)
    draft = await load_draft(session, await live_meeting(session, clock, meeting_key))
    if not draft.items:
        raise AgendaItemError(AgendaItemRefusal.NOTHING_ACCEPTED)
    return draft


class AgendaChangedError(Exception):
    """The agenda is no longer in the order the coordinator saw; ``draft`` is how it stands."""

    def __init__(self, draft: AgendaDraft) -> None:
        super().__init__(draft.meeting.key)
        self.draft = draft


async def record_publication(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    meeting_key: str,
    shown: Sequence[int] | None = None,
) -> Publication:
    """Record the next publication of a meeting's agenda and say to whom it goes.

    Refused for non-coordinators, unknown, cancelled or past meetings (NOT_OPEN) and agendas
    without accepted items (NOTHING_ACCEPTED). Two publications of one meeting at once cannot
    take the same version: the second raises :class:`~planning.db.Conflict` and is tried again.
    The publication stores what it holds, for the next version's list of changes. With
    ``shown`` (the item ids of the preview, in order) an agenda that changed since raises
    :class:`AgendaChangedError` and nothing is recorded.
    """
    now = clock.now()
    draft = await agenda_draft(session, clock, coordinator_id, meeting_key)
    if shown is not None and [item.id for item in draft.items] != list(shown):
        raise AgendaChangedError(draft)
    participants = await members_in_groups(session, draft.meeting.participants)
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
            items=to_json(snapshot(draft.numbered())),
        )
    )
    try:
        await session.flush()
    except IntegrityError as taken:
        raise Conflict from taken
    return Publication(
        meeting=draft.meeting,
        items=draft.items,
        version=version,
        published_at=now,
        published_by=coordinator_id,
        recipients=tuple(member.telegram_user_id for member in participants),
        fixed=draft.fixed,
        documents=draft.documents,
        previous=draft.previous,
    )


async def live_meeting(session: AsyncSession, clock: Clock, meeting_key: str) -> CalendarEntry:
    """The meeting, if it is known, not cancelled and not over; else NOT_OPEN."""
    now = clock.now()
    plan = await load_plan(session)
    if plan is not None:
        for entry in meetings_around(plan, now, LISTING_AHEAD):
            if entry.key == meeting_key and not entry.cancelled:
                if not is_over(entry, now, plan.zone):
                    return entry
                break
    raise AgendaItemError(AgendaItemRefusal.NOT_OPEN)


async def load_draft(session: AsyncSession, entry: CalendarEntry) -> AgendaDraft:
    """The meeting's agenda as it stands in the database, with what its last publication
    held."""
    items = (await agenda_of(session, [entry.key])).get(entry.key, [])
    last = await session.scalar(
        select(AgendaPublicationRow)
        .where(AgendaPublicationRow.meeting_key == entry.key)
        .order_by(AgendaPublicationRow.version.desc())
        .limit(1)
    )
    described = tuple(with_meeting(item, entry) for item in items)
    plan = await load_plan(session)
    overleg = plan.overleg(entry.overleg) if plan is not None and entry.overleg else None
    attached = await documents_of(session, [item.id for item in items])
    return AgendaDraft(
        entry,
        described,
        last.version if last is not None else 0,
        fixed=overleg.fixed_items if overleg is not None else NO_FIXED_ITEMS,
        documents=tuple(d for item in described for d in attached.get(item.id, ())),
        previous=from_json(last.items) if last is not None and last.items is not None else None,
    )
