"""After the meeting: a rollover and its notices, in one unit of work.

"Klaar" under /afgehandeld (:func:`finish_and_notify`) and the outbox job's run
(:func:`roll_over_due`, a day after the meeting) move the items not dealt with to the overleg's
next meeting (:mod:`planning.agenda_items.after`) and queue, with the same session:

- to each submitter of a moved item that it is held over, keyed
  ``agenda_held_over:<item id>:<old meeting key>|<member>`` (an item held over twice is told
  twice, once per meeting);
- after an automatic rollover, to every active coordinator which items went where (or that
  they stay, after the year's last meeting), keyed ``agenda_rollover:<old meeting key>|<member>``.

The keys make each notice single: a second run, or one after a restart, moves nothing (the
items are gone from the old meeting) and queues nothing new.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.agenda_items import submitter_notice
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import agenda_after as texts
from planning.agenda_items.after import Rollover, due_rollovers, finish
from planning.clock import Clock
from planning.membership.lookups import active_coordinators

HELD_OVER_KIND = "agenda_held_over"  # to the submitter of an item moved on
ROLLOVER_KIND = "agenda_rollover"  # to the coordinators, after an automatic rollover


async def finish_and_notify(
    session: AsyncSession, clock: Clock, coordinator_id: int, item_id: int
) -> Rollover:
    """ "Klaar": roll the meeting of ``item_id`` over (:func:`planning.agenda_items.after.finish`)
    and queue the submitters' notices; the coordinator reads the outcome in chat."""
    rollover = await finish(session, clock, coordinator_id, item_id)
    now = clock.now()
    await enqueue(session, now, _submitter_messages(rollover, now))
    return rollover


async def roll_over_due(session: AsyncSession, clock: Clock) -> list[Rollover]:
    """The job's run: every rollover due now, with the submitters' notices and the
    coordinators' report; return the rollovers (each with the items it moved or kept)."""
    rollovers = [r for r in await due_rollovers(session, clock) if r.items]
    if not rollovers:
        return []
    now = clock.now()
    coordinators = [member.telegram_user_id for member in await active_coordinators(session)]
    messages = [
        message
        for rollover in rollovers
        for message in (
            _submitter_messages(rollover, now) + _report_messages(rollover, coordinators, now)
        )
    ]
    await enqueue(session, now, messages)
    return rollovers


def _submitter_messages(rollover: Rollover, now: datetime) -> list[NewMessage]:
    if rollover.next is None:
        return []  # nothing moved: the items stay where the submitters put them
    return [
        submitter_notice(
            HELD_OVER_KIND,
            f"{item.id}:{rollover.meeting.key}",
            item,
            texts.held_over_notice(item, rollover.meeting, rollover.next),
            now,
        )
        for item in rollover.items
    ]


def _report_messages(
    rollover: Rollover, coordinators: list[int], now: datetime
) -> list[NewMessage]:
    text = texts.rollover_report(rollover)
    return [
        NewMessage(
            key=f"{ROLLOVER_KIND}:{rollover.meeting.key}|{coordinator}",
            kind=ROLLOVER_KIND,
            recipient=coordinator,
            text=text,
            due_at=now,
            priority=Priority.REMINDER,
        )
        for coordinator in coordinators
    ]
