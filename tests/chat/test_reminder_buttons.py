"""The buttons under a meeting reminder, pressed in a reminder the bot really sent.

The bot runs with its outbox job on a clock set at the reminder's moment (as in
``test_reminders.py``), so the reminder arrives at once and the trekker's note after a press too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import vobject

from berichten.outbox.requeue import pending_keys
from bot.outbox_job import refresh_outbox
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from planning.preferences.services import my_settings
from tests.support.chat import Chat, labels, run_bot
from tests.support.network import join

FATIMA, ANNE, PIETER = 501, 502, 503
# 09:00 in Amsterdam, fourteen days before the AO of 18 January 2011.
TWO_WEEKS_BEFORE = datetime(2011, 1, 4, 8, 0, tzinfo=UTC)
# 09:00 in Amsterdam, two days before that AO: its next reminder.
TWO_DAYS_BEFORE = datetime(2011, 1, 16, 8, 0, tzinfo=UTC)
NOTE = (
    "Fatima El Amrani (Gemeente Gouda) kan niet bij Ambtelijk overleg op dinsdag 18 januari 2011."
)


@pytest.fixture
async def reminded(
    server: StandinServer, database: Database, clock: FixedClock
) -> AsyncIterator[Chat]:
    """Fatima (contact person, Gouda) and Anne (coordinator), the bot at the AO's reminder."""
    await database.run(import_example_plan, clock)
    server.add_user(FATIMA, "Fatima", "El Amrani")
    server.add_user(ANNE, "Anne", "de Vries")
    await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima El Amrani")
    await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne de Vries")
    async with run_bot(server, database, FixedClock(TWO_WEEKS_BEFORE)) as chat:
        yield chat


async def _ao_reminder(chat: Chat) -> SentMessage:
    return await chat.arrives(
        FATIMA, lambda text: text.startswith("Herinnering: Ambtelijk overleg")
    )


async def test_a_meeting_reminder_has_the_three_buttons(reminded: Chat) -> None:
    reminder = await _ao_reminder(reminded)

    assert labels(reminder) == [
        "Zet in agenda",
        "Ik kan niet",
        "Stop voor dit overleg",
    ]
    assert all(len(data.encode()) <= 64 for _, data in reminder.buttons())


async def test_zet_in_agenda_sends_the_meeting_as_an_ics_file(reminded: Chat) -> None:
    reminder = await _ao_reminder(reminded)
    await reminded.press(FATIMA, reminder, "Zet in agenda")

    await reminded.server.wait_for(
        lambda: any(m.document is not None for m in reminded.server.messages(FATIMA))
    )
    [sent] = [m for m in reminded.server.messages(FATIMA) if m.document is not None]
    assert sent.document is not None and sent.document.file_name == "overleg.ics"
    calendar = vobject.readOne(sent.document.content.decode())
    [event] = calendar.vevent_list
    assert event.summary.value == "Ambtelijk overleg"
    assert str(event.dtstart.value) == "2011-01-18"
    assert event.uid.value.endswith("@overlegbot")


async def test_ik_kan_niet_tells_the_trekker_side_once(reminded: Chat) -> None:
    reminder = await _ao_reminder(reminded)

    await reminded.press(FATIMA, reminder, "Ik kan niet")
    await reminded.arrives(ANNE, lambda text: text == NOTE)
    await reminded.press(FATIMA, reminder, "Ik kan niet")
    await reminded.arrives(FATIMA, lambda text: text.startswith("U had al doorgegeven"))
    await reminded.sent_all()

    thanks = [
        text for text in reminded.texts(FATIMA) if text.startswith("Dank u voor het doorgeven.")
    ]
    assert thanks == [
        "Dank u voor het doorgeven. We hebben het laten weten aan Coördinatie "
        "Samenwerkingsverband (gemeente Utrecht)."
    ]
    assert [m.text for m in reminded.server.messages(ANNE)].count(NOTE) == 1


async def test_stop_voor_dit_overleg_mutes_it_and_says_how_to_undo(reminded: Chat) -> None:
    reminder = await _ao_reminder(reminded)

    await reminded.press(FATIMA, reminder, "Stop voor dit overleg")
    await reminded.arrives(FATIMA, lambda text: text.startswith("U krijgt geen herinneringen meer"))

    confirmation = reminded.server.messages(FATIMA)[-1].text or ""
    assert "Ambtelijk overleg" in confirmation and "/instellingen" in confirmation
    settings = await reminded.database.run(my_settings, reminded.clock, FATIMA)
    assert settings is not None and settings.preferences.muted == {"ao"}


async def test_after_stop_the_overlegs_next_reminder_does_not_come(reminded: Chat) -> None:
    """The member is answered before the outbox is refreshed; the reminder already waiting in
    the outbox is withdrawn all the same, and the job's next delivery leaves it out."""
    reminded.server.add_user(PIETER, "Pieter", "Jansen")
    await join(
        reminded.database, reminded.clock, PIETER, "gouda", "contactpersonen", name="Pieter Jansen"
    )
    reminder = await _ao_reminder(reminded)
    # Ten minutes before the two-day reminders: the job's wake then queues them for both.
    reminded.clock.set(TWO_DAYS_BEFORE - timedelta(minutes=10))
    await refresh_outbox(reminded.application)
    window = (TWO_DAYS_BEFORE, TWO_DAYS_BEFORE + timedelta(seconds=1))
    waiting = await reminded.database.run(pending_keys, ["meeting"], *window)
    assert sorted(key.rsplit("|", 1)[1] for key in waiting) == [str(FATIMA), str(PIETER)]

    await reminded.press(FATIMA, reminder, "Stop voor dit overleg")
    await reminded.arrives(FATIMA, lambda text: text.startswith("U krijgt geen herinneringen meer"))
    await reminded.refreshed()

    waiting = await reminded.database.run(pending_keys, ["meeting"], *window)
    assert [key.rsplit("|", 1)[1] for key in waiting] == [str(PIETER)]
    reminded.clock.set(TWO_DAYS_BEFORE)
    await refresh_outbox(reminded.application)  # what the job does when it wakes then
    await reminded.arrives(PIETER, lambda text: "(over 2 dagen)" in text)
    await reminded.sent_all()
    assert not [text for text in reminded.texts(FATIMA) if "(over 2 dagen)" in text]
