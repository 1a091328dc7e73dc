"""Follow-ups to an incident: once per draft, to every recipient, each a reply to their own
first copy (waiting for it while it is being sent, on its own when it never arrived), only
while the incident is open; the closing line is a reply too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from berichten.incidents.closing import close_incident
from berichten.incidents.sending import send_incident
from berichten.incidents.updates import UPDATE_KIND, send_update
from berichten.outbox.delivery import deliver_due
from berichten.outbox.media import Media
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import Buttons, Delivered, claim_due, mark_failed, mark_sent
from berichten.outbox.tables import OutboxMessageRow
from berichten.texts.incidents import from_text
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.services import Incident, IncidentError, IncidentProblem
from planning.membership.tables import Role
from planning.newsletters.issues import Audience
from tests.support.incidents import import_incident_plan
from tests.support.network import join

FATIMA, KOEN, ANNE = 501, 502, 601
MOMENT = datetime(2011, 12, 6, 9, 0, tzinfo=UTC)


@dataclass
class ReplyingSender:
    """A sender that can reply: keeps (chat, text, replied-to id) and numbers its messages."""

    sent: list[tuple[int, str, int | None]] = field(default_factory=list)

    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        return await self.reply(chat_id, None, text, buttons, media)

    async def reply(
        self,
        chat_id: int,
        reply_to: int | None,
        text: str,
        buttons: Buttons | None,
        media: Media | None = None,
    ) -> int:
        self.sent.append((chat_id, text, reply_to))
        return 100 + len(self.sent)


@pytest.fixture
async def sent(database: Database) -> Database:
    """Fatima (Gouda) and Koen (Utrecht) got an incident from Anne at MOMENT, not sent yet."""
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    audience = Audience(everyone=False, groups=("contactpersonen",))
    incident = Incident("d1", "Steekpartij", from_text("Steekpartij", "Tekst"), None, audience)
    await database.run(send_incident, clock, ANNE, incident)
    return database


async def _deliver(database: Database, clock: FixedClock, sender: ReplyingSender) -> None:
    await deliver_due(database, clock, sender, Pacer(per_second=1000, chat_interval=0))


async def test_a_follow_up_replies_to_each_first_copy_once_sent(sent: Database) -> None:
    clock = FixedClock(MOMENT + timedelta(minutes=5))
    # Fatima's first copy is being sent when the follow-up is queued; Koen's never arrives.
    [fatima, koen] = sorted(await sent.run(claim_due, clock, 200), key=lambda m: m.recipient)
    await sent.run(mark_failed, koen.id, "chat not found")

    assert await sent.run(send_update, clock, ANNE, 1, "u1", "<b>Rustig</b>", "Rustig") == (
        "Steekpartij",
        2,
    )
    with pytest.raises(IncidentError) as again:  # a second press of the same draft
        await sent.run(send_update, clock, ANNE, 1, "u1", "<b>Rustig</b>", "Rustig")
    assert again.value.problem is IncidentProblem.SENT

    sender = ReplyingSender()
    await _deliver(sent, clock, sender)
    assert sender.sent == [(KOEN, _update_text(), None)]  # on its own: nothing to reply to
    await sent.run(mark_sent, [Delivered(fatima.id, 77, clock.now())])
    clock.advance(timedelta(seconds=10))
    await _deliver(sent, clock, sender)
    assert sender.sent[-1] == (FATIMA, _update_text(), 77)
    logged = await sent.run(events, subject=Subject.incident(1))
    assert (logged[-1].action, logged[-1].actor, logged[-1].count) == (
        AuditAction.INCIDENT_UPDATED,
        ANNE,
        2,
    )


def _update_text() -> str:
    return "🔁 <b>Vervolg op het incident „Steekpartij”</b>\n\n<b>Rustig</b>"


async def test_the_closing_line_replies_and_a_closed_incident_takes_no_follow_up(
    sent: Database,
) -> None:
    clock = FixedClock(MOMENT)
    sender = ReplyingSender()
    await _deliver(sent, clock, sender)
    first = {chat: 100 + n for n, (chat, _text, _to) in enumerate(sender.sent, start=1)}

    await sent.run(close_incident, clock, ANNE, 1)
    await _deliver(sent, clock, sender)

    assert sorted(sender.sent[2:]) == [
        (
            who,
            "✅ Het incident „Steekpartij” is afgesloten. Dank u; u hoeft niets meer te doen.",
            first[who],
        )
        for who in (FATIMA, KOEN)
    ]
    for refused, who, incident_id in (
        (IncidentProblem.CLOSED, ANNE, 1),
        (IncidentProblem.UNKNOWN, ANNE, 9),
        (IncidentProblem.NOT_COORDINATOR, KOEN, 1),
    ):
        with pytest.raises(IncidentError) as caught:
            await sent.run(send_update, clock, who, incident_id, "u2", "Tekst", "Tekst")
        assert caught.value.problem is refused
    async with sent.transaction() as session:
        queued = await session.scalar(
            select(func.count()).where(OutboxMessageRow.kind == UPDATE_KIND)
        )
    assert queued == 0
