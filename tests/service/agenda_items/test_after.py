"""After the meeting: a coordinator marks the items dealt with, "Klaar" holds the rest over to
the overleg's next meeting, and what is left unmarked rolls over by itself a day later."""

from __future__ import annotations

from datetime import date

import pytest

from berichten.agenda_after import (
    HELD_OVER_KIND,
    ROLLOVER_KIND,
    finish_and_notify,
    roll_over_due,
)
from planning.agenda_items.after import (
    after_meeting,
    closable_meetings,
    next_rollover,
    toggle_dealt_with,
)
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal, meetings_around
from planning.agenda_items.services import agenda_of, my_items, review, submit
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import LISTING_AHEAD
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.store import load_plan
from tests.support.agenda_items import CONTACT, COORDINATOR, SECOND_COORDINATOR
from tests.support.outbox import outbox_rows
from tests.support.plans import amsterdam_time

MARCH, JUNE, NOVEMBER = date(2011, 3, 22), date(2011, 6, 21), date(2011, 11, 22)
DAY_AFTER_MARCH = amsterdam_time(date(2011, 3, 23), 10)
ROLLOVER_MARCH = amsterdam_time(date(2011, 3, 24), 9)  # the AO is known to the day only


async def ao(database: Database, clock: FixedClock, day: date) -> CalendarEntry:
    """The AO on ``day``."""
    plan = await database.run(load_plan)
    assert plan is not None
    around = meetings_around(plan, clock.now(), LISTING_AHEAD)
    [entry] = [e for e in around if e.overleg == "ao" and e.when.day == day]
    return entry


async def accepted(
    database: Database, clock: FixedClock, day: date, title: str, member: int = CONTACT
) -> AgendaItemView:
    """An item ``member`` submitted for the AO on ``day``, accepted."""
    meeting = await ao(database, clock, day)
    item = await database.run(submit, clock, member, meeting.key, title, None)
    return (await database.run(review, clock, COORDINATOR, item.id, accept=True)).item


async def test_a_coordinator_marks_an_item_dealt_with_and_back(
    planned: Database, clock: FixedClock
) -> None:
    first = await accepted(planned, clock, MARCH, "Cijfers 2010")
    second = await accepted(planned, clock, MARCH, "Jaarplan 2011")
    with pytest.raises(AgendaItemError) as early:  # the AO is still to come
        await planned.run(toggle_dealt_with, clock, COORDINATOR, first.id)
    clock.set(DAY_AFTER_MARCH)

    [listed] = await planned.run(closable_meetings, clock, COORDINATOR)
    marked = await planned.run(toggle_dealt_with, clock, COORDINATOR, first.id)
    again = await planned.run(toggle_dealt_with, clock, SECOND_COORDINATOR, second.id)
    back = await planned.run(toggle_dealt_with, clock, SECOND_COORDINATOR, second.id)

    assert early.value.reason == AgendaItemRefusal.NOT_AFTER
    assert listed.meeting.when.day == MARCH and listed.next is not None
    assert listed.next.when.day == JUNE
    assert [(i.title, i.status) for i in marked.items] == [
        ("Cijfers 2010", AgendaItemStatus.DEALT_WITH),
        ("Jaarplan 2011", AgendaItemStatus.ACCEPTED),
    ]
    assert [i.status for i in again.items] == [AgendaItemStatus.DEALT_WITH] * 2
    assert [i.status for i in back.items] == [
        AgendaItemStatus.DEALT_WITH,
        AgendaItemStatus.ACCEPTED,
    ]
    with pytest.raises(AgendaItemError) as member:
        await planned.run(toggle_dealt_with, clock, CONTACT, first.id)
    assert member.value.reason == AgendaItemRefusal.NOT_COORDINATOR


async def test_klaar_holds_the_rest_over_to_21_june_at_the_end_and_tells_the_submitter_once(
    planned: Database, clock: FixedClock
) -> None:
    dealt = await accepted(planned, clock, MARCH, "Cijfers 2010")
    left = await accepted(planned, clock, MARCH, "Jaarplan 2011", member=SECOND_COORDINATOR)
    await accepted(planned, clock, JUNE, "Monitor")  # punt 1 in June already
    clock.set(DAY_AFTER_MARCH)
    await planned.run(toggle_dealt_with, clock, COORDINATOR, dealt.id)

    rollover = await planned.run(finish_and_notify, clock, COORDINATOR, dealt.id)
    second = await planned.run(finish_and_notify, clock, COORDINATOR, left.id)

    june = await ao(planned, clock, JUNE)
    march = await ao(planned, clock, MARCH)
    assert rollover.next is not None and rollover.next.key == june.key
    assert (rollover.dealt_with, [i.id for i in rollover.items]) == (1, [left.id])
    assert (second.dealt_with, second.items) == (1, ())  # its old meeting, nothing left
    agenda = await planned.run(agenda_of, [june.key, march.key])
    assert [(i.title, i.position, i.held_over, i.carried_from) for i in agenda[june.key]] == [
        ("Monitor", 1, False, None),
        ("Jaarplan 2011", 2, True, march.key),
    ]
    assert march.key not in agenda  # dealt with is not accepted any more
    [notice] = await outbox_rows(planned, HELD_OVER_KIND)
    assert (notice.recipient, notice.key) == (
        SECOND_COORDINATOR,
        f"agenda_held_over:{left.id}:{march.key}|{SECOND_COORDINATOR}",
    )
    assert notice.text == (
        "Uw agendapunt <b>Jaarplan 2011</b> voor Ambtelijk overleg van dinsdag 22 maart 2011 "
        "is daar niet afgehandeld. Het is aangehouden tot de vergadering van dinsdag 21 juni "
        "2011 en staat op die agenda als punt 2."
    )
    [mine] = await planned.run(my_items, clock, SECOND_COORDINATOR)
    assert (mine.meeting_key, mine.held_over) == (june.key, True)
    assert await planned.run(closable_meetings, clock, COORDINATOR) == []


async def test_after_the_last_ao_of_the_year_the_items_stay_and_the_coordinator_is_told(
    planned: Database, clock: FixedClock
) -> None:
    item = await accepted(planned, clock, NOVEMBER, "Evaluatie 2011")
    clock.set(amsterdam_time(date(2011, 11, 23), 10))

    [after] = await planned.run(closable_meetings, clock, COORDINATOR)
    rollover = await planned.run(finish_and_notify, clock, COORDINATOR, item.id)

    assert after.next is None and rollover.next is None
    assert [i.title for i in rollover.items] == ["Evaluatie 2011"]
    november = await ao(planned, clock, NOVEMBER)
    assert [i.id for i in (await planned.run(agenda_of, [november.key]))[november.key]] == [item.id]
    assert await outbox_rows(planned, HELD_OVER_KIND) == []
    # A day later the job finds them still there: the coordinators are told once, whatever
    # how often it runs.
    clock.set(amsterdam_time(date(2011, 11, 24), 9))
    await planned.run(roll_over_due, clock)
    await planned.run(roll_over_due, clock)
    reports = await outbox_rows(planned, ROLLOVER_KIND)
    assert sorted(r.recipient for r in reports) == [COORDINATOR, SECOND_COORDINATOR]
    assert "geen volgende vergadering" in reports[0].text
    assert "• Evaluatie 2011 (Gemeente Gouda), punt 1" in reports[0].text


async def test_unmarked_items_roll_over_by_themselves_a_day_after_the_ao_once(
    planned: Database, clock: FixedClock
) -> None:
    dealt = await accepted(planned, clock, MARCH, "Cijfers 2010")
    left = await accepted(planned, clock, MARCH, "Jaarplan 2011", member=SECOND_COORDINATOR)
    clock.set(DAY_AFTER_MARCH)
    await planned.run(toggle_dealt_with, clock, COORDINATOR, dealt.id)

    early = await planned.run(roll_over_due, clock)
    moment = await planned.run(next_rollover, clock)
    clock.set(ROLLOVER_MARCH)
    rolled = await planned.run(roll_over_due, clock)
    again = await planned.run(roll_over_due, clock)  # the next wake, or one after a restart

    assert early == [] and moment == ROLLOVER_MARCH
    assert [[i.id for i in r.items] for r in rolled] == [[left.id]] and again == []
    [notice] = await outbox_rows(planned, HELD_OVER_KIND)
    assert notice.recipient == SECOND_COORDINATOR and "dinsdag 21 juni 2011" in notice.text
    reports = await outbox_rows(planned, ROLLOVER_KIND)
    assert sorted(r.recipient for r in reports) == [COORDINATOR, SECOND_COORDINATOR]
    assert reports[0].text == (
        "<b>Aangehouden na Ambtelijk overleg van dinsdag 22 maart 2011</b>\n"
        "Deze punten waren een dag na het overleg niet als afgehandeld aangegeven (met "
        "/afgehandeld) en staan nu op de agenda van Ambtelijk overleg van dinsdag 21 juni "
        "2011:\n"
        "• Jaarplan 2011 (Coördinatie Samenwerkingsverband, gemeente Utrecht), daar punt 1"
    )
    # The marked one stays where it was dealt with, and the list is empty now.
    march = await planned.run(after_meeting, clock, COORDINATOR, dealt.id)
    assert [(i.id, i.status) for i in march.items] == [(dealt.id, AgendaItemStatus.DEALT_WITH)]
    # The next one due: June's, two days after that AO at 09:00.
    assert await planned.run(next_rollover, clock) == amsterdam_time(date(2011, 6, 23), 9)
