"""Sending a newsletter issue: once per draft under two presses at once, once per kopij item,
to the audience chosen, and held for a member on pause."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from berichten.newsletters.issues import ISSUE_KIND
from berichten.newsletters.schedule import send_issue
from berichten.outbox.tables import OutboxMessageRow
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_group, add_organisation
from planning.membership.tables import Role
from planning.newsletters.issues import Audience, Issue, IssueError, IssueProblem
from planning.newsletters.services import Kopij, send_in
from planning.newsletters.tables import KopijKind, KopijRow, KopijStatus, NewsletterIssueRow
from planning.preferences.services import pause_until
from tests.support.network import join

MEMBER, OTHER, ANNE, BERT = 501, 502, 601, 602
MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
async def people(database: Database) -> Database:
    clock = FixedClock(MOMENT)
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_organisation, "ede", "Gemeente Ede", "gemeente")
    await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
    await database.run(add_group, "bestuurders", "Bestuurders")
    await join(database, clock, MEMBER, "gouda", name="Fatima")
    await join(database, clock, OTHER, "ede", "bestuurders", name="Marieke")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    return database


def _issue(
    key: str = "draft-1", kopij: tuple[int, ...] = (), audience: Audience | None = None
) -> Issue:
    return Issue(
        key, "Nieuwsbrief", "<b>Tekst</b>", kopij_ids=kopij, audience=audience or Audience()
    )


async def _queued(database: Database) -> list[str]:
    async with database.transaction() as session:
        query = select(OutboxMessageRow.key).where(OutboxMessageRow.kind == ISSUE_KIND)
        return sorted(await session.scalars(query))


async def test_two_presses_at_once_send_the_issue_once(people: Database) -> None:
    clock = FixedClock(MOMENT)
    results = await asyncio.gather(
        *(people.run(send_issue, clock, who, _issue()) for who in (ANNE, BERT)),
        return_exceptions=True,
    )

    sent = [result for result in results if not isinstance(result, BaseException)]
    refused = [result for result in results if isinstance(result, IssueError)]
    assert len(sent) == 1 and len(refused) == 1, results
    assert refused[0].problem is IssueProblem.SENT
    [(issue_id, members)] = sent
    assert members == 4
    assert await _queued(people) == sorted(
        f"newsletter:{issue_id}|{member}|part-1" for member in (MEMBER, OTHER, ANNE, BERT)
    )
    async with people.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(NewsletterIssueRow)) == 1


async def test_a_kopij_item_goes_out_in_one_issue_only(people: Database) -> None:
    clock = FixedClock(MOMENT)
    item = await people.run(
        send_in, clock, MEMBER, Kopij("Nieuws", KopijKind.TEXT, "Tekst", "Tekst")
    )
    async with people.transaction() as session:
        (await session.get_one(KopijRow, item.id)).status = KopijStatus.SET_ASIDE

    results = await asyncio.gather(
        *(
            people.run(send_issue, clock, who, _issue(f"draft-{who}", (item.id,)))
            for who in (ANNE, BERT)
        ),
        return_exceptions=True,
    )

    refused = [result for result in results if isinstance(result, IssueError)]
    assert [r.problem for r in refused] == [IssueProblem.KOPIJ_TAKEN], results
    kopij_parts = [key for key in await _queued(people) if key.endswith("|part-2")]
    assert len(kopij_parts) == 4
    async with people.transaction() as session:
        assert (await session.get_one(KopijRow, item.id)).status == KopijStatus.INCLUDED


async def test_groups_and_organisations_are_a_union_and_a_pause_holds_it(people: Database) -> None:
    clock = FixedClock(MOMENT)
    await people.run(pause_until, clock, OTHER, date(2011, 1, 20))

    issue_id, members = await people.run(
        send_issue,
        clock,
        ANNE,
        _issue(audience=Audience(False, ("bestuurders",), ("gouda", "ede"))),
    )

    assert members == 2
    async with people.transaction() as session:
        due = dict(
            (
                await session.execute(
                    select(OutboxMessageRow.recipient, OutboxMessageRow.due_at).where(
                        OutboxMessageRow.kind == ISSUE_KIND
                    )
                )
            ).all()
        )
        expires = await session.scalars(
            select(OutboxMessageRow.expires_at).where(OutboxMessageRow.kind == ISSUE_KIND)
        )
        assert set(expires) == {None}
    assert due == {MEMBER: MOMENT, OTHER: datetime(2011, 1, 20, 8, 0, tzinfo=UTC)}
    assert issue_id


async def test_a_member_cannot_send_and_nothing_is_recorded(people: Database) -> None:
    with pytest.raises(IssueError) as refused:
        await people.run(send_issue, FixedClock(MOMENT), MEMBER, _issue())

    assert refused.value.problem is IssueProblem.NOT_COORDINATOR
    assert await _queued(people) == []
