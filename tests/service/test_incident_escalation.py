"""Escalating and closing an incident: the urgent round reaches exactly those of uncovered
organisations who did not answer (paused or not), the second round reports the uncovered
organisations with their piketnummer to the coordinator, a closed incident escalates no more,
and a round is taken once, with its messages, however often or however interrupted it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from berichten.incidents.closing import CLOSING_KIND, close_incident, to_unpin
from berichten.incidents.escalation import REPORT_KIND, escalate_due
from berichten.incidents.overview import overview_messages
from berichten.incidents.sending import INCIDENT_KIND, send_incident
from berichten.incidents.status import statuses
from berichten.outbox.store import Delivered, claim_due, mark_sent, recover
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus, Priority
from berichten.texts import incidents as texts
from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.incidents import from_text
from planning.audit.services import Subject, events
from planning.audit.tables import AuditAction
from planning.clock import FixedClock
from planning.db import Database
from planning.incidents.escalation import next_escalation
from planning.incidents.overview import Figures, OrganisationFigures, Sent
from planning.incidents.services import (
    Answer,
    Incident,
    IncidentError,
    IncidentProblem,
    acknowledge,
)
from planning.membership.tables import Role
from planning.newsletters.issues import Audience
from planning.preferences.services import pause_until
from tests.support.incidents import import_incident_plan
from tests.support.network import join

FATIMA, KOEN, IRIS, SANNE, ANNE = 501, 502, 506, 507, 601
MOMENT = datetime(2011, 12, 6, 9, 0, tzinfo=UTC)
EVERY = timedelta(minutes=15)
DEFAULT = Audience(everyone=False, groups=("communicatieadviseurs", "contactpersonen"))


@pytest.fixture
async def sent(database: Database) -> Database:
    """Fatima (Gouda, on pause), Koen and Iris (Utrecht), Sanne (Ede) got an incident from Anne
    at MOMENT; Koen read it."""
    clock = FixedClock(MOMENT)
    await database.run(import_incident_plan, clock)
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima")
    await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen")
    await join(database, clock, IRIS, "utrecht", "communicatieadviseurs", name="Iris")
    await join(database, clock, SANNE, "ede", "contactpersonen", name="Sanne")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
    await database.run(pause_until, clock, FATIMA, date(2011, 12, 20))
    incident = Incident("d1", "Steekpartij", from_text("Steekpartij", "Tekst"), None, DEFAULT)
    assert await database.run(send_incident, clock, ANNE, incident) == (1, 4)
    await database.run(acknowledge, clock, 1, KOEN, Answer.READ)
    return database


async def _rows(database: Database, kind: str) -> dict[str, OutboxMessageRow]:
    async with database.transaction() as session:
        query = select(OutboxMessageRow).where(OutboxMessageRow.kind == kind)
        return {row.key: row for row in await session.scalars(query)}


async def _at(database: Database, moment: datetime) -> list[int]:
    """Escalate at ``moment``; the numbers of the rounds taken."""
    taken = await database.run(escalate_due, FixedClock(moment), EVERY)
    return [round_.number for round_ in taken]


async def test_the_urgent_round_reaches_the_unanswered_of_uncovered_organisations(
    sent: Database,
) -> None:
    assert await sent.run(next_escalation, EVERY) == MOMENT + EVERY
    assert await _at(sent, MOMENT + EVERY - timedelta(seconds=1)) == []

    assert await _at(sent, MOMENT + EVERY) == [1]

    urgent = {k: r for k, r in (await _rows(sent, INCIDENT_KIND)).items() if "urgent" in k}
    # Iris did not answer, but Koen of Utrecht did: Utrecht is covered. Fatima is on pause.
    assert sorted(urgent) == ["incident:1|501|urgent", "incident:1|507|urgent"]
    row = urgent["incident:1|501|urgent"]
    assert row.text.startswith("‼️ <b>Dringend</b>: u hebt dit incidentbericht nog niet")
    assert row.text.endswith("\n\n" + from_text("Steekpartij", "Tekst"))
    assert (row.priority, row.due_at, row.expires_at) == (Priority.INCIDENT, MOMENT + EVERY, None)
    assert "inc:r:1" in (row.buttons or "")
    logged = await sent.run(events, subject=Subject.incident(1))
    assert (logged[-1].action, logged[-1].actor, logged[-1].count) == (
        AuditAction.INCIDENT_ESCALATED,
        None,
        2,
    )
    assert await _at(sent, MOMENT + EVERY) == []  # taken once
    assert await sent.run(next_escalation, EVERY) == MOMENT + 2 * EVERY


async def test_the_second_round_reports_uncovered_organisations_with_piketnummer(
    sent: Database,
) -> None:
    await _at(sent, MOMENT + EVERY)
    await sent.run(acknowledge, FixedClock(MOMENT + EVERY), 1, SANNE, Answer.CONTACTING)

    assert await _at(sent, MOMENT + 2 * EVERY) == [1 + 1]

    [report] = (await _rows(sent, REPORT_KIND)).values()
    assert (report.key, report.recipient, report.priority) == (
        "incident:1|report|1",
        ANNE,
        Priority.INCIDENT,
    )
    lines = report.text.splitlines()
    assert lines[0].startswith("‼️ Na twee rondes heeft bij deze organisaties nog niemand")
    assert lines[1] == "• <b>Gemeente Gouda</b>: piket 0182-588222; ontvangers: Fatima"
    assert "• <b>Gemeente Den Haag</b>: piket 070-3533333; ontvangers: niemand aangemeld" in lines
    assert (
        "• <b>Gemeente Zeist</b>: piket onbekend (geen piketnummer in het jaarplan); "
        "ontvangers: niemand aangemeld"
    ) in lines
    assert not [line for line in lines if "Utrecht" in line or "Ede" in line]
    logged = await sent.run(events, subject=Subject.incident(1))
    assert logged[-1].action is AuditAction.INCIDENT_REPORTED
    assert await sent.run(next_escalation, EVERY) is None
    assert await _at(sent, MOMENT + 10 * EVERY) == []


async def test_a_bot_that_was_down_gives_the_members_their_time_after_the_urgent_round(
    sent: Database,
) -> None:
    assert await _at(sent, MOMENT + 5 * EVERY) == [1]
    assert await _at(sent, MOMENT + 5 * EVERY) == []
    assert await _at(sent, MOMENT + 6 * EVERY) == [2]


async def test_closing_stops_escalation_and_withdraws_what_is_queued(sent: Database) -> None:
    first = await sent.run(claim_due, FixedClock(MOMENT), 200)
    await sent.run(mark_sent, [Delivered(m.id, m.recipient, MOMENT) for m in first])
    await _at(sent, MOMENT + EVERY)
    clock = FixedClock(MOMENT + EVERY + timedelta(minutes=1))

    assert await sent.run(close_incident, clock, ANNE, 1) == ("Steekpartij", 4)

    rows = await _rows(sent, INCIDENT_KIND)
    assert rows["incident:1|501|urgent"].status == OutboxStatus.SKIPPED
    closing = await _rows(sent, CLOSING_KIND)
    assert sorted(closing) == [f"incident:1|{who}|closed" for who in (FATIMA, KOEN, IRIS, SANNE)]
    assert closing["incident:1|501|closed"].text == (
        "✅ Het incident „Steekpartij” is afgesloten. Dank u; u hoeft niets meer te doen."
    )
    assert await _at(sent, MOMENT + 3 * EVERY) == []
    assert await sent.run(next_escalation, EVERY) is None
    with pytest.raises(IncidentError) as again:
        await sent.run(close_incident, clock, ANNE, 1)
    assert again.value.problem is IncidentProblem.CLOSED
    with pytest.raises(IncidentError) as member:
        await sent.run(close_incident, clock, KOEN, 1)
    assert member.value.problem is IncidentProblem.NOT_COORDINATOR
    logged = await sent.run(events, subject=Subject.incident(1))
    assert (logged[-1].action, logged[-1].actor, logged[-1].count) == (
        AuditAction.INCIDENT_CLOSED,
        ANNE,
        4,
    )
    # The withdrawn urgent copy does not make Fatima unreachable.
    [listing] = await sent.run(overview_messages)
    assert "• Gemeente Gouda: nog niet 1 (Fatima)" in listing


async def test_a_round_interrupted_before_its_commit_is_taken_again_once(sent: Database) -> None:
    class CrashError(Exception):
        pass

    with pytest.raises(CrashError):
        async with sent.transaction() as session:
            await escalate_due(session, FixedClock(MOMENT + EVERY), EVERY)
            raise CrashError

    assert not [key for key in await _rows(sent, INCIDENT_KIND) if "urgent" in key]
    assert await _at(sent, MOMENT + EVERY + timedelta(seconds=3)) == [1]
    # Claimed and then a crash: start-up puts back only those in flight; nothing is queued twice.
    clock = FixedClock(MOMENT + EVERY + timedelta(seconds=3))
    claimed = await sent.run(claim_due, clock, 200)
    urgent = sorted(message.recipient for message in claimed if "urgent" in message.key)
    assert urgent == [FATIMA, SANNE]
    assert await sent.run(recover) == len(claimed)
    assert len([k for k in await _rows(sent, INCIDENT_KIND) if "urgent" in k]) == 2


async def test_copies_are_unpinned_once_none_is_in_flight(sent: Database) -> None:
    clock = FixedClock(MOMENT)
    claimed = await sent.run(claim_due, clock, 200)
    delivered = [Delivered(m.id, 7000 + m.recipient, MOMENT) for m in claimed[:-1]]
    await sent.run(mark_sent, delivered)
    await sent.run(close_incident, clock, ANNE, 1)

    assert await sent.run(to_unpin) == []  # one copy is still being sent
    await sent.run(mark_sent, [Delivered(claimed[-1].id, 7000 + claimed[-1].recipient, MOMENT)])
    [pinned] = await sent.run(to_unpin)
    assert sorted(pinned.messages) == [(who, 7000 + who) for who in (FATIMA, KOEN, IRIS, SANNE)]


async def test_the_status_shows_the_figures_and_where_escalation_stands(sent: Database) -> None:
    [status] = await sent.run(statuses, EVERY)
    lines = status.text.splitlines()
    assert lines[0] == "Het incidentbericht „Steekpartij” gaat naar 4 deelnemers."
    assert "• Gemeente Utrecht: gelezen 1 (Koen), nog niet 1 (Iris)" in lines
    assert lines[-1] == (
        "Wie vóór 6 december 2011, 10:15 niet reageert, krijgt het opnieuw, als dringend."
    )
    assert (status.chat_id, status.message_id, status.closed) == (ANNE, None, False)
    await _at(sent, MOMENT + EVERY)
    [status] = await sent.run(statuses, EVERY)
    assert status.text.splitlines()[-1] == (
        "Op 6 december 2011, 10:15 opnieuw verstuurd als dringend. Op 6 december 2011, 10:30 "
        "krijgt u de organisaties waar nog niemand het las."
    )


def test_a_long_status_is_cut_between_organisations_politely() -> None:
    incident = Sent(1, "Steekpartij", MOMENT, "Anne", False, ())
    names = tuple(f"Deelnemer met een lange naam {n} <en>" for n in range(30))
    organisations = tuple(OrganisationFigures(f"Gemeente {n}", (), names, ()) for n in range(20))

    text = texts.status(Figures(incident, organisations), "Stand.")

    assert telegram_length(text) <= TEXT_LIMIT
    assert "&lt;en&gt;" in text
    lines = text.splitlines()
    assert lines[-4].startswith("… en nog ") and lines[-4].endswith(
        "organisaties; /incidenten toont ze allemaal."
    )
    assert lines[-1] == "Stand."
