"""Who reviews an overleg's agenda items, and the review's two other outcomes: a reason for
declining, and moving a waiting item to the overleg's next meeting.

- **Who may review an item**: an active coordinator, or an active member of the overleg's
  ``beoordelaars`` group (:attr:`planning.calendar.model.Overleg.reviewers`; for the AO the
  petit comité). :func:`may_review` is the one rule; the services, /punten, the buttons and the
  new-item notices all ask it. Publishing stays with the coordinators.
- **A reason for declining** is optional, cleaned as an explanation is
  (:func:`planning.typed_text.clean_block`), at most :data:`REASON_LIMIT` characters.
- **Moving** ("Naar volgende vergadering") takes a waiting item to
  :func:`planning.agenda_items.rules.next_meeting` of its meeting: it waits there,
  ``carried_from`` names the old meeting, ``held_over`` stays False (that marks a rollover after
  the meeting), and ``reviewed_by``/``reviewed_at`` say who moved it when.
- **A button names the meeting it was shown for** (:func:`meeting_tag`): a press on a notice of
  an item that was moved since changes nothing and says where the item went, as a second review
  says who decided.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal, next_meeting
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView, meeting_index, people, upcoming_views, view
from planning.calendar.model import Plan
from planning.clock import Clock
from planning.membership.lookups import active_coordinators, find_member, members_in_groups
from planning.membership.rules import in_audience
from planning.membership.tables import MemberRow
from planning.plan.store import load_plan
from planning.typed_text import clean_block

REASON_LIMIT = 500
TAG_LENGTH = 6


@dataclass(frozen=True)
class ReviewOutcome:
    """The item after a review or "Naar volgende vergadering"; ``changed`` is False when it had
    been reviewed, moved or withdrawn already, and the item says by whom and how."""

    item: AgendaItemView
    changed: bool


def may_review(member: MemberRow | None, plan: Plan | None, overleg_code: str) -> bool:
    """Whether ``member`` may accept, decline or move an item of ``overleg_code``: an active
    coordinator, or an active member of that overleg's ``beoordelaars`` group."""
    if member is None or not member.is_active:
        return False
    if member.is_coordinator:
        return True
    group = reviewer_group(plan, overleg_code)
    return group is not None and in_audience(member, (group,))


def reviewer_group(plan: Plan | None, overleg_code: str) -> str | None:
    """The group code of the overleg's ``beoordelaars``, if the plan gives one."""
    if plan is None:
        return None
    overleg = next((o for o in plan.overleggen if o.code == overleg_code), None)
    return overleg.reviewers if overleg is not None else None


def meeting_tag(meeting_key: str) -> str:
    """A short fingerprint of a meeting key for a review button: a press names the meeting the
    button was shown for without the key itself (callback data is at most 64 bytes)."""
    return hashlib.sha256(meeting_key.encode()).hexdigest()[:TAG_LENGTH]


def clean_reason(raw: str | None) -> str | None:
    """A reason for declining as stored (None when blank), or REASON_TOO_LONG with the limit."""
    reason = clean_block(raw)
    if not reason:
        return None
    if len(reason) > REASON_LIMIT:
        raise AgendaItemError(AgendaItemRefusal.REASON_TOO_LONG, REASON_LIMIT)
    return reason


async def reviewer_of(
    session: AsyncSession, telegram_user_id: int, item_id: int
) -> tuple[MemberRow, AgendaItemRow]:
    """The reviewer and the item they may review; NOT_REVIEWER for anyone else, UNKNOWN_ITEM
    for an item that does not exist (told only to someone who reviews some overleg)."""
    member = await find_member(session, telegram_user_id)
    plan = await load_plan(session)
    if not _reviews_any(member, plan):
        raise AgendaItemError(AgendaItemRefusal.NOT_REVIEWER)
    assert member is not None
    row = await session.get(AgendaItemRow, item_id)
    if row is None:
        raise AgendaItemError(AgendaItemRefusal.UNKNOWN_ITEM)
    if not may_review(member, plan, row.overleg_code):
        raise AgendaItemError(AgendaItemRefusal.NOT_REVIEWER)
    return member, row


async def may_review_item(session: AsyncSession, telegram_user_id: int, item_id: int) -> bool:
    """Whether this person may review this item now (the review buttons' guard); an unknown
    item is left for the service to say so."""
    member = await find_member(session, telegram_user_id)
    row = await session.get(AgendaItemRow, item_id)
    plan = await load_plan(session)
    if row is None:
        return _reviews_any(member, plan)
    return may_review(member, plan, row.overleg_code)


async def reviews_any(session: AsyncSession, telegram_user_id: int) -> bool:
    """Whether this person reviews the items of some overleg (/help lists /punten for them)."""
    return _reviews_any(await find_member(session, telegram_user_id), await load_plan(session))


async def reviewed_item(
    session: AsyncSession, clock: Clock, telegram_user_id: int, item_id: int
) -> AgendaItemView:
    """The item as a reviewer sees it before deciding (declining asks a reason first)."""
    _member, row = await reviewer_of(session, telegram_user_id, item_id)
    return view(row, await people(session, [row]), await meeting_index(session, clock))


async def items_to_review(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> list[AgendaItemView]:
    """/punten: the waiting items this person may review (a coordinator: all; a reviewer: those
    of the overleggen they review), of meetings not over, by meeting, then by submission.

    NOT_REVIEWER for someone who reviews no overleg at all.
    """
    member = await find_member(session, telegram_user_id)
    plan = await load_plan(session)
    if not _reviews_any(member, plan):
        raise AgendaItemError(AgendaItemRefusal.NOT_REVIEWER)
    rows = [
        row
        for row in await session.scalars(
            select(AgendaItemRow)
            .where(AgendaItemRow.status == AgendaItemStatus.WAITING)
            .order_by(AgendaItemRow.submitted_at, AgendaItemRow.id)
        )
        if may_review(member, plan, row.overleg_code)
    ]
    return await upcoming_views(session, clock, rows)


async def reviewers(session: AsyncSession, overleg_code: str) -> list[int]:
    """Whom a new item of ``overleg_code`` is put before: the active coordinators and the active
    members of its ``beoordelaars`` group, each once, in that order."""
    found = [member.telegram_user_id for member in await active_coordinators(session)]
    group = reviewer_group(await load_plan(session), overleg_code)
    if group is not None:
        found += [member.telegram_user_id for member in await members_in_groups(session, [group])]
    return list(dict.fromkeys(found))


async def move_to_next(
    session: AsyncSession,
    clock: Clock,
    reviewer_id: int,
    item_id: int,
    shown_for: str | None = None,
) -> ReviewOutcome:
    """Move a waiting item to its overleg's next meeting, where it waits for review.

    ``shown_for`` is the :func:`meeting_tag` of the meeting the button was shown for: when the
    item is elsewhere now, nothing changes. Conditional on the item still waiting at the same
    meeting, so of two presses at once exactly one acts. NO_NEXT_MEETING when the overleg has no
    meeting after this one (in the coming year); NOT_REVIEWER, UNKNOWN_ITEM as for a review.
    """
    _member, row = await reviewer_of(session, reviewer_id, item_id)
    meetings = await meeting_index(session, clock)
    if row.status != AgendaItemStatus.WAITING or not still_shown(row.meeting_key, shown_for):
        return ReviewOutcome(view(row, await people(session, [row]), meetings), changed=False)
    plan = await load_plan(session)
    meeting = meetings.get(row.meeting_key)
    later = None if plan is None or meeting is None else next_meeting(plan, meeting, clock.now())
    if later is None:
        raise AgendaItemError(AgendaItemRefusal.NO_NEXT_MEETING)
    result = await session.execute(
        update(AgendaItemRow)
        .where(
            AgendaItemRow.id == item_id,
            AgendaItemRow.status == AgendaItemStatus.WAITING,
            AgendaItemRow.meeting_key == row.meeting_key,
        )
        .values(
            meeting_key=later.key,
            carried_from=row.meeting_key,
            reviewed_by=reviewer_id,
            reviewed_at=clock.now(),
        )
    )
    await session.refresh(row)
    item = view(row, await people(session, [row]), meetings)
    return ReviewOutcome(item, changed=result.rowcount == 1)  # type: ignore[attr-defined]


def still_shown(meeting_key: str, shown_for: str | None) -> bool:
    """Whether a button shown for ``shown_for`` still concerns an item now at ``meeting_key`` (a
    button without a tag, from before tags, always does)."""
    return shown_for is None or shown_for == meeting_tag(meeting_key)


def _reviews_any(member: MemberRow | None, plan: Plan | None) -> bool:
    """An active coordinator, or an active member of some overleg's ``beoordelaars``."""
    if member is None or not member.is_active:
        return False
    if member.is_coordinator:
        return True
    return plan is not None and any(may_review(member, plan, o.code) for o in plan.overleggen)
