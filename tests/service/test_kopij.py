"""Kopij's rules in the database: the daily limit, one decision per item, coordinators only."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from berichten.newsletters.kopij import decide_and_notify
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from planning.membership.tables import Role
from planning.newsletters.rules import PER_DAY, KopijError, KopijProblem
from planning.newsletters.services import Kopij, send_in
from planning.newsletters.tables import KopijKind, KopijStatus
from tests.support.network import join

MEMBER, ANNE, BERT = 501, 601, 602


@pytest.fixture
async def people(database: Database, clock: FixedClock) -> Database:
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
    await join(database, clock, MEMBER, "gouda", name="Fatima")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    return database


def _kopij(title: str = "Nieuws") -> Kopij:
    return Kopij(title, KopijKind.TEXT, "Tekst", "Tekst")


async def test_more_than_the_daily_limit_is_refused_until_a_day_has_passed(
    people: Database, clock: FixedClock
) -> None:
    for number in range(PER_DAY):
        await people.run(send_in, clock, MEMBER, _kopij(f"Nieuws {number}"))

    with pytest.raises(KopijError) as refused:
        await people.run(send_in, clock, MEMBER, _kopij())
    assert refused.value.problem is KopijProblem.TOO_MANY
    later = FixedClock(clock.now() + timedelta(hours=24, minutes=1))
    assert (await people.run(send_in, later, MEMBER, _kopij())).title == "Nieuws"


async def test_two_coordinators_deciding_at_once_decide_once(
    people: Database, clock: FixedClock
) -> None:
    item = await people.run(send_in, clock, MEMBER, _kopij())

    results = await asyncio.gather(
        *(
            people.run(decide_and_notify, clock, who, item.id, KopijStatus.FORWARDED)
            for who in (ANNE, BERT)
        ),
        return_exceptions=True,
    )

    decided = [result for result in results if not isinstance(result, BaseException)]
    refused = [result for result in results if isinstance(result, KopijError)]
    assert len(decided) == 1 and len(refused) == 1
    assert refused[0].problem is KopijProblem.DECIDED


async def test_a_member_cannot_decide(people: Database, clock: FixedClock) -> None:
    item = await people.run(send_in, clock, MEMBER, _kopij())

    with pytest.raises(KopijError) as refused:
        await people.run(decide_and_notify, clock, MEMBER, item.id, KopijStatus.FORWARDED)
    assert refused.value.problem is KopijProblem.NOT_COORDINATOR


async def test_controls_in_the_text_are_not_kept(people: Database, clock: FixedClock) -> None:
    typed = "<b>Nieuws\x00</b> met\u202e een \x07bel"
    item = await people.run(send_in, clock, MEMBER, Kopij("Titel", KopijKind.TEXT, typed, typed))

    assert item.text == "<b>Nieuws</b> met een bel"
