"""Sending an incident and acknowledging it: once per draft, ahead of everything, through a
pause, to the default groups; each answer counted once, with its line in the audit log."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from berichten.incidents.sending import INCIDENT_KIND, send_incident
from berichten.outbox.store import NewMessage, claim_due, enqueue
from berichten.outbox.tables import OutboxMessageRow, Priority
from berichten.texts.incidents import from_text
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.services import (
    Acknowledged,
    Acknowledgement,
    Answer,
    Incident,
    IncidentError,
    IncidentProblem,
    acknowledge,
    answers,
    default_audience,
)
from planning.incidents.tables import IncidentRow
from planning.membership.tables import Role
from planning.newsletters.issues import Audience
from planning.preferences.services import pause_until
from tests.support.incidents import import_incident_plan
from tests.support.network import join

FATIMA, KOEN, IRIS, MARIEKE, ANNE, BERT = 501, 502, 506, 504, 601, 602
MOMENT = datetime(2011, 12, 6, 9, 0, tzinfo=UTC)
DEFAULT = Audience(everyone=False, groups=("communicatieadviseurs", "contactpersonen"))


@pytest.fixture
async def people(database: Database) -> Database:
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen")
    await join(database, clock, IRIS, "utrecht", "communicatieadviseurs", name="Iris")
    await join(database, clock, MARIEKE, "ede", "bestuurders", name="Marieke")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    return database


def _incident(key: str = "draft-1", audience: Audience = DEFAULT) -> Incident:
    return Incident(key, "Steekpartij", from_text("Steekpartij", "Tekst"), None, audience)


async def _queued(database: Database) -> list[OutboxMessageRow]:
    async with database.transaction() as session:
        query = select(OutboxMessageRow).where(OutboxMessageRow.kind == INCIDENT_KIND)
        return list(await session.scalars(query.order_by(OutboxMessageRow.recipient)))


async def test_the_default_audience_is_the_advisers_and_contact_persons(people: Database) -> None:
    assert await people.run(default_audience) == DEFAULT


async def test_an_incident_goes_first_now_and_through_a_pause(people: Database) -> None:
    clock = FixedClock(MOMENT)
    await people.run(pause_until, clock, KOEN, date(2011, 12, 20))

    incident_id, count = await people.run(send_incident, clock, ANNE, _incident())

    queued = await _queued(people)
    assert count == 3
    assert [row.recipient for row in queued] == [FATIMA, KOEN, IRIS]
    assert {(row.priority, row.due_at, row.expires_at) for row in queued} == {
        (Priority.INCIDENT, MOMENT, None)
    }
    assert queued[0].key == f"incident:{incident_id}|{FATIMA}"
    logged = await people.run(events, subject=Subject.incident(incident_id))
    assert [(e.action, e.actor, e.count) for e in logged] == [
        (AuditAction.INCIDENT_COMPOSED, ANNE, 3),
        (AuditAction.INCIDENT_SENT, ANNE, 3),
    ]


async def test_two_presses_at_once_send_it_once(people: Database) -> None:
    clock = FixedClock(MOMENT)
    results = await asyncio.gather(
        *(people.run(send_incident, clock, who, _incident()) for who in (ANNE, BERT)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, IncidentError)]
    assert [r.problem for r in refused] == [IncidentProblem.SENT]
    assert len(await _queued(people)) == 3


async def test_a_member_cannot_send_one(people: Database) -> None:
    with pytest.raises(IncidentError) as refused:
        await people.run(send_incident, FixedClock(MOMENT), FATIMA, _incident())
    assert refused.value.problem is IncidentProblem.NOT_COORDINATOR
    assert await _queued(people) == []


async def test_each_answer_counts_once_and_is_logged(people: Database) -> None:
    clock = FixedClock(MOMENT)
    incident_id, _count = await people.run(send_incident, clock, ANNE, _incident())

    first = await people.run(acknowledge, clock, incident_id, FATIMA, Answer.READ)
    second = await people.run(acknowledge, clock, incident_id, FATIMA, Answer.READ)
    contacting = await people.run(acknowledge, clock, incident_id, KOEN, Answer.CONTACTING)
    stranger = await people.run(acknowledge, clock, incident_id, MARIEKE, Answer.READ)
    nonsense = await people.run(acknowledge, clock, 10**17, FATIMA, Answer.READ)

    assert (first, second, contacting) == (
        Acknowledgement(Acknowledged.RECORDED, read=True),
        Acknowledgement(Acknowledged.ALREADY, read=True),
        Acknowledgement(Acknowledged.RECORDED, contacting=True),
    )
    assert stranger.outcome is nonsense.outcome is Acknowledged.NOT_RECIPIENT
    rows = {row.telegram_user_id: row for row in await people.run(answers, incident_id)}
    assert rows[FATIMA].read_at == MOMENT and rows[FATIMA].organisation == "gouda"
    assert rows[KOEN].contacting_at == MOMENT and rows[KOEN].read_at is None
    logged = await people.run(events, subject=Subject.incident(incident_id))
    assert [(e.action, e.actor) for e in logged][2:] == [
        (AuditAction.INCIDENT_ACKNOWLEDGED, FATIMA),
        (AuditAction.INCIDENT_CONTACTING, KOEN),
    ]


async def test_a_press_on_a_closed_incident_records_nothing(people: Database) -> None:
    clock = FixedClock(MOMENT)
    incident_id, _count = await people.run(send_incident, clock, ANNE, _incident())
    async with people.transaction() as session:
        await session.execute(update(IncidentRow).values(closed_at=MOMENT))

    pressed = await people.run(acknowledge, clock, incident_id, FATIMA, Answer.READ)

    assert pressed.outcome is Acknowledged.CLOSED
    assert all(row.read_at is None for row in await people.run(answers, incident_id))


async def test_an_incident_is_claimed_before_a_newsletter_queued_earlier(people: Database) -> None:
    clock = FixedClock(MOMENT)
    earlier = [
        NewMessage(
            f"newsletter:1|{who}|part-1", "newsletter", who, "Nieuws", MOMENT, Priority.NEWSLETTER
        )
        for who in (FATIMA, KOEN, IRIS, MARIEKE)
    ]
    await people.run(enqueue, MOMENT, earlier)
    await people.run(send_incident, clock, ANNE, _incident())

    claimed = await people.run(claim_due, clock, 3)

    assert [message.kind for message in claimed] == [INCIDENT_KIND] * 3
