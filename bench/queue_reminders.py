"""Benchmark: one run of the reminder queue when nothing changed, at 10,000 members.

Run by hand (not part of the test suite):

    .venv/bin/python bench/queue_reminders.py [--members 10000] [--at 2011-06-06T07:30]
                                              [--runs 3] [--database-url URL]

The outbox job runs :func:`berichten.reminders.queue.queue_reminders` on every wake (at least
hourly) and after every change in chat, so its cost when nothing changed is paid all the time.
This imports the example plan, registers the members (spread over the plan's organisations,
all contact persons and most in one more group, a tenth with their own hour), runs the queue
every 12 hours over the week before the moment, marking what fell due as sent (as the sender
would), then times further runs at the moment with nothing changed, broken down by step. The
default moment (Monday 6 June 2011, 09:30) has the most reminders in the queue's window of
the year. Use a scratch database: its ``public`` schema is dropped. The figures are in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from revision import measured_commit
from scratch import fresh_database
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.milestones import queue_deadline_messages
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from berichten.reminders import queue as reminder_queue
from berichten.reminders.queue import queue_reminders
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import (
    GroupRow,
    MemberRow,
    MemberStatus,
    OrganisationRow,
    Role,
    member_groups,
)
from planning.plan.example import import_example_plan
from planning.preferences.tables import MemberPreferenceRow

FIRST_MEMBER = 20_000_001
# Each member's groups, in turn: all are contact persons, most in one more group.
GROUP_SETS = (
    ("contactpersonen",),
    ("contactpersonen", "kenniswerkgroep"),
    ("contactpersonen", "petit-comite"),
    ("contactpersonen", "bestuurders"),
    ("contactpersonen", "communicatieadviseurs"),
)
WARM_UP = timedelta(days=8)  # queued and sent step by step before the measured runs
WARM_UP_STEP = timedelta(hours=12)
STEPS = ("schedule", "enqueue", "requeue", "pending_keys", "withdraw")


async def register(database: Database, count: int, now: datetime) -> None:
    """Active members over every organisation, in the groups of :data:`GROUP_SETS`."""
    async with database.transaction() as session:
        organisations = list(await session.scalars(select(OrganisationRow.id)))
        groups = {
            code: gid for gid, code in await session.execute(select(GroupRow.id, GroupRow.code))
        }
        await session.execute(
            insert(MemberRow),
            [
                {
                    "telegram_user_id": FIRST_MEMBER + n,
                    "name": f"Lid {n}",
                    "organisation_id": organisations[n % len(organisations)],
                    "role": Role.LID,
                    "status": MemberStatus.ACTIVE,
                    "registered_at": now,
                    "status_changed_at": now,
                }
                for n in range(count)
            ],
        )
        ids = list(await session.scalars(select(MemberRow.id).order_by(MemberRow.id)))
        await session.execute(
            insert(member_groups),
            [
                {"member_id": member_id, "group_id": groups[code]}
                for n, member_id in enumerate(ids)
                for code in GROUP_SETS[n % len(GROUP_SETS)]
            ],
        )
        await session.execute(
            insert(MemberPreferenceRow),
            [
                {"member_id": member_id, "reminder_hour": 8, "digest": False, "updated_at": now}
                for member_id in ids[::10]
            ],
        )


def timed(name: str, spent: dict[str, float], real: Callable[..., Awaitable[Any]]) -> Any:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await real(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - started

    return wrapper


def instrument(spent: dict[str, float]) -> None:
    """Time the queue's steps by wrapping the names the module calls them by."""
    for name in STEPS:
        real = getattr(reminder_queue, name)
        if asyncio.iscoroutinefunction(real):
            setattr(reminder_queue, name, timed(name, spent, real))
        else:

            def measured(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return _real(*args, **kwargs)
                finally:
                    spent[_name] += time.perf_counter() - started

            setattr(reminder_queue, name, measured)


async def counts(database: Database) -> dict[str, int]:
    async with database.transaction() as session:
        rows = await session.execute(
            select(OutboxMessageRow.status, func.count()).group_by(OutboxMessageRow.status)
        )
        return {status: number for status, number in rows}


async def main_async(members: int, at: datetime, runs: int, url: str) -> None:
    database = await fresh_database(url)
    clock = FixedClock(datetime(2010, 12, 1, tzinfo=UTC))
    await database.run(import_example_plan, clock)
    await register(database, members, clock.now())
    started = time.perf_counter()
    moment = at - WARM_UP
    while True:  # the outbox as a week of wakes leaves it: queued, then sent when due
        clock.set(min(moment, at))
        await database.run(queue_reminders, clock)
        async with database.transaction() as session:
            await session.execute(
                update(OutboxMessageRow)
                .where(
                    OutboxMessageRow.status == OutboxStatus.PENDING,
                    OutboxMessageRow.due_at <= clock.now(),
                )
                .values(status=OutboxStatus.SENT, sent_at=clock.now())
            )
        if moment >= at:
            break
        moment += WARM_UP_STEP
    print(f"warm-up: {time.perf_counter() - started:.1f} s")
    print(f"outbox: {await counts(database)}")
    spent: dict[str, float] = defaultdict(float)
    instrument(spent)
    wanted: list[int] = []
    real_requeue = reminder_queue.requeue  # type: ignore[attr-defined]

    async def counting(session: AsyncSession, clock: FixedClock, messages: Any, **kw: Any) -> int:
        messages = list(messages)
        wanted.append(len(messages))
        return int(await real_requeue(session, clock, messages, **kw))

    reminder_queue.requeue = counting  # type: ignore[attr-defined,assignment]
    totals: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        report = await database.run(queue_reminders, clock)
        totals.append(time.perf_counter() - started)
        assert (report.queued, report.withdrawn) == (0, 0), report
    print(f"messages wanted by a run: {wanted[-1]}")
    print(f"unchanged run: best {min(totals):.2f} s, mean {sum(totals) / runs:.2f} s of {runs}")
    for name in STEPS:
        print(f"  {name:<13} {spent[name] / runs:6.2f} s")
    other = sum(totals) / runs - sum(spent.values()) / runs
    print(f"  {'the rest':<13} {other:6.2f} s (plan, members, preferences, texts)")
    await one_member_runs(database, clock, members, runs)
    await full_deadline_runs(database, clock, runs)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    await database.dispose()


async def one_member_runs(database: Database, clock: FixedClock, members: int, runs: int) -> None:
    """What a registration, a departure or a changed wish costs: a run for that member only,
    reminders and overdue questions, for members spread over the organisations and groups."""
    who = [FIRST_MEMBER + n * members // runs for n in range(runs)]
    await database.run(queue_reminders, clock, {who[-1]})  # as in a running bot: warm
    took: list[float] = []
    for member in who:
        started = time.perf_counter()
        await database.run(queue_reminders, clock, {member})
        await database.run(queue_deadline_messages, clock, only={member})
        took.append(time.perf_counter() - started)
    print(f"one member's run: best {min(took) * 1000:.0f} ms, worst {max(took) * 1000:.0f} ms")


async def full_deadline_runs(database: Database, clock: FixedClock, runs: int) -> None:
    """The overdue questions' run for everyone, which every wake makes after the reminders."""
    took: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        await database.run(queue_deadline_messages, clock)
        took.append(time.perf_counter() - started)
    print(f"overdue questions' run: best {min(took):.2f} s, mean {sum(took) / runs:.2f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument(
        "--at",
        type=lambda value: datetime.fromisoformat(value).replace(tzinfo=UTC),
        default=datetime(2011, 6, 6, 7, 30, tzinfo=UTC),
        help="the moment of the runs, UTC (default: Monday 6 June 2011, 09:30 local)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="a scratch database (its schema is dropped)")
    args = parser.parse_args(argv)
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'queue.db'}"
        shown = args.database_url.split("@")[-1] if args.database_url else "SQLite (temporary)"
        revision = measured_commit("berichten", "planning")
        print(
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load {load}), "
            f"Python {platform.python_version()}, commit {revision}, database {shown}, "
            f"{args.members} members at {args.at:%Y-%m-%d %H:%M} UTC"
        )
        asyncio.run(main_async(args.members, args.at, args.runs, url))


if __name__ == "__main__":
    main()
