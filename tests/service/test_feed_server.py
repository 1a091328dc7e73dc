"""The personal calendar feed over HTTP: a real feed server on 127.0.0.1, a SQLite database with
the jaarplan 2011, and an independent parser (vobject) reading what a calendar program gets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, time, timedelta

import aiohttp
import pytest
import vobject

from bot.feed_server import FeedServer, Misses, feed_links
from planning.calendar.feed_tokens import new_feed_token
from planning.calendar.model import When
from planning.clock import FixedClock
from planning.db import Database
from planning.meeting_changes.services import cancel_meeting, move_meeting
from planning.membership.services import leave
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan
from tests.support.network import join
from tests.support.plans import plan_of

CONTACT, PC_MEMBER = 101, 102
BASE = "https://overleg.example.nl"


@pytest.fixture
async def server(database: Database, clock: FixedClock) -> AsyncIterator[FeedServer]:
    await database.run(import_plan, clock, plan_of(example_plan_text()))
    await join(database, clock, CONTACT, "gouda", "contactpersonen")
    await join(database, clock, PC_MEMBER, "utrecht", "petit-comite", "bestuurders")
    feed = FeedServer(database, clock, "127.0.0.1", 0, Misses(limit=5))
    await feed.start()
    try:
        yield feed
    finally:
        await feed.stop()


async def _get(server: FeedServer, path: str, client: str = "192.0.2.1") -> tuple[int, str]:
    """GET ``path`` as a reverse proxy on the machine does for ``client``."""
    headers = {"X-Forwarded-For": client}
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{server.port}{path}", headers=headers) as response,
    ):
        return response.status, await response.text()


def _path(token: str) -> str:
    https, _ = feed_links(BASE, token)
    return https.removeprefix(BASE)


async def _events(server: FeedServer, token: str) -> list[vobject.base.Component]:
    status, body = await _get(server, _path(token))
    assert status == 200
    return list(vobject.readOne(body).vevent_list)


def _ao_on(events: list[vobject.base.Component], day: date) -> vobject.base.Component:
    [found] = [e for e in events if e.summary.value == "Ambtelijk overleg" and _day(e) == day]
    return found


def _day(event: vobject.base.Component) -> date:
    start = event.dtstart.value
    return start.date() if isinstance(start, datetime) else start


async def test_a_feed_holds_only_the_members_meetings_and_follows_a_move(
    server: FeedServer, database: Database, clock: FixedClock
) -> None:
    contact = await database.run(new_feed_token, clock, CONTACT)
    pc_member = await database.run(new_feed_token, clock, PC_MEMBER)
    assert contact is not None and pc_member is not None and contact != pc_member
    https, webcal = feed_links(BASE, contact)
    assert https.startswith(BASE + "/agenda/") and webcal == "webcal://" + https[len("https://") :]

    events = await _events(server, contact)
    summaries = [e.summary.value for e in events]
    assert summaries.count("Ambtelijk overleg") == 5 and summaries.count("Themasessie") == 4
    assert "Petit comité" not in summaries and "Kenniswerkgroep" not in summaries
    assert "Petit comité" in [e.summary.value for e in await _events(server, pc_member)]

    ao = _ao_on(events, date(2011, 3, 22))
    key = ao.uid.value.split("@")[0]
    await database.run(move_meeting, clock, key, When(day=date(2011, 3, 29), start=time(10)))

    moved = _ao_on(await _events(server, contact), date(2011, 3, 29))
    assert moved.uid.value == ao.uid.value
    assert int(moved.sequence.value) > int(ao.sequence.value)
    assert moved.dtstart.value.hour == 10

    await database.run(cancel_meeting, clock, key)
    cancelled = _ao_on(await _events(server, contact), date(2011, 3, 29))
    assert cancelled.uid.value == ao.uid.value and cancelled.status.value == "CANCELLED"


async def test_a_replaced_or_wrong_token_gets_the_same_404_as_an_unknown_path(
    server: FeedServer, database: Database, clock: FixedClock
) -> None:
    old = await database.run(new_feed_token, clock, CONTACT)
    assert old is not None
    new = await database.run(new_feed_token, clock, CONTACT)
    assert new is not None

    unknown = await _get(server, "/elders")
    assert unknown[0] == 404
    assert await _get(server, _path(old)) == unknown
    wrong = ("y" if new.startswith("x") else "x") + new[1:]  # one character off
    assert await _get(server, _path(wrong)) == unknown
    assert (await _get(server, _path(new)))[0] == 200


async def test_a_member_who_leaves_loses_the_link_also_when_coming_back(
    server: FeedServer, database: Database, clock: FixedClock
) -> None:
    token = await database.run(new_feed_token, clock, CONTACT)
    assert token is not None
    await database.run(leave, clock, CONTACT)

    assert (await _get(server, _path(token)))[0] == 404
    assert await database.run(new_feed_token, clock, CONTACT) is None

    clock.advance(timedelta(days=1))
    await join(database, clock, CONTACT, "gouda", "contactpersonen")  # a new invite
    assert (await _get(server, _path(token)))[0] == 404
    again = await database.run(new_feed_token, clock, CONTACT)
    assert again is not None and (await _get(server, _path(again)))[0] == 200


async def test_repeated_misses_from_one_address_are_refused_for_that_address(
    server: FeedServer, database: Database, clock: FixedClock
) -> None:
    token = await database.run(new_feed_token, clock, CONTACT)
    assert token is not None
    statuses = [(await _get(server, _path(f"guess{n}")))[0] for n in range(6)]

    assert statuses == [404] * 5 + [429]
    assert (await _get(server, _path(token)))[0] == 429
    # Behind the proxy, other people's calendar programs go on as before.
    assert (await _get(server, _path(token), client="198.51.100.7"))[0] == 200
