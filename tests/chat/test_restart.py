"""A restart in the middle of a conversation: the real bot, stopped and built anew on the same
database, goes on where the member was (docs/decisions/persistence.md).

A restart here is what a deployment does: the running Application stops (its updater, then
``stop`` and ``shutdown``, which hands the last changes to the persistence), and a new one is
built on the same database and started. The stand-in keeps the chats, and the updates the first
bot handled are not handled again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from bot.app import build_application, polling
from bot.sandbox import standin_settings
from bot.standin import SentMessage, StandinServer
from planning.agenda_items.services import my_items
from planning.agenda_items.tables import AgendaItemKind, AgendaItemStatus
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.plan.example import import_example_plan

FATIMA, KOEN, ANNE = 501, 502, 601
# Wednesday 12 January 2011, 10:00 in Amsterdam: Fatima (contact person) may submit for the AO
# of 22 March only; Koen (also in the kenniswerkgroep) chooses between two meetings.
MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)


async def test_agendapunt_goes_on_after_a_restart_with_the_title_typed_before(
    server: StandinServer, database: Database
) -> None:
    clock = await _network(server, database)
    async with _bot(server, database, clock):
        await _say(server, FATIMA, "/agendapunt")
        asked = await _say(server, FATIMA, "Samenwerking met het onderwijs")
        assert "Wat vraagt u het overleg met dit punt?" in (asked.text or "")

    async with _bot(server, database, clock):
        # The kind's buttons, shown before the restart, still answer after it.
        server.press_button(FATIMA, asked.message_id, _data(asked, "Ter besluitvorming"))
        await server.wait_for(lambda: "/overslaan" in (server.messages(FATIMA)[-1].text or ""))
        summary = await _say(server, FATIMA, "Graag een ronde langs de gemeenten.")
        assert "Titel: Samenwerking met het onderwijs" in (summary.text or "")
        assert "Soort: ter besluitvorming" in (summary.text or "")
        assert "Toelichting: Graag een ronde langs de gemeenten." in (summary.text or "")
        server.press_button(FATIMA, summary.message_id, _data(summary, "Indienen"))
        # The summary becomes the confirmation, in place.
        await server.wait_for(lambda: "is ingediend" in (server.messages(FATIMA)[-1].text or ""))

    [item] = await database.run(my_items, clock, FATIMA)
    assert (item.title, item.status, item.kind) == (
        "Samenwerking met het onderwijs",
        AgendaItemStatus.WAITING,
        AgendaItemKind.DECISION,
    )


async def test_a_meeting_chosen_with_a_button_before_a_restart_is_still_chosen_after(
    server: StandinServer, database: Database
) -> None:
    clock = await _network(server, database)
    async with _bot(server, database, clock):
        choice = await _say(server, KOEN, "/agendapunt")
        server.press_button(KOEN, choice.message_id, _data(choice, "Kenniswerkgroep, 3 februari"))
        await server.wait_for(lambda: "titel" in (server.messages(KOEN)[-1].text or ""))

    async with _bot(server, database, clock):
        asked = await _say(server, KOEN, "Een titel na de herstart")
        server.press_button(KOEN, asked.message_id, _data(asked, "Ter informatie"))
        await server.wait_for(lambda: "/overslaan" in (server.messages(KOEN)[-1].text or ""))
        summary = await _say(server, KOEN, "/overslaan")

    assert "Overleg: Kenniswerkgroep van donderdag 3 februari 2011" in (summary.text or "")
    assert "Titel: Een titel na de herstart" in (summary.text or "")


async def test_a_newsletter_draft_goes_on_after_a_restart(
    server: StandinServer, database: Database
) -> None:
    clock = await _network(server, database)
    async with _bot(server, database, clock):
        await _say(server, ANNE, "/nieuwsbrief")
        asked = await _say(server, ANNE, "Nieuwsbrief na de herstart")
        assert "Stuur nu de tekst" in (asked.text or "")

    async with _bot(server, database, clock):
        server.send_message(
            ANNE, "De tekst, vet.", entities=[{"type": "bold", "offset": 10, "length": 4}]
        )
        assert "foto of document" in ((await server.next_message(ANNE)).text or "")
        audience = await _say(server, ANNE, "/geen")
        assert "Zo gekozen: 3 deelnemers." in (audience.text or "")
        server.press_button(ANNE, audience.message_id, _data(audience, "Verder"))
        await server.wait_for(
            lambda: (server.messages(ANNE)[-1].text or "").startswith("Hierboven ziet u")
        )

    preview = server.messages(ANNE)[-2]
    assert preview.text == "Nieuwsbrief na de herstart\n\nDe tekst, vet."
    assert {"type": "bold", "offset": 38, "length": 4} in preview.entities


async def _network(server: StandinServer, database: Database) -> FixedClock:
    clock = FixedClock(MOMENT)
    await database.run(import_example_plan, clock)
    people = {
        FATIMA: ("Fatima", "gouda", ["contactpersonen"]),
        KOEN: ("Koen", "utrecht", ["contactpersonen", "kenniswerkgroep"]),
        ANNE: ("Anne", "coordinatie", []),
    }
    for user_id, (name, organisation, groups) in people.items():
        server.add_user(user_id, name)
        role = Role.COORDINATOR if user_id == ANNE else Role.LID
        [invite] = await database.run(
            create_invites, clock, role=role, organisation_code=organisation, group_codes=groups
        )
        await database.run(
            redeem_invite,
            clock,
            code=invite.code,
            telegram_user_id=user_id,
            name=name,
            username=None,
        )
    return clock


@asynccontextmanager
async def _bot(server: StandinServer, database: Database, clock: FixedClock) -> AsyncIterator[None]:
    """One run of the bot; leaving it stops the bot as a deployment does."""
    settings = standin_settings(server, database, admins=set())
    async with polling(
        build_application(settings, database, clock, outbox_job=False), poll_timeout=1
    ):
        yield


async def _say(server: StandinServer, user_id: int, text: str) -> SentMessage:
    server.send_message(user_id, text)
    return await server.next_message(user_id)


def _data(message: SentMessage, label: str) -> str:
    [data] = [data for text, data in message.buttons() if text == label]
    return data
