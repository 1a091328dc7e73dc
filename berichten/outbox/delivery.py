"""The sender loop: deliver what the outbox holds, within Telegram's limits, losing nothing.

Telegram allows about 30 messages a second overall and one a second per private chat; beyond
that it answers 429 with ``retry_after``. PTB's ``AIORateLimiter`` alone is not enough: it does
not pace private chats, and with its default ``max_retries=0`` it raises on the first 429. So
this loop paces itself (:class:`~berichten.outbox.pacing.Pacer`) and treats each outcome the way it
deserves:

- sent: recorded with Telegram's message id;
- 429: the message waits exactly ``retry_after`` seconds, and so does the whole loop, since
  Telegram's flood control is per bot;
- a network error, timeout or 5xx: retried with exponential backoff, up to a limit;
- 403 (the member blocked the bot): the member is marked blocked and nothing more is sent to
  them;
- 400 (Telegram refuses this message): recorded as failed with Telegram's reason.

``berichten`` does not know Telegram: ``bot`` implements
:class:`~berichten.outbox.sender.Sender` and maps PTB's exceptions to the ones there. A photo or
document goes through the same loop as a text, with the same outcomes.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.feed import CLAIM_AHEAD, Feed
from berichten.outbox.operations import perform
from berichten.outbox.pacing import Pacer
from berichten.outbox.sender import (
    FloodWaitError,
    MessageRejectedError,
    RecipientBlockedError,
    Sender,
    TransientSendError,
)
from berichten.outbox.store import (
    Claimed,
    Delivered,
    claim_due,
    claim_keys,
    mark_failed,
    mark_sent,
    release,
    retry_later,
    skip_recipient,
)
from berichten.texts.html import CAPTION_LIMIT, TEXT_LIMIT, telegram_length
from planning import catalogue
from planning.clock import Clock
from planning.db import Database
from planning.membership.services import set_blocked

BATCH = 200
# Sent messages are recorded at least this often (and at every BATCH): a crash repeats only the
# sends in flight and the last fraction of a second, about three at Telegram's 30/s.
RECORD_EVERY = 0.1
# Network trouble: retry with backoff (5 s, 10 s, ... at most 10 minutes apart) until the
# message expires; one without an expiry gets MAX_ATTEMPTS tries (about a day).
MAX_ATTEMPTS = 150
FIRST_BACKOFF = timedelta(seconds=5)
LONGEST_BACKOFF = timedelta(minutes=10)
# The kinds that get a note when they go out late (a digest or list says its own date).
LATE_NOTE_KINDS = frozenset({"meeting", "milestone", "fix_date"})
# A reminder sent this much after its moment (the bot was down) says it comes late.
LATE_AFTER = timedelta(minutes=15)


class _HeldBackError(Exception):
    """Not sent: an earlier message to the chat went back to the queue until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"held back until {until}")
        self.until = until


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    blocked: int = 0
    # Sent but not yet recorded: written every RECORD_EVERY seconds or BATCH messages (see
    # store.mark_sent). Until then the rows stay "sending": a crash repeats only these.
    unrecorded: list[Delivered] = field(default_factory=list)


async def deliver_due(
    db: Database,
    clock: Clock,
    sender: Sender,
    pacer: Pacer,
    *,
    concurrency: int | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> DeliveryReport:
    """Send everything that is due now, until nothing due is left or ``keep_going`` says no
    (the bot is stopping: what was claimed and not sent goes back to the queue).

    ``concurrency`` (sends in flight) follows the pacer's overall rate unless given.

    Sending never waits for the database between batches: the next batch is claimed while the
    last messages of the current one are still being sent, and sent messages are recorded while
    the next ones go out. A pause between batches would cost the overall rate for good (Telegram
    counts 30 in any second, so a gap is never made up); see docs/decisions/outbox.md.
    """
    report = DeliveryReport()
    workers = _workers(pacer) if concurrency is None else concurrency
    batch = _batch(pacer, workers)
    feed = Feed(
        lambda limit: db.run(claim_due, clock, limit),
        batch=batch,
        refill=BATCH,
        low_water=max(workers, BATCH - batch),
        ready=pacer.chat_ready,
        monotonic=pacer.monotonic,
    )
    await _run(db, clock, sender, pacer, feed, report, workers, keep_going)
    return report


async def deliver_keys(
    db: Database, clock: Clock, sender: Sender, pacer: Pacer, keys: Iterable[str]
) -> DeliveryReport:
    """Send these queued messages now; what fails stays queued for the job to retry."""
    report = DeliveryReport()
    claimed = await db.run(claim_keys, clock, keys)
    feed = Feed.of(claimed, pacer.chat_ready)
    await _run(db, clock, sender, pacer, feed, report, max(8, _workers(pacer)), lambda: True)
    return report


def _batch(pacer: Pacer, workers: int) -> int:
    """How many messages a claim takes: :data:`CLAIM_AHEAD` seconds of sends at the pacer's
    rate, at least as many as the workers and at most :data:`BATCH`."""
    return min(BATCH, max(workers, math.ceil(pacer.per_second * CLAIM_AHEAD)))


def _workers(pacer: Pacer) -> int:
    """As many sends in flight as the pacer can use, but never more than a batch: there is
    nothing else to send."""
    return min(BATCH, pacer.concurrency)


async def _run(
    db: Database,
    clock: Clock,
    sender: Sender,
    pacer: Pacer,
    feed: Feed,
    report: DeliveryReport,
    workers: int,
    keep_going: Callable[[], bool],
) -> None:
    """``workers`` senders take messages from ``feed`` while ``keep_going()``; sent ones are
    recorded as they go, in one statement once the oldest of them is :data:`RECORD_EVERY` seconds
    old (by the pacer's clock, looked at after every send, and by a timer while nothing is sent) or
    once there are :data:`BATCH` of them.

    Messages to one chat stay in order: the pacer gives a chat its slots in the order asked
    for, and a worker asks as soon as it takes a message from the feed.
    """
    recording: list[asyncio.Task[None]] = []
    held: dict[int, datetime] = {}  # chats whose earlier message went back to the queue: until
    oldest = math.inf  # when the oldest unrecorded send was answered, by the pacer's clock

    def record() -> None:
        nonlocal oldest
        if report.unrecorded:
            done, report.unrecorded = report.unrecorded, []
            recording.append(asyncio.create_task(db.run(mark_sent, done)))
        oldest = math.inf

    def record_if_due() -> None:
        nonlocal oldest
        now = pacer.monotonic()
        if report.unrecorded and oldest == math.inf:
            oldest = now
        if len(report.unrecorded) >= BATCH or now - oldest >= RECORD_EVERY:
            record()

    async def keep_recording() -> None:
        # Real time, not the pacer's: a test's fake sleep returns at once, and this would spin.
        while True:
            await asyncio.sleep(RECORD_EVERY)
            record_if_due()

    async def work() -> None:
        while keep_going() and (message := await feed.next()) is not None:
            try:
                await _deliver(db, clock, sender, pacer, message, report, held)
            finally:
                feed.finished(message)
            record_if_due()

    recorder = asyncio.create_task(keep_recording())
    senders = [asyncio.create_task(work()) for _ in range(workers)]
    try:
        await asyncio.gather(*senders)
    finally:
        # One sender failed (or the run was cancelled): stop the others before recording, so
        # nothing is sent after the last record.
        for task in (*senders, recorder):
            task.cancel()
        await asyncio.gather(*senders, recorder, return_exceptions=True)
        await feed.close()
        record()
        left = feed.unsent()
        if left:  # stopped early: back to the queue, untried, for the next run or start
            recording.append(asyncio.create_task(db.run(release, [m.id for m in left])))
        results = await asyncio.gather(*recording, return_exceptions=True)
        failures = [result for result in results if isinstance(result, BaseException)]
        if failures:
            raise failures[0]


async def _deliver(
    db: Database,
    clock: Clock,
    sender: Sender,
    pacer: Pacer,
    message: Claimed,
    report: DeliveryReport,
    held: dict[int, datetime],
) -> None:
    """Send one message and record what became of it.

    A message that goes back to the queue (429, network trouble) holds back the later messages
    to its chat in this run until the same moment, so they stay in order (an agenda's parts):
    the pacer gives the chat's next slot only after this one's outcome, and ``held`` is set
    before the first await after it.
    """
    text = _with_late_note(message, clock.now())
    try:
        async with pacer.slot(message.recipient):
            until = held.get(message.recipient)
            if until is not None:
                raise _HeldBackError(until)
            telegram_id = await perform(sender, message, text)
    except _HeldBackError as back:
        reason = "an earlier message to this chat goes first"
        await db.run(retry_later, message.id, back.until, reason, counts=False)
        report.retried += 1
    except FloodWaitError as error:
        pacer.pause(error.seconds)
        at = clock.now() + timedelta(seconds=error.seconds)
        held[message.recipient] = at
        await db.run(retry_later, message.id, at, str(error), counts=False)
        report.retried += 1
    except TransientSendError as error:
        retry_at = _next_try(message, clock.now())
        if retry_at is None:
            await db.run(
                mark_failed, message.id, f"gave up after {message.attempts} attempts: {error}"
            )
            report.failed += 1
            return
        held[message.recipient] = retry_at
        await db.run(retry_later, message.id, retry_at, str(error) or type(error).__name__)
        report.retried += 1
    except RecipientBlockedError:
        await db.run(_blocked, clock, message.recipient)
        report.blocked += 1
    except MessageRejectedError as error:
        await db.run(mark_failed, message.id, str(error))
        report.failed += 1
    else:
        report.unrecorded.append(Delivered(message.id, telegram_id, clock.now()))
        report.sent += 1


def _with_late_note(message: Claimed, now: datetime) -> str:
    """A reminder that goes out well after its moment says so, if the note still fits."""
    if message.kind not in LATE_NOTE_KINDS or now - message.due_at <= LATE_AFTER:
        return message.text
    noted = message.text + "\n" + catalogue.html("reminder.late")
    limit = TEXT_LIMIT if message.media is None else CAPTION_LIMIT
    return noted if telegram_length(noted) <= limit else message.text


def _next_try(message: Claimed, now: datetime) -> datetime | None:
    """When to try again after a network error, or None to give up."""
    backoff = min(FIRST_BACKOFF * 2 ** min(message.attempts - 1, 20), LONGEST_BACKOFF)
    at = now + backoff
    if message.expires_at is not None:
        return at if at < message.expires_at else None
    return at if message.attempts < MAX_ATTEMPTS else None


async def _blocked(session: AsyncSession, clock: Clock, recipient: int) -> None:
    """The member blocked the bot: record it, and skip what is still queued for them."""
    await set_blocked(session, clock, recipient, blocked=True)
    await skip_recipient(session, recipient, "blocked the bot")
