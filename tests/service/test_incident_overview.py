"""/incidenten's figures: an incident to 20 members in 6 organisations, 12 of whom answer, one
of whom blocked the bot; read, not yet and unreachable per organisation, and the coverage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from berichten.incidents.overview import overview_messages
from berichten.incidents.sending import send_incident
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from berichten.texts.incidents import from_text
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.overview import Partner, Recipient, Sent, figures, partners, sent_incidents
from planning.incidents.services import Answer, Incident, acknowledge
from planning.incidents.tables import IncidentRow
from planning.membership.services import leave
from planning.membership.tables import Role
from planning.newsletters.issues import Audience
from tests.support.incidents import import_incident_plan
from tests.support.network import join

MOMENT = datetime(2011, 12, 6, 9, 0, tzinfo=UTC)
ANNE = 601
# 20 contact persons in 6 organisations: 4 each in Utrecht and Gouda, 3 each in the rest.
SPREAD = {"utrecht": 4, "gouda": 4, "den-haag": 3, "ede": 3, "bzk": 3, "vng": 3}
ANSWERING = {"utrecht": 3, "gouda": 4, "den-haag": 2, "ede": 2, "bzk": 1, "vng": 0}  # 12


@pytest.fixture
async def sent(database: Database) -> tuple[Database, int, dict[str, list[int]]]:
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    people: dict[str, list[int]] = {}
    user = 1000
    for code, count in SPREAD.items():
        for _ in range(count):
            user += 1
            await join(database, clock, user, code, "contactpersonen", name=f"{code} {user}")
            people.setdefault(code, []).append(user)
    incident = Incident("k", "Steekpartij", from_text("Steekpartij", "Tekst"), None, Audience())
    incident_id, count = await database.run(send_incident, clock, ANNE, incident)
    assert count == 21  # Anne too: "Iedereen"
    for code, answering in ANSWERING.items():
        for number, member in enumerate(people[code][:answering]):
            answer = Answer.READ if number % 2 == 0 else Answer.CONTACTING
            await database.run(acknowledge, clock, incident_id, member, answer)
    return database, incident_id, people


async def test_twelve_of_twenty_answer_and_the_vng_is_uncovered(
    sent: tuple[Database, int, dict[str, list[int]]],
) -> None:
    database, _incident_id, people = sent
    [vng_member, *_] = people["vng"]
    async with database.transaction() as session:  # Telegram said 403: skipped, unreachable
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.recipient == vng_member)
            .values(status=OutboxStatus.SKIPPED)
        )
    [incident] = await database.run(sent_incidents)
    found = figures(incident, await database.run(partners), {vng_member})

    counted = {
        o.name: (len(o.read), len(o.not_yet), len(o.unreachable)) for o in found.organisations
    }
    assert counted["Gemeente Utrecht"] == (3, 1, 0)
    assert counted["Vereniging van Nederlandse Gemeenten"] == (0, 2, 1)
    assert counted["Gemeente Zeist"] == (0, 0, 0)  # nobody of Zeist is registered
    assert counted["Coördinatie Samenwerkingsverband (gemeente Utrecht)"] == (0, 1, 0)
    assert sum(read for read, _, _ in counted.values()) == 12
    assert len(found.covered) == 5
    assert "Vereniging van Nederlandse Gemeenten" in found.uncovered
    assert "Gemeente Zeist" in found.uncovered

    [text] = await database.run(overview_messages)
    assert "🚨 <b>Steekpartij</b> (open), verstuurd 6 december 2011, 10:00" in text
    assert "Door Anne aan 21 deelnemers." in text
    assert "Vereniging van Nederlandse Gemeenten: nog niet 2 (" in text
    assert f"onbereikbaar 1 (vng {vng_member})" in text
    assert "Gedekt: 5 van 12 partners" in text


async def test_a_member_who_left_is_unreachable_and_a_closed_incident_says_so(
    sent: tuple[Database, int, dict[str, list[int]]],
) -> None:
    database, _incident_id, people = sent
    leaving = people["bzk"][-1]
    await database.run(leave, FixedClock(MOMENT), leaving)
    async with database.transaction() as session:
        await session.execute(update(IncidentRow).values(closed_at=MOMENT))

    [text] = await database.run(overview_messages)

    assert "<b>Steekpartij</b> (afgesloten)" in text
    assert "onbereikbaar 1 (lid dat zich heeft afgemeld)" in text


def test_only_the_organisations_chosen_are_partners_to_cover() -> None:
    incident = Sent(
        1,
        "Steekpartij",
        MOMENT,
        "Anne",
        False,
        (Recipient(1, "Fatima", "gouda", True, True), Recipient(2, "Koen", "utrecht", False, True)),
        only=("gouda", "utrecht"),
    )
    known = [
        Partner("gouda", "Gemeente Gouda", "gemeente"),
        Partner("utrecht", "Gemeente Utrecht", "gemeente"),
        Partner("ede", "Gemeente Ede", "gemeente"),
    ]

    found = figures(incident, known, set())

    assert (found.covered, found.uncovered) == (["Gemeente Gouda"], ["Gemeente Utrecht"])
