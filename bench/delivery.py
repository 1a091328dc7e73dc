"""Benchmark: one reminder to every member, through the outbox and the way plain PTB would.

Run by hand (not part of the test suite; it talks only to a stand-in on 127.0.0.1):

    .venv/bin/python bench/delivery.py [--sizes 1000,10000] [--only ours|plain]
                                       [--limits on|off|both] [--rounds 3]
                                       [--database-url URL] [--latency MS]
                                       [--standin process|inline]
    .venv/bin/python bench/delivery.py --crash 10 [--seed N] [--sizes 1000]
                                       [--database-url URL] [--latency MS]

For each number of members it delivers one reminder to each, with the stand-in's flood limits
switched on (30 messages/s overall, 1/s per chat, answered with 429 and ``retry_after`` like
Telegram) and switched off, through the outbox and the way plain PTB would (``approaches.py``).

It prints, side by side: seconds, messages/s (members reached per second), the slowest full
10 s (messages/s), 429s received, duplicates (messages beyond the first in a chat), losses
(members who received nothing) and errors (exceptions the plain loop caught, messages the
outbox gave up on). Then it says whether the targets (docs/benchmarks.md) are met. With the
limits off, throughput is all CPU, and one run is at the mercy of whatever else the machine
does: the outbox and the bare loop are run ``--rounds`` times, alternately, and their medians
compared. The outbox uses a throwaway SQLite file, or the given database, whose ``public``
schema it drops and rebuilds before every run: use a scratch database. ``--latency`` makes
every call take that much longer (half on the way in, half on the way back), as over the
internet; by default the stand-in answers within milliseconds, from a process of its own as
Telegram would (``--standin inline`` runs it in the benchmark's event loop, as the tests do;
see ``standin_process.py``). How long a run takes is in docs/benchmarks.md.

``--crash KILLS`` measures something else: the outbox's sender, in a process of its own, killed
with SIGKILL at that many random moments of a send (limits on) and restarted as the bot would
be; per kill, what it repeated and lost (``crash.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import random
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import crash
from approaches import APPROACHES, OURS, PLAIN_LOOP, Run, members_of
from revision import measured_commit
from standin_process import InlineStandin, ProcessStandin, Standin

PROGRESS_EVERY = 10.0  # seconds
WINDOW = 10.0  # seconds: the "sustained" rate is that of the slowest full window
# The targets (docs/benchmarks.md): limits on, this rate sustained; limits off, this share of
# the bare loop's throughput.
TARGET_RATE = 29.0
TARGET_SHARE = 0.8


@dataclass
class Result:
    approach: str
    size: int
    limits: bool
    seconds: float
    reached: int
    sustained: float | None
    flood_429: int
    duplicates: int
    losses: int
    errors: int

    @property
    def rate(self) -> float:
        return self.reached / self.seconds if self.seconds else 0.0


DatabaseUrl = Callable[[str], str]  # the outbox database for a run of this name


async def progress(label: str, server: Standin, size: int) -> None:
    """Every ``PROGRESS_EVERY`` seconds: how far, and the rate since the first message."""
    started = time.monotonic()
    while True:
        await asyncio.sleep(PROGRESS_EVERY)
        now = time.monotonic()
        arrivals = await server.arrivals()
        rate = len(arrivals) / (now - arrivals[0]) if arrivals else 0.0
        print(
            f"    {label}: {len(arrivals):,}/{size:,} messages after {now - started:.0f} s "
            f"({rate:.1f}/s since the first), 429s: {await server.count_429()}",
            flush=True,
        )


def slowest_window(arrivals: Sequence[float]) -> float | None:
    """Messages/s in the slowest full ``WINDOW`` between the first and the last arrival."""
    if not arrivals or arrivals[-1] - arrivals[0] < WINDOW:
        return None
    first = arrivals[0]
    buckets = [0] * int((arrivals[-1] - first) // WINDOW)
    for moment in arrivals:
        index = int((moment - first) // WINDOW)
        if index < len(buckets):
            buckets[index] += 1
    return min(buckets) / WINDOW


async def measure(
    name: str, size: int, limits: bool, database: DatabaseUrl, latency: float, inline: bool
) -> Result:
    label = f"{name}, {size:,} members, limits {'on' if limits else 'off'}"
    print(f"  {label} ...", flush=True)
    kind = InlineStandin if inline else ProcessStandin
    async with kind(flood_limits=limits, latency=latency) as server:
        members = members_of(size)
        await server.add_users(members)
        run = Run(server, members, limits, database(f"{size}-{'on' if limits else 'off'}"))
        reporter = asyncio.create_task(progress(label, server, size))
        try:
            seconds = await APPROACHES[name](run)
        finally:
            reporter.cancel()
        received = await server.received(members)
        arrivals = await server.arrivals()
        result = Result(
            approach=name,
            size=size,
            limits=limits,
            seconds=seconds,
            reached=sum(1 for count in received if count),
            sustained=slowest_window(arrivals),
            flood_429=await server.count_429(),
            duplicates=sum(count - 1 for count in received if count > 1),
            losses=sum(1 for count in received if not count),
            errors=run.errors,
        )
    for note in run.notes:
        print(f"    {note}")
    print(f"    {row(result)}", flush=True)
    return result


HEADER = (
    "| approach | members | limits | seconds | messages/s | slowest 10 s | 429s "
    "| duplicates | losses | errors |"
)


def row(result: Result) -> str:
    sustained = "–" if result.sustained is None else f"{result.sustained:.1f}"
    return (
        f"| {result.approach} | {result.size:,} | {'on' if result.limits else 'off'} "
        f"| {result.seconds:.1f} | {result.rate:.1f} | {sustained} | {result.flood_429} "
        f"| {result.duplicates} | {result.losses} | {result.errors} |"
    )


def median_rate(results: list[Result], approach: str, size: int) -> float | None:
    """The median messages/s of an approach's unpaced runs: one run is at the mercy of
    whatever else the machine does, so the comparison alternates runs and takes medians."""
    rates = [r.rate for r in results if (r.approach, r.size, r.limits) == (approach, size, False)]
    return statistics.median(rates) if rates else None


def verdicts(results: list[Result]) -> list[str]:
    """Whether the targets (docs/benchmarks.md) are met, one line per size and target."""
    lines: list[str] = []
    found = {(r.approach, r.size, r.limits): r for r in results}
    for size in sorted({r.size for r in results}):
        mine = found.get((OURS, size, True))
        if mine is not None:
            sustained = mine.sustained if mine.sustained is not None else mine.rate
            met = (
                min(mine.rate, sustained) >= TARGET_RATE
                and mine.flood_429 == 0
                and mine.duplicates == 0
                and mine.losses == 0
            )
            lines.append(
                f"{size:,} members, limits on: {mine.rate:.1f}/s overall, slowest 10 s "
                f"{sustained:.1f}/s, {mine.flood_429} 429s, {mine.duplicates} duplicates, "
                f"{mine.losses} losses (target: >= {TARGET_RATE:.0f}/s sustained, zero 429s, "
                f"duplicates and losses): {'met' if met else 'NOT met'}"
            )
        mine_rate = median_rate(results, OURS, size)
        bare_rate = median_rate(results, PLAIN_LOOP, size)
        if mine_rate is not None and bare_rate is not None:
            share = mine_rate / bare_rate if bare_rate else 0.0
            runs = [r for r in results if r.approach == OURS and r.size == size and not r.limits]
            lines.append(
                f"{size:,} members, limits off: {mine_rate:.1f}/s against the bare PTB loop's "
                f"{bare_rate:.1f}/s = {share:.0%} (median of {len(runs)}; target: >= "
                f"{TARGET_SHARE:.0%}): {'met' if share >= TARGET_SHARE else 'NOT met'}"
            )
    return lines


async def main_async(
    sizes: list[int],
    names: list[str],
    database: DatabaseUrl,
    latency: float,
    limit_modes: Sequence[bool] = (True, False),
    rounds: int = 1,
    inline: bool = False,
) -> None:
    results: list[Result] = []
    for size in sizes:
        for limits in limit_modes:
            for round_ in range(rounds if not limits else 1):
                for name in names:
                    # Repeated rounds alternate only the two runs compared; the AIORateLimiter
                    # loops run at 30/s either way.
                    if round_ and name not in (OURS, PLAIN_LOOP):
                        continue
                    results.append(await measure(name, size, limits, database, latency, inline))
    print()
    print(HEADER)
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for result in results:
        print(row(result))
    print()
    for line in verdicts(results):
        print(line)
    print(f"load average at the end: {load()}")
    # The outbox ran in this process (the stand-in in its own): the bot's peak, near enough.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the sending process: {peak:.0f} MB")


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): others' work skews the figures."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def parse_sizes(value: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {value!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--sizes", type=parse_sizes, metavar="N,N", help="default 1000,10000; with --crash 1000"
    )
    parser.add_argument("--only", choices=("ours", "plain"))
    parser.add_argument(
        "--limits", choices=("on", "off", "both"), default="both", help="Telegram's flood limits"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="limits off: alternate the outbox and the bare loop this often, compare medians",
    )
    parser.add_argument("--database-url", help="a scratch database (its schema is dropped)")
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        metavar="MS",
        help="round trip the stand-in adds to every call, as if Telegram were that far away",
    )
    parser.add_argument(
        "--standin",
        choices=("process", "inline"),
        default="process",
        help="the stand-in in a process of its own (as Telegram is) or in the benchmark's loop",
    )
    parser.add_argument(
        "--crash",
        type=int,
        metavar="KILLS",
        help="instead: kill -9 the outbox's sender this often during a send (limits on)",
    )
    parser.add_argument("--seed", type=int, help="--crash: the kill moments' seed (printed)")
    args = parser.parse_args(argv)
    if args.crash is not None and (
        args.crash < 1 or args.only == "plain" or args.limits == "off" or args.standin == "inline"
    ):
        parser.error("--crash needs KILLS >= 1, the outbox, limits on and the stand-in process")
    sizes = args.sizes or ([1000] if args.crash else [1000, 10000])
    seed = random.randrange(2**31) if args.seed is None else args.seed
    names = [
        name for name in APPROACHES if args.only is None or (name == OURS) == (args.only == "ours")
    ]
    # With max_retries=0 AIORateLimiter logs a traceback for every 429 it raises; the table
    # counts those as errors and losses instead.
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    with tempfile.TemporaryDirectory() as directory:

        def database(run: str) -> str:
            """A scratch database per run: a new SQLite file, or the given one (rebuilt)."""
            return args.database_url or f"sqlite:///{Path(directory) / f'outbox-{run}.db'}"

        shown = args.database_url.split("@")[-1] if args.database_url else "SQLite (temporary)"
        revision = measured_commit("berichten", "bot", "planning")
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load {load()}), "
            f"Python {platform.python_version()}, commit {revision}, database {shown}, "
            f"added round trip {args.latency:g} ms, stand-in {args.standin}",
            flush=True,
        )
        if args.crash is not None:
            asyncio.run(crash.main_async(sizes, args.crash, seed, database, args.latency / 1000))
            print(f"load average at the end: {load()}")
            return
        modes = {"on": (True,), "off": (False,), "both": (True, False)}[args.limits]
        asyncio.run(
            main_async(
                sizes,
                names,
                database,
                args.latency / 1000,
                modes,
                args.rounds,
                inline=args.standin == "inline",
            )
        )


if __name__ == "__main__":
    main()
