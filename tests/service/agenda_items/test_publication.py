"""Publishing an agenda: to its participants, as a new version each time, recorded only with
its messages, and a long one whole and in order."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from berichten.agenda_items import AGENDA_KIND, publish_agenda
from berichten.outbox.tables import Priority
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning.agenda_items.publication import agenda_draft, publishable_meetings
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.services import review, submit
from planning.clock import FixedClock
from planning.db import Database
from tests.support.agenda_items import (
    CONTACT,
    COORDINATOR,
    march_ao,
    stopped_while_writing,
    submitted,
)
from tests.support.network import join
from tests.support.outbox import deliver, outbox_rows


async def test_publishing_sends_the_agenda_to_the_participants_each_time_as_a_new_version(
    planned: Database, clock: FixedClock
) -> None:
    item = await submitted(planned, clock, "Cijfers <2010> & verder")
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
    rows = await outbox_rows(planned, AGENDA_KIND)
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
    item = await submitted(planned, clock)
    await planned.run(review, clock, COORDINATOR, item.id, accept=True)

    with stopped_while_writing(monkeypatch, "published_agenda"):
        await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)
    draft = await planned.run(agenda_draft, clock, COORDINATOR, item.meeting_key)
    assert (draft.published_versions, await outbox_rows(planned, AGENDA_KIND)) == (0, [])

    publication = await planned.run(publish_agenda, clock, COORDINATOR, item.meeting_key)

    assert publication.version == 1
    assert [row.key for row in await outbox_rows(planned, AGENDA_KIND)] == [
        f"agenda:{item.meeting_key}:1|{CONTACT}|part-1"
    ]


async def test_a_long_agenda_reaches_every_participant_whole_and_in_order(
    planned: Database, clock: FixedClock
) -> None:
    meeting = await march_ao(planned, clock)
    for number in range(1, 21):
        item = await planned.run(
            submit, clock, CONTACT, meeting.entry.key, f"Punt {number:02}", "Toelichting. " * 76
        )
        await planned.run(review, clock, COORDINATOR, item.id, accept=True)
    await join(planned, clock, 105, "gouda", "contactpersonen", name="Youssef")

    await planned.run(publish_agenda, clock, COORDINATOR, meeting.entry.key)
    sent = await _deliver_agenda(planned, clock)

    parts = [r for r in await outbox_rows(planned, AGENDA_KIND) if r.recipient == CONTACT]
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
    sent: list[tuple[int, str]] = []
    start = clock.now()
    for second in range(10):
        clock.set(start + timedelta(seconds=second))
        sent += await deliver(db, clock)
    return sent
