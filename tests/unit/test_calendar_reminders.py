"""The reminder schedule: when, to whom, across DST, month precision, ranges and keys."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest

from planning.calendar.model import (
    PRODUCTS,
    Meeting,
    Milestone,
    Overleg,
    Plan,
    Product,
    ReminderRule,
    When,
    YearMonth,
)
from planning.calendar.reminders import Reminder, first_working_day, schedule
from tests.support.plans import AMSTERDAM, NINE, jaarplan_2011

FOREVER = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))


def _plan(*meetings: Meeting, rules: tuple[ReminderRule, ...] = ()) -> Plan:
    return Plan(
        name="proef",
        zone=AMSTERDAM,
        overleggen=(Overleg("ao", "Ambtelijk overleg", "doel", "coordinatie", ("contact",)),),
        meetings=meetings,
        products=(
            Product(
                "Monitor",
                "bzk",
                ("alle", "rijk"),
                (
                    Milestone("m-mei", "Start", When(month=YearMonth(2011, 5))),
                    Milestone("m-klaar", "Klaar", When(day=date(2011, 2, 1)), done=True),
                ),
            ),
        ),
        reminders=rules or (ReminderRule("ao", (1,), NINE, "deelnemers"),),
    )


def _on(day: date, uid: str = "ao-1") -> Meeting:
    return Meeting(uid, "ao", When(day=day))


def _ats(reminders: list[Reminder]) -> list[datetime]:
    return [r.at for r in reminders]


def test_a_reminder_across_the_spring_change_is_at_nine_summer_time() -> None:
    # The clocks go forward in the night of Sunday 27 March 2011.
    plan = _plan(_on(date(2011, 3, 28)), rules=(ReminderRule("ao", (2, 1), NINE, "deelnemers"),))
    assert _ats(schedule(plan, *FOREVER)) == [
        datetime(2011, 3, 26, 8, 0, tzinfo=UTC),
        datetime(2011, 3, 27, 7, 0, tzinfo=UTC),
    ]


def test_a_reminder_across_the_autumn_change_is_at_nine_winter_time() -> None:
    # The clocks go back in the night of Sunday 30 October 2011.
    plan = _plan(_on(date(2011, 10, 31)), rules=(ReminderRule("ao", (2, 1), NINE, "deelnemers"),))
    assert _ats(schedule(plan, *FOREVER)) == [
        datetime(2011, 10, 29, 7, 0, tzinfo=UTC),
        datetime(2011, 10, 30, 8, 0, tzinfo=UTC),
    ]


def test_a_local_time_the_spring_change_skips_is_read_with_winter_time() -> None:
    plan = _plan(_on(date(2011, 3, 28)), rules=(ReminderRule("ao", (1,), time(2, 30), "ao"),))
    # 02:30 does not exist on 27 March; 01:30Z is 03:30 summer time.
    assert _ats(schedule(plan, *FOREVER)) == [datetime(2011, 3, 27, 1, 30, tzinfo=UTC)]


def test_the_range_includes_its_first_moment_and_excludes_its_last() -> None:
    plan = _plan(_on(date(2011, 3, 10)))
    at = datetime(2011, 3, 9, 8, 0, tzinfo=UTC)
    assert _ats(schedule(plan, at, at.replace(minute=1))) == [at]
    assert schedule(plan, at.replace(hour=7), at) == []
    # Any zone will do for the clock: 09:00 Amsterdam is the same moment.
    assert _ats(schedule(plan, at.astimezone(AMSTERDAM), at.replace(hour=9))) == [at]


def test_a_clock_range_without_a_zone_is_refused() -> None:
    naive = datetime.fromisoformat("2011-03-09T08:00:00")
    with pytest.raises(ValueError, match="aware"):
        schedule(_plan(), naive, naive)


def test_a_meeting_far_after_the_range_is_reminded_within_it() -> None:
    plan = _plan(_on(date(2011, 12, 1)), rules=(ReminderRule("ao", (60,), NINE, "deelnemers"),))
    first = datetime(2011, 10, 2, tzinfo=UTC)
    [reminder] = schedule(plan, first, first.replace(day=3))
    assert (reminder.event_date, reminder.days_before) == (date(2011, 12, 1), 60)


def test_cancelled_meetings_and_done_milestones_are_not_reminded() -> None:
    rules = (
        ReminderRule("ao", (1,), NINE, "deelnemers"),
        ReminderRule(PRODUCTS, (1,), NINE, "verantwoordelijk"),
    )
    cancelled = replace(_on(date(2011, 3, 10)), cancelled=True)
    keys = [r.entry_key for r in schedule(_plan(cancelled, rules=rules), *FOREVER)]
    assert keys == ["m-mei"]


@pytest.mark.parametrize(
    ("audience", "groups", "organisation"),
    [
        ("deelnemers", ("contact",), None),
        ("verantwoordelijk", (), "coordinatie"),
        ("betrokken", ("contact",), None),
        ("kenniswerkgroep", ("kenniswerkgroep",), None),
    ],
)
def test_meeting_audiences(
    audience: str, groups: tuple[str, ...], organisation: str | None
) -> None:
    plan = _plan(_on(date(2011, 3, 10)), rules=(ReminderRule("ao", (1,), NINE, audience),))
    [reminder] = schedule(plan, *FOREVER)
    assert (reminder.audience_groups, reminder.audience_organisation) == (groups, organisation)


@pytest.mark.parametrize(
    ("audience", "groups", "organisation"),
    [
        ("deelnemers", ("alle", "rijk"), None),
        ("verantwoordelijk", (), "bzk"),
        ("betrokken", ("alle", "rijk"), None),
        ("rijk", ("rijk",), None),
    ],
)
def test_milestone_audiences(
    audience: str, groups: tuple[str, ...], organisation: str | None
) -> None:
    plan = _plan(rules=(ReminderRule(PRODUCTS, (3,), NINE, audience),))
    [reminder] = schedule(plan, *FOREVER)
    assert (reminder.kind, reminder.event_date, reminder.at) == (
        "milestone",
        date(2011, 5, 31),
        datetime(2011, 5, 28, 7, 0, tzinfo=UTC),
    )
    assert (reminder.audience_groups, reminder.audience_organisation) == (groups, organisation)


def test_a_month_meeting_asks_once_on_the_first_working_day_of_the_month_before() -> None:
    # 1 May 2011 is a Sunday: the trekker is asked on Monday 2 May, for June.
    rules = (
        ReminderRule("ao", (14, 2), NINE, "deelnemers"),
        ReminderRule("ao", (7,), time(15), "kenniswerkgroep"),
    )
    plan = _plan(Meeting("ao-juni", "ao", When(month=YearMonth(2011, 6))), rules=rules)
    [fix] = schedule(plan, *FOREVER)
    assert (fix.kind, fix.at, fix.event_date, fix.days_before) == (
        "fix_date",
        datetime(2011, 5, 2, 7, 0, tzinfo=UTC),
        date(2011, 6, 1),
        30,
    )
    assert (fix.audience_organisation, fix.audience_groups, fix.overleg) == (
        "coordinatie",
        (),
        "ao",
    )


def test_once_its_day_is_fixed_a_month_meeting_is_reminded_as_usual() -> None:
    plan = _plan(Meeting("ao-juni", "ao", When(day=date(2011, 6, 14))))
    [reminder] = schedule(plan, *FOREVER)
    assert (reminder.kind, reminder.entry_key, reminder.event_date) == (
        "meeting",
        "ao-juni",
        date(2011, 6, 14),
    )


def test_first_working_day_skips_the_weekend() -> None:
    assert first_working_day(YearMonth(2011, 10)) == date(2011, 10, 3)  # 1 October: Saturday
    assert first_working_day(YearMonth(2011, 9)) == date(2011, 9, 1)


def test_a_reminder_on_a_weekend_stays_there() -> None:
    plan = _plan(_on(date(2011, 3, 14)), rules=(ReminderRule("ao", (2,), NINE, "deelnemers"),))
    [reminder] = schedule(plan, *FOREVER)
    assert reminder.at.astimezone(AMSTERDAM).date() == date(2011, 3, 12)  # a Saturday


def test_a_moved_meeting_gets_new_keys_and_the_same_key_never_comes_twice() -> None:
    before = schedule(_plan(_on(date(2011, 3, 10))), *FOREVER)
    after = schedule(_plan(replace(_on(date(2011, 3, 17)), sequence=1)), *FOREVER)
    assert before[0].entry_key == after[0].entry_key
    assert before[0].key != after[0].key
    twice = (
        ReminderRule("ao", (1, 1), NINE, "deelnemers"),
        ReminderRule("ao", (1,), time(10), "deelnemers"),
    )
    [once] = schedule(_plan(_on(date(2011, 3, 10)), rules=twice), *FOREVER)
    assert once.at == datetime(2011, 3, 9, 8, 0, tzinfo=UTC)  # the first rule wins


def test_which_rule_wins_does_not_depend_on_the_range() -> None:
    twice = (
        ReminderRule("ao", (1,), time(10), "deelnemers"),
        ReminderRule("ao", (1,), NINE, "deelnemers"),
    )
    plan = _plan(_on(date(2011, 3, 10)), rules=twice)
    nine = datetime(2011, 3, 9, 8, 0, tzinfo=UTC)
    assert schedule(plan, nine, nine.replace(minute=30)) == []


def test_the_jaarplans_schedule_is_a_pure_function_of_its_range() -> None:
    plan = jaarplan_2011()
    whole = schedule(plan, datetime(2011, 1, 1, tzinfo=UTC), datetime(2012, 1, 1, tzinfo=UTC))
    halves = schedule(
        plan, datetime(2011, 1, 1, tzinfo=UTC), datetime(2011, 7, 1, tzinfo=UTC)
    ) + schedule(plan, datetime(2011, 7, 1, tzinfo=UTC), datetime(2012, 1, 1, tzinfo=UTC))
    assert halves == whole


def test_schedule_json_has_the_agreed_shape() -> None:
    plan = jaarplan_2011()
    reminders = schedule(plan, datetime(2011, 3, 8, tzinfo=UTC), datetime(2011, 3, 9, tzinfo=UTC))
    shapes = [r.as_json() for r in reminders]
    assert json.loads(json.dumps(shapes)) == shapes
    ao = next(s for s in shapes if s["overleg"] == "ao")
    assert {k: ao[k] for k in ("at", "kind", "overleg", "event_date", "days_before")} == {
        "at": "2011-03-08T08:00:00+00:00",
        "kind": "meeting",
        "overleg": "ao",
        "event_date": "2011-03-22",
        "days_before": 14,
    }
    assert ao["key"] == "ao-2011-03-22|meeting|2011-03-22|14|deelnemers"
    assert ao["audience_groups"] == ["contactpersonen"]
