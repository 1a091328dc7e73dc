"""Documents (stukken) with agenda items: attached with the item or later by its submitter,
within the limit, seen by the reviewers, and sent after the published agenda once to each
participant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from berichten.agenda_items import (
    AGENDA_KIND,
    DOCUMENT_KIND,
    ITEM_KIND,
    publish_agenda,
    submit_and_notify,
)
from planning.agenda_items.attachments import attach_documents, documents_for_review
from planning.agenda_items.documents import (
    DOCUMENT_LIMIT,
    DocumentError,
    DocumentRefusal,
    NewDocument,
    documents_of,
)
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.services import my_items, review, waiting_items, withdraw_item
from planning.clock import FixedClock
from planning.db import Database
from planning.plan.store import import_plan
from tests.support.agenda_items import CONTACT, COORDINATOR, PETIT, march_ao, submitted
from tests.support.network import join
from tests.support.outbox import outbox_rows
from tests.support.plans import agenda_cycle_plan_text, plan_of


def document(number: int, name: str | None = None) -> NewDocument:
    """A document as Telegram describes it; the same number is the same file."""
    return NewDocument(
        f"BQACAgQAAxkBAAI{number:06d}",
        f"AgAD{number:06d}",
        name if name is not None else f"stuk-{number}.pdf",
        "application/pdf",
        120_000 * number,
    )


async def test_documents_sent_with_the_item_are_stored_with_it_and_named_to_the_reviewers(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await march_ao(planned, clock)
    sent = [document(1, "notulen <concept>.pdf"), document(2), document(1, "notulen.pdf")]

    item, _queued = await planned.run(
        submit_and_notify, clock, CONTACT, meeting.entry.key, "Cijfers", None, documents=sent
    )

    stored = (await planned.run(documents_of, [item.id]))[item.id]
    assert [(d.file_id, d.file_name) for d in stored] == [
        ("BQACAgQAAxkBAAI000001", "notulen <concept>.pdf"),  # the same file twice is kept once
        ("BQACAgQAAxkBAAI000002", "stuk-2.pdf"),
    ]
    notice = (await outbox_rows(planned, ITEM_KIND))[0]
    assert "2 stukken: notulen &lt;concept&gt;.pdf, stuk-2.pdf" in notice.text
    assert f'["Stukken bekijken", "ap:d:{item.id}"]' in (notice.buttons or "")
    [waiting] = await planned.run(waiting_items, clock)  # /punten shows them too
    assert [d.file_name for d in waiting.documents] == ["notulen <concept>.pdf", "stuk-2.pdf"]


async def test_an_item_without_documents_has_no_documents_button(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await march_ao(planned, clock)
    await planned.run(submit_and_notify, clock, CONTACT, meeting.entry.key, "Cijfers", None)

    notice = (await outbox_rows(planned, ITEM_KIND))[0]
    assert "Stukken bekijken" not in (notice.buttons or "") and "stuk" not in notice.text


async def test_the_submitter_attaches_later_up_to_the_limit_and_nobody_else_may(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)
    first = await planned.run(attach_documents, clock, CONTACT, item.id, [document(1)])
    again = await planned.run(attach_documents, clock, CONTACT, item.id, [document(1)])
    nine_more = [document(n) for n in range(2, DOCUMENT_LIMIT + 1)]
    await planned.run(attach_documents, clock, CONTACT, item.id, nine_more)

    refusals = []
    for who, what in (
        (CONTACT, [document(99)]),
        (COORDINATOR, [document(98)]),
        (PETIT, [document(97)]),
    ):
        with pytest.raises(DocumentError) as refused:
            await planned.run(attach_documents, clock, who, item.id, what)
        refusals.append(refused.value.reason)
    with pytest.raises(DocumentError) as unknown:
        await planned.run(attach_documents, clock, CONTACT, item.id + 1, [document(96)])

    assert [d.file_name for d in first.added] == ["stuk-1.pdf"]
    assert (again.added, len(again.item.documents)) == ((), 1)
    assert refusals == [
        DocumentRefusal.TOO_MANY,  # the submitter's eleventh
        DocumentRefusal.NOT_YOURS,  # a coordinator's, to someone else's item
        DocumentRefusal.NOT_YOURS,  # another member's
    ]
    assert unknown.value.reason == DocumentRefusal.NOT_YOURS
    [mine] = await planned.run(my_items, clock, CONTACT)
    assert len(mine.documents) == DOCUMENT_LIMIT


async def test_a_batch_that_would_pass_the_limit_is_refused_whole(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock)
    await planned.run(attach_documents, clock, CONTACT, item.id, [document(1), document(2)])

    with pytest.raises(DocumentError) as refused:
        await planned.run(
            attach_documents, clock, CONTACT, item.id, [document(n) for n in range(3, 12)]
        )

    assert refused.value.reason == DocumentRefusal.TOO_MANY
    assert len((await planned.run(documents_of, [item.id]))[item.id]) == 2


async def test_no_documents_for_a_withdrawn_item_nor_once_the_meeting_is_over(
    planned: Database, clock: FixedClock
) -> None:
    withdrawn = await submitted(planned, clock, "Ingetrokken punt")
    await planned.run(withdraw_item, clock, CONTACT, withdrawn.id)
    accepted = await submitted(planned, clock, "Op de agenda")
    await planned.run(review, clock, COORDINATOR, accepted.id, accept=True)
    # The agenda closed on 8 March; papers still come until the meeting of 22 March.
    clock.set(datetime(2011, 3, 21, 12, 0, tzinfo=UTC))
    late = await planned.run(attach_documents, clock, CONTACT, accepted.id, [document(1)])

    with pytest.raises(DocumentError) as settled:
        await planned.run(attach_documents, clock, CONTACT, withdrawn.id, [document(2)])
    clock.set(datetime(2011, 3, 23, 12, 0, tzinfo=UTC))
    with pytest.raises(DocumentError) as over:
        await planned.run(attach_documents, clock, CONTACT, accepted.id, [document(3)])

    assert len(late.added) == 1
    assert (settled.value.reason, over.value.reason) == (
        DocumentRefusal.SETTLED,
        DocumentRefusal.OVER,
    )


async def test_reviewers_get_the_documents_and_members_do_not(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock, "Cijfers")
    await planned.run(attach_documents, clock, CONTACT, item.id, [document(1), document(2)])

    title, documents = await planned.run(documents_for_review, COORDINATOR, item.id)
    with pytest.raises(AgendaItemError) as member:
        await planned.run(documents_for_review, CONTACT, item.id)

    assert (title, [d.file_id for d in documents]) == (
        "Cijfers",
        ["BQACAgQAAxkBAAI000001", "BQACAgQAAxkBAAI000002"],
    )
    assert member.value.reason == AgendaItemRefusal.NOT_REVIEWER


async def test_the_published_agenda_is_followed_by_its_documents_once_per_participant(
    planned: Database, clock: FixedClock
) -> None:
    await planned.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
    second_contact = 106
    await join(planned, clock, second_contact, "utrecht", "contactpersonen", name="Ilse")
    first = await submitted(planned, clock, "Jaarplan")
    second = await submitted(planned, clock, "Monitor")
    await planned.run(attach_documents, clock, CONTACT, second.id, [document(1), document(2)])
    for item in (first, second):
        await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    publication = await planned.run(publish_agenda, clock, COORDINATOR, first.meeting_key)
    await planned.run(attach_documents, clock, CONTACT, first.id, [document(3)])
    correction = await planned.run(publish_agenda, clock, COORDINATOR, first.meeting_key)

    parts = await outbox_rows(planned, AGENDA_KIND, CONTACT)
    rows = await outbox_rows(planned, DOCUMENT_KIND)
    [one, two, three] = [r for r in rows if r.recipient == CONTACT]
    stored = await planned.run(documents_of, [first.id, second.id])
    [d1, d2], [d3] = stored[second.id], stored[first.id]
    meeting = first.meeting_key
    assert [(r.key, r.media_kind, r.media_file_id) for r in (one, two, three)] == [
        (f"agenda_document:{meeting}:{d1.id}|{CONTACT}", "document", d1.file_id),
        (f"agenda_document:{meeting}:{d2.id}|{CONTACT}", "document", d2.file_id),
        (f"agenda_document:{meeting}:{d3.id}|{CONTACT}", "document", d3.file_id),
    ]
    assert sorted(r.recipient for r in rows) == [CONTACT] * 3 + [second_contact] * 3
    # Opening and Verslag vorige vergadering come first: Monitor is point 4.
    assert one.text == (
        "Stuk bij punt 4 van de agenda van Ambtelijk overleg van dinsdag 22 maart 2011: "
        "<b>Monitor</b>"
    )
    assert three.text.startswith("Stuk bij punt 3 ")
    last_part = max(r.due_at for r in parts if r.key.startswith(f"agenda:{meeting}:1|"))
    assert last_part < one.due_at < two.due_at
    assert one.due_at == publication.published_at + timedelta(seconds=1)
    assert correction.version == 2
