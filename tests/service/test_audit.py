"""The audit log: each action writes its line in its own unit of work, a failed action writes
none, and nothing changes or removes a line, not even a member leaving."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.newsletters.issues import send_test
from berichten.newsletters.kopij import decide_and_notify, send_in_and_notify
from berichten.newsletters.schedule import send_issue
from planning.audit.services import AuditEvent, Subject, events, record
from planning.audit.tables import AuditAction, SubjectKind
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation, leave
from planning.membership.tables import Role
from planning.newsletters.issues import Issue, IssueError, IssueProblem
from planning.newsletters.rules import KopijError, KopijProblem
from planning.newsletters.services import Kopij
from planning.newsletters.tables import KopijKind, KopijStatus
from tests.support.network import join

MEMBER, OTHER, ANNE, BERT = 501, 502, 601, 602


@pytest.fixture
async def people(database: Database, clock: FixedClock) -> Database:
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
    await join(database, clock, MEMBER, "gouda", name="Fatima")
    await join(database, clock, OTHER, "gouda", name="Gerrit")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    return database


def _kopij(title: str = "Nieuwe monitor") -> Kopij:
    return Kopij(title, KopijKind.TEXT, "Tekst", "Tekst")


def _lines(found: list[AuditEvent]) -> list[tuple[object, ...]]:
    return [(e.actor, e.action, e.subject.kind, e.subject.id, e.count, e.detail) for e in found]


async def test_kopij_and_a_newsletter_leave_who_what_when_and_to_how_many(
    people: Database, clock: FixedClock
) -> None:
    forwarded, _ = await people.run(send_in_and_notify, clock, MEMBER, _kopij("Eerste"))
    kept, _ = await people.run(send_in_and_notify, clock, OTHER, _kopij("Tweede"))
    declined, _ = await people.run(send_in_and_notify, clock, MEMBER, _kopij("Derde"))
    clock.advance(timedelta(minutes=5))
    await people.run(decide_and_notify, clock, ANNE, forwarded.id, KopijStatus.FORWARDED)
    await people.run(decide_and_notify, clock, BERT, kept.id, KopijStatus.SET_ASIDE)
    await people.run(
        decide_and_notify, clock, ANNE, declined.id, KopijStatus.DECLINED, "Geen nieuws"
    )
    clock.advance(timedelta(hours=1))
    issue = Issue("draft-1", "Nieuwsbrief maart", "Tekst", kopij_ids=(kept.id,))
    assert await people.run(send_test, clock, ANNE, "Anne", issue, all_coordinators=True, number=1)
    issue_id, _ = await people.run(send_issue, clock, ANNE, issue)

    found = await people.run(events)

    k = SubjectKind.KOPIJ
    assert _lines(found) == [
        (MEMBER, AuditAction.KOPIJ_SENT_IN, k, forwarded.id, 2, "Eerste"),
        (OTHER, AuditAction.KOPIJ_SENT_IN, k, kept.id, 2, "Tweede"),
        (MEMBER, AuditAction.KOPIJ_SENT_IN, k, declined.id, 2, "Derde"),
        (ANNE, AuditAction.KOPIJ_FORWARDED, k, forwarded.id, 4, None),
        (BERT, AuditAction.KOPIJ_SET_ASIDE, k, kept.id, None, None),
        (ANNE, AuditAction.KOPIJ_DECLINED, k, declined.id, None, "Geen nieuws"),
        (ANNE, AuditAction.NEWSLETTER_TESTED, SubjectKind.NEWSLETTER, None, 2, "Nieuwsbrief maart"),
        (
            ANNE,
            AuditAction.NEWSLETTER_SENT,
            SubjectKind.NEWSLETTER,
            issue_id,
            4,
            "Nieuwsbrief maart",
        ),
    ]
    assert [e.at for e in found[-2:]] == [clock.now(), clock.now()]
    assert found[0].actor_name == "Fatima" and found[0].actor_organisation == "Gemeente Gouda"
    about_the_issue = await people.run(events, subject=Subject.newsletter(issue_id))
    assert [e.action for e in about_the_issue] == [AuditAction.NEWSLETTER_SENT]
    since = await people.run(events, since=clock.now() - timedelta(minutes=30))
    assert [e.action for e in since] == [AuditAction.NEWSLETTER_TESTED, AuditAction.NEWSLETTER_SENT]


async def test_a_refused_action_records_nothing(people: Database, clock: FixedClock) -> None:
    item, _ = await people.run(send_in_and_notify, clock, MEMBER, _kopij())

    results = await asyncio.gather(
        *(
            people.run(decide_and_notify, clock, who, item.id, KopijStatus.FORWARDED)
            for who in (ANNE, BERT)
        ),
        return_exceptions=True,
    )
    with pytest.raises(KopijError) as refused:
        await people.run(decide_and_notify, clock, MEMBER, item.id, KopijStatus.DECLINED)
    assert refused.value.problem is KopijProblem.NOT_COORDINATOR
    issue = Issue("draft-1", "Nieuwsbrief", "Tekst")
    await people.run(send_issue, clock, ANNE, issue)
    with pytest.raises(IssueError) as again:
        await people.run(send_issue, clock, BERT, issue)  # the same draft: sent once
    assert again.value.problem is IssueProblem.SENT

    assert sum(isinstance(result, KopijError) for result in results) == 1
    assert [e.action for e in await people.run(events)] == [
        AuditAction.KOPIJ_SENT_IN,
        AuditAction.KOPIJ_FORWARDED,
        AuditAction.NEWSLETTER_SENT,
    ]


async def test_the_line_commits_with_the_action_or_not_at_all(
    people: Database, clock: FixedClock
) -> None:
    async def send_in_then_fail(session: AsyncSession) -> None:
        await send_in_and_notify(session, clock, MEMBER, _kopij())
        raise RuntimeError("the action fails after its line was written")

    with pytest.raises(RuntimeError):
        await people.run(send_in_then_fail)

    assert await people.run(events) == []
    async with people.transaction() as session:
        kopij = await session.scalar(text("SELECT count(*) FROM kopij"))
    assert kopij == 0


async def test_the_database_refuses_to_change_or_remove_a_line(
    people: Database, clock: FixedClock
) -> None:
    await people.run(record, AuditAction.INCIDENT_CLOSED, None, Subject.incident(7), at=clock.now())

    for statement in ("UPDATE audit_events SET count = 1", "DELETE FROM audit_events"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with people.transaction() as session:
                await session.execute(text(statement))

    [event] = await people.run(events, subject=Subject.incident(7))
    assert (event.actor, event.actor_name, event.count) == (None, None, None)


async def test_a_member_who_leaves_stays_in_the_log_by_id_without_their_name(
    people: Database, clock: FixedClock
) -> None:
    item, _ = await people.run(send_in_and_notify, clock, MEMBER, _kopij())
    await people.run(decide_and_notify, clock, ANNE, item.id, KopijStatus.SET_ASIDE)

    await people.run(leave, clock, MEMBER)
    await people.run(leave, clock, ANNE)

    found = await people.run(events)
    assert _lines(found) == [
        (MEMBER, AuditAction.KOPIJ_SENT_IN, SubjectKind.KOPIJ, item.id, 2, "Nieuwe monitor"),
        (ANNE, AuditAction.KOPIJ_SET_ASIDE, SubjectKind.KOPIJ, item.id, None, None),
    ]
    assert [(e.actor_left, e.actor_name) for e in found] == [(True, None), (True, None)]
    assert found[0].actor_organisation == "Gemeente Gouda"


async def test_a_detail_is_one_clean_short_line_and_a_moment_must_be_aware(
    people: Database, clock: FixedClock
) -> None:
    long = "Reden\x00 met\nregels " + "x" * 300
    await people.run(
        record, AuditAction.KOPIJ_DECLINED, ANNE, Subject.kopij(1), at=clock.now(), detail=long
    )
    with pytest.raises(ValueError, match="aware"):
        await people.run(
            record,
            AuditAction.KOPIJ_DECLINED,
            ANNE,
            Subject.kopij(1),
            at=clock.now().replace(tzinfo=None),
        )

    [event] = await people.run(events)
    assert event.detail is not None and len(event.detail) == 200
    assert event.detail.startswith("Reden met regels x")
