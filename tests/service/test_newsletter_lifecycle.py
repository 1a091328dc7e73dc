"""A newsletter between "Versturen"/"Inplannen" and its start: approved once by a second
coordinator, started once at its moment for the audience as it is then, moved or cancelled
until it starts, under presses and runs at the same moment (SQLite here, PostgreSQL too)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from berichten.newsletters.approval import (
    APPROVAL_KIND,
    DECISION_KIND,
    approve_and_notify,
    move_issue,
    reject_and_notify,
    rewrite_issue,
    submit_for_approval,
)
from berichten.newsletters.issues import ISSUE_KIND
from berichten.newsletters.schedule import (
    INCLUDED_KIND,
    cancel_issue,
    schedule_issue,
    start_due,
)
from berichten.outbox.tables import OutboxMessageRow
from planning.audit.services import events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from planning.membership.tables import Role
from planning.newsletters.archive import archive_page
from planning.newsletters.issues import Audience, Issue, IssueError, IssueProblem
from planning.newsletters.lifecycle import next_start, stored_issue
from planning.newsletters.services import Kopij, send_in
from planning.newsletters.tables import IssueStatus, KopijKind, KopijRow, KopijStatus
from tests.support.network import join

MEMBER, LATER, ANNE, BERT, COR = 501, 502, 601, 602, 603
NEWSLETTER_SUBMITTED, NEWSLETTER_APPROVED = (
    AuditAction.NEWSLETTER_SUBMITTED,
    AuditAction.NEWSLETTER_APPROVED,
)
NEWSLETTER_CHANGED, NEWSLETTER_REJECTED = (
    AuditAction.NEWSLETTER_CHANGED,
    AuditAction.NEWSLETTER_REJECTED,
)
NEWSLETTER_SCHEDULED, NEWSLETTER_CANCELLED = (
    AuditAction.NEWSLETTER_SCHEDULED,
    AuditAction.NEWSLETTER_CANCELLED,
)
NEWSLETTER_SENT = AuditAction.NEWSLETTER_SENT
MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)
MONDAY = datetime(2011, 1, 17, 8, 0, tzinfo=UTC)


@pytest.fixture
async def people(database: Database) -> Database:
    clock = FixedClock(MOMENT)
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
    await join(database, clock, MEMBER, "gouda", name="Fatima")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    await join(database, clock, COR, "coordinatie", role=Role.COORDINATOR, name="Cor")
    return database


def _issue(key: str = "draft-1", kopij: tuple[int, ...] = ()) -> Issue:
    return Issue(key, "Nieuwsbrief", "<b>Tekst</b>", kopij_ids=kopij, audience=Audience())


async def _keys(database: Database, kind: str) -> list[str]:
    async with database.transaction() as session:
        query = select(OutboxMessageRow.key).where(OutboxMessageRow.kind == kind)
        return sorted(await session.scalars(query))


async def _set_aside_item(database: Database) -> int:
    item = await database.run(
        send_in, FixedClock(MOMENT), MEMBER, Kopij("Werkbezoek", KopijKind.TEXT, "Tekst", "Tekst")
    )
    async with database.transaction() as session:
        (await session.get_one(KopijRow, item.id)).status = KopijStatus.SET_ASIDE
    return item.id


async def _kopij_status(database: Database, kopij_id: int) -> str:
    async with database.transaction() as session:
        return (await session.get_one(KopijRow, kopij_id)).status


async def test_two_approvals_at_once_send_the_issue_once(people: Database) -> None:
    clock = FixedClock(MOMENT)
    issue_id, asked = await people.run(submit_for_approval, clock, ANNE, _issue(), None)
    assert asked == 2  # Bert and Cor, not Anne
    assert await _keys(people, ISSUE_KIND) == []

    results = await asyncio.gather(
        *(people.run(approve_and_notify, clock, who, issue_id, 1) for who in (BERT, COR)),
        return_exceptions=True,
    )

    decided = [result for result in results if not isinstance(result, BaseException)]
    refused = [result for result in results if isinstance(result, IssueError)]
    assert len(decided) == 1 and [r.problem for r in refused] == [IssueProblem.STALE], results
    assert decided[0].started == 4
    assert len(await _keys(people, ISSUE_KIND)) == 4
    assert await _keys(people, DECISION_KIND) == [f"{DECISION_KIND}:{issue_id}.1|{ANNE}"]
    question_keys = [k for k in await _keys(people, APPROVAL_KIND) if k.endswith("question")]
    assert question_keys == [
        f"{APPROVAL_KIND}:{issue_id}.1|{BERT}|question",
        f"{APPROVAL_KIND}:{issue_id}.1|{COR}|question",
    ]


async def test_the_composer_cannot_approve_or_reject_their_own(people: Database) -> None:
    clock = FixedClock(MOMENT)
    issue_id, _ = await people.run(submit_for_approval, clock, ANNE, _issue(), None)

    for decide in (
        people.run(approve_and_notify, clock, ANNE, issue_id, 1),
        people.run(reject_and_notify, clock, ANNE, issue_id, 1, None),
    ):
        with pytest.raises(IssueError) as refused:
            await decide
        assert refused.value.problem is IssueProblem.OWN_ISSUE

    with pytest.raises(IssueError) as member:
        await people.run(approve_and_notify, clock, MEMBER, issue_id, 1)
    assert member.value.problem is IssueProblem.NOT_COORDINATOR
    assert await _keys(people, ISSUE_KIND) == []
    stored = await people.run(stored_issue, issue_id)
    assert stored is not None and stored.status is IssueStatus.AWAITING_APPROVAL


async def test_without_another_coordinator_nothing_is_recorded(database: Database) -> None:
    clock = FixedClock(MOMENT)
    await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")

    with pytest.raises(IssueError) as refused:
        await database.run(submit_for_approval, clock, ANNE, _issue(), None)

    assert refused.value.problem is IssueProblem.NO_APPROVER
    assert await database.run(stored_issue, 1) is None


async def test_a_moved_issue_needs_approval_again_and_the_old_one_no_longer_counts(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    issue_id, _ = await people.run(submit_for_approval, clock, ANNE, _issue(), MONDAY)
    await people.run(approve_and_notify, clock, BERT, issue_id, 1)
    assert await people.run(next_start) == MONDAY

    moved, asked = await people.run(
        move_issue, clock, BERT, issue_id, MONDAY + timedelta(days=1), approval=True
    )

    assert (moved.status, moved.revision, asked) == (IssueStatus.AWAITING_APPROVAL, 2, 2)
    assert await people.run(next_start) is None  # awaiting approval: it does not start
    with pytest.raises(IssueError) as stale:  # Cor still has the question of revision 1
        await people.run(approve_and_notify, clock, COR, issue_id, 1)
    assert stale.value.problem is IssueProblem.STALE
    with pytest.raises(IssueError) as own:  # Bert moved it: someone else approves the move
        await people.run(approve_and_notify, clock, BERT, issue_id, 2)
    assert own.value.problem is IssueProblem.OWN_ISSUE
    approved = await people.run(approve_and_notify, clock, ANNE, issue_id, 2)
    assert approved.started is None and approved.issue.status is IssueStatus.SCHEDULED
    assert await _keys(people, DECISION_KIND) == [
        f"{DECISION_KIND}:{issue_id}.1|{ANNE}",
        f"{DECISION_KIND}:{issue_id}.2|{BERT}",
    ]


async def test_a_new_text_needs_approval_again_and_is_what_starts(people: Database) -> None:
    clock = FixedClock(MOMENT)
    issue_id, _ = await people.run(submit_for_approval, clock, ANNE, _issue(), MONDAY)
    await people.run(approve_and_notify, clock, BERT, issue_id, 1)

    changed, asked = await people.run(
        rewrite_issue, clock, ANNE, issue_id, "<i>Nieuwe</i> tekst", approval=True
    )

    assert (changed.status, changed.revision, asked) == (IssueStatus.AWAITING_APPROVAL, 2, 2)
    assert changed.issue.text == "<i>Nieuwe</i> tekst" and changed.send_at == MONDAY
    with pytest.raises(IssueError) as stale:  # Bert's approval was of the old text
        await people.run(approve_and_notify, clock, COR, issue_id, 1)
    assert stale.value.problem is IssueProblem.STALE
    await people.run(approve_and_notify, clock, COR, issue_id, 2)
    clock.set(MONDAY)
    assert await start_due(people, clock) == 1
    async with people.transaction() as session:
        texts = list(
            await session.scalars(
                select(OutboxMessageRow.text).where(
                    OutboxMessageRow.kind == ISSUE_KIND, OutboxMessageRow.recipient == MEMBER
                )
            )
        )
    assert texts == ["<b>Nieuwsbrief</b>\n\n<i>Nieuwe</i> tekst"]
    with pytest.raises(IssueError) as started:  # once started, the text stays
        await people.run(rewrite_issue, clock, ANNE, issue_id, "Te laat", approval=True)
    assert started.value.problem is IssueProblem.STALE


async def test_a_scheduled_issue_starts_once_at_its_moment_for_the_audience_then(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    item = await _set_aside_item(people)
    issue_id = await people.run(schedule_issue, clock, ANNE, _issue(kopij=(item,)), MONDAY)
    assert await start_due(people, clock) == 0
    assert await _keys(people, ISSUE_KIND) == []
    assert (await people.run(archive_page, MEMBER, 0)).items == ()
    await join(people, clock, LATER, "gouda", name="Koen")  # joins before the moment

    clock.set(MONDAY)
    started = await asyncio.gather(start_due(people, clock), start_due(people, clock))
    await start_due(people, clock)  # a restart's run finds it started

    assert sorted(started) == [0, 1]
    members = (MEMBER, LATER, ANNE, BERT, COR)
    assert await _keys(people, ISSUE_KIND) == sorted(
        f"{ISSUE_KIND}:{issue_id}|{m}|part-{n}" for m in members for n in (1, 2)
    )
    assert await _keys(people, INCLUDED_KIND) == [f"{INCLUDED_KIND}:{item}|{MEMBER}"]
    stored = await people.run(stored_issue, issue_id)
    assert stored is not None and stored.status is IssueStatus.SENT
    assert [listed.id for listed in (await people.run(archive_page, MEMBER, 0)).items] == [issue_id]


async def test_a_cancelled_issue_sends_nothing_and_gives_its_kopij_back(people: Database) -> None:
    clock = FixedClock(MOMENT)
    item = await _set_aside_item(people)
    issue_id = await people.run(schedule_issue, clock, ANNE, _issue(kopij=(item,)), MONDAY)
    assert await _kopij_status(people, item) == KopijStatus.INCLUDED

    await people.run(cancel_issue, clock, BERT, issue_id)
    clock.set(MONDAY)

    assert await start_due(people, clock) == 0
    assert await _keys(people, ISSUE_KIND) == []
    assert await _kopij_status(people, item) == KopijStatus.SET_ASIDE
    assert await _keys(people, "newsletter_cancelled") == [
        f"newsletter_cancelled:{issue_id}|{ANNE}"
    ]
    with pytest.raises(IssueError) as again:
        await people.run(cancel_issue, clock, ANNE, issue_id)
    assert again.value.problem is IssueProblem.STALE


async def test_cancelling_as_it_starts_either_cancels_or_is_too_late(people: Database) -> None:
    clock = FixedClock(MOMENT)
    issue_id = await people.run(schedule_issue, clock, ANNE, _issue(), MONDAY)
    clock.set(MONDAY)

    started, cancelled = await asyncio.gather(
        start_due(people, clock),
        people.run(cancel_issue, clock, BERT, issue_id),
        return_exceptions=True,
    )

    stored = await people.run(stored_issue, issue_id)
    assert stored is not None
    if isinstance(cancelled, IssueError):
        assert started == 1 and stored.status is IssueStatus.SENT
        assert len(await _keys(people, ISSUE_KIND)) == 4
    else:
        assert started == 0 and stored.status is IssueStatus.CANCELLED
        assert await _keys(people, ISSUE_KIND) == []


async def test_a_rejected_issue_tells_its_composer_why_and_gives_kopij_back(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    item = await _set_aside_item(people)
    issue_id, _ = await people.run(submit_for_approval, clock, ANNE, _issue(kopij=(item,)), None)

    rejected = await people.run(
        reject_and_notify, clock, BERT, issue_id, 1, "  Eerst de cijfers\x00 nakijken "
    )

    assert rejected.issue.status is IssueStatus.REJECTED
    assert rejected.issue.reason == "Eerst de cijfers nakijken"
    assert await _kopij_status(people, item) == KopijStatus.SET_ASIDE
    async with people.transaction() as session:
        notice = await session.scalar(
            select(OutboxMessageRow.text).where(OutboxMessageRow.kind == DECISION_KIND)
        )
    assert notice is not None and "Bert heeft uw nieuwsbrief ‘Nieuwsbrief’ afgewezen" in notice
    assert "Reden: Eerst de cijfers nakijken" in notice
    with pytest.raises(IssueError) as late:
        await people.run(approve_and_notify, clock, COR, issue_id, 1)
    assert late.value.problem is IssueProblem.STALE


async def test_every_step_is_in_the_audit_log_with_whoever_took_it(people: Database) -> None:
    clock = FixedClock(MOMENT)
    asked, _ = await people.run(submit_for_approval, clock, ANNE, _issue("draft-a"), MONDAY)
    await people.run(approve_and_notify, clock, BERT, asked, 1)
    await people.run(move_issue, clock, COR, asked, MONDAY + timedelta(hours=1), approval=True)
    await people.run(reject_and_notify, clock, ANNE, asked, 2, "Liever maandag")
    planned = await people.run(schedule_issue, clock, ANNE, _issue("draft-b"), MONDAY)
    dropped = await people.run(schedule_issue, clock, BERT, _issue("draft-c"), MONDAY)
    await people.run(cancel_issue, clock, ANNE, dropped)
    clock.set(MONDAY)
    await start_due(people, clock)

    # The moment as typed, in the plan's zone: 08:00 UTC is 09:00 CET.
    at_eight, at_nine = "Nieuwsbrief (2011-01-17 09:00 CET)", "Nieuwsbrief (2011-01-17 10:00 CET)"
    log = [
        (event.action, event.actor, event.subject.id, event.count, event.detail)
        for event in await people.run(events)
    ]
    assert log == [
        (AuditAction.NEWSLETTER_SUBMITTED, ANNE, asked, 2, at_eight),
        (AuditAction.NEWSLETTER_APPROVED, BERT, asked, None, at_eight),
        (AuditAction.NEWSLETTER_CHANGED, COR, asked, 2, at_nine),
        (AuditAction.NEWSLETTER_REJECTED, ANNE, asked, None, "Liever maandag"),
        (
            AuditAction.NEWSLETTER_SCHEDULED,
            ANNE,
            planned,
            None,
            at_eight,
        ),
        (
            AuditAction.NEWSLETTER_SCHEDULED,
            BERT,
            dropped,
            None,
            at_eight,
        ),
        (AuditAction.NEWSLETTER_CANCELLED, ANNE, dropped, None, "Nieuwsbrief"),
        (
            AuditAction.NEWSLETTER_SENT,
            None,
            planned,
            4,
            "Nieuwsbrief",
        ),  # None: the bot, at its moment
    ]
