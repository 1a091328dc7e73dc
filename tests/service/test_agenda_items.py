"""Agenda items on a real database: submitting, reviewing, withdrawing, publishing, notices,
and the reminders that carry the agenda so far and the items waiting for review.

The example plan: the AO of 22 March 2011 has its petit comité on 8 March (both known to the
day only), so its agenda closes on 8 March at 00:00; the kenniswerkgroep (kwg) and the BO
accept items too, the theme sessions (ts) do not. The clock starts on 4 January 2011, 09:00,
when January's AO has just closed (its petit comité is that day).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from berichten.agenda_items import (
    AGENDA_KIND,
    ITEM_KIND,
    REVIEW_KIND,
    publish_agenda,
    review_and_notify,
    submit_and_notify,
)
from berichten.outbox.delivery import (
    deliver_due,
)
from berichten.outbox.pacing import (
    Pacer,
)
from berichten.outbox.store import Buttons
from berichten.outbox.tables import OutboxMessageRow, Priority
from berichten.reminders.queue import queue_reminders
from berichten.texts import agenda_items as agenda_item_texts
from berichten.texts.agenda_items import review_result
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning.agenda_items.publication import agenda_draft, publishable_meetings
from planning.agenda_items.rules import (
    AgendaItemError,
    AgendaItemRefusal,
    OpenMeeting,
)
from planning.agenda_items.services import (
    agenda_of,
    my_items,
    open_meetings,
    review,
    submit,
    waiting_items,
    withdraw_item,
)
from planning.agenda_items.tables import AgendaItemRow, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import entries
from planning.calendar.model import When
from planning.clock import FixedClock
from planning.db import Database
from planning.meeting_changes.services import cancel_meeting, move_meeting
from planning.membership.services import create_invites, leave, redeem_invite
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.plan.store import load_plan

CONTACT, PETIT, KWG, BZK, COORDINATOR, SECOND_COORDINATOR, STRANGER = (
    101,
    102,
    103,
    104,
    900,
    901,
    555,
)
AMSTERDAM_OFFSET = timedelta(hours=1)  # CET, before the end of March


def _local(day: date, hour: int = 0) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC) - AMSTERDAM_OFFSET


async def _join(
    db: Database,
    clock: FixedClock,
    user_id: int,
    name: str,
    organisation: str,
    *groups: str,
    role: Role = Role.LID,
) -> None:
    [invite] = await db.run(
        create_invites, clock, role=role, organisation_code=organisation, group_codes=groups
    )
    await db.run(
        redeem_invite, clock, code=invite.code, telegram_user_id=user_id, name=name, username=None
    )


@pytest.fixture
async def planned(database: Database, clock: FixedClock) -> Database:
    await database.run(import_example_plan, clock)
    await _join(database, clock, CONTACT, "Fatima", "gouda", "contactpersonen")
    await _join(database, clock, PETIT, "Pieter", "utrecht", "petit-comite", "bestuurders")
    await _join(database, clock, KWG, "Karin", "ede", "kenniswerkgroep")
    await _join(database, clock, BZK, "Bram", "bzk", "rijk")
    await _join(database, clock, COORDINATOR, "Cora", "coordinatie", role=Role.COORDINATOR)
    await _join(database, clock, SECOND_COORDINATOR, "Daan", "coordinatie", role=Role.COORDINATOR)
    return database


async def _march_ao(db: Database, clock: FixedClock) -> OpenMeeting:
    [meeting] = await db.run(open_meetings, clock, CONTACT)
    assert (meeting.entry.title, meeting.entry.when.day) == ("Ambtelijk overleg", date(2011, 3, 22))
    return meeting


async def _submitted(
    db: Database, clock: FixedClock, title: str = "Cijfers 2010"
) -> AgendaItemView:
    meeting = await _march_ao(db, clock)
    return await db.run(submit, clock, CONTACT, meeting.entry.key, title, None)


async def _outbox(db: Database, kind: str | None = None) -> list[OutboxMessageRow]:
    async with db.transaction() as session:
        query = select(OutboxMessageRow).order_by(OutboxMessageRow.id)
        if kind is not None:
            query = query.where(OutboxMessageRow.kind == kind)
        return list(await session.scalars(query))


async def _stored(db: Database) -> list[AgendaItemRow]:
    async with db.transaction() as session:
        return list(await session.scalars(select(AgendaItemRow).order_by(AgendaItemRow.id)))


# ---------------------------------------------------------------- which meetings are offered


async def test_a_contact_person_is_offered_the_next_ao_whose_agenda_is_open(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await _march_ao(planned, clock)

    # January's AO closed this morning with its petit comité; March's closes with its own.
    assert meeting.closer is not None and meeting.closer.title == "Petit comité"
    assert meeting.closes_at == _local(date(2011, 3, 8))


async def test_a_coordinator_is_offered_each_overleg_that_accepts_items_in_agenda_order(
    planned: Database, clock: FixedClock
) -> None:
    offered = await planned.run(open_meetings, clock, COORDINATOR)

    assert [(m.entry.overleg, m.entry.when.day) for m in offered] == [
        ("kwg", date(2011, 1, 6)),
        ("ao", date(2011, 3, 22)),
        ("bo", date(2011, 5, 16)),
    ]


async def test_the_rijk_is_offered_its_month_only_bo_until_that_month_begins(
    planned: Database, clock: FixedClock
) -> None:
    [meeting] = await planned.run(open_meetings, clock, BZK)

    assert (meeting.entry.title, str(meeting.entry.when.in_month), meeting.entry.when.day) == (
        "Bestuurlijk overleg met het Rijk",
        "2011-10",
        None,
    )
    assert meeting.closes_at == datetime(2011, 9, 30, 22, tzinfo=UTC)  # 1 October, 00:00 CEST
    assert await planned.run(open_meetings, clock, STRANGER) == []


# ---------------------------------------------------------------- submitting


async def test_a_submitted_item_waits_for_review_with_who_submitted_it(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await _march_ao(planned, clock)

    item = await planned.run(
        submit, clock, CONTACT, meeting.entry.key, "  Cijfers   2010 ", " Graag bespreken. "
    )

    assert (item.title, item.explanation, item.status) == (
        "Cijfers 2010",
        "Graag bespreken.",
        AgendaItemStatus.WAITING,
    )
    assert (item.submitter_name, item.submitter_organisation) == ("Fatima", "Gemeente Gouda")
    assert (item.meeting_title, item.overleg_code) == ("Ambtelijk overleg", "ao")
    assert item.submitted_at == clock.now()
    assert [i.id for i in await planned.run(my_items, clock, CONTACT)] == [item.id]
    assert [i.id for i in await planned.run(waiting_items, clock)] == [item.id]


async def test_refusals_store_nothing(planned: Database, clock: FixedClock) -> None:
    meeting = await _march_ao(planned, clock)
    [january] = [
        m
        for m in await planned.run(
            open_meetings, FixedClock(datetime(2011, 1, 2, tzinfo=UTC)), CONTACT
        )
    ]
    [theme] = [
        m for m in await planned.run(open_meetings, clock, COORDINATOR) if m.entry.overleg == "kwg"
    ]
    cases = [
        (STRANGER, meeting.entry.key, "Titel", None, AgendaItemRefusal.NOT_MEMBER),
        (BZK, meeting.entry.key, "Titel", None, AgendaItemRefusal.NOT_MEMBER),  # not a participant
        (
            CONTACT,
            january.entry.key,
            "Titel",
            None,
            AgendaItemRefusal.NOT_OPEN,
        ),  # closed this morning
        (CONTACT, "no-such-meeting", "Titel", None, AgendaItemRefusal.NOT_OPEN),
        (CONTACT, meeting.entry.key, "   ", None, AgendaItemRefusal.TITLE_EMPTY),
        (CONTACT, meeting.entry.key, "x" * 201, None, AgendaItemRefusal.TITLE_TOO_LONG),
        (CONTACT, meeting.entry.key, "Titel", "x" * 1001, AgendaItemRefusal.EXPLANATION_TOO_LONG),
        (CONTACT, theme.entry.key, "Titel", None, AgendaItemRefusal.NOT_MEMBER),  # not in the kwg
    ]
    for user, key, title, explanation, reason in cases:
        with pytest.raises(AgendaItemError) as refused:
            await planned.run(submit, clock, user, key, title, explanation)
        assert refused.value.reason == reason, (user, key, title)

    assert await _stored(planned) == []


async def test_overleggen_without_agenda_items_take_none(
    planned: Database, clock: FixedClock
) -> None:
    # A theme session (ts) is for everyone, but accepts no items; coordinators may not either.
    plan_clock = FixedClock(datetime(2011, 3, 1, 8, tzinfo=UTC))
    plan = await planned.run(load_plan)
    assert plan is not None
    [theme] = [e for e in entries(plan, date(2011, 3, 1), date(2011, 3, 31)) if e.overleg == "ts"]
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(submit, plan_clock, COORDINATOR, theme.key, "Titel", None)
    assert refused.value.reason == AgendaItemRefusal.NOT_OPEN


async def test_a_draft_for_an_agenda_that_closed_in_the_meantime_is_refused(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await _march_ao(planned, clock)
    clock.set(_local(date(2011, 3, 7), 23) + timedelta(minutes=59))
    await planned.run(submit, clock, CONTACT, meeting.entry.key, "Net op tijd", None)

    clock.set(_local(date(2011, 3, 8)))
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(submit, clock, CONTACT, meeting.entry.key, "Te laat", None)

    assert refused.value.reason == AgendaItemRefusal.NOT_OPEN
    assert [row.title for row in await _stored(planned)] == ["Net op tijd"]
    assert [
        (m.entry.overleg, m.entry.when.day)
        for m in await planned.run(open_meetings, clock, CONTACT)
    ] == [("ao", date(2011, 6, 21))]


# ---------------------------------------------------------------- reviewing and withdrawing


async def test_accepted_items_are_numbered_in_the_order_of_acceptance(
    planned: Database, clock: FixedClock
) -> None:
    first = await _submitted(planned, clock, "Eerste")
    second = await _submitted(planned, clock, "Tweede")
    third = await _submitted(planned, clock, "Derde")

    await planned.run(review, clock, COORDINATOR, third.id, accept=True)
    declined = await planned.run(review, clock, COORDINATOR, second.id, accept=False)
    await planned.run(review, clock, SECOND_COORDINATOR, first.id, accept=True)

    agenda = await planned.run(agenda_of, [first.meeting_key])
    assert [(i.title, i.position) for i in agenda[first.meeting_key]] == [
        ("Derde", 1),
        ("Eerste", 2),
    ]
    assert (declined.item.status, declined.item.position) == (AgendaItemStatus.DECLINED, None)
    assert await planned.run(waiting_items, clock) == []


async def test_a_second_review_says_what_happened_instead_of_changing_it(
    planned: Database, clock: FixedClock
) -> None:
    item = await _submitted(planned, clock)
    first = await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    clock.advance(timedelta(minutes=5))
    second = await planned.run(review, clock, SECOND_COORDINATOR, item.id, accept=False)
    again = await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    assert first.changed and not second.changed and not again.changed
    assert (second.item.status, second.item.reviewer_name, second.item.position) == (
        AgendaItemStatus.ACCEPTED,
        "Cora",
        1,
    )
    assert second.item.reviewed_at == first.item.reviewed_at
    assert "Dit punt was al beoordeeld: Op de agenda gezet door Cora (punt 1)." in review_result(
        second
    )


async def test_two_presses_at_once_decide_once_and_numbers_never_clash(
    planned: Database, clock: FixedClock
) -> None:
    same = await _submitted(planned, clock, "Tegelijk")
    others = [await _submitted(planned, clock, f"Punt {n}") for n in range(4)]

    outcomes = await asyncio.gather(
        planned.run(review, clock, COORDINATOR, same.id, accept=True),
        planned.run(review, clock, SECOND_COORDINATOR, same.id, accept=False),
    )
    await asyncio.gather(
        *(planned.run(review, clock, COORDINATOR, item.id, accept=True) for item in others)
    )

    assert sorted(outcome.changed for outcome in outcomes) == [False, True]
    assert {outcome.item.status for outcome in outcomes} == {outcomes[0].item.status}
    agenda = (await planned.run(agenda_of, [same.meeting_key]))[same.meeting_key]
    accepted = 5 if outcomes[0].item.status == AgendaItemStatus.ACCEPTED else 4
    assert [item.position for item in agenda] == list(range(1, accepted + 1))


async def test_only_active_coordinators_review(planned: Database, clock: FixedClock) -> None:
    item = await _submitted(planned, clock)
    for who in (CONTACT, PETIT, STRANGER):
        with pytest.raises(AgendaItemError) as refused:
            await planned.run(review, clock, who, item.id, accept=True)
        assert refused.value.reason == AgendaItemRefusal.NOT_COORDINATOR
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(review, clock, COORDINATOR, 9999, accept=True)
    assert refused.value.reason == AgendaItemRefusal.UNKNOWN_ITEM
    assert [i.status for i in await planned.run(waiting_items, clock)] == [AgendaItemStatus.WAITING]


async def test_the_submitter_withdraws_a_waiting_item_only(
    planned: Database, clock: FixedClock
) -> None:
    item = await _submitted(planned, clock)
    reviewed = await _submitted(planned, clock, "Al beoordeeld")
    await planned.run(review, clock, COORDINATOR, reviewed.id, accept=False)

    with pytest.raises(AgendaItemError) as someone_else:
        await planned.run(withdraw_item, clock, PETIT, item.id)
    withdrawn = await planned.run(withdraw_item, clock, CONTACT, item.id)
    with pytest.raises(AgendaItemError) as twice:
        await planned.run(withdraw_item, clock, CONTACT, item.id)
    with pytest.raises(AgendaItemError) as after_review:
        await planned.run(withdraw_item, clock, CONTACT, reviewed.id)
    late_review = await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    assert someone_else.value.reason == AgendaItemRefusal.UNKNOWN_ITEM
    assert withdrawn.status == AgendaItemStatus.WITHDRAWN
    assert twice.value.reason == after_review.value.reason == AgendaItemRefusal.NOT_WAITING
    assert not late_review.changed and late_review.item.status == AgendaItemStatus.WITHDRAWN
    assert [(i.title, i.status) for i in await planned.run(my_items, clock, CONTACT)] == [
        ("Cijfers 2010", AgendaItemStatus.WITHDRAWN),
        ("Al beoordeeld", AgendaItemStatus.DECLINED),
    ]


async def test_items_follow_a_moved_meeting_and_stay_visible_when_it_is_cancelled(
    planned: Database, clock: FixedClock
) -> None:
    item = await _submitted(planned, clock)

    await planned.run(move_meeting, clock, item.meeting_key, When(day=date(2011, 3, 29)))
    [moved] = await planned.run(waiting_items, clock)
    await planned.run(cancel_meeting, clock, item.meeting_key)
    [cancelled] = await planned.run(waiting_items, clock)

    assert moved.meeting_when == When(day=date(2011, 3, 29))
    assert (cancelled.id, cancelled.meeting_cancelled) == (item.id, True)
    assert [(m.entry.when.day) for m in await planned.run(open_meetings, clock, CONTACT)] == [
        date(2011, 6, 21)
    ]
    with pytest.raises(AgendaItemError) as refused:
        await planned.run(submit, clock, CONTACT, item.meeting_key, "Nog een", None)
    assert refused.value.reason == AgendaItemRefusal.NOT_OPEN


async def test_items_of_meetings_that_are_over_leave_the_lists(
    planned: Database, clock: FixedClock
) -> None:
    item = await _submitted(planned, clock)

    clock.set(_local(date(2011, 3, 22), 23))
    assert [i.id for i in await planned.run(waiting_items, clock)] == [item.id]
    clock.set(_local(date(2011, 3, 23)))
    assert await planned.run(waiting_items, clock) == []
    assert await planned.run(my_items, clock, CONTACT) == []


# ---------------------------------------------------------------- notices through the outbox


async def test_every_active_coordinator_gets_a_new_item_once_with_the_review_buttons(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(leave, clock, SECOND_COORDINATOR)
    meeting = await _march_ao(planned, clock)

    item, queued = await planned.run(
        submit_and_notify, clock, CONTACT, meeting.entry.key, "Cijfers 2010", None
    )

    [notice] = await _outbox(planned, ITEM_KIND)
    assert queued == 1
    assert (notice.key, notice.recipient) == (f"agenda_item:{item.id}|{COORDINATOR}", COORDINATOR)
    assert "Cijfers 2010" in notice.text and "Fatima, Gemeente Gouda" in notice.text
    assert (
        notice.buttons
        == f'[[["Op de agenda", "ap:y:{item.id}"], ["Niet opnemen", "ap:n:{item.id}"]]]'
    )


async def test_the_submitter_hears_the_decision_once(planned: Database, clock: FixedClock) -> None:
    item = await _submitted(planned, clock)

    outcome, queued = await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)
    again, queued_again = await planned.run(
        review_and_notify, clock, SECOND_COORDINATOR, item.id, accept=False
    )

    assert (outcome.changed, queued, again.changed, queued_again) == (True, 1, False, 0)
    [notice] = await _outbox(planned, REVIEW_KIND)
    assert (notice.key, notice.recipient) == (f"agenda_review:{item.id}|{CONTACT}", CONTACT)
    assert notice.text == (
        "Uw agendapunt <b>Cijfers 2010</b> staat op de agenda van Ambtelijk overleg van "
        "dinsdag 22 maart 2011 (punt 1)."
    )


async def test_publishing_sends_the_agenda_to_the_participants_each_time_as_a_new_version(
    planned: Database, clock: FixedClock
) -> None:
    item = await _submitted(planned, clock, "Cijfers <2010> & verder")
    with pytest.raises(AgendaItemError) as empty:
        await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)
    with pytest.raises(AgendaItemError) as member:
        await planned.run(publish_agenda, clock, CONTACT, item.meeting_key)
    await planned.run(review, clock, COORDINATOR, item.id, accept=True)
    [draft] = await planned.run(publishable_meetings, clock, COORDINATOR)

    first = await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)
    second = await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)

    assert empty.value.reason == AgendaItemRefusal.NOTHING_ACCEPTED
    assert member.value.reason == AgendaItemRefusal.NOT_COORDINATOR
    assert (draft.meeting.key, draft.published_versions) == (item.meeting_key, 0)
    assert (first.version, second.version, first.recipients) == (1, 2, (CONTACT,))
    rows = await _outbox(planned, AGENDA_KIND)
    assert [(r.key, r.priority) for r in rows] == [
        (f"agenda:{item.meeting_key}:1|{CONTACT}|part-1", Priority.NEWSLETTER),
        (f"agenda:{item.meeting_key}:2|{CONTACT}|part-1", Priority.NEWSLETTER),
    ]
    assert rows[0].text.startswith("<b>Agenda: Ambtelijk overleg</b>\ndinsdag 22 maart 2011")
    assert "1. Cijfers &lt;2010&gt; &amp; verder <i>(Gemeente Gouda)</i>" in rows[0].text
    assert (
        await planned.run(agenda_draft, clock, COORDINATOR, item.meeting_key)
    ).published_versions == 2


async def test_a_publication_is_recorded_only_with_its_messages(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = await _submitted(planned, clock)
    await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    def crash(*_args: object) -> str:
        raise RuntimeError("the bot stopped while queueing the agenda")

    with monkeypatch.context() as patched:
        patched.setattr(agenda_item_texts, "published_agenda", crash)
        with pytest.raises(RuntimeError):
            await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)
    draft = await planned.run(agenda_draft, clock, COORDINATOR, item.meeting_key)
    assert (draft.published_versions, await _outbox(planned, AGENDA_KIND)) == (0, [])

    publication = await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)

    assert publication.version == 1
    assert [row.key for row in await _outbox(planned, AGENDA_KIND)] == [
        f"agenda:{item.meeting_key}:1|{CONTACT}|part-1"
    ]


async def test_a_long_agenda_reaches_every_participant_whole_and_in_order(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await _march_ao(planned, clock)
    for number in range(1, 21):
        item = await planned.run(
            submit, clock, CONTACT, meeting.entry.key, f"Punt {number:02}", "Toelichting. " * 76
        )
        await planned.run(review, clock, COORDINATOR, item.id, accept=True)
    await _join(planned, clock, 105, "Youssef", "gouda", "contactpersonen")

    await planned.run(publish_agenda, clock, COORDINATOR, meeting.entry.key)
    sent = await _deliver_agenda(planned, clock)

    parts = [r for r in await _outbox(planned, AGENDA_KIND) if r.recipient == CONTACT]
    assert len(parts) > 2
    assert [r.key for r in parts] == [
        f"agenda:{meeting.entry.key}:1|{CONTACT}|part-{n}" for n in range(1, len(parts) + 1)
    ]
    for participant in (CONTACT, 105):
        texts = [text for who, text in sent if who == participant]
        assert texts == [r.text for r in parts]
        assert all(telegram_length(text) <= TEXT_LIMIT for text in texts)
        titles = re.findall(r"^\d+\. Punt (\d\d)", "\n".join(texts), re.M)
        assert titles == [f"{n:02}" for n in range(1, 21)]


async def _deliver_agenda(db: Database, clock: FixedClock) -> list[tuple[int, str]]:
    """What the outbox job's wakes send from now on, a second apart, as the job would."""
    sender = RecordingSender()
    start = clock.now()
    for second in range(10):
        clock.set(start + timedelta(seconds=second))
        await deliver_due(db, clock, sender, Pacer(per_second=1000, chat_interval=0))
    return sender.sent


async def test_an_item_is_stored_only_with_the_coordinators_notice(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = await _march_ao(planned, clock)

    def crash(*_args: object) -> str:
        raise RuntimeError("the bot stopped while queueing the notice")

    with monkeypatch.context() as patched:
        patched.setattr(agenda_item_texts, "review_item", crash)
        with pytest.raises(RuntimeError):
            await planned.run(submit_and_notify, clock, CONTACT, meeting.entry.key, "Cijfers", None)

    # No item that no coordinator was asked to review: the member presses Indienen again.
    assert (await planned.run(my_items, clock, CONTACT), await _outbox(planned, ITEM_KIND)) == (
        [],
        [],
    )


async def test_a_decision_is_made_only_with_the_submitters_notice(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = await _submitted(planned, clock)

    def crash(*_args: object) -> str:
        raise RuntimeError("the bot stopped while queueing the notice")

    with monkeypatch.context() as patched:
        patched.setattr(agenda_item_texts, "decision_notice", crash)
        with pytest.raises(RuntimeError):
            await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)
    [still] = await planned.run(waiting_items, clock)
    assert (still.id, await _outbox(planned, REVIEW_KIND)) == (item.id, [])

    # The next press decides, and the submitter hears.
    outcome, queued = await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)

    assert (outcome.changed, outcome.item.status, outcome.item.position) == (
        True,
        AgendaItemStatus.ACCEPTED,
        1,
    )
    [notice] = await _outbox(planned, REVIEW_KIND)
    assert (queued, notice.key) == (1, f"agenda_review:{item.id}|{CONTACT}")


async def test_a_decision_without_its_notice_gets_it_at_the_next_press(
    planned: Database, clock: FixedClock
) -> None:
    item = await _submitted(planned, clock)
    await planned.run(review, clock, COORDINATOR, item.id, accept=False)  # recorded, nobody told

    outcome, queued = await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)

    assert (outcome.changed, outcome.item.status, queued) == (False, AgendaItemStatus.DECLINED, 1)
    [notice] = await _outbox(planned, REVIEW_KIND)
    assert notice.text.startswith("Uw agendapunt <b>Cijfers 2010</b> is niet opgenomen")


# ---------------------------------------------------------------- reminders


@dataclass
class RecordingSender:
    """A :class:`berichten.outbox.delivery.Sender` that keeps what it was asked to send."""

    sent: list[tuple[int, str]] = field(default_factory=list)

    async def send(self, chat_id: int, text: str, buttons: Buttons | None) -> int:
        self.sent.append((chat_id, text))
        return len(self.sent)


async def _deliver(db: Database, clock: FixedClock) -> list[tuple[int, str]]:
    """What the outbox job does at a wake: queue, then deliver what is due."""
    sender = RecordingSender()
    await db.run(queue_reminders, clock)
    await deliver_due(db, clock, sender, Pacer(per_second=1000, chat_interval=0))
    return sender.sent


async def test_the_petit_comite_reminder_lists_what_was_submitted_after_it_was_queued(
    planned: Database, clock: FixedClock
) -> None:
    # The petit comité of 8 March is reminded on 1 March at 09:00; it is queued two days ahead.
    clock.set(datetime(2011, 2, 27, 12, tzinfo=UTC))
    await planned.run(queue_reminders, clock)
    [queued] = [r for r in await _outbox(planned, "meeting") if r.recipient == PETIT]
    assert (
        "Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: geen punten"
        in queued.text
    )

    await _submitted(planned, clock, "Na het inplannen")
    accepted = await _submitted(planned, clock, "Al op de agenda")
    await planned.run(review, clock, COORDINATOR, accepted.id, accept=True)
    clock.set(_local(date(2011, 3, 1), 9))
    sent = await _deliver(planned, clock)

    [(_, text)] = [(who, text) for who, text in sent if who == PETIT]
    assert text.startswith("<b>Herinnering: Petit comité</b>")
    assert text.endswith(
        "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 1 punt</b>\n"
        "• Na het inplannen (Gemeente Gouda)"
    )


async def test_the_ao_reminder_carries_the_agenda_so_far(
    planned: Database, clock: FixedClock
) -> None:
    first = await _submitted(planned, clock, "Cijfers 2010")
    second = await _submitted(planned, clock, "Jaarplan 2012")
    await _submitted(planned, clock, "Nog niet beoordeeld")
    await planned.run(review, clock, COORDINATOR, second.id, accept=True)
    await planned.run(review, clock, COORDINATOR, first.id, accept=True)

    # 14 days before, on 8 March: the petit comité has closed the agenda that morning.
    clock.set(_local(date(2011, 3, 6), 12))
    await planned.run(queue_reminders, clock)
    clock.set(_local(date(2011, 3, 8), 9))
    sent = await _deliver(planned, clock)

    [text] = [t for who, t in sent if who == CONTACT and "Herinnering: Ambtelijk" in t]
    assert text.endswith("<b>Agenda tot nu toe:</b>\n1. Jaarplan 2012\n2. Cijfers 2010"), text
    assert "/agendapunt" not in text


async def test_a_reminder_while_the_agenda_is_open_says_until_when_items_are_welcome(
    planned: Database, clock: FixedClock
) -> None:
    # The kenniswerkgroep of 3 February is reminded on 27 January; no petit comité closes it.
    clock.set(_local(date(2011, 1, 26), 12))
    await _deliver(planned, clock)
    clock.set(_local(date(2011, 1, 27), 9))
    sent = await _deliver(planned, clock)

    [(_, text)] = [(who, text) for who, text in sent if who == KWG]
    assert text.endswith(
        "Er staan nog geen punten op de agenda.\n"
        "Punten aanleveren kan tot en met woensdag 2 februari 2011 met /agendapunt."
    ), text
