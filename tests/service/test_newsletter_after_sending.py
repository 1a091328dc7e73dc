"""After a newsletter is sent: its progress from the outbox, a correction that edits every copy
delivered (and rewrites those still queued), once per version, and a withdrawal that deletes
what Telegram still lets it delete and stops the rest."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from berichten.newsletters.approval import move_issue
from berichten.newsletters.corrections import correct_issue, withdraw_issue
from berichten.newsletters.progress import figures, progress
from berichten.newsletters.schedule import cancel_issue, schedule_issue, send_issue, start_due
from berichten.outbox.delivery import deliver_due
from berichten.outbox.media import Media
from berichten.outbox.pacing import Pacer
from berichten.outbox.sender import MessageRejectedError, RecipientBlockedError
from berichten.outbox.store import Buttons
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import add_organisation
from planning.membership.tables import Role
from planning.newsletters.after_sending import IssueOperation, sent_issue
from planning.newsletters.archive import archive_page, archived_issue
from planning.newsletters.issues import Audience, Issue, IssueError, IssueProblem
from planning.preferences.services import pause_until
from tests.support.network import join

FATIMA, MARIEKE, KOEN, ANNE, BERT = 501, 502, 503, 601, 602
MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)


@dataclass
class Telegram:
    """A sender that keeps what it sent, edited and deleted, and refuses some chats."""

    sent: dict[int, tuple[int, str]] = field(default_factory=dict)  # message id: chat, text
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # chat, message, text
    deleted: list[tuple[int, int]] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # chat: Telegram's reason
    blocked: set[int] = field(default_factory=set)

    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        if chat_id in self.blocked:
            raise RecipientBlockedError("Forbidden: bot was blocked by the user")
        if chat_id in self.refused:
            raise MessageRejectedError(self.refused[chat_id])
        message_id = len(self.sent) + 1
        self.sent[message_id] = (chat_id, text)
        return message_id

    async def edit(self, chat_id: int, message_id: int, text: str, media: Media | None) -> None:
        assert self.sent[message_id][0] == chat_id
        self.edits.append((chat_id, message_id, text))

    async def delete(self, chat_id: int, message_id: int) -> None:
        assert self.sent[message_id][0] == chat_id
        self.deleted.append((chat_id, message_id))


@pytest.fixture
async def people(database: Database) -> Database:
    clock = FixedClock(MOMENT)
    await database.run(add_organisation, "gouda", "Gemeente Gouda", "gemeente")
    await database.run(add_organisation, "ede", "Gemeente Ede", "gemeente")
    await database.run(add_organisation, "coordinatie", "Coördinatieteam", "coordinatie")
    await join(database, clock, FATIMA, "gouda", name="Fatima El Amrani")
    await join(database, clock, MARIEKE, "ede", name="Marieke Jansen")
    await join(database, clock, KOEN, "ede", name="Koen de Boer")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await join(database, clock, BERT, "coordinatie", role=Role.COORDINATOR, name="Bert")
    return database


def _issue(text: str = "De monitor is <b>klaar</b>.") -> Issue:
    return Issue("draft-1", "Nieuwsbrief maart", text, audience=Audience(False, (), ("ede",)))


async def _deliver(database: Database, clock: FixedClock, telegram: Telegram) -> None:
    await deliver_due(database, clock, telegram, Pacer(per_second=1000, chat_interval=0))


async def _sent_issue(database: Database, clock: FixedClock, telegram: Telegram) -> int:
    """The issue sent to Marieke and Koen (of Ede) and delivered."""
    issue_id, members = await database.run(send_issue, clock, ANNE, _issue(), (ANNE, 77))
    assert members == 2
    await _deliver(database, clock, telegram)
    return issue_id


async def test_a_correction_edits_each_copy_delivered_and_rewrites_the_queued(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    telegram = Telegram()
    await people.run(pause_until, clock, KOEN, date(2011, 1, 20))
    issue_id = await _sent_issue(people, clock, telegram)
    assert [chat for chat, _text in telegram.sent.values()] == [MARIEKE]

    corrected = await people.run(
        correct_issue, clock, BERT, issue_id, 1, "De monitor is <b>af</b>.", "De monitor is af."
    )
    await _deliver(people, clock, telegram)

    assert corrected.version == 2 and corrected.operation is IssueOperation.CORRECT
    [(message_id, (_chat, _text))] = telegram.sent.items()
    assert telegram.edits == [
        (MARIEKE, message_id, "<b>Nieuwsbrief maart</b>\n\nDe monitor is <b>af</b>.")
    ]
    counted = await people.run(figures, clock, corrected)
    assert (counted.total, counted.done, counted.untouched) == (1, 1, 1)
    # Koen, on pause, gets the corrected text when his pause ends: never the first one.
    clock.set(datetime(2011, 1, 20, 8, 0, tzinfo=UTC))
    await _deliver(people, clock, telegram)
    assert telegram.sent[2] == (KOEN, "<b>Nieuwsbrief maart</b>\n\nDe monitor is <b>af</b>.")
    archived = await people.run(archived_issue, issue_id)
    assert archived is not None and archived.text == "De monitor is <b>af</b>."
    logged = await people.run(events, subject=Subject.newsletter(issue_id))
    assert [(e.action, e.actor, e.count) for e in logged] == [
        (AuditAction.NEWSLETTER_SENT, ANNE, 2),
        (AuditAction.NEWSLETTER_CORRECTED, BERT, 2),  # Marieke's copy edited, Koen's rewritten
    ]


async def test_one_correction_per_version_however_often_it_is_pressed(people: Database) -> None:
    clock = FixedClock(MOMENT)
    telegram = Telegram()
    issue_id = await _sent_issue(people, clock, telegram)

    results = await asyncio.gather(
        *(
            people.run(correct_issue, clock, who, issue_id, 1, f"Door {who}.", f"Door {who}.")
            for who in (ANNE, BERT)
        ),
        return_exceptions=True,
    )
    refused = [result for result in results if isinstance(result, IssueError)]
    assert [r.problem for r in refused] == [IssueProblem.CHANGED], results
    await people.run(correct_issue, clock, ANNE, issue_id, 2, "Derde versie.", "Derde versie.")
    await _deliver(people, clock, telegram)

    texts = [text.rsplit("\n", 1)[1] for _chat, _message, text in telegram.edits]
    assert len(texts) == 4 and texts[2:] == ["Derde versie.", "Derde versie."]
    with pytest.raises(IssueError) as same:
        await people.run(correct_issue, clock, ANNE, issue_id, 3, "Derde versie.", "Derde versie.")
    assert same.value.problem is IssueProblem.UNCHANGED


async def test_a_copy_in_flight_when_corrected_is_edited_once_it_is_sent(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    telegram = Telegram()
    issue_id, _members = await people.run(send_issue, clock, ANNE, _issue())
    async with people.transaction() as session:  # claimed by a delivery run, not yet answered
        await session.execute(update(OutboxMessageRow).values(status=OutboxStatus.SENDING))
    sending = await people.run(sent_issue, issue_id)
    assert sending is not None
    counted = await people.run(figures, clock, sending)
    assert (counted.total, counted.busy, counted.done, counted.ended) == (2, 2, 0, False)

    await people.run(correct_issue, clock, ANNE, issue_id, 1, "Beter.", "Beter.")
    await _deliver(people, clock, telegram)
    assert telegram.edits == []  # nothing to edit yet: it waits for the copies
    async with people.transaction() as session:
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.kind == "newsletter")
            .values(status=OutboxStatus.SENT, telegram_message_id=41, sent_at=MOMENT)
        )
    telegram.sent[41] = (MARIEKE, "")
    telegram.sent[42] = (KOEN, "")
    async with people.transaction() as session:
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.recipient == KOEN, OutboxMessageRow.kind == "newsletter")
            .values(telegram_message_id=42)
        )
    clock.advance(timedelta(seconds=6))
    await _deliver(people, clock, telegram)

    assert sorted((chat, message) for chat, message, _text in telegram.edits) == [
        (MARIEKE, 41),
        (KOEN, 42),
    ]


async def test_a_withdrawal_deletes_within_48_hours_and_stops_the_rest(people: Database) -> None:
    clock = FixedClock(MOMENT)
    telegram = Telegram()
    await people.run(pause_until, clock, KOEN, date(2011, 1, 20))
    issue_id, _members = await people.run(
        send_issue, clock, ANNE, Issue("d", "Voor iedereen", "Tekst.")
    )
    await _deliver(people, clock, telegram)
    async with people.transaction() as session:  # Fatima's copy went out three days ago
        await session.execute(
            update(OutboxMessageRow)
            .where(OutboxMessageRow.recipient == FATIMA)
            .values(sent_at=MOMENT - timedelta(days=3))
        )

    withdrawn = await people.run(withdraw_issue, clock, BERT, issue_id, (BERT, 12))
    await _deliver(people, clock, telegram)

    assert sorted(chat for chat, _message in telegram.deleted) == [MARIEKE, ANNE, BERT]
    counted = await people.run(figures, clock, withdrawn)
    assert (counted.total, counted.done, counted.untouched) == (4, 3, 1)
    assert dict(counted.failed) == {"too_old": 1}
    assert counted.unreachable == ["Fatima El Amrani (Gemeente Gouda)"]
    [shown] = [p for p in await people.run(progress, clock) if p.issue.id == issue_id]
    assert shown.finished and "Verwijderd: 3 van 4 · mislukt: 1" in shown.text
    assert "ouder dan 48 uur" in shown.text and "nu niet meer verstuurd: 1" in shown.text
    clock.set(datetime(2011, 1, 20, 8, 0, tzinfo=UTC))
    await _deliver(people, clock, telegram)
    assert KOEN not in [chat for chat, _text in telegram.sent.values()]
    for again in (withdraw_issue, correct_issue):
        with pytest.raises(IssueError) as refused:
            args = (issue_id,) if again is withdraw_issue else (issue_id, 1, "x", "x")
            await people.run(again, clock, ANNE, *args)
        assert refused.value.problem is IssueProblem.WITHDRAWN
    assert (await people.run(archive_page, ANNE, 0)).total == 0
    [*_, logged] = await people.run(events, subject=Subject.newsletter(issue_id))
    assert (logged.action, logged.actor, logged.count) == (
        AuditAction.NEWSLETTER_WITHDRAWN,
        BERT,
        5,
    )


async def test_the_progress_counts_members_and_names_who_was_not_reached(
    people: Database,
) -> None:
    clock = FixedClock(MOMENT)
    telegram = Telegram(refused={FATIMA: "Bad Request: chat not found"}, blocked={MARIEKE})
    await people.run(pause_until, clock, KOEN, date(2011, 1, 20))
    long_text = "\n\n".join("Alinea " + "woord " * 120 for _ in range(8))
    issue_id, _members = await people.run(
        send_issue, clock, ANNE, Issue("d", "Lang", long_text), (ANNE, 5)
    )

    [running] = await people.run(progress, clock)
    await _deliver(people, clock, telegram)
    [ended] = await people.run(progress, clock)

    assert running.text.endswith("Verzonden: 0 van 5 · mislukt: 0 · wacht op einde pauze: 1")
    assert not running.ended
    assert ended.ended and not ended.finished  # Koen's pause has not ended
    assert "Verzonden: 2 van 5 · mislukt: 2 · wacht op einde pauze: 1" in ended.text
    assert "• heeft de bot geblokkeerd: 1\n• chat niet gevonden: 1" in ended.text
    assert ended.text.endswith(
        "Niet bereikt:\n• Fatima El Amrani (Gemeente Gouda)\n• Marieke Jansen (Gemeente Ede)"
    )
    async with people.transaction() as session:
        parts = await session.scalars(
            select(OutboxMessageRow.key).where(OutboxMessageRow.recipient == ANNE)
        )
        assert len(list(parts)) > 1  # several messages each, counted once per member
    issue = await people.run(sent_issue, issue_id)
    assert issue is not None and issue.progress_chat_id == ANNE


async def test_a_correction_must_keep_the_issues_messages(people: Database) -> None:
    clock = FixedClock(MOMENT)
    issue_id = await _sent_issue(people, clock, Telegram())
    longer = "Alinea " + "woord " * 680  # with the title, more than one message holds

    with pytest.raises(IssueError) as refused:
        await people.run(correct_issue, clock, ANNE, issue_id, 1, longer, longer)
    with pytest.raises(IssueError) as member:
        await people.run(correct_issue, clock, KOEN, issue_id, 1, "Kort.", "Kort.")

    assert refused.value.problem is IssueProblem.SHAPE
    assert member.value.problem is IssueProblem.NOT_COORDINATOR


async def test_only_a_sent_issue_is_corrected_withdrawn_or_reported(people: Database) -> None:
    clock = FixedClock(MOMENT)
    telegram = Telegram()
    later = MOMENT + timedelta(days=1)
    planned = await people.run(schedule_issue, clock, ANNE, _issue(), later)
    cancelled = await people.run(schedule_issue, clock, ANNE, replace(_issue(), key="d-2"), later)
    await people.run(cancel_issue, clock, BERT, cancelled)
    for issue_id in (planned, cancelled):
        with pytest.raises(IssueError) as refused:
            await people.run(correct_issue, clock, BERT, issue_id, 1, "Nieuw.", "Nieuw.")
        assert refused.value.problem is IssueProblem.NOT_SENT
        with pytest.raises(IssueError) as refused:
            await people.run(withdraw_issue, clock, BERT, issue_id, None)
        assert refused.value.problem is IssueProblem.NOT_SENT
    assert await people.run(progress, clock) == []  # nothing to show before it starts

    # Bert moves it: he set the moment it starts at, so a report nobody pressed for is his.
    await people.run(move_issue, clock, BERT, planned, later, approval=False)
    clock.set(later)
    assert await start_due(people, clock) == 1
    await _deliver(people, clock, telegram)
    [shown] = await people.run(progress, clock)
    assert shown.issue.id == planned and shown.issue.scheduled_by == BERT
    assert shown.issue.progress_chat_id is None and shown.finished
