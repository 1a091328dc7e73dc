"""Agenda items in chat: members submit and withdraw, coordinators review and publish.

The bot runs with its outbox job, as in production, so the notices the handlers queue (to the
coordinators, to the submitter, to the participants) really arrive. The clock stands on
Wednesday 12 January 2011, 10:00 in Amsterdam: no reminder or overview is due then, the first
AO's agenda closed with its petit comité on 4 January, so the AO open for items is the one of
22 March (its agenda closes when the petit comité of 8 March begins).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.app import build_application, polling
from bot.outbox_job import refresh_outbox, refresh_outbox_soon
from bot.sandbox import standin_settings
from bot.standin import SentMessage, StandinServer
from planning.agenda_items.services import my_items, open_meetings, review, submit, waiting_items
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.services import create_invites, redeem_invite
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from tests.chat.conftest import Chat

FATIMA, KOEN, YOUSSEF, MARIEKE, SANNE = 501, 502, 503, 504, 505  # members
ANNE, BERT = 601, 602  # coordinators
QUIET_MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)
# 09:00 in Amsterdam: a week before the petit comité of 8 March, and that day itself, fourteen
# days before the AO of 22 March.
PC_REMINDER = datetime(2011, 3, 1, 8, 0, tzinfo=UTC)
AO_REMINDER = datetime(2011, 3, 8, 8, 0, tzinfo=UTC)
AO = "Ambtelijk overleg van dinsdag 22 maart 2011"
KWG = "Kenniswerkgroep van donderdag 3 februari 2011"
PEOPLE = {
    # user id: (name, role, organisation, groups)
    FATIMA: ("Fatima El Amrani", Role.LID, "gouda", ["contactpersonen"]),
    KOEN: ("Koen de Boer", Role.LID, "utrecht", ["contactpersonen", "kenniswerkgroep"]),
    YOUSSEF: ("Youssef Amrani", Role.LID, "den-haag", ["contactpersonen"]),
    MARIEKE: ("Marieke Jansen", Role.LID, "ede", ["bestuurders"]),
    SANNE: ("Sanne Bakker", Role.LID, "helmond", ["petit-comite"]),
    ANNE: ("Anne de Vries", Role.COORDINATOR, "coordinatie", []),
    BERT: ("Bert Smit", Role.COORDINATOR, "coordinatie", []),
}


async def _register(
    database: Database, clock: FixedClock, user_id: int, role: Role | None = None
) -> None:
    name, usual_role, organisation, groups = PEOPLE[user_id]
    [invite] = await database.run(
        create_invites,
        clock,
        role=role or usual_role,
        organisation_code=organisation,
        group_codes=groups if (role or usual_role) is Role.LID else [],
    )
    await database.run(
        redeem_invite, clock, code=invite.code, telegram_user_id=user_id, name=name, username=None
    )


@asynccontextmanager
async def _running(
    server: StandinServer, database: Database, timezone: str = "Europe/Amsterdam"
) -> AsyncIterator[Chat]:
    moment = FixedClock(QUIET_MOMENT)
    await database.run(import_example_plan, moment)
    for user_id, (name, *_rest) in PEOPLE.items():
        first, last = name.split(" ", 1)
        server.add_user(user_id, first, last)
        await _register(database, moment, user_id)
    settings = standin_settings(server, database, admins=set(), timezone=timezone)
    application = build_application(settings, database, moment)
    async with polling(application, poll_timeout=1):
        yield Chat(server, application, database, moment)


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    """The example plan, four members and two coordinators, the bot with its outbox job.

    It replaces conftest's ``chat``, which runs without the job and with other people.
    """
    async with _running(server, database) as running:
        yield running


@pytest.fixture
async def utc_chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    """The same, on a server whose OVERLEGBOT_TIMEZONE is UTC (the plan's zone is Amsterdam)."""
    async with _running(server, database, timezone="UTC") as running:
        yield running


def _texts(chat: Chat, user_id: int) -> list[str]:
    return [message.text or "" for message in chat.server.messages(user_id)]


async def _arrives(chat: Chat, user_id: int, check: Callable[[str], bool]) -> SentMessage:
    """Wait for a message to ``user_id`` whose text passes ``check``; the first such one."""
    await chat.server.wait_for(lambda: any(check(text) for text in _texts(chat, user_id)))
    return next(m for m in chat.server.messages(user_id) if check(m.text or ""))


async def _latest(chat: Chat, user_id: int) -> SentMessage:
    await chat.settle()
    return chat.server.messages(user_id)[-1]


def _labels(message: SentMessage) -> list[str]:
    return [label for label, _ in message.buttons()]


async def _submit_in_chat(chat: Chat, user_id: int, title: str) -> SentMessage:
    """/agendapunt for a member with one open meeting, without explanation, up to the summary."""
    await chat.say(user_id, "/agendapunt")
    await chat.say(user_id, title)
    return await chat.say(user_id, "/overslaan")


async def _stored(chat: Chat, user_id: int) -> list[AgendaItemView]:
    return await chat.database.run(my_items, chat.clock, user_id)


async def _ao_key(chat: Chat) -> str:
    """The key of the AO of 22 March, the one meeting open to Fatima."""
    [meeting] = await chat.database.run(open_meetings, chat.clock, FATIMA)
    return meeting.entry.key


# ---------------------------------------------------------------------------- submitting


async def test_one_open_meeting_needs_no_choice_and_the_coordinators_hear(chat: Chat) -> None:
    question = await chat.say(FATIMA, "/agendapunt")

    assert question.buttons() == []
    assert AO in (question.text or "")
    assert "tot en met maandag 7 maart 2011" in (question.text or "")
    explanation_question = await chat.say(FATIMA, "  Jeugdcriminaliteit   in  Gouda ")
    assert "/overslaan" in (explanation_question.text or "")
    summary = await chat.say(FATIMA, "Cijfers van de politie over 2010.")
    assert "Titel: Jeugdcriminaliteit in Gouda" in (summary.text or "")
    assert "Toelichting: Cijfers van de politie over 2010." in (summary.text or "")
    assert _labels(summary) == ["Indienen", "Wijzigen", "Annuleren"]

    await chat.press(FATIMA, summary, "Indienen")

    confirmation = await _latest(chat, FATIMA)
    assert (confirmation.text or "").startswith(
        f"Dank u wel. Uw punt Jeugdcriminaliteit in Gouda is ingediend voor {AO}"
    )
    for coordinator in (ANNE, BERT):
        notice = await _arrives(chat, coordinator, lambda text: "Jeugdcriminaliteit" in text)
        assert "Fatima El Amrani" in (notice.text or "")
        assert "Cijfers van de politie over 2010." in (notice.text or "")
        assert _labels(notice) == ["Op de agenda", "Niet opnemen"]
    [item] = await _stored(chat, FATIMA)
    assert (item.title, item.status) == ("Jeugdcriminaliteit in Gouda", AgendaItemStatus.WAITING)


async def test_a_member_of_two_overleggen_chooses_the_meeting(chat: Chat) -> None:
    choice = await chat.say(KOEN, "/agendapunt")

    assert _labels(choice) == ["Kenniswerkgroep, 3 februari", "Ambtelijk overleg, 22 maart"]
    await chat.press(KOEN, choice, "Kenniswerkgroep, 3 februari")
    title_question = await _latest(chat, KOEN)
    assert KWG in (title_question.text or "")
    await chat.say(KOEN, "Ervaringen met de buurtaanpak")
    summary = await chat.say(KOEN, "/overslaan")
    assert "Toelichting: geen" in (summary.text or "")
    await chat.press(KOEN, summary, "Indienen")
    await chat.settle()

    [item] = await _stored(chat, KOEN)
    assert (item.overleg_code, item.explanation) == ("kwg", None)


async def test_a_member_without_an_open_agenda_is_told_so(chat: Chat) -> None:
    answer = await chat.say(SANNE, "/agendapunt")  # the petit comité takes no items

    assert answer.text == (
        "Er is op dit moment geen overleg van u waarvoor u agendapunten kunt aanleveren. "
        "Zodra dat weer kan, kunt u het overleg kiezen met /agendapunt."
    )
    assert answer.buttons() == []
    follow_up = await chat.say(SANNE, "Een titel")
    assert "Op vrije tekst kan ik nog niet reageren" in (follow_up.text or "")


async def test_the_closing_moment_is_told_in_the_plans_zone_not_the_servers(
    utc_chat: Chat,
) -> None:
    question = await utc_chat.say(FATIMA, "/agendapunt")
    choice = await utc_chat.say(KOEN, "/agendapunt")

    # The petit comité of 8 March begins at 00:00 in Amsterdam (23:00 UTC the day before), as
    # the reminders say; in UTC it would read "tot maandag 7 maart 2011, 23:00".
    assert "aanleveren kan tot en met maandag 7 maart 2011)" in (question.text or "")
    assert (
        "Ambtelijk overleg, dinsdag 22 maart 2011: punten aanleveren kan tot en met "
        "maandag 7 maart 2011" in (choice.text or "")
    )


async def test_annuleren_stores_nothing_and_agendapunt_starts_again(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, "Een punt dat ik toch niet indien")

    cancelled = await chat.say(FATIMA, "/annuleren")
    assert cancelled.text == "De opdracht is afgebroken; er is niets opgeslagen."
    afterwards = await chat.say(FATIMA, "Losse tekst")
    assert "Op vrije tekst kan ik nog niet reageren" in (afterwards.text or "")

    again = await chat.say(FATIMA, "/agendapunt")
    assert "Wat is de titel van uw punt?" in (again.text or "")
    summary = await _submit_in_chat(chat, FATIMA, "Het punt dat ik wel indien")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    assert [item.title for item in await _stored(chat, FATIMA)] == ["Het punt dat ik wel indien"]
    await _arrives(chat, ANNE, lambda text: "Het punt dat ik wel indien" in text)
    assert not any("toch niet" in text for text in _texts(chat, ANNE))


async def test_another_command_halfway_leaves_the_draft_to_go_on_with(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, "Samenwerking met het onderwijs")

    agenda = await chat.say(FATIMA, "/agenda")
    assert "Ambtelijk overleg" in (agenda.text or "")
    summary = await chat.say(FATIMA, "Graag een ronde langs de gemeenten.")

    assert "Titel: Samenwerking met het onderwijs" in (summary.text or "")
    assert "Toelichting: Graag een ronde langs de gemeenten." in (summary.text or "")


async def test_an_overlong_title_is_refused_in_dutch_and_the_draft_kept(chat: Chat) -> None:
    choice = await chat.say(KOEN, "/agendapunt")
    await chat.press(KOEN, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()

    refusal = await chat.say(KOEN, "x" * 201)

    assert "te lang" in (refusal.text or "") and "200 tekens" in (refusal.text or "")
    await chat.say(KOEN, "Een titel van gewone lengte")
    summary = await chat.say(KOEN, "/overslaan")
    assert f"Overleg: {KWG}" in (summary.text or "")
    assert "Titel: Een titel van gewone lengte" in (summary.text or "")


async def test_wijzigen_asks_again_and_the_new_answers_count(chat: Chat) -> None:
    summary = await _submit_in_chat(chat, FATIMA, "Eerste versie")

    await chat.press(FATIMA, summary, "Wijzigen")
    question = await _latest(chat, FATIMA)
    assert "Wat is de titel van uw punt?" in (question.text or "")
    await chat.say(FATIMA, "Tweede versie")
    summary = await chat.say(FATIMA, "Met toelichting nu.")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    [item] = await _stored(chat, FATIMA)
    assert (item.title, item.explanation) == ("Tweede versie", "Met toelichting nu.")


# ---------------------------------------------------------------------------- /mijnpunten


async def test_mijnpunten_shows_the_status_and_withdraws_a_waiting_item(chat: Chat) -> None:
    key = await _ao_key(chat)
    accepted = await chat.database.run(submit, chat.clock, FATIMA, key, "Al besproken punt", None)
    await chat.database.run(submit, chat.clock, FATIMA, key, "Punt om in te trekken", None)
    await chat.database.run(review, chat.clock, ANNE, accepted.id, accept=True)

    listing = await chat.say(FATIMA, "/mijnpunten")

    assert "Al besproken punt: op de agenda (punt 1)" in (listing.text or "")
    assert "Punt om in te trekken: ter beoordeling" in (listing.text or "")
    assert _labels(listing) == ["Intrekken: Punt om in te trekken"]
    await chat.press(FATIMA, listing, "Intrekken: Punt om in te trekken")

    answer = await _latest(chat, FATIMA)
    assert answer.text == "Uw punt Punt om in te trekken is ingetrokken."
    redrawn = next(m for m in chat.server.messages(FATIMA) if m.message_id == listing.message_id)
    assert "Punt om in te trekken: ingetrokken" in (redrawn.text or "")
    assert redrawn.buttons() == []
    assert await chat.database.run(waiting_items, chat.clock) == []


# ---------------------------------------------------------------------------- reviewing


async def test_a_coordinator_reviews_with_punten_and_the_submitter_hears(chat: Chat) -> None:
    key = await _ao_key(chat)
    await chat.database.run(submit, chat.clock, FATIMA, key, "Aanpak schooluitval", "Zie de nota.")

    overview = await chat.say(ANNE, "/punten")
    item = await chat.server.next_message(ANNE)

    assert "Aanpak schooluitval" in (overview.text or "") and AO in (overview.text or "")
    assert "Zie de nota." in (item.text or "")
    await chat.press(ANNE, item, "Op de agenda")

    decision = await _arrives(chat, FATIMA, lambda text: "staat op de agenda" in text)
    assert decision.text == (
        f"Uw agendapunt Aanpak schooluitval staat op de agenda van {AO} (punt 1)."
    )
    result = next(m for m in chat.server.messages(ANNE) if m.message_id == item.message_id)
    assert "Op de agenda gezet door Anne de Vries (punt 1)." in (result.text or "")
    assert result.buttons() == []


async def test_punten_shows_five_items_at_a_time(chat: Chat) -> None:
    key = await _ao_key(chat)
    for number in range(1, 7):
        await chat.database.run(submit, chat.clock, FATIMA, key, f"Punt {number}", None)

    overview = await chat.say(ANNE, "/punten")
    await chat.settle()

    assert "Ter beoordeling (6 punten)" in (overview.text or "")
    after = [m for m in chat.server.messages(ANNE) if m.message_id > overview.message_id]
    with_buttons = [m for m in after if m.buttons()]
    assert [(m.text or "").splitlines()[1] for m in with_buttons] == [
        f"Punt {number}" for number in range(1, 6)
    ]
    assert (after[-1].text or "").startswith("Dit waren de eerste 5 punten.")


async def test_a_second_review_says_what_already_happened(chat: Chat) -> None:
    summary = await _submit_in_chat(chat, FATIMA, "Dubbel beoordeeld punt")
    await chat.press(FATIMA, summary, "Indienen")
    notices = {
        coordinator: await _arrives(chat, coordinator, lambda t: "Dubbel beoordeeld" in t)
        for coordinator in (ANNE, BERT)
    }

    await chat.press(ANNE, notices[ANNE], "Op de agenda")
    await chat.settle()
    await chat.press(BERT, notices[BERT], "Niet opnemen")
    await chat.settle()

    bert = next(m for m in chat.server.messages(BERT) if m.message_id == notices[BERT].message_id)
    assert "Dit punt was al beoordeeld: Op de agenda gezet door Anne de Vries" in (bert.text or "")
    assert bert.buttons() == []
    [item] = await _stored(chat, FATIMA)
    assert item.status == AgendaItemStatus.ACCEPTED
    await _arrives(chat, FATIMA, lambda text: "staat op de agenda" in text)
    await chat.settle()
    decisions = [text for text in _texts(chat, FATIMA) if text.startswith("Uw agendapunt")]
    assert len(decisions) == 1


async def test_a_press_after_a_lost_notice_tells_the_submitter_once(chat: Chat) -> None:
    summary = await _submit_in_chat(chat, FATIMA, "Beslist zonder bericht")
    await chat.press(FATIMA, summary, "Indienen")
    notices = {
        coordinator: await _arrives(chat, coordinator, lambda t: "Beslist zonder bericht" in t)
        for coordinator in (ANNE, BERT)
    }
    [item] = await _stored(chat, FATIMA)
    # A decision recorded without its notice to Fatima (as before notices were queued in the
    # decision's transaction).
    await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    await chat.press(ANNE, notices[ANNE], "Op de agenda")
    await chat.settle()
    await chat.press(BERT, notices[BERT], "Niet opnemen")
    await chat.settle()

    decision = await _arrives(chat, FATIMA, lambda text: "staat op de agenda" in text)
    assert decision.text == (
        f"Uw agendapunt Beslist zonder bericht staat op de agenda van {AO} (punt 1)."
    )
    await chat.settle()
    assert [t for t in _texts(chat, FATIMA) if t.startswith("Uw agendapunt")] == [decision.text]


async def test_a_press_is_answered_before_the_outbox_is_refreshed(chat: Chat) -> None:
    summary = await _submit_in_chat(chat, FATIMA, "Snel beantwoord")
    await chat.press(FATIMA, summary, "Indienen")
    notice = await _arrives(chat, ANNE, lambda text: "Snel beantwoord" in text)

    # A queueing run that takes long (seconds at 10,000 members): here one that holds the lock.
    async with chat.application.bot_data.queue_lock:
        await chat.press(ANNE, notice, "Op de agenda")
        await chat.server.wait_for(
            lambda: any(
                "Op de agenda gezet door Anne de Vries" in (m.text or "")
                for m in chat.server.messages(ANNE)
                if m.message_id == notice.message_id
            )
        )
        chat.server.send_message(ANNE, "/help")  # the bot goes on with the next update
        await _arrives(chat, ANNE, lambda text: "/punten" in text)
        assert not any("staat op de agenda" in text for text in _texts(chat, FATIMA))

    # The refresh follows, and with it the submitter's notice.
    await _arrives(chat, FATIMA, lambda text: "Uw agendapunt Snel beantwoord staat op" in text)


async def test_a_failed_answer_still_sends_the_notices_at_once(chat: Chat) -> None:
    """A press whose answer Telegram refuses (a 500 on the edit) has stored its change: the
    notices it queued go out now, not at the outbox job's next wake up to an hour later."""
    summary = await _submit_in_chat(chat, FATIMA, "Ondanks een storing")
    chat.server.fail_next("editMessageText")
    await chat.press(FATIMA, summary, "Indienen")
    notice = await _arrives(chat, ANNE, lambda text: "Ondanks een storing" in text)

    chat.server.fail_next("editMessageText")
    await chat.press(ANNE, notice, "Op de agenda")
    await _arrives(chat, FATIMA, lambda text: "Uw agendapunt Ondanks een storing staat op" in text)

    chat.server.send_message(ANNE, "/publiceer")
    preview = await _arrives(chat, ANNE, lambda text: text.startswith("Zo ontvangen"))
    chat.server.fail_next("editMessageText")
    await chat.press(ANNE, preview, "Versturen")
    await _arrives(chat, YOUSSEF, lambda text: text.startswith("Agenda:"))


# PTB wraps the coroutine in its own: cancelled before its first step, ours is never awaited.
@pytest.mark.filterwarnings("ignore:Exception ignored in. <coroutine object refresh_outbox_soon")
async def test_a_refresh_cancelled_before_it_began_does_not_block_later_ones(chat: Chat) -> None:
    refresh_outbox_soon(chat.application)
    cancelled = chat.application.bot_data.refresh
    assert cancelled is not None
    cancelled.cancel()  # as when the bot stops before the task had its turn
    with pytest.raises(asyncio.CancelledError):
        await cancelled

    summary = await _submit_in_chat(chat, FATIMA, "Na een afgebroken verversing")
    await chat.press(FATIMA, summary, "Indienen")

    await _arrives(chat, ANNE, lambda text: "Na een afgebroken verversing" in text)


async def test_a_member_pressing_a_review_button_is_refused_politely(chat: Chat) -> None:
    summary = await _submit_in_chat(chat, FATIMA, "Punt voor de coördinatie")
    await chat.press(FATIMA, summary, "Indienen")
    notice = await _arrives(chat, BERT, lambda text: "Punt voor de coördinatie" in text)
    # Bert stops as coordinator and comes back as a contact person; the old notice stays.
    await chat.say(BERT, "/afmelden")
    await chat.press(BERT, await _latest(chat, BERT), "Ja, afmelden")
    await chat.settle()
    await _register(chat.database, chat.clock, BERT, role=Role.LID)

    await chat.press(BERT, notice, "Op de agenda")

    refusal = await _latest(chat, BERT)
    assert refusal.text == (
        "Deze opdracht is alleen voor coördinatoren. Met /help ziet u wat u kunt gebruiken."
    )
    [item] = await _stored(chat, FATIMA)
    assert item.status == AgendaItemStatus.WAITING


# ---------------------------------------------------------------------------- publishing


async def test_publiceer_sends_the_agenda_to_the_participants(chat: Chat) -> None:
    key = await _ao_key(chat)
    first = await chat.database.run(submit, chat.clock, FATIMA, key, "Jaarplan 2011", None)
    second = await chat.database.run(submit, chat.clock, KOEN, key, "Monitor", "Eerste cijfers.")
    await chat.database.run(review, chat.clock, ANNE, first.id, accept=True)
    await chat.database.run(review, chat.clock, ANNE, second.id, accept=True)

    preview = await chat.say(ANNE, "/publiceer")

    assert (preview.text or "").startswith("Zo ontvangen de deelnemers de agenda:")
    assert "1. Jaarplan 2011 (Gemeente Gouda)" in (preview.text or "")
    assert "2. Monitor (Gemeente Utrecht)" in (preview.text or "")
    assert _labels(preview) == ["Versturen", "Afbreken"]
    await chat.press(ANNE, preview, "Versturen")

    for participant in (FATIMA, KOEN, YOUSSEF):
        agenda = await _arrives(chat, participant, lambda text: text.startswith("Agenda:"))
        assert "1. Jaarplan 2011 (Gemeente Gouda)" in (agenda.text or "")
        assert "Eerste cijfers." in (agenda.text or "")
    done = await _latest(chat, ANNE)
    assert (done.text or "").startswith(f"De agenda van {AO} is onderweg naar")
    assert not any(text.startswith("Agenda:") for text in _texts(chat, MARIEKE))


async def test_a_long_agenda_is_previewed_and_sent_whole_in_parts(chat: Chat) -> None:
    key = await _ao_key(chat)
    for number in range(1, 13):
        explanation = f"Toelichting bij punt {number}. " + "Zie de bijlage. " * 50
        item = await chat.database.run(
            submit, chat.clock, FATIMA, key, f"Punt {number}", explanation
        )
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    first = await chat.say(ANNE, "/publiceer")
    await chat.settle()
    preview = [m for m in chat.server.messages(ANNE) if m.message_id >= first.message_id]

    assert len(preview) > 2
    assert (preview[0].text or "").startswith("Zo ontvangen de deelnemers de agenda:")
    assert [_labels(m) for m in preview] == [[]] * (len(preview) - 1) + [["Versturen", "Afbreken"]]
    assert "12. Punt 12" in (preview[-1].text or "")
    await chat.press(ANNE, preview[-1], "Versturen")
    await _arrives(chat, ANNE, lambda text: text.startswith(f"De agenda van {AO} is onderweg"))
    for part in range(1, len(preview) + 1):  # part n falls due n - 1 seconds after the first
        chat.clock.set(QUIET_MOMENT + timedelta(seconds=part - 1))
        await refresh_outbox(chat.application)  # what the job does when it wakes then
        for participant in (FATIMA, YOUSSEF):
            await chat.server.wait_for(partial(_agenda_parts_arrived, chat, participant, part))

    for participant in (FATIMA, YOUSSEF):
        parts = [text for text in _texts(chat, participant) if text.startswith("Agenda:")]
        assert len(parts) == len(preview)
        assert all(part.startswith("Agenda: Ambtelijk overleg (vervolg)\n") for part in parts[1:])
        numbers = [int(n) for n in re.findall(r"^(\d+)\. Punt", "\n".join(parts), re.M)]
        assert numbers == list(range(1, 13))


def _agenda_parts_arrived(chat: Chat, user_id: int, count: int) -> bool:
    return len([t for t in _texts(chat, user_id) if t.startswith("Agenda:")]) == count


async def test_publiceer_asks_which_meeting_and_afbreken_sends_nothing(chat: Chat) -> None:
    for member in (FATIMA, KOEN):
        meeting = (await chat.database.run(open_meetings, chat.clock, member))[
            0
        ]  # AO; kwg for Koen
        item = await chat.database.run(submit, chat.clock, member, meeting.entry.key, "Punt", None)
        await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    choice = await chat.say(ANNE, "/publiceer")

    assert _labels(choice) == [
        "do 3 feb 2011 · Kenniswerkgroep",
        "di 22 mrt 2011 · Ambtelijk overleg",
    ]
    await chat.press(ANNE, choice, "do 3 feb 2011 · Kenniswerkgroep")
    preview = await _latest(chat, ANNE)
    assert "Agenda: Kenniswerkgroep" in (preview.text or "")
    await chat.press(ANNE, preview, "Afbreken")
    cancelled = await _latest(chat, ANNE)

    assert cancelled.text == "De opdracht is afgebroken; er is niets opgeslagen."
    assert not any(text.startswith("Agenda:") for text in _texts(chat, KOEN))


async def test_publiceer_without_accepted_items_says_so(chat: Chat) -> None:
    answer = await chat.say(ANNE, "/publiceer")

    assert (answer.text or "").startswith("Er is geen komend overleg met punten op de agenda.")
    assert answer.buttons() == []


async def test_members_may_not_review_or_publish(chat: Chat) -> None:
    for command in ("/punten", "/publiceer"):
        answer = await chat.say(FATIMA, command)
        assert (answer.text or "").startswith("Deze opdracht is alleen voor coördinatoren.")


# ---------------------------------------------------------------------------- reminders


async def test_the_reminders_carry_the_waiting_items_and_then_the_agenda(chat: Chat) -> None:
    summary = await _submit_in_chat(chat, FATIMA, "Jeugdcriminaliteit in Gouda")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    chat.clock.set(PC_REMINDER)
    await refresh_outbox(chat.application)  # what the job does when it wakes at that moment
    pc = await _arrives(chat, SANNE, lambda text: text.startswith("Herinnering: Petit comité"))
    assert f"Ter beoordeling voor {AO}: 1 punt" in (pc.text or "")
    assert "• Jeugdcriminaliteit in Gouda (Gemeente Gouda)" in (pc.text or "")

    [waiting] = await chat.database.run(waiting_items, chat.clock)
    await chat.database.run(review, chat.clock, ANNE, waiting.id, accept=True)
    chat.clock.set(AO_REMINDER)
    await refresh_outbox(chat.application)
    ao = await _arrives(chat, FATIMA, lambda text: text.startswith("Herinnering: Ambtelijk"))
    assert "Agenda tot nu toe:\n1. Jeugdcriminaliteit in Gouda" in (ao.text or "")
    # The petit comité began at midnight, so the agenda is closed: no invitation to add more.
    assert "/agendapunt" not in (ao.text or "")


async def test_starting_agendapunt_halfway_mijlpaal_ends_it_and_the_title_goes_to_the_item(
    chat: Chat,
) -> None:
    listing = await chat.say(ANNE, "/mijlpaal")
    await chat.press(ANNE, listing, _labels(listing)[0])
    await chat.press(ANNE, await _latest(chat, ANNE), "Nieuwe datum")
    await chat.settle()  # /mijlpaal now waits for a typed date

    choice = await chat.say(ANNE, "/agendapunt")
    notice = await chat.server.next_message(ANNE)

    assert notice.text == (
        "Omdat u een nieuwe opdracht begon, is /mijlpaal afgebroken. "
        "Wat u daar invulde, is niet bewaard."
    )
    await chat.press(ANNE, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()
    explanation_question = await chat.say(ANNE, "Mijlpalen van de kenniswerkgroep")
    assert "/overslaan" in (explanation_question.text or "")
    summary = await chat.say(ANNE, "/overslaan")
    assert "Titel: Mijlpalen van de kenniswerkgroep" in (summary.text or "")
    assert (await chat.say(ANNE, "/annuleren")).text == (
        "De opdracht is afgebroken; er is niets opgeslagen."
    )
    assert (await chat.say(ANNE, "/annuleren")).text == "Er is niets om af te breken."


async def _title_then_pause(chat: Chat, title: str) -> SentMessage:
    """Type an agenda item's title, then start choosing a pause date; the notice that says the
    item was kept."""
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, title)
    settings = await chat.say(FATIMA, "/instellingen")
    await chat.press(FATIMA, settings, "Pauzeren")
    await chat.settle()
    await chat.press(FATIMA, _now_showing(chat, FATIMA, settings), "Tot een datum")
    return await chat.server.next_message(FATIMA)


async def test_an_item_with_a_title_is_kept_when_another_conversation_starts(chat: Chat) -> None:
    notice = await _title_then_pause(chat, "Gegevensdeling tussen gemeenten")
    paused = await chat.say(FATIMA, "1-2-2011")  # the pause's date, not an explanation

    assert (notice.text or "").startswith(
        "Omdat u een nieuwe opdracht begon, is /agendapunt onderbroken. "
        "Uw punt Gegevensdeling tussen gemeenten is nog niet ingediend, maar wel bewaard"
    )
    assert "1 februari 2011" in (paused.text or "")
    resumed = await chat.say(FATIMA, "/agendapunt")
    assert (resumed.text or "").startswith(
        "U gaat verder met uw agendapunt Gegevensdeling tussen gemeenten.\nWilt u het punt"
    )
    summary = await chat.say(FATIMA, "Graag afspraken over de AVG.")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()
    [item] = await _stored(chat, FATIMA)
    assert (item.title, item.explanation) == (
        "Gegevensdeling tussen gemeenten",
        "Graag afspraken over de AVG.",
    )


async def test_a_kept_item_is_dropped_by_the_second_annuleren_and_says_so(chat: Chat) -> None:
    notice = await _title_then_pause(chat, "Bewaard en verwijderd")

    assert (notice.text or "").endswith(
        "U kunt het later afmaken met /agendapunt, of daar met /annuleren verwijderen."
    )
    # The first /annuleren ends the pause's conversation, which is open; the item stays kept.
    first = await chat.say(FATIMA, "/annuleren")
    second = await chat.say(FATIMA, "/annuleren")
    third = await chat.say(FATIMA, "/annuleren")

    assert first.text == "De opdracht is afgebroken; er is niets opgeslagen."
    assert second.text == "Uw bewaarde agendapunt Bewaard en verwijderd is verwijderd."
    assert third.text == "Er is niets om af te breken."
    fresh = await chat.say(FATIMA, "/agendapunt")
    assert "U gaat verder" not in (fresh.text or "")


async def test_a_refused_command_leaves_the_open_conversation_be(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")

    refused = await chat.say(FATIMA, "/publiceer")  # for coordinators only
    explanation_question = await chat.say(FATIMA, "Een titel na een weigering")

    assert (refused.text or "").startswith("Deze opdracht is alleen voor coördinatoren.")
    assert "/overslaan" in (explanation_question.text or "")


async def test_two_conversations_are_never_open_at_once(chat: Chat) -> None:
    choice = await chat.say(ANNE, "/agendapunt")
    await chat.say(ANNE, "/mijlpaal")
    notice = await chat.server.next_message(ANNE)
    assert notice.text == (
        "Omdat u een nieuwe opdracht begon, is /agendapunt afgebroken. "
        "Wat u daar invulde, is niet bewaard."
    )

    cancelled = await chat.say(ANNE, "/annuleren")
    again = await chat.say(ANNE, "/annuleren")
    await chat.press(ANNE, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()

    assert cancelled.text == "De opdracht is afgebroken; er is niets opgeslagen."
    assert again.text == "Er is niets om af te breken."
    # The old choice is a button of a conversation that ended: nothing asks for a title.
    assert _now_showing(chat, ANNE, choice).text == choice.text
    assert not any("Wat is de titel" in text for text in _texts(chat, ANNE))


# ---------------------------------------------------------------------------- agenda closed


def _now_showing(chat: Chat, user_id: int, message: SentMessage) -> SentMessage:
    """``message`` as the member sees it now, after the bot's edits."""
    return next(m for m in chat.server.messages(user_id) if m.message_id == message.message_id)


async def test_a_draft_whose_agenda_closed_meanwhile_can_go_to_another_meeting(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, "Net te laat ingediend")
    summary = await chat.say(FATIMA, "Een toelichting die niet verloren mag gaan.")
    chat.clock.set(datetime(2011, 3, 8, 12, 0, tzinfo=UTC))  # the petit comité began at 00:00

    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    choice = _now_showing(chat, FATIMA, summary)
    assert (choice.text or "").startswith("De agenda van het overleg dat u koos, is inmiddels")
    assert "Uw titel en toelichting zijn bewaard" in (choice.text or "")
    [later_ao] = _labels(choice)
    assert later_ao.startswith("Ambtelijk overleg, ") and later_ao != "Ambtelijk overleg, 22 maart"
    await chat.press(FATIMA, choice, later_ao)
    await chat.settle()
    again = _now_showing(chat, FATIMA, summary)
    assert "Titel: Net te laat ingediend" in (again.text or "")
    assert "Toelichting: Een toelichting die niet verloren mag gaan." in (again.text or "")
    assert "22 maart" not in (again.text or "")
    await chat.press(FATIMA, again, "Indienen")
    await chat.settle()

    [item] = await _stored(chat, FATIMA)
    assert (item.title, item.explanation) == (
        "Net te laat ingediend",
        "Een toelichting die niet verloren mag gaan.",
    )
    assert (_now_showing(chat, FATIMA, summary).text or "").startswith("Dank u wel.")


async def test_with_no_other_agenda_open_the_typed_text_is_shown_to_keep(chat: Chat) -> None:
    await chat.say(MARIEKE, "/agendapunt")  # the Bestuurlijk overleg of October, her only one
    await chat.say(MARIEKE, "Regionale samenwerking")
    summary = await chat.say(MARIEKE, "Voorstel voor een gezamenlijke aanpak.")
    chat.clock.set(datetime(2011, 10, 3, 12, 0, tzinfo=UTC))

    await chat.press(MARIEKE, summary, "Indienen")
    await chat.settle()

    answer = _now_showing(chat, MARIEKE, summary)
    assert "er is nu geen ander overleg waarvoor u punten kunt aanleveren" in (answer.text or "")
    assert "Titel: Regionale samenwerking" in (answer.text or "")
    assert "Toelichting: Voorstel voor een gezamenlijke aanpak." in (answer.text or "")
    assert answer.buttons() == []
    assert await _stored(chat, MARIEKE) == []
