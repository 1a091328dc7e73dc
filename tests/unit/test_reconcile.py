"""Re-importing an edited plan: moved meetings keep their identity, the rest is added or lapses."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, time

from planning.calendar.model import Meeting, Milestone, Overleg, Plan, Product, When, YearMonth
from planning.calendar.reconcile import PlanChangeKind, reconcile
from tests.support.plans import AMSTERDAM

AO = Overleg("ao", "Ambtelijk overleg", "", "coordinatie", ("contactpersonen",))


def _uids() -> itertools.count[int]:
    return itertools.count(1)


def _plan(*days: date, milestones: tuple[Milestone, ...] = ()) -> Plan:
    meetings = tuple(Meeting(f"file-{n}", "ao", When(day=day)) for n, day in enumerate(days))
    products = (Product("Monitor", "bzk", ("alle",), milestones),) if milestones else ()
    return Plan("Jaarplan", AMSTERDAM, overleggen=(AO,), meetings=meetings, products=products)


def _import(stored: Plan | None, new: Plan) -> tuple[Plan, list[tuple[PlanChangeKind, object]]]:
    counter = _uids()
    result = reconcile(stored, new, lambda: f"uid-{next(counter)}")
    return result.plan, [(c.kind, c.new or c.old) for c in result.changes]


def test_a_first_import_gives_every_meeting_an_identity() -> None:
    plan, changes = _import(None, _plan(date(2011, 1, 18), date(2011, 3, 22)))

    assert [m.uid for m in plan.meetings] == ["uid-1", "uid-2"]
    assert changes.count((PlanChangeKind.MEETING_ADDED, When(day=date(2011, 3, 22)))) == 1


def test_the_same_plan_again_changes_nothing() -> None:
    stored, _ = _import(None, _plan(date(2011, 1, 18), date(2011, 3, 22)))

    again, changes = _import(stored, _plan(date(2011, 1, 18), date(2011, 3, 22)))

    assert changes == []
    assert again.meetings == stored.meetings


def test_a_moved_meeting_keeps_its_uid_and_raises_its_sequence() -> None:
    stored, _ = _import(None, _plan(date(2011, 1, 18), date(2011, 3, 22)))

    moved, changes = _import(stored, _plan(date(2011, 1, 18), date(2011, 3, 29)))

    assert changes == [(PlanChangeKind.MEETING_MOVED, When(day=date(2011, 3, 29)))]
    [march] = [m for m in moved.meetings if m.when.day == date(2011, 3, 29)]
    assert (march.uid, march.sequence) == ("uid-2", 1)


def test_a_removed_meeting_is_cancelled_not_forgotten_and_can_return() -> None:
    stored, _ = _import(None, _plan(date(2011, 1, 18), date(2011, 3, 22)))

    fewer, changes = _import(stored, _plan(date(2011, 1, 18)))
    assert changes == [(PlanChangeKind.MEETING_CANCELLED, When(day=date(2011, 3, 22)))]
    [cancelled] = [m for m in fewer.meetings if m.cancelled]
    assert (cancelled.uid, cancelled.sequence) == ("uid-2", 1)

    back, changes = _import(fewer, _plan(date(2011, 1, 18), date(2011, 3, 22)))
    assert changes == [(PlanChangeKind.MEETING_RESTORED, When(day=date(2011, 3, 22)))]
    assert [(m.uid, m.cancelled) for m in back.meetings if m.when.day == date(2011, 3, 22)] == [
        ("uid-2", False)
    ]


def test_an_added_meeting_among_existing_ones_is_an_addition_not_a_chain_of_moves() -> None:
    stored, _ = _import(None, _plan(date(2011, 1, 18), date(2011, 3, 22)))

    _more, changes = _import(stored, _plan(date(2011, 1, 18), date(2011, 2, 15), date(2011, 3, 22)))

    assert changes == [(PlanChangeKind.MEETING_ADDED, When(day=date(2011, 2, 15)))]


def test_a_changed_time_on_the_same_day_is_a_change() -> None:
    stored, _ = _import(None, _plan(date(2011, 1, 18)))
    later = replace(
        _plan(date(2011, 1, 18)),
        meetings=(Meeting("x", "ao", When(day=date(2011, 1, 18), start=time(14, 0))),),
    )

    _plan_after, changes = _import(stored, later)

    assert [kind for kind, _ in changes] == [PlanChangeKind.MEETING_MOVED]


def test_milestones_keep_identity_and_done_when_their_month_moves() -> None:
    start = Milestone("m", "Start", When(month=YearMonth(2011, 5)))
    stored, _ = _import(None, _plan(milestones=(start,)))
    stored = replace(
        stored,
        products=(
            replace(
                stored.products[0],
                milestones=(replace(stored.products[0].milestones[0], done=True),),
            ),
        ),
    )

    later = Milestone("m", "Start", When(month=YearMonth(2011, 6)))
    plan, changes = _import(stored, _plan(milestones=(later,)))

    [milestone] = plan.products[0].milestones
    assert (milestone.uid, milestone.done) == (stored.products[0].milestones[0].uid, True)
    assert changes == [(PlanChangeKind.MILESTONE_MOVED, When(month=YearMonth(2011, 6)))]
