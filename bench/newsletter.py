"""Benchmark: a newsletter issue to 10,000 members, and a reminder due in the middle of it.

Run by hand (not part of the test suite; it talks only to a stand-in on 127.0.0.1):

    .venv/bin/python bench/newsletter.py [--members 10000] [--reminder-at 100]
                                         [--database-url URL] [--timeout S]

The whole bot (``bot.app.build_application`` with its outbox job, long polling) runs in this
process against the stand-in Bot API in a process of its own (``standin_process.py``) with
Telegram's limits on: 30 messages a second overall, one a second per chat, 429 beyond. The
database is a throwaway SQLite file, or the given one (its ``public`` schema is dropped: use a
scratch database). ``--members`` members of one organisation are registered, with a coordinator
and one more member in another. The coordinator's issue (one message: title and text) is
recorded and queued for that organisation with the service "Nu versturen" calls
(``berichten.newsletters.schedule.send_issue``); then the bot starts, and its outbox job sends it
(and shows the coordinator its progress, as for an issue nobody pressed for).

A reminder is queued before the start, due ``--reminder-at`` seconds after it, for two
members: one who also gets the newsletter and one who does not. Its delay is measured from its
due moment to the stand-in receiving it (``time.monotonic()``, one clock for both processes).

Reported: the issue's messages/s over its whole send and in the slowest full 10 s of all
sends (what "sustained" means here), 429s, duplicates, losses, the newsletter reaching anyone
outside its audience, each reminder's delay, and the peak memory of this process (the bot).
Targets (issue 13): at least 29.1/s sustained with 0 429s (and no duplicate, loss or stray
copy); each reminder within 2 s of its moment.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from approaches import members_of, time_allowed
from delivery import slowest_window
from pydantic import SecretStr
from revision import measured_commit
from scratch import fresh_database
from sqlalchemy import insert, select
from standin_process import ProcessStandin

from berichten.newsletters.schedule import send_issue
from berichten.outbox.store import NewMessage, enqueue
from bot.app import build_application, freeze_startup_heap, polling
from bot.settings import Settings
from planning.clock import SystemClock
from planning.db import Database
from planning.membership.tables import MemberRow, MemberStatus, OrganisationRow, Role
from planning.newsletters.issues import Audience, Issue

TITLE = "Nieuwsbrief december"
TEXT = (
    "Beste deelnemers, <b>het jaarplan 2027</b> is vastgesteld. In deze nieuwsbrief leest u "
    "wat er verandert, wie de nieuwe contactpersonen zijn en wanneer de overleggen zijn. "
    'Het <a href="https://example.nl/jaarplan">jaarplan</a> staat op de website.'
)
REMINDER = "Herinnering: Ambtelijk overleg"
MEMBERS_ORGANISATION = "gemeenten"
OTHERS_ORGANISATION = "coordinatie"
COORDINATOR = 9_000_001
OUTSIDER = 9_000_002  # not in the issue's audience: gets only the reminder
PROGRESS_EVERY = 10.0  # seconds
LOOK_EVERY = 1.0  # seconds between looks at the stand-in's count
TARGET_RATE = 29.1
TARGET_DELAY = 2.0


@dataclass
class Result:
    members: int
    queued_in: float  # seconds "Versturen" took to record and queue the issue
    reached: int
    duplicates: int
    losses: int
    strays: int  # copies of the issue outside its audience
    rate: float
    sustained: float | None
    flood_429: int
    delays: dict[str, float | None]  # per reminder recipient: seconds after its moment
    peak_mb: float

    def met(self) -> bool:
        return (
            self.sustained is not None
            and self.sustained >= TARGET_RATE
            and self.flood_429 == 0
            and self.duplicates == 0
            and self.losses == 0
            and self.strays == 0
            and all(d is not None and d <= TARGET_DELAY for d in self.delays.values())
        )


async def seat(database: Database, members: list[int], now: datetime) -> None:
    """Two organisations; ``members`` in the first, the coordinator and the outsider in the
    other, all active (rows written directly: 10,000 invites would take minutes)."""
    async with database.transaction() as session:
        for code in (MEMBERS_ORGANISATION, OTHERS_ORGANISATION):
            session.add(OrganisationRow(code=code, name=code.capitalize(), kind="gemeente"))
        await session.flush()
        ids = dict((await session.execute(select(OrganisationRow.code, OrganisationRow.id))).all())

        def row(member: int, organisation: str, role: Role) -> dict[str, object]:
            return {
                "telegram_user_id": member,
                "name": f"Lid {member}",
                "organisation_id": ids[organisation],
                "role": role,
                "status": MemberStatus.ACTIVE,
                "registered_at": now,
                "status_changed_at": now,
            }

        rows = [row(member, MEMBERS_ORGANISATION, Role.LID) for member in members]
        rows += [
            row(COORDINATOR, OTHERS_ORGANISATION, Role.COORDINATOR),
            row(OUTSIDER, OTHERS_ORGANISATION, Role.LID),
        ]
        await session.execute(insert(MemberRow), rows)


async def measure(size: int, reminder_at: float, database_url: str, allowed: float) -> Result:
    members = members_of(size)
    # Also gets the newsletter: the member whose copy goes out about a second before the
    # reminder is due, so the reminder waits for that chat's interval too (1/s per chat).
    reader = members[min(size - 1, max(0, int((reminder_at - 1) * 30)))]
    async with ProcessStandin(flood_limits=True, latency=0.0) as server:
        await server.add_users([*members, COORDINATOR, OUTSIDER])
        database = await fresh_database(database_url)
        clock = SystemClock()
        await seat(database, members, clock.now())
        issue = Issue(
            key="bench-newsletter",
            title=TITLE,
            text=TEXT,
            audience=Audience(everyone=False, organisations=(MEMBERS_ORGANISATION,)),
        )
        began = time.perf_counter()
        _issue_id, audience = await database.run(send_issue, clock, COORDINATOR, issue)
        queued_in = time.perf_counter() - began
        assert audience == size, audience
        # The reminder's moment, on the wall clock (the outbox's) and the monotonic one (the
        # stand-in's arrivals), taken together.
        due_wall = clock.now() + timedelta(seconds=reminder_at)
        due = time.monotonic() + reminder_at
        reminders = [
            NewMessage(
                key=f"bench-reminder|{member}",
                kind="reminder",
                recipient=member,
                text=f"{REMINDER}\nmaandag 14 december 2026",
                due_at=due_wall,
            )
            for member in (reader, OUTSIDER)
        ]
        await database.run(enqueue, clock.now(), reminders)
        settings = Settings(
            token=SecretStr(server.token), bot_api_url=server.base_url, database_url=database_url
        )
        application = build_application(settings, database, clock, outbox_job=True)
        freeze_startup_heap()  # as `overlegbot run` does
        wanted = size + len(reminders)
        # Each member's copy, and the reader's reminder too (the coordinator's progress message
        # arrives besides).
        expected = [*[1] * size, 1]
        expected[members.index(reader)] = 2
        deadline = time.monotonic() + allowed
        async with polling(application, poll_timeout=10):
            shown = time.monotonic()
            while time.monotonic() < deadline:
                got = await server.received([*members, OUTSIDER])
                if all(n >= least for n, least in zip(got, expected, strict=True)):
                    break
                arrivals = await server.arrivals()
                if time.monotonic() - shown >= PROGRESS_EVERY:
                    shown = time.monotonic()
                    rate = (len(arrivals) - 1) / (shown - arrivals[0]) if arrivals else 0.0
                    print(
                        f"    {len(arrivals):,}/{wanted:,} messages, {rate:.1f}/s since the "
                        f"first, 429s: {await server.count_429()}",
                        flush=True,
                    )
                await asyncio.sleep(LOOK_EVERY)
        headings = await server.headings()
        await database.dispose()
        return result(size, members, reader, due, queued_in, headings, await server.count_429())


def result(
    size: int,
    members: list[int],
    reader: int,
    due: float,
    queued_in: float,
    headings: list[tuple[int, float, str]],
    flood_429: int,
) -> Result:
    copies: dict[int, int] = {}
    issue_arrivals: list[float] = []
    delays: dict[str, float | None] = {"member who also gets the issue": None, "other": None}
    for chat, arrival, line in headings:
        if line == TITLE:
            copies[chat] = copies.get(chat, 0) + 1
            issue_arrivals.append(arrival)
        elif line == REMINDER:
            delays["other" if chat == OUTSIDER else "member who also gets the issue"] = (
                arrival - due
            )
    audience = set(members)
    span = issue_arrivals[-1] - issue_arrivals[0] if len(issue_arrivals) > 1 else 0.0
    return Result(
        members=size,
        queued_in=queued_in,
        reached=sum(1 for member in members if copies.get(member)),
        duplicates=sum(count - 1 for count in copies.values()),
        losses=sum(1 for member in members if not copies.get(member)),
        strays=sum(count for chat, count in copies.items() if chat not in audience),
        rate=(len(issue_arrivals) - 1) / span if span else 0.0,
        sustained=slowest_window([arrival for _, arrival, _ in headings]),
        flood_429=flood_429,
        delays=delays,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )


def report(found: Result) -> list[str]:
    def delay(value: float | None) -> str:
        return "never" if value is None else f"{value:.2f} s"

    sustained = "–" if found.sustained is None else f"{found.sustained:.1f}"
    lines = [
        "| members | queued in | messages/s | slowest 10 s | 429s | duplicates | losses "
        "| outside the audience | reminder delay (member, other) | peak memory |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {found.members:,} | {found.queued_in:.2f} s | {found.rate:.1f} | {sustained} "
        f"| {found.flood_429} | {found.duplicates} | {found.losses} | {found.strays} "
        f"| {', '.join(delay(d) for d in found.delays.values())} | {found.peak_mb:.0f} MB |",
        "",
        f"target: >= {TARGET_RATE}/s in the slowest 10 s, 0 429s, no duplicate, loss or stray "
        f"copy, each reminder within {TARGET_DELAY:.0f} s: {'met' if found.met() else 'NOT met'}",
    ]
    return lines


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--reminder-at", type=float, default=100.0, help="seconds after start")
    parser.add_argument("--timeout", type=float, help="seconds the send may take")
    parser.add_argument("--database-url", help="a scratch database (its schema is dropped)")
    args = parser.parse_args(argv)
    revision = measured_commit("berichten", "bot", "planning")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load {load()}), "
        f"Python {platform.python_version()}, commit {revision}, {args.members:,} members, "
        f"reminder due {args.reminder_at:.0f} s in",
        flush=True,
    )
    allowed = args.timeout or time_allowed(args.members)
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'newsletter.db'}"
        found = asyncio.run(measure(args.members, args.reminder_at, url, allowed))
    print()
    for line in report(found):
        print(line)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
