"""Benchmark: a burst of commands from many members, answered by the bot.

Run by hand (not part of the test suite; it talks only to a stand-in on 127.0.0.1):

    .venv/bin/python bench/replies.py [--members 50] [--commands 10] [--limits on|off|both]
                                      [--broadcast 1500] [--rounds 3] [--database-url URL]

The whole bot (``bot.app.build_application``, long polling) runs in this process against the
stand-in Bot API in a process of its own (``standin_process.py``), on a throwaway SQLite file or
the given database (its ``public`` schema is dropped: use a scratch database). ``--members``
registered members each send ``--commands`` commands at once (a rotation of ``/help``,
``/mijngegevens``, ``/volgende`` and ``/deadlines``, one answer each), interleaved member by
member, as a busy moment would bring them. The example year plan is imported and every member
is in every group, on a clock that runs from 1 March 2011, so ``/volgende`` and ``/deadlines``
answer with the plan's meetings and milestones (``--no-plan``: an empty database, as the
figures before 2026-12-06 11:00 were measured).

- **Limits off** (the bot unpaced too): how long until every command was answered,
  commands/s, and each command's latency (from when the member sent it to when its answer
  arrived: the k-th answer in a chat answers the k-th command there) at p50, p99, slowest.
  Repeated ``--rounds`` times; the medians are compared with the targets.
- **Limits on** (30/s overall, 1/s per chat, 429 beyond, like Telegram): the same burst while
  the outbox sends one reminder to each of ``--broadcast`` other members. It starts once the
  broadcast runs at full speed. Reported: answered commands, 429s, latency, the broadcast's
  messages/s and all sends/s in the slowest full 10 s while both ran.

Targets (docs/benchmarks.md): limits off, 500 commands from 50 members answered at least 3x as
fast as before the bot handled chats concurrently (``--baseline``: that run's commands/s), p99
under 1 s; limits on, every command answered, 0 429s and at least 29 sends/s while the
broadcast runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from approaches import TEXT, members_of, register
from pydantic import SecretStr
from revision import measured_commit
from scratch import fresh_database
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from standin_process import ProcessStandin

from berichten.outbox.store import NewMessage, enqueue
from bot.app import build_application, freeze_startup_heap, polling
from bot.settings import Settings
from planning.clock import Clock, SystemClock
from planning.membership.tables import GroupRow, MemberRow, member_groups
from planning.plan.example import import_example_plan

COMMANDS = ("/help", "/mijngegevens", "/volgende", "/deadlines")
WAIT_STEP = 0.05  # seconds between looks at the stand-in's records
WINDOW = 10.0  # seconds: the slowest full window while the burst and the broadcast overlap
BROADCAST_HEAD_START = 100  # reminders sent before the burst begins
TARGET_SPEEDUP = 3.0
TARGET_P99 = 1.0
TARGET_RATE = 29.0


PLAN_TIME = datetime(2011, 3, 1, 8, 0, tzinfo=UTC)  # early in the example plan's year


class ShiftedClock:
    """The system clock, moved back to :data:`PLAN_TIME` when made: time runs as usual."""

    def __init__(self) -> None:
        self._shift = datetime.now(UTC) - PLAN_TIME

    def now(self) -> datetime:
        return datetime.now(UTC) - self._shift


async def in_every_group(session: AsyncSession, members: Sequence[int]) -> None:
    """Put ``members`` (Telegram ids) in every group of the plan."""
    groups = (await session.scalars(select(GroupRow.id))).all()
    ids = (
        await session.scalars(select(MemberRow.id).where(MemberRow.telegram_user_id.in_(members)))
    ).all()
    rows = [{"member_id": m, "group_id": g} for m in ids for g in groups]
    await session.execute(insert(member_groups), rows)


@dataclass
class Result:
    limits: bool
    commands: int
    answered: int
    seconds: float
    latencies: list[float]
    flood_429: int
    broadcast_rate: float | None = None  # the outbox's messages/s over its whole run
    slowest_window: float | None = None  # all sends/s in the slowest full WINDOW of the burst
    cpu_seconds: float = 0.0  # this process's CPU time (the bot's) from the burst to its end

    @property
    def rate(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def quantile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def burst(members: Sequence[int], each: int) -> list[tuple[int, str]]:
    """``each`` commands from every member, interleaved member by member."""
    return [
        (member, COMMANDS[(round_ + index) % len(COMMANDS)])
        for round_ in range(each)
        for index, member in enumerate(members)
    ]


def latencies(
    lines: Sequence[tuple[int, str]],
    sent: Sequence[float],
    deliveries: Sequence[tuple[int, float]],
) -> list[float]:
    """Per command: its answer's arrival minus when it was sent (k-th answer, k-th command)."""
    asked: dict[int, list[float]] = {}
    for (member, _), moment in zip(lines, sent, strict=True):
        asked.setdefault(member, []).append(moment)
    answered: dict[int, list[float]] = {}
    for chat, moment in deliveries:
        if chat in asked:
            answered.setdefault(chat, []).append(moment)
    found: list[float] = []
    for member, moments in asked.items():
        for ask, answer in zip(moments, answered.get(member, []), strict=False):
            found.append(answer - ask)
    return found


def slowest_window(moments: Sequence[float]) -> float | None:
    """Sends/s in the slowest full WINDOW between the first and the last of ``moments``."""
    if not moments or moments[-1] - moments[0] < WINDOW:
        return None
    first = moments[0]
    buckets = [0] * int((moments[-1] - first) // WINDOW)
    for moment in moments:
        index = int((moment - first) // WINDOW)
        if index < len(buckets):
            buckets[index] += 1
    return min(buckets) / WINDOW


async def measure(
    size: int,
    each: int,
    limits: bool,
    broadcast: int,
    database_url: str,
    allowed: float,
    plan: bool,
) -> Result:
    talkers = members_of(size)
    listeners = members_of(size + broadcast)[size:] if limits else []
    async with ProcessStandin(flood_limits=limits, latency=0.0) as server:
        await server.add_users([*talkers, *listeners])
        database = await fresh_database(database_url)
        clock: Clock = ShiftedClock() if plan else SystemClock()
        await register(database, [*talkers, *listeners], clock.now())
        if plan:
            await database.run(import_example_plan, clock)
            await database.run(in_every_group, talkers)
        if listeners:
            reminders = [
                NewMessage(
                    key=f"bench|{member}",
                    kind="reminder",
                    recipient=member,
                    text=TEXT,
                    due_at=clock.now(),
                )
                for member in listeners
            ]
            await database.run(enqueue, clock.now(), reminders)
        # Limits off: the bot unpaced too, as bench/delivery.py runs the outbox then.
        settings = Settings(
            token=SecretStr(server.token),
            bot_api_url=server.base_url,
            database_url=database_url,
            messages_per_second=30.0 if limits else 1e6,
            chat_interval_seconds=1.0 if limits else 0.0,
        )
        application = build_application(settings, database, clock, outbox_job=bool(listeners))
        freeze_startup_heap()  # as `overlegbot run` does
        lines = burst(talkers, each)
        async with polling(application, poll_timeout=10):
            # The stand-in is in another process: its records are looked at, not waited on.
            while listeners:
                if len(await server.deliveries()) >= BROADCAST_HEAD_START:
                    break
                await asyncio.sleep(WAIT_STEP)
            before = len(await server.deliveries())
            started = time.monotonic()
            cpu_started = time.process_time()
            sent = await server.say(lines)
            deadline = started + allowed
            talking = set(talkers)
            while time.monotonic() < deadline:
                answers = [d for d in await server.deliveries(before) if d[0] in talking]
                if len(answers) >= len(lines):
                    break
                await asyncio.sleep(WAIT_STEP)
            finished = max((moment for _, moment in answers), default=time.monotonic())
            cpu_seconds = time.process_time() - cpu_started
            while listeners and time.monotonic() < deadline:
                got = await server.received(listeners)
                if all(got):
                    break
                await asyncio.sleep(WAIT_STEP)
        deliveries = await server.deliveries()
        await database.dispose()
        result = Result(
            limits=limits,
            commands=len(lines),
            answered=len(answers),
            seconds=finished - sent[0],
            latencies=latencies(lines, sent, deliveries[before:]),
            flood_429=await server.count_429(),
            cpu_seconds=cpu_seconds,
        )
        if listeners:
            told = set(listeners)
            outbox = [moment for chat, moment in deliveries if chat in told]
            span = outbox[-1] - outbox[0] if len(outbox) > 1 else 0.0
            result.broadcast_rate = (len(outbox) - 1) / span if span else None
            during = [moment for _, moment in deliveries if sent[0] <= moment <= finished]
            result.slowest_window = slowest_window(during)
    return result


HEADER = (
    "| limits | commands | answered | seconds | commands/s | p50 s | p99 s | slowest s | 429s "
    "| broadcast /s | all sends, slowest 10 s /s | bot CPU ms/command |"
)


def row(result: Result) -> str:
    def rate(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    return (
        f"| {'on' if result.limits else 'off'} | {result.commands} | {result.answered} "
        f"| {result.seconds:.2f} | {result.rate:.1f} | {result.quantile(0.5):.2f} "
        f"| {result.quantile(0.99):.2f} | {max(result.latencies, default=float('nan')):.2f} "
        f"| {result.flood_429} | {rate(result.broadcast_rate)} | {rate(result.slowest_window)} "
        f"| {1000 * result.cpu_seconds / max(result.commands, 1):.2f} |"
    )


def verdicts(results: Sequence[Result], baseline: float | None) -> list[str]:
    lines: list[str] = []
    off = [r for r in results if not r.limits]
    if off:
        rate = statistics.median(r.rate for r in off)
        p99 = statistics.median(r.quantile(0.99) for r in off)
        everyone = all(r.answered == r.commands for r in off)
        line = f"limits off: {rate:.1f} commands/s, p99 {p99:.2f} s (median of {len(off)})"
        met = p99 < TARGET_P99 and everyone
        if baseline:
            line += f", {rate / baseline:.1f}x the baseline {baseline:.1f}/s"
            met = met and rate >= TARGET_SPEEDUP * baseline
        target = f"target: >= {TARGET_SPEEDUP:.0f}x, p99 < {TARGET_P99:.0f} s, all answered"
        lines.append(f"{line} ({target}): {'met' if met else 'NOT met'}")
    for result in (r for r in results if r.limits):
        window = result.slowest_window
        met = (
            result.answered == result.commands
            and result.flood_429 == 0
            and window is not None
            and window >= TARGET_RATE
        )
        lines.append(
            f"limits on: {result.answered}/{result.commands} answered, {result.flood_429} 429s, "
            f"slowest 10 s of all sends {window if window is None else round(window, 1)}/s "
            f"(target: all answered, 0 429s, >= {TARGET_RATE:.0f}/s): "
            f"{'met' if met else 'NOT met'}"
        )
    return lines


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


async def main_async(args: argparse.Namespace, directory: Path) -> None:
    modes = {"on": (True,), "off": (False,), "both": (False, True)}[args.limits]
    results: list[Result] = []
    for limits in modes:
        for round_ in range(1 if limits else args.rounds):
            url = args.database_url or f"sqlite:///{directory / f'replies-{round_}.db'}"
            label = f"limits {'on' if limits else 'off'}, round {round_ + 1}"
            print(f"  {label} ...", flush=True)
            result = await measure(
                args.members, args.commands, limits, args.broadcast, url, args.timeout, args.plan
            )
            print(f"    {row(result)}", flush=True)
            results.append(result)
    print()
    print(HEADER)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(row(result))
    print()
    for line in verdicts(results, args.baseline):
        print(line)
    print(f"load average at the end: {load()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--commands", type=int, default=10, help="commands per member")
    parser.add_argument("--limits", choices=("on", "off", "both"), default="both")
    parser.add_argument("--broadcast", type=int, default=1500, help="limits on: reminders sent")
    parser.add_argument("--rounds", type=int, default=3, help="limits off: runs, medians shown")
    parser.add_argument("--baseline", type=float, help="commands/s before, for the 3x target")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a run may take")
    parser.add_argument("--database-url", help="a scratch database (its schema is dropped)")
    parser.add_argument(
        "--no-plan", dest="plan", action="store_false", help="no year plan, nobody in a group"
    )
    args = parser.parse_args(argv)
    revision = measured_commit("berichten", "bot", "planning")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load {load()}), "
        f"Python {platform.python_version()}, commit {revision}, {args.members} members x "
        f"{args.commands} commands, {'with' if args.plan else 'without'} the example plan",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as directory:
        asyncio.run(main_async(args, Path(directory)))


if __name__ == "__main__":
    main()
