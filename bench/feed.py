"""Personal calendar feeds under load: 1,000 feed requests for 10,000 members.

Issue 15: a member's calendar program polls ``/agenda/<token>.ics``. The jaarplan 2011 is
imported into a throwaway SQLite file (or ``--database-url``), the members are registered
active in the plan's groups (each in one or two, round the groups), each with a feed token
stored hashed as /agenda makes it, and the real :class:`bot.feed_server.FeedServer` listens on
127.0.0.1. Requests for random members are timed from the request to the last byte, with
``--concurrency`` of them in flight (calendar programs poll independently); each answer must
be 200 with a VCALENDAR. The target: p99 under 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import secrets
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from revision import measured_commit
from scratch import fresh_database
from sqlalchemy import insert, select

from bot.feed_server import FeedServer, feed_links
from planning.calendar.feed_tokens import FeedTokenRow, token_hash
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import GroupRow, MemberRow, MemberStatus, Role, member_groups
from planning.plan.example import import_example_plan

FIRST_MEMBER = 10_000_001
TARGET_P99_MS = 100.0
# Tuesday 4 January 2011, 09:00 in Amsterdam: the start of the jaarplan's year.
NOW = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f}"


async def seat(database: Database, size: int, clock: FixedClock) -> list[str]:
    """``size`` active members in the plan's groups, each with a feed token: the tokens."""
    now = clock.now()
    async with database.transaction() as session:
        groups = list(await session.scalars(select(GroupRow.id).order_by(GroupRow.id)))
        members = [
            {
                "telegram_user_id": FIRST_MEMBER + n,
                "name": f"Lid {n}",
                "role": Role.LID,
                "status": MemberStatus.ACTIVE,
                "registered_at": now,
                "status_changed_at": now,
            }
            for n in range(size)
        ]
        await session.execute(insert(MemberRow), members)
        ids = list(await session.scalars(select(MemberRow.id).order_by(MemberRow.id)))
        memberships = [
            {"member_id": member, "group_id": groups[(n + k) % len(groups)]}
            for n, member in enumerate(ids)
            for k in range(1 + n % 2)
        ]
        await session.execute(insert(member_groups), memberships)
        tokens = [secrets.token_urlsafe(32) for _ in ids]
        rows = [
            {"member_id": member, "token_hash": token_hash(token), "created_at": now}
            for member, token in zip(ids, tokens, strict=True)
        ]
        await session.execute(insert(FeedTokenRow), rows)
    return tokens


async def measure(
    size: int, requests: int, concurrency: int, url: str
) -> tuple[list[float], float, int]:
    """Latencies in ms, the seconds the whole run took, and how many answers were wrong."""
    database = await fresh_database(url)
    clock = FixedClock(NOW)
    await database.run(import_example_plan, clock)
    tokens = await seat(database, size, clock)
    server = FeedServer(database, clock, "127.0.0.1", 0)
    await server.start()
    chosen = random.Random(15).choices(tokens, k=requests)
    latencies: list[float] = []
    wrong = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in chosen:
        queue.put_nowait(token)

    async def poller(http: aiohttp.ClientSession) -> None:
        nonlocal wrong
        while not queue.empty():
            token = queue.get_nowait()
            path = feed_links("http://x", token)[0].removeprefix("http://x")
            started = time.perf_counter()
            async with http.get(f"http://127.0.0.1:{server.port}{path}") as response:
                body = await response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or b"BEGIN:VCALENDAR" not in body:
                wrong += 1

    try:
        async with aiohttp.ClientSession() as http:
            await poller_warmup(http, server.port, tokens[0])
            started = time.perf_counter()
            await asyncio.gather(*(poller(http) for _ in range(concurrency)))
            seconds = time.perf_counter() - started
    finally:
        await server.stop()
        await database.dispose()
    return latencies, seconds, wrong


async def poller_warmup(http: aiohttp.ClientSession, port: int, token: str) -> None:
    """One request first, so the plan is read once as the running bot has already done."""
    path = feed_links("http://x", token)[0].removeprefix("http://x")
    async with http.get(f"http://127.0.0.1:{port}{path}") as response:
        await response.read()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=1_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--database-url", help="a scratch database (its schema is dropped)")
    args = parser.parse_args(argv)
    revision = measured_commit("berichten", "bot", "planning")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load {load()}), "
        f"Python {platform.python_version()}, commit {revision}, {args.members:,} members, "
        f"{args.requests:,} requests, {args.concurrency} in flight",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'feed.db'}"
        latencies, seconds, wrong = asyncio.run(
            measure(args.members, args.requests, args.concurrency, url)
        )
    p99 = percentile(latencies, 0.99)
    print(
        f"p50 {statistics.median(latencies):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
        f"p99 {p99:.1f} ms, max {max(latencies):.1f} ms; {len(latencies) / seconds:.0f} "
        f"requests/s; {wrong} wrong answers"
    )
    print(f"load average at the end: {load()}")
    met = p99 < TARGET_P99_MS and wrong == 0
    print("target met" if met else f"TARGET MISSED (p99 must be under {TARGET_P99_MS:.0f} ms)")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
