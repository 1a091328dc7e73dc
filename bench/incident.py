"""Benchmark: an incident confirmed while a 5,000-member newsletter is being sent.

Run by hand (not part of the test suite; it talks only to a stand-in on 127.0.0.1):

    .venv/bin/python bench/incident.py [--members 5000] [--recipients 50] [--incident-at 30]
                                       [--database-url URL] [--timeout S]

Issue 14: "an incident to 50 members confirmed during a 5,000-member newsletter reaches its first
recipient within 2 s and all 50 within 2 s + 50/30 s, with 0 429s. The newsletter then finishes
complete." The whole bot (``bot.app.build_application`` with its outbox job, long polling) runs
in this process against the stand-in Bot API in a process of its own, with Telegram's limits
on (30 messages a second overall, one a second per chat, 429 beyond), on a throwaway SQLite
file or the given database. ``--members`` members get a newsletter issue, recorded and queued
as "Nu versturen" does (``send_issue``, as ``bench/newsletter.py``). ``--incident-at`` seconds
after the bot starts, the coordinator's incident is recorded and queued as "Versturen" under
/incident does (``send_incident``, then ``refresh_outbox_soon``, as the handler), for
``--recipients`` of the same members (every hundredth: some have just had their copy of the
issue, most are still waiting for it).

Reported: from the confirmation to the first and the last recipient's incident (stand-in
arrival; ``time.monotonic()`` is one clock for both processes), 429s, and the newsletter: each
member's copy exactly once, the rate of all sends in the slowest full 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from approaches import members_of, time_allowed
from delivery import slowest_window
from newsletter import COORDINATOR, MEMBERS_ORGANISATION, OUTSIDER, TEXT, TITLE, load, seat
from pydantic import SecretStr
from revision import measured_commit
from scratch import fresh_database
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from standin_process import ProcessStandin

from berichten.incidents.sending import send_incident
from berichten.newsletters.schedule import send_issue
from bot.app import build_application, freeze_startup_heap, polling
from bot.outbox_job import refresh_outbox_soon
from bot.settings import Settings
from planning.clock import SystemClock
from planning.incidents.services import Incident
from planning.membership.tables import GroupRow, MemberRow, member_groups
from planning.newsletters.issues import Audience, Issue

GROUP = "communicatieadviseurs"
HEADING = "Incident: brand in een opvanglocatie"
INCIDENT_TEXT = (
    f"<b>{HEADING}</b>\nKernboodschap: de gemeente vangt alle bewoners op; er zijn geen "
    "gewonden. Woordvoerder: de burgemeester. Verwijs vragen van de pers naar de gemeente."
)
LOOK_EVERY = 0.05  # seconds between looks at the stand-in, while the incident goes out
TARGET_FIRST = 2.0


@dataclass
class Result:
    members: int
    recipients: int
    first: float | None  # seconds from the confirmation to the first incident copy
    last: float | None
    reached: int
    flood_429: int
    copies_ok: bool  # every member got the issue exactly once
    sustained: float | None  # all sends in the slowest full 10 s

    @property
    def target_last(self) -> float:
        return TARGET_FIRST + self.recipients / 30.0

    def met(self) -> bool:
        return (
            self.first is not None
            and self.first <= TARGET_FIRST
            and self.last is not None
            and self.last <= self.target_last
            and self.reached == self.recipients
            and self.flood_429 == 0
            and self.copies_ok
        )


async def in_group(session: AsyncSession, members: list[int]) -> None:
    """The incident's recipients in a group of their own (the communication advisers)."""
    group = GroupRow(code=GROUP, name="Communicatieadviseurs")
    session.add(group)
    await session.flush()
    ids = await session.scalars(select(MemberRow.id).where(MemberRow.telegram_user_id.in_(members)))
    await session.execute(
        insert(member_groups), [{"member_id": m, "group_id": group.id} for m in ids]
    )


async def measure(
    size: int, count: int, incident_at: float, database_url: str, allowed: float
) -> Result:
    members = members_of(size)
    recipients = members[:: max(1, size // count)][:count]
    async with ProcessStandin(flood_limits=True, latency=0.0) as server:
        await server.add_users([*members, COORDINATOR, OUTSIDER])
        database = await fresh_database(database_url)
        clock = SystemClock()
        await seat(database, members, clock.now())
        await database.run(in_group, recipients)
        issue = Issue(
            key="bench-newsletter",
            title=TITLE,
            text=TEXT,
            audience=Audience(everyone=False, organisations=(MEMBERS_ORGANISATION,)),
        )
        await database.run(send_issue, clock, COORDINATOR, issue)
        incident = Incident(
            key="bench-incident",
            title=HEADING,
            text=INCIDENT_TEXT,
            audience=Audience(everyone=False, groups=(GROUP,)),
        )
        settings = Settings(
            token=SecretStr(server.token), bot_api_url=server.base_url, database_url=database_url
        )
        application = build_application(settings, database, clock, outbox_job=True)
        freeze_startup_heap()  # as `overlegbot run` does
        deadline = time.monotonic() + allowed
        async with polling(application, poll_timeout=10):
            await asyncio.sleep(incident_at)
            confirmed = time.monotonic()
            await database.run(send_incident, clock, COORDINATOR, incident)
            refresh_outbox_soon(application)  # as the handler does after answering
            print(f"    incident confirmed {incident_at:.0f} s in", flush=True)
            while time.monotonic() < deadline:
                got = await server.received(members)
                wanted = [2 if member in recipients else 1 for member in members]
                if all(n >= least for n, least in zip(got, wanted, strict=True)):
                    break
                await asyncio.sleep(LOOK_EVERY if time.monotonic() - confirmed < 5 else 1.0)
        headings = await server.headings()
        flood_429 = await server.count_429()
        await database.dispose()
    return result(size, recipients, members, confirmed, headings, flood_429)


def result(
    size: int,
    recipients: list[int],
    members: list[int],
    confirmed: float,
    headings: list[tuple[int, float, str]],
    flood_429: int,
) -> Result:
    copies: dict[int, int] = {}
    incident: list[float] = []
    for chat, arrival, line in headings:
        if line == TITLE:
            copies[chat] = copies.get(chat, 0) + 1
        elif line == HEADING:
            incident.append(arrival - confirmed)
    return Result(
        members=size,
        recipients=len(recipients),
        first=min(incident, default=None),
        last=max(incident, default=None),
        reached=len(incident),
        flood_429=flood_429,
        copies_ok=all(copies.get(member) == 1 for member in members),
        sustained=slowest_window([arrival for _, arrival, _ in headings]),
    )


def report(found: Result) -> list[str]:
    def seconds(value: float | None) -> str:
        return "never" if value is None else f"{value:.2f} s"

    sustained = "–" if found.sustained is None else f"{found.sustained:.1f}"
    return [
        "| members | incident to | first | last | reached | 429s | newsletter complete "
        "| all sends, slowest 10 s /s |",
        "|---:|---:|---:|---:|---:|---:|---|---:|",
        f"| {found.members:,} | {found.recipients} | {seconds(found.first)} "
        f"| {seconds(found.last)} | {found.reached} | {found.flood_429} "
        f"| {'yes' if found.copies_ok else 'NO'} | {sustained} |",
        "",
        f"target: first within {TARGET_FIRST:.0f} s, all within {found.target_last:.2f} s, "
        f"0 429s, the newsletter complete: {'met' if found.met() else 'NOT met'}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=5_000)
    parser.add_argument("--recipients", type=int, default=50)
    parser.add_argument("--incident-at", type=float, default=30.0, help="seconds after start")
    parser.add_argument("--timeout", type=float, help="seconds the whole send may take")
    parser.add_argument("--database-url", help="a scratch database (its schema is dropped)")
    args = parser.parse_args(argv)
    revision = measured_commit("berichten", "bot", "planning")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores (load {load()}), "
        f"Python {platform.python_version()}, commit {revision}, {args.members:,} members, "
        f"an incident to {args.recipients} {args.incident_at:.0f} s in",
        flush=True,
    )
    allowed = args.timeout or time_allowed(args.members)
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'incident.db'}"
        found = asyncio.run(measure(args.members, args.recipients, args.incident_at, url, allowed))
    print()
    for line in report(found):
        print(line)
    print(f"load average at the end: {load()}")


if __name__ == "__main__":
    main()
