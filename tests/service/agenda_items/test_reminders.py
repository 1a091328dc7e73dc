"""The reminders of meetings that take agenda items carry the agenda so far, the items waiting
for review, and until when items are welcome."""

from __future__ import annotations

from datetime import UTC, date, datetime

from berichten.reminders.queue import queue_reminders
from planning.agenda_items.services import review
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_items import CONTACT, COORDINATOR, KWG, PETIT, submitted
from tests.support.outbox import outbox_rows, queue_and_deliver
from tests.support.plans import amsterdam_time


async def test_the_petit_comite_reminder_lists_what_was_submitted_after_it_was_queued(
    planned: Database, clock: FixedClock
) -> None:
    # The petit comité of 8 March is reminded on 1 March at 09:00; it is queued two days ahead.
    clock.set(datetime(2011, 2, 27, 12, tzinfo=UTC))
    await planned.run(queue_reminders, clock)
    [queued] = [r for r in await outbox_rows(planned, "meeting") if r.recipient == PETIT]
    assert (
        "Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: geen punten"
        in queued.text
    )

    await submitted(planned, clock, "Na het inplannen")
    accepted = await submitted(planned, clock, "Al op de agenda")
    await planned.run(review, clock, COORDINATOR, accepted.id, accept=True)
    clock.set(amsterdam_time(date(2011, 3, 1), 9))
    sent = await queue_and_deliver(planned, clock)

    [(_, text)] = [(who, text) for who, text in sent if who == PETIT]
    assert text.startswith("<b>Herinnering: Petit comité</b>")
    assert text.endswith(
        "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 1 punt</b>\n"
        "• Na het inplannen (Gemeente Gouda)"
    )


async def test_the_ao_reminder_carries_the_agenda_so_far(
    planned: Database, clock: FixedClock
) -> None:
    first = await submitted(planned, clock, "Cijfers 2010")
    second = await submitted(planned, clock, "Jaarplan 2012")
    await submitted(planned, clock, "Nog niet beoordeeld")
    await planned.run(review, clock, COORDINATOR, second.id, accept=True)
    await planned.run(review, clock, COORDINATOR, first.id, accept=True)

    # 14 days before, on 8 March: the petit comité has closed the agenda that morning.
    clock.set(amsterdam_time(date(2011, 3, 6), 12))
    await planned.run(queue_reminders, clock)
    clock.set(amsterdam_time(date(2011, 3, 8), 9))
    sent = await queue_and_deliver(planned, clock)

    [text] = [t for who, t in sent if who == CONTACT and "Herinnering: Ambtelijk" in t]
    assert text.endswith("<b>Agenda tot nu toe:</b>\n1. Jaarplan 2012\n2. Cijfers 2010"), text
    assert "/agendapunt" not in text


async def test_a_reminder_while_the_agenda_is_open_says_until_when_items_are_welcome(
    planned: Database, clock: FixedClock
) -> None:
    # The kenniswerkgroep of 3 February is reminded on 27 January; no petit comité closes it.
    clock.set(amsterdam_time(date(2011, 1, 26), 12))
    await queue_and_deliver(planned, clock)
    clock.set(amsterdam_time(date(2011, 1, 27), 9))
    sent = await queue_and_deliver(planned, clock)

    [(_, text)] = [(who, text) for who, text in sent if who == KWG]
    assert text.endswith(
        "Er staan nog geen punten op de agenda.\n"
        "Punten aanleveren kan tot en met woensdag 2 februari 2011 met /agendapunt."
    ), text
