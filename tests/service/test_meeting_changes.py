"""Coordinators' changes to the calendar, stored in a real database with the example plan.

Each test reads the plan back after the change, so what is checked is what every consumer
(agenda, feed, reminders) will see, not just what the service returned.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from planning.calendar.expand import CalendarEntry
from planning.calendar.model import Plan, When, YearMonth
from planning.clock import FixedClock
from planning.db import Database
from planning.meeting_changes import services as meeting_changes
from planning.meeting_changes.rules import moved_when
from planning.meeting_changes.services import (
    Cancel,
    MeetingChangeError,
    MeetingChangeRefusal,
    Move,
    add_meeting,
    cancel_meeting,
    changeable_meetings,
    fix_day,
    move_meeting,
    preview,
    who_to_tell,
)
from planning.plan.example import example_plan_text
from planning.plan.store import import_plan, load_plan
from tests.support.network import join
from tests.support.plans import plan_of, stored_calendar

AO_MARCH = date(2011, 3, 22)


async def _meeting(database: Database, overleg: str, day: date) -> CalendarEntry:
    [found] = [
        e for e in await stored_calendar(database) if e.overleg == overleg and e.when.day == day
    ]
    return found


async def test_moving_an_ao_keeps_its_uid_raises_its_sequence_and_moves_its_petit_comite(
    planned: Database, clock: FixedClock
) -> None:
    ao = await _meeting(planned, "ao", AO_MARCH)
    new_when = When(day=date(2011, 3, 29), start=time(10))

    change = await planned.run(move_meeting, clock, ao.key, new_when)

    moved = await _meeting(planned, "ao", date(2011, 3, 29))
    assert moved.key == ao.key and moved.sequence == ao.sequence + 1
    assert moved.when == new_when
    pc = await _meeting(planned, "pc", date(2011, 3, 15))
    assert pc.parent_key == ao.key and pc.when.start == time(10)
    assert not [e for e in await stored_calendar(planned) if e.when.day == date(2011, 3, 8)]
    assert change.meeting.before == ao and change.meeting.after == moved
    [derived] = change.derived
    assert derived.before is not None and derived.before.when.day == date(2011, 3, 8)
    assert derived.after == pc
    assert set(change.participants) == {"contactpersonen", "petit-comite"}


async def test_cancelling_an_ao_cancels_its_petit_comite(
    planned: Database, clock: FixedClock
) -> None:
    ao = await _meeting(planned, "ao", AO_MARCH)

    change = await planned.run(cancel_meeting, clock, ao.key)

    cancelled = await _meeting(planned, "ao", AO_MARCH)
    assert cancelled.cancelled and cancelled.sequence == ao.sequence + 1
    assert (await _meeting(planned, "pc", date(2011, 3, 8))).cancelled
    assert [item.after.cancelled for item in change.all] == [True, True]
    with pytest.raises(MeetingChangeError) as refused:
        await planned.run(cancel_meeting, clock, ao.key)
    assert refused.value.reason == MeetingChangeRefusal.CANCELLED


async def test_fixing_the_day_of_the_october_bo(planned: Database, clock: FixedClock) -> None:
    [bo] = [
        e
        for e in await stored_calendar(planned)
        if e.overleg == "bo"
        and e.when.month == YearMonth(2011, 10)
        and e.title == "Bestuurlijk overleg"
    ]

    with pytest.raises(MeetingChangeError) as outside:
        await planned.run(fix_day, clock, bo.key, date(2011, 11, 3))
    assert outside.value.reason == MeetingChangeRefusal.OUTSIDE_MONTH
    change = await planned.run(fix_day, clock, bo.key, date(2011, 10, 10), time(14))

    fixed = await _meeting(planned, "bo", date(2011, 10, 10))
    assert fixed.key == bo.key and fixed.when.start == time(14)
    assert change.meeting.before == bo
    with pytest.raises(MeetingChangeError) as known:
        await planned.run(fix_day, clock, bo.key, date(2011, 10, 11))
    assert known.value.reason == MeetingChangeRefusal.NOT_MONTH


async def test_a_derived_meeting_is_not_moved_on_its_own(
    planned: Database, clock: FixedClock
) -> None:
    pc = await _meeting(planned, "pc", date(2011, 3, 8))

    with pytest.raises(MeetingChangeError) as refused:
        await planned.run(move_meeting, clock, pc.key, When(day=date(2011, 3, 9)))

    assert refused.value.reason == MeetingChangeRefusal.DERIVED
    assert refused.value.detail == "Ambtelijk overleg"


async def test_a_new_day_in_the_past_or_the_same_moment_is_refused(
    planned: Database, clock: FixedClock
) -> None:
    ao = await _meeting(planned, "ao", AO_MARCH)

    for when, reason in (
        (When(day=date(2011, 1, 3)), MeetingChangeRefusal.IN_PAST),
        (When(day=AO_MARCH), MeetingChangeRefusal.UNCHANGED),
    ):
        with pytest.raises(MeetingChangeError) as refused:
            await planned.run(preview, clock, Move(ao.key, when))
        assert refused.value.reason == reason


async def test_a_preview_stores_nothing(planned: Database, clock: FixedClock) -> None:
    ao = await _meeting(planned, "ao", AO_MARCH)

    await planned.run(preview, clock, Cancel(ao.key))

    assert not (await _meeting(planned, "ao", AO_MARCH)).cancelled
    with pytest.raises(MeetingChangeError) as unknown:
        await planned.run(preview, clock, Cancel("no-such-uid"))
    assert unknown.value.reason == MeetingChangeRefusal.UNKNOWN_MEETING


async def test_a_change_made_on_an_outdated_reading_is_refused_as_stale(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two coordinators at once: the second read the plan before the first one's move."""
    ao = await _meeting(planned, "ao", AO_MARCH)
    outdated = await planned.run(load_plan)
    await planned.run(move_meeting, clock, ao.key, When(day=date(2011, 3, 29)))

    async def read_outdated(_db: Database) -> Plan | None:
        return outdated

    monkeypatch.setattr(meeting_changes, "load_plan", read_outdated)
    with pytest.raises(MeetingChangeError) as refused:
        await planned.run(move_meeting, clock, ao.key, When(day=date(2011, 3, 30)))

    assert refused.value.reason == MeetingChangeRefusal.STALE
    monkeypatch.undo()
    assert (await _meeting(planned, "ao", date(2011, 3, 29))).key == ao.key


async def test_adding_a_meeting_adds_its_petit_comite(planned: Database, clock: FixedClock) -> None:
    change = await planned.run(
        add_meeting, clock, "ao", When(day=date(2011, 12, 13), start=time(10)), location="Utrecht"
    )

    added = await _meeting(planned, "ao", date(2011, 12, 13))
    assert added.key == change.key and added.location == "Utrecht"
    pc = await _meeting(planned, "pc", date(2011, 11, 29))
    assert pc.parent_key == added.key
    assert change.meeting.before is None and [d.after for d in change.derived] == [pc]
    with pytest.raises(MeetingChangeError) as refused:
        await planned.run(add_meeting, clock, "pc", When(day=date(2011, 12, 1)))
    assert refused.value.reason == MeetingChangeRefusal.DERIVED_OVERLEG


async def test_moving_and_cancelling_occurrences_of_a_recurring_overleg(
    database: Database, clock: FixedClock
) -> None:
    text = example_plan_text().replace(
        "\nproducten:",
        "\n  - code: sg\n    naam: Stuurgroep\n    doel: Sturen.\n    trekker: coordinatie\n"
        "    deelnemers: [bestuurders]\n"
        "    herhaling: {regel: 'FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701', begin: 2011-01-10,"
        " tijd: '10:00', eind: '12:00'}\n\nproducten:",
    )
    await database.run(import_plan, clock, plan_of(text))

    original = await _meeting(database, "sg", date(2011, 1, 31))
    new_when = moved_when(original.when, date(2011, 2, 1), time(14))
    await database.run(move_meeting, clock, original.key, new_when)
    moved = await _meeting(database, "sg", date(2011, 2, 1))
    assert moved.key == "sg@2011-01-31" and moved.sequence == 1
    assert moved.when.end == time(16)  # a new start keeps the two hours
    await database.run(
        move_meeting, clock, "sg@2011-01-31", When(day=date(2011, 2, 2), start=time(14))
    )
    assert (await _meeting(database, "sg", date(2011, 2, 2))).sequence == 2
    await database.run(cancel_meeting, clock, "sg@2011-02-21")
    assert (await _meeting(database, "sg", date(2011, 2, 21))).cancelled
    with pytest.raises(MeetingChangeError) as refused:
        await database.run(cancel_meeting, clock, "sg@2011-02-22")  # not a day the rule meets
    assert refused.value.reason == MeetingChangeRefusal.UNKNOWN_MEETING


async def test_who_to_tell_each_member_of_what_concerns_them(
    planned: Database, clock: FixedClock
) -> None:
    for user_id, group in ((11, "contactpersonen"), (12, "petit-comite"), (13, "rijk")):
        await join(planned, clock, user_id, "gouda", group, name=f"P{user_id}")
    ao = await _meeting(planned, "ao", AO_MARCH)
    change = await planned.run(move_meeting, clock, ao.key, When(day=date(2011, 3, 29)))

    notices = await planned.run(who_to_tell, change)

    assert sorted(n.member.telegram_user_id for n in notices) == [11, 12]  # one notice each
    [to_contact] = [n for n in notices if n.member.telegram_user_id == 11]
    [to_petit] = [n for n in notices if n.member.telegram_user_id == 12]
    assert [item.after.overleg for item in to_contact.concerns] == ["ao"]
    assert [item.after.overleg for item in to_petit.concerns] == ["pc"]
    assert [
        n.member.telegram_user_id for n in await planned.run(who_to_tell, change, actor=11)
    ] == [12]


async def test_the_list_of_meetings_to_change_leaves_out_derived_and_cancelled(
    planned: Database, clock: FixedClock
) -> None:
    listed = await planned.run(changeable_meetings, clock)

    assert listed[0].overleg == "kwg" and listed[0].when.day == date(2011, 1, 6)
    assert not [e for e in listed if e.overleg == "pc" or e.kind != "meeting"]
    ao = await _meeting(planned, "ao", AO_MARCH)
    await planned.run(cancel_meeting, clock, ao.key)
    assert ao.key not in {e.key for e in await planned.run(changeable_meetings, clock)}
