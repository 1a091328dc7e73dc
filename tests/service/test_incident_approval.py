"""Four eyes on incidents (OVERLEGBOT_INCIDENT_APPROVAL): nothing reaches members before another
coordinator approves; the first decision stands; the composer cannot decide their own; a
rejection sends nothing; no escalation round while it waits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from berichten.incidents.approval import (
    APPROVAL_KIND,
    DECISION_KIND,
    approve_and_send,
    reject_and_tell,
    submit_for_approval,
)
from berichten.incidents.sending import INCIDENT_KIND
from berichten.outbox.tables import OutboxMessageRow
from berichten.texts.incidents import from_text
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.escalation import next_escalation
from planning.incidents.services import Incident, IncidentError, IncidentProblem
from planning.membership.tables import Role
from planning.newsletters.issues import Audience
from tests.support.incidents import import_incident_plan
from tests.support.network import join

FATIMA, KOEN, ANNE, BERT, CEES = 501, 502, 601, 602, 603
MOMENT = datetime(2011, 12, 6, 9, 0, tzinfo=UTC)
LATER = MOMENT + timedelta(minutes=7)
EVERY = timedelta(minutes=15)


@pytest.fixture
async def people(database: Database) -> Database:
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    await join(database, clock, CEES, "coordinatie", role=Role.COORDINATOR, name="Cees")
    return database


def _incident() -> Incident:
    audience = Audience(everyone=False, groups=("contactpersonen",))
    return Incident("draft-1", "Steekpartij", from_text("Steekpartij", "Tekst"), None, audience)


async def _queued(database: Database, kind: str) -> list[OutboxMessageRow]:
    async with database.transaction() as session:
        query = select(OutboxMessageRow).where(OutboxMessageRow.kind == kind)
        return list(await session.scalars(query.order_by(OutboxMessageRow.key)))


async def test_approved_once_under_two_presses_and_never_by_its_composer(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    incident_id, asked = await people.run(submit_for_approval, clock, ANNE, _incident())

    assert asked == 2
    questions = await _queued(people, APPROVAL_KIND)
    assert {(row.recipient, row.key.rsplit("|", 1)[1]) for row in questions} == {
        (who, part) for who in (BERT, CEES) for part in ("notice", "message", "question")
    }
    assert await _queued(people, INCIDENT_KIND) == []
    assert await people.run(next_escalation, EVERY) is None  # nothing sent: no round is due

    with pytest.raises(IncidentError) as own:
        await people.run(approve_and_send, clock, ANNE, incident_id)
    assert own.value.problem is IncidentProblem.OWN

    later = FixedClock(LATER)
    results = await asyncio.gather(
        *(people.run(approve_and_send, later, who, incident_id) for who in (BERT, CEES)),
        return_exceptions=True,
    )
    refused = [r for r in results if isinstance(r, IncidentError)]
    assert [r.problem for r in refused] == [IncidentProblem.UNKNOWN]
    assert [row.recipient for row in await _queued(people, INCIDENT_KIND)] == [FATIMA, KOEN]
    assert await people.run(next_escalation, EVERY) == LATER + EVERY  # timed from the approval
    logged = await people.run(events, subject=Subject.incident(incident_id))
    assert [e.action for e in logged] == [
        AuditAction.INCIDENT_COMPOSED,
        AuditAction.INCIDENT_APPROVED,
        AuditAction.INCIDENT_SENT,
    ]


async def test_a_rejection_sends_nothing_and_tells_the_composer(people: Database) -> None:
    clock = FixedClock(MOMENT)
    incident_id, _asked = await people.run(submit_for_approval, clock, ANNE, _incident())

    assert await people.run(reject_and_tell, clock, BERT, incident_id) == "Steekpartij"

    with pytest.raises(IncidentError):  # decided: approving it now is a stale press
        await people.run(approve_and_send, clock, CEES, incident_id)
    assert await _queued(people, INCIDENT_KIND) == []
    assert [row.recipient for row in await _queued(people, DECISION_KIND)] == [ANNE]
    assert await people.run(next_escalation, EVERY) is None


async def test_nobody_else_to_approve_records_nothing(database: Database) -> None:
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")

    with pytest.raises(IncidentError) as refused:
        await database.run(submit_for_approval, clock, ANNE, _incident())

    assert refused.value.problem is IncidentProblem.NO_APPROVER
    assert await _queued(database, APPROVAL_KIND) == []
