"""The notices of agenda items through the outbox: each coordinator hears of a new item once,
the submitter of the decision once, and neither change is stored without its notice."""

from __future__ import annotations

import pytest

from berichten.agenda_items import ITEM_KIND, REVIEW_KIND, review_and_notify, submit_and_notify
from planning.agenda_items.reviewing import meeting_tag
from planning.agenda_items.services import my_items, review, waiting_items
from planning.agenda_items.tables import AgendaItemStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import leave
from tests.support.agenda_items import (
    CONTACT,
    COORDINATOR,
    SECOND_COORDINATOR,
    march_ao,
    stopped_while_writing,
    submitted,
)
from tests.support.outbox import outbox_rows


async def test_every_active_coordinator_gets_a_new_item_once_with_the_review_buttons(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(leave, clock, SECOND_COORDINATOR)
    meeting = await march_ao(planned, clock)

    item, queued = await planned.run(
        submit_and_notify, clock, CONTACT, meeting.entry.key, "Cijfers 2010", None
    )

    [notice] = await outbox_rows(planned, ITEM_KIND)
    assert queued == 1
    assert (notice.key, notice.recipient) == (f"agenda_item:{item.id}|{COORDINATOR}", COORDINATOR)
    assert "Cijfers 2010" in notice.text and "Fatima, Gemeente Gouda" in notice.text
    shown = f"{meeting_tag(meeting.entry.key)}:{item.id}"
    assert notice.buttons == (
        f'[[["Op de agenda", "ap:y:{shown}"], ["Niet opnemen", "ap:n:{shown}"]], '
        f'[["Naar volgende vergadering", "ap:v:{shown}"]]]'
    )


async def test_the_submitter_hears_the_decision_once(planned: Database, clock: FixedClock) -> None:
    item = await submitted(planned, clock)

    outcome, queued = await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)
    again, queued_again = await planned.run(
        review_and_notify, clock, SECOND_COORDINATOR, item.id, accept=False
    )

    assert (outcome.changed, queued, again.changed, queued_again) == (True, 1, False, 0)
    [notice] = await outbox_rows(planned, REVIEW_KIND)
    assert (notice.key, notice.recipient) == (f"agenda_review:{item.id}|{CONTACT}", CONTACT)
    assert notice.text == (
        "Uw agendapunt <b>Cijfers 2010</b> staat op de agenda van Ambtelijk overleg van "
        "dinsdag 22 maart 2011 (punt 1).\nAangeboden ter bespreking."
    )


async def test_an_item_is_stored_only_with_the_coordinators_notice(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = await march_ao(planned, clock)

    with stopped_while_writing(monkeypatch, "review_item"):
        await planned.run(submit_and_notify, clock, CONTACT, meeting.entry.key, "Cijfers", None)

    # No item that no coordinator was asked to review: the member presses Indienen again.
    assert (await planned.run(my_items, clock, CONTACT), await outbox_rows(planned, ITEM_KIND)) == (
        [],
        [],
    )


async def test_a_decision_is_made_only_with_the_submitters_notice(
    planned: Database, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = await submitted(planned, clock)

    with stopped_while_writing(monkeypatch, "decision_notice"):
        await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)
    [still] = await planned.run(waiting_items, clock)
    assert (still.id, await outbox_rows(planned, REVIEW_KIND)) == (item.id, [])

    # The next press decides, and the submitter hears.
    outcome, queued = await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)

    assert (outcome.changed, outcome.item.status, outcome.item.position) == (
        True,
        AgendaItemStatus.ACCEPTED,
        1,
    )
    [notice] = await outbox_rows(planned, REVIEW_KIND)
    assert (queued, notice.key) == (1, f"agenda_review:{item.id}|{CONTACT}")


async def test_a_decision_without_its_notice_gets_it_at_the_next_press(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)
    await planned.run(review, clock, COORDINATOR, item.id, accept=False)  # recorded, nobody told

    outcome, queued = await planned.run(review_and_notify, clock, COORDINATOR, item.id, accept=True)

    assert (outcome.changed, outcome.item.status, queued) == (False, AgendaItemStatus.DECLINED, 1)
    [notice] = await outbox_rows(planned, REVIEW_KIND)
    assert notice.text.startswith("Uw agendapunt <b>Cijfers 2010</b> is niet opgenomen")
