"""The call for items: when the AO's agenda opens (21 days before its petit comité closes it),
its participants are asked for items once, through the outbox, as their wishes say."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from berichten.outbox.tables import OutboxStatus
from berichten.reminders.call import CALL_KIND
from berichten.reminders.queue import queue_reminders
from planning.agenda_items.call import calls
from planning.calendar.model import When
from planning.clock import FixedClock
from planning.db import Database
from planning.meeting_changes.services import move_meeting
from planning.membership.tables import Role
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan
from planning.preferences.services import pause_until, set_digest, set_hour, set_muted
from tests.support.agenda_items import CONTACT
from tests.support.network import join
from tests.support.outbox import outbox_rows, queue_and_deliver
from tests.support.plans import agenda_cycle_plan_text, amsterdam_time, plan_of

# 15 February 2011, 09:00 in Amsterdam: 21 days before the petit comité of 8 March.
CALL_MOMENT = amsterdam_time(date(2011, 2, 15), 9)
SECOND, THIRD, FOURTH, PETIT, COORDINATOR = 702, 703, 704, 705, 706
AO_KEY_PREFIX = "agenda_call:"


async def _cycle(database: Database, clock: FixedClock) -> None:
    """The AO with a call 21 days ahead; four contact persons, a petit comité member and a
    coordinator."""
    clock.set(datetime(2011, 2, 1, 12, tzinfo=UTC))
    await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
    for user_id in (CONTACT, SECOND, THIRD, FOURTH):
        await join(database, clock, user_id, "gouda", "contactpersonen")
    await join(database, clock, PETIT, "utrecht", "petit-comite")
    await join(database, clock, COORDINATOR, "coordinatie", role=Role.COORDINATOR)


def test_the_ao_of_22_march_is_called_on_15_february_at_nine() -> None:
    plan = plan_of(agenda_cycle_plan_text())
    first = datetime(2011, 2, 1, tzinfo=UTC)

    found = calls(plan, first, first + timedelta(days=60))

    assert [(c.meeting.when.day, c.at, c.closes_at) for c in found] == [
        (date(2011, 3, 22), CALL_MOMENT, amsterdam_time(date(2011, 3, 8))),
    ]
    assert plan_of(example_plan_text()).overleggen  # the shared plan has no call at all
    assert calls(plan_of(example_plan_text()), first, first + timedelta(days=60)) == []


async def test_the_call_goes_once_to_each_participant_as_their_wishes_say(
    database: Database, clock: FixedClock
) -> None:
    await _cycle(database, clock)
    await database.run(set_hour, clock, SECOND, 14)
    await database.run(set_muted, clock, THIRD, "ao", True)
    await database.run(pause_until, clock, FOURTH, date(2011, 2, 20))
    await database.run(set_digest, clock, PETIT, True)  # not a participant of the AO anyway

    clock.set(CALL_MOMENT - timedelta(days=1))
    await database.run(queue_reminders, clock)
    rows = await outbox_rows(database, CALL_KIND)

    assert {(row.recipient, row.due_at) for row in rows} == {
        (CONTACT, CALL_MOMENT),
        (SECOND, amsterdam_time(date(2011, 2, 15), 14)),  # their hour, the same day
    }
    [row] = [row for row in rows if row.recipient == CONTACT]
    assert row.key.startswith(AO_KEY_PREFIX) and row.key.endswith(f"|{CONTACT}")
    assert row.expires_at == amsterdam_time(date(2011, 3, 8))
    assert row.text == (
        "<b>Oproep: agendapunten voor Ambtelijk overleg van dinsdag 22 maart 2011</b>\n"
        "De agenda van dit overleg is open. Heeft u een punt dat het overleg moet bespreken, "
        "besluiten of weten? Punten aanleveren kan tot en met maandag 7 maart 2011.\n"
        "Druk op de knop hieronder, of gebruik /agendapunt."
    )
    assert '"Agendapunt aanleveren", "ai:c:' in (row.buttons or "")

    clock.set(CALL_MOMENT)
    sent = await queue_and_deliver(database, clock)
    clock.set(CALL_MOMENT + timedelta(days=1))
    sent += await queue_and_deliver(database, clock)  # re-runs queue nothing new
    await database.run(queue_reminders, clock)

    calls_sent = [who for who, text in sent if text.startswith("<b>Oproep")]
    assert sorted(calls_sent) == [CONTACT, SECOND]
    assert len(await outbox_rows(database, CALL_KIND)) == 2


async def test_a_pending_call_moves_with_its_meeting_and_a_sent_one_is_not_repeated(
    database: Database, clock: FixedClock
) -> None:
    await _cycle(database, clock)
    clock.set(CALL_MOMENT - timedelta(days=1))
    await database.run(queue_reminders, clock)
    ao = next(
        row.key.split("|")[0].removeprefix(AO_KEY_PREFIX)
        for row in await outbox_rows(database, CALL_KIND)
    )

    # A week later: its petit comité moves with it, to 15 March, and so does the call: held
    # back until the run's window reaches its new day, then pending again with the new text.
    await database.run(move_meeting, clock, ao, When(day=date(2011, 3, 29)))
    await database.run(queue_reminders, clock)
    [row] = await outbox_rows(database, CALL_KIND, CONTACT)
    assert row.status == OutboxStatus.SKIPPED
    clock.set(amsterdam_time(date(2011, 2, 21), 12))
    await database.run(queue_reminders, clock)
    [row] = await outbox_rows(database, CALL_KIND, CONTACT)
    assert (row.status, row.due_at) == (OutboxStatus.PENDING, amsterdam_time(date(2011, 2, 22), 9))
    assert "tot en met maandag 14 maart 2011" in row.text

    clock.set(amsterdam_time(date(2011, 2, 22), 9))
    sent = await queue_and_deliver(database, clock)
    assert [who for who, text in sent if text.startswith("<b>Oproep")].count(CONTACT) == 1
    # Moved back after it went out: no second call for the same meeting.
    await database.run(move_meeting, clock, ao, When(day=date(2011, 4, 5)))
    clock.set(amsterdam_time(date(2011, 3, 1), 9))
    sent = await queue_and_deliver(database, clock)
    assert not [text for _who, text in sent if text.startswith("<b>Oproep")]
    assert len(await outbox_rows(database, CALL_KIND, CONTACT)) == 1
