"""Benchmark: a large plan through check, import, re-import and the reminder schedule.

Run by hand (not part of the test suite):

    .venv/bin/python bench/plan_import.py [--database-url URL]

It builds a plan of 2,000 meetings (20 overleggen of 100 meetings over four years, one of them
with a derived overleg) and reminder rules that give about 10,000 reminders, then times each
step on a throwaway SQLite file (or the given database, whose schema it rebuilds: use a
scratch database). The figures are in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from scratch import fresh_database

from planning.calendar.expand import CalendarEntry, entries
from planning.calendar.model import Plan
from planning.calendar.reminders import Reminder, schedule
from planning.clock import SystemClock
from planning.plan.check import check_plan
from planning.plan.convert import to_plan
from planning.plan.store import import_plan, load_plan

OVERLEGGEN = 20
MEETINGS_EACH = 100
FIRST_DAY = date(2011, 1, 3)
_T = TypeVar("_T")


def plan_text(shift_every: int = 0) -> str:
    """The plan file; with ``shift_every`` N, every Nth meeting is a week later (an edit)."""
    lines = [
        "versie: 1",
        "naam: Benchmark",
        "tijdzone: Europe/Amsterdam",
        "organisaties:",
        "  - {code: coordinatie, naam: Coördinatie, soort: coordinatie}",
        "groepen:",
        "  - {code: alle, naam: Alle deelnemers}",
        "overleggen:",
    ]
    for number in range(OVERLEGGEN):
        lines += [
            f"  - code: o{number}",
            f"    naam: Overleg {number}",
            "    trekker: coordinatie",
            "    deelnemers: [alle]",
            "    bijeenkomsten:",
        ]
        for index in range(MEETINGS_EACH):
            day = FIRST_DAY + timedelta(days=14 * index + number % 14)
            if shift_every and index % shift_every == 0:
                day += timedelta(days=7)
            lines.append(f"      - {{datum: {day.isoformat()}, tijd: '10:00', eind: '12:00'}}")
    lines += [
        "  - code: voor",
        "    naam: Voorbereiding",
        "    trekker: coordinatie",
        "    deelnemers: [alle]",
        "    afgeleid_van: {overleg: o0, dagen_ervoor: 7}",
        "herinneringen:",
    ]
    lines += [
        f"  - {{voor: o{n}, dagen_vooraf: [14, 7, 3, 2, 1], om: '09:00', aan: deelnemers}}"
        for n in range(OVERLEGGEN)
    ]
    return "\n".join(lines) + "\n"


def parse(source: str) -> Plan:
    checked = check_plan(source, "bench.yaml")
    assert checked.plan is not None, checked.problems[:3]
    return to_plan(checked.plan)


async def timed(label: str, work: Callable[[], Awaitable[_T]]) -> _T:
    started = time.perf_counter()
    result = await work()
    print(f"{label:<44} {time.perf_counter() - started:7.2f} s")
    return result


async def run(url: str) -> None:
    database = await fresh_database(url)
    clock = SystemClock()
    source = plan_text()

    async def check() -> Plan:
        return parse(source)

    plan = await timed("check + convert (2,000 meetings)", check)
    first = await timed("first import", lambda: database.run(import_plan, clock, plan))
    print(f"{'  changes reported':<44} {len(first.changes):7d}")
    again = await timed("re-import, unchanged", lambda: database.run(import_plan, clock, plan))
    assert not again.changes
    edited = parse(plan_text(shift_every=10))
    moved = await timed(
        "re-import, 10% of meetings moved", lambda: database.run(import_plan, clock, edited)
    )
    print(f"{'  changes reported':<44} {len(moved.changes):7d}")
    stored = await timed("load the stored plan", lambda: database.run(load_plan))
    assert stored is not None

    async def expand() -> list[CalendarEntry]:
        return entries(stored, FIRST_DAY - timedelta(days=30), FIRST_DAY + timedelta(days=1500))

    found = await timed("expand the calendar", expand)
    start = datetime(2010, 12, 1, tzinfo=UTC)

    async def remind() -> list[Reminder]:
        return schedule(stored, start, start + timedelta(days=1600))

    reminders = await timed("compute the reminder schedule", remind)
    print(f"{'  entries / reminders':<44} {len(found)} / {len(reminders)}")
    await database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite:///{Path(directory) / 'bench.db'}"
        print(f"database: {url.split('@')[-1]}")
        asyncio.run(run(url))


if __name__ == "__main__":
    main()
