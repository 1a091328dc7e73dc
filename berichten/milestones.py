"""Deadlines that slip, as outbox messages: the owner's question, the coordinators' list and
the monthly overview, all at 09:00 in the plan's zone (the rules are in
:mod:`planning.milestones.overdue`).

Like :mod:`berichten.reminders.queue` this runs on every wake of the outbox job and is
idempotent through the keys:

- ``overdue|<milestone uid>|<due day>|<member>``: the due day is in the key, so a milestone
  that is given a new date and slips again is asked about again;
- ``overdue-list|<day>|<coordinator>`` and ``overview|<YYYY-MM>|<coordinator>``; a text too
  long for one Telegram message is split, and parts after the first get ``|2``, ``|3``, ...

The window reaches a week back, so a bot that was down still sends what it missed (late, with
the delivery's note), and :data:`QUESTIONS_AHEAD` ahead, so the message is queued before its
moment and the outbox job wakes for it on time. Only the latest missed list is sent: an older
one says less than the newer. Messages are rendered from the plan as it is now; a pending
message whose milestone was marked done or moved is withdrawn, and a pending list or overview
whose content changed gets the new text, so what goes out matches the state at the last refresh.

A member's pause (see :mod:`planning.milestones.overdue` for the decisions) moves their
question to the first working day after it and keeps lists and overviews from a paused
coordinator, unless every coordinator is paused: then they all get them. A question withdrawn
because its member paused after it was queued keeps its key; when the member is asked after the
pause, :func:`berichten.outbox.requeue.requeue` brings that row back with the new moment (the
key is taken, so :func:`berichten.outbox.store.enqueue` alone would ask nobody).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.requeue import QUEUE_BACK, pending_keys, requeue, withdraw
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus, Priority
from berichten.texts.html import pack
from berichten.texts.milestones import overdue_list_lines, overdue_question, overview_lines
from planning.clock import Clock
from planning.db import in_chunks
from planning.membership.lookups import active_coordinators
from planning.membership.recipients import Recipient, of_organisation, recipients
from planning.milestones.overdue import (
    Deadline,
    ask_day,
    deadlines,
    escalated,
    is_list_day,
    is_overview_day,
    member_ask_day,
    overview,
)
from planning.plan.store import load_plan
from planning.preferences.rules import DEFAULTS, Preferences
from planning.preferences.services import preferences_by_member

DEFAULT_ESCALATION_DAYS = 5
SEND_AT = time(9, 0)  # local, like the plan's reminders
# Longer than the outbox job's longest sleep (an hour), so a message is queued, and the job
# woken for it, before its moment.
QUESTIONS_AHEAD = timedelta(hours=2)
DEADLINE_KINDS = ("overdue", "overdue-list", "overview")
WITHDRAWN = "withdrawn: milestone done or moved, list superseded, or recipient paused"


@dataclass(frozen=True)
class DeadlineReport:
    queued: int
    withdrawn: int
    updated: int


async def queue_deadline_messages(
    session: AsyncSession,
    clock: Clock,
    *,
    escalation_days: int = DEFAULT_ESCALATION_DAYS,
    only: Collection[int] | None = None,
) -> DeadlineReport:
    """Bring the outbox in line with the overdue milestones for the window around now: for
    everyone, or only for the members ``only`` (their messages alone change)."""
    plan = await load_plan(session)
    if plan is None:
        return DeadlineReport(0, 0, 0)
    now = clock.now()
    first, last = now - QUEUE_BACK, now + QUESTIONS_AHEAD
    items = deadlines(plan)
    days = _days(first, last, plan.zone)
    everyone = await recipients(session, only)
    # Who gets a list depends on every coordinator's pause, whoever the run is for.
    coordinators = [member.telegram_user_id for member in await active_coordinators(session)]
    asked = None if only is None else {*only, *coordinators}
    wishes = await preferences_by_member(session, asked)
    messages = _questions(everyone, items, days, plan.zone, wishes)

    def present(day: date) -> list[int]:
        """Coordinators not paused on ``day``; all of them when every one is (an escalation
        must reach someone, see :mod:`planning.milestones.overdue`)."""
        here = [c for c in coordinators if not wishes.get(c, DEFAULTS).paused_on(day)]
        return here or coordinators

    list_days = _latest_past_and_coming(
        [day for day in days if is_list_day(items, day, escalation_days)], now, plan.zone
    )
    for day in list_days:
        lines = overdue_list_lines(escalated(items, day, escalation_days), day)
        messages += _parts(
            "overdue-list", f"overdue-list|{day}", lines, present(day), day, plan.zone
        )
    for day in filter(is_overview_day, days):
        lines = overview_lines(overview(items, day), day)
        key = f"overview|{day:%Y-%m}"
        messages += _parts("overview", key, lines, present(day), day, plan.zone)
    if only is not None:
        messages = [message for message in messages if message.recipient in only]
    queued = await enqueue(session, clock.now(), messages)
    # New moments (a pause), texts, and rows this run withdrew earlier that apply again.
    updated = await requeue(session, clock, messages, withdrawn_as=WITHDRAWN, recipients=only)
    # Also those tried before, which requeue leaves alone.
    updated += await _refresh_texts(session, messages)
    pending = await pending_keys(session, DEADLINE_KINDS, first, last, recipients=only)
    withdrawn = await withdraw(session, pending - {m.key for m in messages}, WITHDRAWN)
    return DeadlineReport(queued, withdrawn, updated)


def _days(first: datetime, last: datetime, zone: ZoneInfo) -> list[date]:
    """The local days whose 09:00 lies in [first, last)."""
    day = first.astimezone(zone).date() - timedelta(days=1)
    end = last.astimezone(zone).date() + timedelta(days=1)
    found: list[date] = []
    while day <= end:
        if first <= _moment(day, zone) < last:
            found.append(day)
        day += timedelta(days=1)
    return found


def _moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, SEND_AT, tzinfo=zone).astimezone(UTC)


def _latest_past_and_coming(days: Sequence[date], now: datetime, zone: ZoneInfo) -> list[date]:
    """A newer list supersedes an older one: of the days already past, keep the latest."""
    past = [day for day in days if _moment(day, zone) <= now]
    return past[-1:] + [day for day in days if _moment(day, zone) > now]


def _questions(
    everyone: Sequence[Recipient],
    items: Sequence[Deadline],
    days: Sequence[date],
    zone: ZoneInfo,
    wishes: dict[int, Preferences],
) -> list[NewMessage]:
    """The owner organisation's members asked, one message per member per milestone, each on
    their own day (later for a member who is paused on the usual one)."""
    if not days:
        return []
    window = set(days)
    owners: dict[str, list[int]] = {}
    messages: list[NewMessage] = []
    for item in items:
        if item.done or ask_day(item) > days[-1]:
            continue
        if item.owner not in owners:
            members = of_organisation(everyone, item.owner)
            owners[item.owner] = [member.telegram_user_id for member in members]
        text = overdue_question(item)
        for member in owners[item.owner]:
            day = member_ask_day(item, wishes.get(member, DEFAULTS).resume_on)
            if day in window:
                key = f"overdue|{item.uid}|{item.due}|{member}"
                messages.append(_new("overdue", key, member, text, day, zone))
    return messages


def _parts(
    kind: str, key: str, lines: list[str], recipients: Iterable[int], day: date, zone: ZoneInfo
) -> list[NewMessage]:
    """One message per part per recipient, within Telegram's limit."""
    texts = pack(lines)
    return [
        _new(
            kind,
            f"{key}|{recipient}" + (f"|{part}" if part > 1 else ""),
            recipient,
            text,
            day,
            zone,
        )
        for recipient in recipients
        for part, text in enumerate(texts, start=1)
    ]


def _new(kind: str, key: str, recipient: int, text: str, day: date, zone: ZoneInfo) -> NewMessage:
    at = _moment(day, zone)
    # A week late is the latest such a message still helps; by then a newer one has come.
    return NewMessage(
        key=key,
        kind=kind,
        recipient=recipient,
        text=text,
        due_at=at,
        priority=Priority.REMINDER,
        expires_at=at + QUEUE_BACK,
    )


async def _refresh_texts(session: AsyncSession, messages: Sequence[NewMessage]) -> int:
    """Give pending messages the text rendered now (a milestone was marked done meanwhile)."""
    wanted = {message.key: message.text for message in messages}
    keys = list(wanted)
    updated = 0
    for chunk in in_chunks(keys):
        rows = await session.scalars(
            select(OutboxMessageRow)
            .where(
                OutboxMessageRow.key.in_(chunk),
                OutboxMessageRow.status == OutboxStatus.PENDING,
            )
            # A row the sender claims meanwhile is skipped, not overwritten.
            .with_for_update(skip_locked=True)
        )
        for row in rows:
            if row.text != wanted[row.key]:
                row.text = wanted[row.key]
                updated += 1
    return updated
