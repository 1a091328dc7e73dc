"""The outbox job: one JobQueue job, named by a fixed key, woken for the next due message.

The database is the truth and the job only a cache of "when to look next" (PTB wiki, Job
Queue; ptbcontrib: "You MUST define an explicit ID"). At start-up, in-flight messages left by a
crash are put back, the reminder schedule is queued, and the job is set. Each wake starts the
scheduled newsletters whose moment has come (:func:`berichten.newsletters.schedule.start_due`),
queues the rolling window again (so a plan change is picked up), rolls over the agenda items of
a meeting a day after it (:func:`berichten.agenda_after.roll_over_due`), delivers what is due
and sets the job for the next due message, newsletter or rollover, or in an hour at the latest.

Every handler that changes what the outbox should hold (a review, a publication, a submitted
or withdrawn agenda item, a muted overleg or other setting, a pause, an absence, a milestone,
a meeting moved with /wijzig) answers first and refreshes after, with
:func:`refresh_outbox_soon` (one that queued notices also when its answer failed: the change
is stored). None of their answers shows the outbox: each is drawn from what the service function
stored and returned. The order is safe because of how the job works:

- every wake queues before it delivers (:func:`wake`; a failed queueing run skips the
  delivery), so once a change is committed no later delivery run can send what it withdraws
  (a muted overleg's reminder, one of a meeting's old moment, a milestone question answered
  meanwhile) or a pending reminder's text without what it adds (an agenda item);
- the refresh itself only brings the queue in line and sets the next wake; it wakes the job at
  once when something queued is due (a trekker's note, a submitter's notice, a published agenda).

What neither order can stop is a message already claimed by a delivery run in progress: that
run sends it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from telegram.ext import Application

from berichten.agenda_after import roll_over_due
from berichten.incidents.escalation import escalate_due
from berichten.milestones import queue_deadline_messages
from berichten.newsletters.schedule import start_due
from berichten.outbox.delivery import deliver_due
from berichten.outbox.store import CHANGED, last_run, next_due, recover
from berichten.reminders.queue import queue_reminders
from bot.context import BotData, OverlegContext
from bot.incident_status import escalate_every, show_status, start_status_job, unpin_closed
from bot.logs import database_trouble, outbox_wake_line
from bot.newsletter_progress import show_progress, start_progress_job
from bot.telegram_sender import TelegramSender
from planning.agenda_items.after import next_rollover
from planning.incidents.escalation import next_escalation
from planning.newsletters.lifecycle import next_start

log = logging.getLogger(__name__)

JOB_NAME = "outbox"
CHANGES_JOB_NAME = "changes"
LATEST_WAKE = timedelta(hours=1)
EARLIEST_WAKE = timedelta(seconds=1)
# How often the bot looks whether the command line changed something: within a minute, as
# operators expect, and one primary-key look-up each time.
CHANGES_EVERY = timedelta(seconds=15)


async def start_outbox(application: Application) -> None:  # type: ignore[type-arg]
    """At start-up: recover, queue, and set the job."""
    services: BotData = application.bot_data
    requeued = await services.db.run(recover)
    if requeued:
        log.warning("%d messages were in flight when the bot stopped; sending them again", requeued)
    # What the command line last changed is queued below; a later change is new.
    services.seen_change = await services.db.run(last_run, CHANGED)
    try:
        await _queue_all(services)
    finally:
        await _schedule_next(application)
    if services.outbox_job:
        start_progress_job(application)
        start_status_job(application)
        assert application.job_queue is not None
        application.job_queue.run_repeating(
            look_for_changes,
            CHANGES_EVERY,
            name=CHANGES_JOB_NAME,
            job_kwargs={"id": CHANGES_JOB_NAME, "replace_existing": True},
        )


async def wake(context: OverlegContext) -> None:
    """The job: bring the queue in line with the plan, deliver what is due, set the next wake.

    Queueing comes first, so a meeting cancelled from the command line or a member who left
    since the last wake gets nothing. Whatever fails, the next wake is set: without it the
    outbox would sleep until a restart.
    """
    services = context.bot_data
    sender = TelegramSender(context.bot, paid_broadcast=services.settings.allow_paid_broadcast)
    services.waking = True
    try:
        queued = await _queue_all(services)
        # A stopping bot stops sending at once (what was claimed goes back to the queue),
        # rather than finishing a broadcast first.
        running = context.application
        report = await deliver_due(
            services.db, services.clock, sender, services.pacer, keep_going=lambda: running.running
        )
        line = outbox_wake_line(
            queued=queued,
            sent=report.sent,
            failed=report.failed,
            skipped=report.blocked,
            retried=report.retried,
        )
        log.info(line)
        if report.sent or report.failed or report.blocked:
            await show_progress(context.application)  # a report at the end, not 5 s later
        await unpin_closed(running)
        await show_status(running)
    except Exception as error:
        trouble = database_trouble(error)
        if trouble is None:
            log.exception("the outbox job failed; it tries again at its next wake")
        else:  # expected trouble: one line, no traceback
            log.warning("the outbox job could not reach the database: %s", trouble)
    finally:
        services.waking = False
        await _schedule_next(context.application, from_job=True)


async def refresh_outbox(
    application: Application,  # type: ignore[type-arg]
    members: Iterable[int] | None = None,
) -> None:
    """After a change: withdraw and queue now, and wake the job in time for the earliest
    message, rather than at its next planned wake. With ``members``, only their messages are
    brought in line (someone registered, left, blocked the bot or changed a wish)."""
    services: BotData = application.bot_data
    try:
        await _queue_all(services, members)
    finally:
        await _schedule_next(application)


def refresh_outbox_soon(
    application: Application,  # type: ignore[type-arg]
    member: int | None = None,
) -> None:
    """:func:`refresh_outbox` after the handler has answered, rather than before; for
    ``member`` only, or (without) for everyone.

    A full queueing run can take a second with many members (docs/benchmarks.md), and PTB
    handles one update at a time: a coordinator's press would wait for it, and everyone's next
    update with it. Requests while a refresh waits to begin share it (a full one covers every
    member); one during a run gets another after it. Reminders stay right: every wake of the
    job queues (rewriting pending texts) before it delivers.

    A task cancelled before it began (the bot stopping) must not leave the request pending:
    every later refresh would be skipped. A stopped application starts none (PTB would not
    await it).
    """
    services: BotData = application.bot_data
    if not application.running:
        return
    if services.refresh_waiting:
        services.refresh_members = _joined(services.refresh_members, member)
        return
    services.refresh_waiting = True
    services.refresh_members = None if member is None else frozenset({member})
    started = False

    async def refresh() -> None:
        nonlocal started
        started = True
        services.refresh_waiting = False
        await refresh_outbox(application, services.refresh_members)

    def never_began(_task: object) -> None:
        if not started:
            services.refresh_waiting = False

    services.refresh = application.create_task(refresh(), name="refresh_outbox")
    services.refresh.add_done_callback(never_began)


def _joined(members: frozenset[int] | None, member: int | None) -> frozenset[int] | None:
    """The members a waiting refresh is for (None: everyone), with ``member`` (None: everyone)
    added."""
    return None if members is None or member is None else members | {member}


async def look_for_changes(context: OverlegContext) -> None:
    """The job that notices what the command line changed (a plan imported, invites made) and
    brings the outbox in line within :data:`CHANGES_EVERY`: one look-up when nothing changed."""
    services = context.bot_data
    changed = await services.db.run(last_run, CHANGED)
    if changed != services.seen_change:
        services.seen_change = changed
        services.db.read_cache.drop()  # what it kept may be what the command line changed
        log.info("the command line changed the plan or the members; queueing again")
        refresh_outbox_soon(context.application)


async def _queue_all(services: BotData, members: Iterable[int] | None = None) -> int:
    """Queue for everyone (or ``members``); how many messages were new."""
    # One queueing run at a time: a button's refresh during the job's wake would otherwise
    # compute the same withdrawals twice.
    days = services.settings.overdue_escalation_days
    only = None if members is None else frozenset(members)
    async with services.queue_lock:
        # A scheduled newsletter whose moment has come starts first: its members' copies are
        # then due with this run's reminders, which go first by priority.
        await start_due(services.db, services.clock)
        reminders = await services.db.run(queue_reminders, services.clock, only)
        questions = await services.db.run(
            queue_deadline_messages, services.clock, escalation_days=days, only=only
        )
        # An incident's escalation rounds: their messages are due now, at incident priority.
        await services.db.run(escalate_due, services.clock, escalate_every(services))
        # Agenda items not dealt with roll over a day after their meeting, each once.
        await services.db.run(roll_over_due, services.clock)
    return reminders.queued + questions.queued


async def _schedule_next(application: Application, *, from_job: bool = False) -> None:  # type: ignore[type-arg]
    services: BotData = application.bot_data
    if not services.outbox_job:
        return
    if services.waking and not from_job:
        # A wake is running: while it sends it looks for what falls due every half second,
        # and it sets the next wake when it ends. A wake set now would be skipped by
        # APScheduler (one instance at a time), with a warning, and forgotten.
        return
    now = services.clock.now()
    due = await services.db.run(next_due)
    starts = await services.db.run(next_start)  # a scheduled newsletter's moment
    rounds = await services.db.run(next_escalation, escalate_every(services))  # an incident's
    rollover = await services.db.run(next_rollover, services.clock)  # agenda items after a meeting
    moments = (due, starts, rounds, rollover, now + LATEST_WAKE)
    moment: datetime = min(m for m in moments if m is not None)
    # At least a second ahead: a job set to run "now" from inside the running job is skipped
    # by APScheduler (one instance at a time) and then forgotten.
    delay = max(EARLIEST_WAKE if from_job else timedelta(0), moment - now)
    assert application.job_queue is not None
    application.job_queue.run_once(
        wake,
        delay,
        name=JOB_NAME,
        # misfire_grace_time=None: a wake that comes late (a busy loop) still runs.
        job_kwargs={"id": JOB_NAME, "replace_existing": True, "misfire_grace_time": None},
    )
