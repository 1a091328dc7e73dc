"""The crash mode of ``bench/delivery.py``: kill -9 the sender at random moments of a send.

With the stand-in's flood limits on (30/s overall, 1/s per chat), every member active and one
reminder each queued (as the other runs), the sender (``crash_processes.py``: the outbox job,
in a process of its own) is started and killed with SIGKILL a random time after its first
message reached the stand-in; then, as the next start of the bot does, what the kill left
``sending`` is put back (``recover``) and a new sender started. The moments are drawn from the
first 90% of the time the send takes at 30/s (seeded: ``--seed`` repeats a run), in order, and
each run is killed that long after its first send, less the sending time of the runs before;
after the last kill the sender runs to the end.

Per kill it counts, from what the stand-in took and what the outbox recorded:

- **repeated**: members who got the message in the killed run although the outbox did not
  record it as sent (still ``sending``): they get it again after the restart. Their sends'
  ages at the kill say why: answered in the last :data:`RECORD_EVERY`, or recorded late;
  a negative age is a request the stand-in took after the kill moment (in flight);
- **lost**: members whose message nothing will send any more (neither sent nor pending after
  ``recover``), or recorded as sent without having reached them;
- 429s, and how far the send was.

At the end: members who never got it (lost), the repeats the stand-in saw (messages beyond the
first in a chat, which should equal the sum of the kills'), and whether the target is met
(docs/benchmarks.md: 0 lost, at most :data:`TARGET_REPEATS` repeated per kill).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess

from approaches import members_of, queued_database, time_allowed
from crash_processes import Delivery, start_sender
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from standin_process import ProcessStandin

from berichten.outbox.delivery import RECORD_EVERY
from berichten.outbox.store import recover
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from planning.db import Database

TARGET_REPEATS = 6
RATE = 30.0  # messages/s: Telegram's limit, and the pacer's
SPAN = 0.9  # kills land in this share of the send's time at RATE
SHORTEST_RUN = 0.05  # seconds: a kill lands at least this long after the run's first send
FIRST_SEND_WITHIN = 60.0  # seconds for a new sender to start, claim and send its first message
POLL = 0.01  # seconds between looks for a new sender's first message
SETTLE = 0.3  # seconds after a kill: requests already written reach the stand-in


@dataclass
class Kill:
    number: int
    moment: float  # seconds of sending, all runs so far
    after: float  # seconds after this run's first send
    sent: int  # messages the stand-in took in this run
    reached: int  # members who had it by the kill
    sending: int  # rows the kill left `sending`, put back by recover
    repeated: int
    lost: int
    flood_429: int
    ages: list[float] = field(default_factory=list)  # ms before the kill, per repeated send


@dataclass
class Outcome:
    wanted: int  # kills asked for
    kills: list[Kill]
    finished: bool  # the last run delivered everything and stopped by itself
    final_sent: int
    final_429: int
    duplicates: int  # messages beyond the first in a chat, as the stand-in saw them
    lost: int  # members who never got it
    notes: list[str]

    def met(self) -> bool:
        return (
            self.finished
            and len(self.kills) == self.wanted
            and self.lost == 0
            and all(kill.lost == 0 and kill.repeated <= TARGET_REPEATS for kill in self.kills)
        )


def kill_moments(rng: random.Random, kills: int, size: int) -> list[float]:
    """``kills`` moments (seconds of sending) in the first :data:`SPAN` of the send, in order."""
    return sorted(rng.uniform(0, SPAN * size / RATE) for _ in range(kills))


async def statuses(session: AsyncSession) -> dict[int, OutboxStatus]:
    rows = await session.execute(select(OutboxMessageRow.recipient, OutboxMessageRow.status))
    return {recipient: OutboxStatus(status) for recipient, status in rows}


async def first_send(server: ProcessStandin, start: int, process: BaseProcess) -> float:
    """When the sender's first message reached the stand-in (``time.monotonic()``)."""
    deadline = time.monotonic() + FIRST_SEND_WITHIN
    while not (found := await server.deliveries(start)):
        if not process.is_alive():
            raise RuntimeError(f"the sender stopped (exit code {process.exitcode}) before sending")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the sender sent nothing within {FIRST_SEND_WITHIN:.0f} s")
        await asyncio.sleep(POLL)
    return found[0][1]


async def end(process: BaseProcess, seconds: float) -> bool:
    """Wait for the process to end, killing it after ``seconds``: whether it ended well."""
    await asyncio.to_thread(process.join, seconds)
    if process.exitcode is not None:
        return process.exitcode == 0
    process.kill()
    await asyncio.to_thread(process.join, 10)
    return False


class Crashes:
    """One crash benchmark: the stand-in and the database it shares with every sender."""

    def __init__(self, server: ProcessStandin, database: Database, url: str, size: int) -> None:
        self.server = server
        self.database = database
        self.url = url
        self.size = size
        self.taken = 0  # messages the stand-in took so far
        self.flood_429 = 0
        self.counts: Counter[int] = Counter()  # messages per member so far
        self.moment = 0.0

    def sender(self) -> BaseProcess:
        seconds = time_allowed(self.size)
        return start_sender(self.url, self.server.token, self.server.base_url, seconds)

    async def taken_since(self) -> tuple[list[Delivery], int]:
        """The messages the stand-in took since the last look, and its 429s since then."""
        found = await self.server.deliveries(self.taken)
        self.taken += len(found)
        self.counts.update(chat for chat, _ in found)
        total_429 = await self.server.count_429()
        flood_429, self.flood_429 = total_429 - self.flood_429, total_429
        return found, flood_429

    async def kill_after(self, number: int, after: float) -> Kill | None:
        """Start a sender, kill it ``after`` s after its first send; None if it was done."""
        process = self.sender()
        try:
            first = await first_send(self.server, self.taken, process)
            await asyncio.sleep(max(0.0, first + after - time.monotonic()))
            if not process.is_alive():
                return None
            process.kill()  # SIGKILL: no chance to record anything
            killed_at = time.monotonic()
            await asyncio.to_thread(process.join, 10)
        finally:
            if process.is_alive():
                process.kill()
                await asyncio.to_thread(process.join, 10)
        await asyncio.sleep(SETTLE)
        found, flood_429 = await self.taken_since()
        status = await self.database.run(statuses)
        unrecorded = [(chat, at) for chat, at in found if status[chat] != OutboxStatus.SENT]
        put_back = await self.database.run(recover)  # as the next start does
        after_recover = await self.database.run(statuses)
        sent, pending = OutboxStatus.SENT, OutboxStatus.PENDING
        stranded = [chat for chat, now in after_recover.items() if now not in (pending, sent)]
        # Recorded as sent without having reached the member: impossible, but counted.
        phantom = {chat for chat, now in after_recover.items() if now == sent} - set(self.counts)
        self.moment += killed_at - first
        return Kill(
            number=number,
            moment=self.moment,
            after=killed_at - first,
            sent=len(found),
            reached=len(self.counts),
            sending=put_back,
            repeated=len({chat for chat, _ in unrecorded}),
            lost=len(stranded) + len(phantom),
            flood_429=flood_429,
            ages=sorted(1000 * (killed_at - at) for _, at in unrecorded),
        )

    async def to_the_end(self) -> tuple[bool, int, int]:
        """A last sender, left to finish: whether it did, its messages and 429s."""
        process = self.sender()
        try:
            finished = await end(process, time_allowed(self.size))
        finally:
            if process.is_alive():  # cancelled: the benchmark leaves no process behind
                process.kill()
        await asyncio.sleep(SETTLE)
        found, flood_429 = await self.taken_since()
        return finished, len(found), flood_429


async def crash_benchmark(size: int, kills: int, seed: int, url: str, latency: float) -> Outcome:
    rng = random.Random(seed)
    moments = kill_moments(rng, kills, size)
    members = members_of(size)
    shown = ", ".join(f"{moment:.2f}" for moment in moments)
    print(f"  {size:,} members, limits on, seed {seed}: kills after {shown} s of sending")
    notes: list[str] = []
    done: list[Kill] = []
    async with ProcessStandin(flood_limits=True, latency=latency) as server:
        await server.add_users(members)
        database = await queued_database(url, members, notes)
        try:
            crashes = Crashes(server, database, url, size)
            for number, moment in enumerate(moments, 1):
                kill = await crashes.kill_after(number, max(SHORTEST_RUN, moment - crashes.moment))
                if kill is None:
                    notes.append(f"the send was over before kill {number}")
                    break
                done.append(kill)
                print(f"    {progress_line(kill)}", flush=True)
            finished, final_sent, final_429 = await crashes.to_the_end()
            left = sum(1 for s in (await database.run(statuses)).values() if s != OutboxStatus.SENT)
        finally:
            await database.dispose()
    if left:
        notes.append(f"{left} messages not recorded as sent at the end")
    return Outcome(
        wanted=kills,
        kills=done,
        finished=finished,
        final_sent=final_sent,
        final_429=final_429,
        duplicates=sum(count - 1 for count in crashes.counts.values() if count > 1),
        lost=sum(1 for member in members if not crashes.counts[member]),
        notes=notes,
    )


def oldest(kill: Kill) -> str:
    return f"{kill.ages[-1]:.0f}" if kill.ages else "–"


def progress_line(kill: Kill) -> str:
    sent_ago = ", ".join(f"{age:.0f}" for age in kill.ages) or "none"
    return (
        f"kill {kill.number} after {kill.moment:.2f} s of sending ({kill.after:.2f} s into its "
        f"run): {kill.sent} sent in the run, {kill.reached:,} reached, {kill.sending} left "
        f"sending; {kill.repeated} repeated (sent {sent_ago} ms before the kill), {kill.lost} "
        f"lost, {kill.flood_429} 429s"
    )


HEADER = (
    "| kill | after (s of sending) | into its run (s) | sent before the kill | repeated "
    "| oldest repeat (ms before the kill) | lost | 429s |"
)


def report(outcome: Outcome) -> list[str]:
    """The table, the totals and the verdict."""
    lines = [HEADER, "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kill in outcome.kills:
        lines.append(
            f"| {kill.number} | {kill.moment:.2f} | {kill.after:.2f} | {kill.sent} "
            f"| {kill.repeated} | {oldest(kill)} | {kill.lost} | {kill.flood_429} |"
        )
    repeated = sum(kill.repeated for kill in outcome.kills)
    lost = sum(kill.lost for kill in outcome.kills)
    kills_429 = sum(kill.flood_429 for kill in outcome.kills)
    lines.append(
        f"| total | | | {sum(kill.sent for kill in outcome.kills)} | {repeated} | "
        f"| {lost} | {kills_429} |"
    )
    most = max((kill.repeated for kill in outcome.kills), default=0)
    lines += [
        "",
        f"last run: {outcome.final_sent} sent, {outcome.final_429} 429s, "
        + ("finished" if outcome.finished else "did NOT finish"),
        f"the stand-in saw {outcome.duplicates} repeats (kills counted {repeated}); "
        f"{outcome.lost} members never got the message",
        *outcome.notes,
        f"{len(outcome.kills)} of {outcome.wanted} kills: {outcome.lost} lost ({lost} left by "
        f"the kills with nothing to send them), at most {most} repeated per kill "
        f"(mean {repeated / max(1, len(outcome.kills)):.1f}; target: 0 lost, at most "
        f"{TARGET_REPEATS} repeated per kill, recorded every {RECORD_EVERY} s): "
        + ("met" if outcome.met() else "NOT met"),
    ]
    return lines


async def main_async(
    sizes: list[int], kills: int, seed: int, database: Callable[[str], str], latency: float
) -> None:
    for size in sizes:
        outcome = await crash_benchmark(size, kills, seed, database(f"crash-{size}"), latency)
        print()
        for line in report(outcome):
            print(line)
