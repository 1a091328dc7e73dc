"""Turning the computed reminder schedule into outbox messages, one per member.

The database is the truth: this runs at start-up, after every plan change and on every wake of
the outbox job, and it is idempotent because every message has a key (the reminder's key plus
the member). A rolling window is queued: from a week back (so reminders missed while the bot
was down are still found) to a couple of days ahead. Then:

- a reminder whose moment passed but whose meeting has not begun is sent late, with a note
  (added by :mod:`berichten.outbox.delivery`);
- one whose meeting has begun is recorded as skipped, never sent;
- a pending reminder that the new schedule no longer contains (its meeting moved, was cancelled
  or the member left the group) is withdrawn.

Each member's preferences (:mod:`planning.preferences`) decide whether and when they get a
reminder; members who chose the weekly digest get :mod:`berichten.reminders.digest` instead.
The call for items (:mod:`berichten.reminders.call`) is queued in the same run.
A change of preference moves or brings back reminders already queued
(:func:`berichten.outbox.requeue.requeue`). Every meeting reminder carries three buttons
(:data:`ENTRY_BUTTONS`), whose callback data hold the meeting's key and nothing else; a button
whose data would not fit (:data:`~berichten.outbox.store.BUTTON_DATA_LIMIT`) is left out rather
than make the whole message fail.

Agenda items (:mod:`planning.agenda_items`): the reminder of a meeting whose overleg accepts
items carries the agenda so far (the accepted items, numbered) and, while its agenda is still
open when the member reads it, until when items can be submitted; the reminder of a meeting
that closes another's agenda (the AO's petit comité) carries the items waiting for review. The
items are loaded once per run for all meetings in the window, and the weekly digests carry
the same sections under the meetings they list. Since the outbox job queues before every
delivery and :func:`berichten.outbox.requeue.requeue` rewrites pending texts, a reminder goes
out with the items as they are at that moment.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.requeue import QUEUE_BACK, WITHDRAWN, pending_keys, requeue, withdraw
from berichten.outbox.store import (
    BUTTON_DATA_LIMIT,
    Buttons,
    NewMessage,
    enqueue,
    last_run,
    record_run,
)
from berichten.outbox.tables import Priority
from berichten.reminders.call import CALL_KIND, call_messages
from berichten.reminders.digest import DIGEST_KIND, digest_messages, digest_weeks
from berichten.texts.reminders import AgendaState, reminder_text
from planning import catalogue
from planning.agenda_items.rules import (
    closers,
    closes_at,
)
from planning.agenda_items.services import (
    agenda_of,
    waiting_for,
)
from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Plan
from planning.calendar.reminders import Reminder, schedule
from planning.clock import Clock
from planning.membership.recipients import Recipient, in_groups, of_organisation, recipients
from planning.plan.store import load_plan
from planning.preferences.rules import DEFAULTS, reminder_moment
from planning.preferences.services import preferences_by_member

RUN_NAME = "reminders"
QUEUE_AHEAD = timedelta(days=2)
REMINDER_KINDS = ("meeting", "milestone", "fix_date")
QUEUED_KINDS = (*REMINDER_KINDS, DIGEST_KIND, CALL_KIND)  # what a run may withdraw
# Callback data prefixes of a meeting reminder's buttons (handled in bot.handlers.reminder_buttons)
ADD_TO_CALENDAR, CANNOT_COME, STOP_OVERLEG = "r:a:", "r:x:", "r:m:"
ENTRY_BUTTONS = (
    ("reminder.button.calendar", ADD_TO_CALENDAR),
    ("reminder.button.absent", CANNOT_COME),
    ("reminder.button.stop", STOP_OVERLEG),
)


@dataclass(frozen=True)
class QueueReport:
    queued: int
    withdrawn: int


async def queue_reminders(
    session: AsyncSession, clock: Clock, only: Collection[int] | None = None
) -> QueueReport:
    """Bring the outbox in line with the schedule for the window around now.

    With ``only`` (Telegram user ids), for those people alone: their messages are queued,
    rewritten or withdrawn (after they registered, left, blocked or unblocked the bot, or
    changed a wish), which takes a fraction of a full run.
    """
    plan = await load_plan(session)
    if plan is None:
        return QueueReport(0, 0)
    now = clock.now()
    first, last = now - QUEUE_BACK, now + QUEUE_AHEAD
    reminders = schedule(plan, first, last)
    everyone = await recipients(session, only)
    wishes = await preferences_by_member(session, only)
    readers = [r for r in everyone if wishes.get(r.telegram_user_id, DEFAULTS).digest]
    weeks = digest_weeks(first, last, plan.zone) if readers else None
    by_key = _entries_by_key(plan, reminders, weeks)
    meeting_keys = {r.entry_key for r in reminders if r.kind == "meeting"}
    if weeks is not None:  # the meetings digests list carry their agenda too
        meeting_keys |= {
            e.key
            for e in by_key.values()
            if e.kind == "meeting" and weeks[0] <= e.when.latest_day <= weeks[1]
        }
    context = _Context(
        plan=plan,
        now=now,
        preparations={e.parent_key: e for e in by_key.values() if e.parent_key and not e.cancelled},
        organisation_names={o.code: o.name for o in plan.organisations},
        agenda=await _agenda_state(session, plan, by_key, meeting_keys),
    )
    audiences: dict[tuple[tuple[str, ...], str | None], list[Recipient]] = {}
    messages: list[NewMessage] = []
    texts: dict[_Variant, str] = {}
    for reminder in reminders:
        audience = (reminder.audience_groups, reminder.audience_organisation)
        if audience not in audiences:
            audiences[audience] = _audience(everyone, *audience)
        entry = by_key[reminder.entry_key]
        for member in audiences[audience]:
            mine = wishes.get(member.telegram_user_id, DEFAULTS)
            at = reminder_moment(mine, reminder, entry.start(plan.zone), plan.zone)
            if at is not None:
                messages.append(_message(context, texts, reminder, entry, member, at))
    messages += digest_messages(plan, readers, wishes, first, last, now, context.agenda)
    messages += call_messages(plan, everyone, wishes, first, last)
    previous = await last_run(session, RUN_NAME)
    # Past moments are queued only if they fell due since the previous run (the bot was
    # down then); see berichten.outbox.tables.OutboxRunRow.
    fresh = [m for m in messages if m.due_at >= now or (previous and m.due_at >= previous)]
    queued = await enqueue(session, clock.now(), fresh)
    await requeue(session, clock, messages, recipients=only)
    wanted = {message.key for message in messages}
    stale = await pending_keys(session, QUEUED_KINDS, first, last, recipients=only) - wanted
    withdrawn = await withdraw(session, stale, WITHDRAWN)
    if only is None:
        await record_run(session, RUN_NAME, now)
    return QueueReport(queued, withdrawn)


def _audience(
    everyone: Sequence[Recipient], groups: tuple[str, ...], organisation: str | None
) -> list[Recipient]:
    if organisation is not None:
        return of_organisation(everyone, organisation)
    return in_groups(everyone, groups)


def _entries_by_key(
    plan: Plan, reminders: Sequence[Reminder], weeks: tuple[date, date] | None
) -> dict[str, CalendarEntry]:
    days = [reminder.event_date for reminder in reminders] + list(weeks or ())
    if not days:
        return {}
    # Derived meetings lie before their parent; a generous margin finds an AO's petit comité.
    found = entries(plan, min(days) - timedelta(days=62), max(days) + timedelta(days=31))
    return {entry.key: entry for entry in found}


@dataclass(frozen=True)
class _Context:
    """What every message of one run needs, looked up once."""

    plan: Plan
    now: datetime
    preparations: dict[str, CalendarEntry]  # parent meeting key -> its derived meeting
    organisation_names: dict[str, str]
    agenda: AgendaState


# What makes two members' texts of one reminder differ: the reminder's key, the day it is read,
# until when its agenda is still open then (None: closed, or none), and whether the reader is
# a coordinator (where a list cut short points to).
_Variant = tuple[str, date, datetime | None, bool]


def _message(
    context: _Context,
    texts: dict[_Variant, str],
    reminder: Reminder,
    entry: CalendarEntry,
    member: Recipient,
    at: datetime,
) -> NewMessage:
    """One member's message; its text is rendered once per :data:`_Variant` in ``texts``, since
    rendering (Babel's dates) per member would be most of a queue run."""
    # "over 7 dagen" must be true when the member reads it: counted from the moment the message
    # goes out, which for a reminder queued late (the bot was down) is now, not the plan's day.
    read_at = max(at, context.now)
    sent_on = read_at.astimezone(context.plan.zone).date()
    until = context.agenda.open_until(entry.key, read_at)
    variant = (reminder.key, sent_on, until, member.is_coordinator)
    text = texts.get(variant)
    if text is None:
        text = texts[variant] = reminder_text(
            reminder,
            entry,
            preparation=context.preparations.get(entry.key),
            owner_name=context.organisation_names.get(entry.owner or "", ""),
            days_left=(reminder.event_date - sent_on).days,
            sections=context.agenda.sections(entry, until, member.is_coordinator)
            if reminder.kind == "meeting"
            else (),
        )
    return NewMessage(
        key=f"{reminder.key}|{member.telegram_user_id}",
        kind=reminder.kind,
        recipient=member.telegram_user_id,
        text=text,
        due_at=at,
        priority=Priority.REMINDER,
        expires_at=_expires(context.plan, reminder, entry),
        buttons=_buttons(entry) if reminder.kind == "meeting" else None,
    )


async def _agenda_state(
    session: AsyncSession, plan: Plan, by_key: dict[str, CalendarEntry], meeting_keys: set[str]
) -> AgendaState:
    """The agenda items the run's meetings show: accepted ones where the overleg takes items,
    waiting ones where the meeting closes another's agenda; loaded once for all."""
    closing = closers(list(by_key.values()))
    accepting = {o.code: o for o in plan.overleggen if o.accepts_agenda_items}
    with_agenda = {k for k in meeting_keys if by_key[k].overleg in accepting}
    closed_by = {
        closer.key: by_key[closed]
        for closed, closer in closing.items()
        if closer.key in meeting_keys
    }
    return AgendaState(
        zone=plan.zone,
        closing_at={k: closes_at(by_key[k], closing.get(k), plan.zone) for k in with_agenda},
        accepted=await agenda_of(session, with_agenda),
        closed_by=closed_by,
        waiting=await waiting_for(session, (entry.key for entry in closed_by.values())),
        fixed={k: accepting[by_key[k].overleg or ""].fixed_items for k in with_agenda},
    )


@functools.lru_cache(maxsize=4096)
def _buttons(entry: CalendarEntry) -> Buttons | None:
    """Zet in agenda, Ik kan niet, Stop voor dit overleg: by meeting key (the last by overleg)."""
    row = []
    for label, prefix in ENTRY_BUTTONS:
        reference = entry.overleg if prefix == STOP_OVERLEG else entry.key
        data = f"{prefix}{reference}"
        if reference and len(data.encode()) <= BUTTON_DATA_LIMIT:
            row.append((catalogue.plain(label), data))
    return [row] if row else None


def _expires(plan: Plan, reminder: Reminder, entry: CalendarEntry) -> datetime:
    """When the reminder stops being useful: the meeting begins, or its (deadline) day ends."""
    start = entry.start(plan.zone)
    if start is not None:
        return start
    # Without a time, the event's day counts as a whole: a reminder on the day itself
    # ("dagen_vooraf: 0") is still useful until it ends.
    day = reminder.event_date + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=plan.zone)
