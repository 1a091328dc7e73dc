"""A coordinator changes the calendar in chat, and the participants concerned are told."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta
from typing import Any

import pytest

from berichten.outbox.delivery import DeliveryReport, deliver_keys
from berichten.outbox.requeue import pending_keys
from berichten.reminders.queue import queue_reminders
from bot.handlers.meeting_changes import commands as meeting_changes
from bot.standin import SentMessage
from planning.calendar.expand import CalendarEntry
from planning.membership.lookups import find_member
from tests.support.chat import ADMIN_ID, Chat, labels
from tests.support.plans import stored_calendar

FATIMA = 501  # contactpersonen: an AO participant


async def _calendar(chat: Chat) -> list[CalendarEntry]:
    return [e for e in await stored_calendar(chat.database) if e.kind == "meeting"]


async def _ao_on(chat: Chat, day: date) -> list[CalendarEntry]:
    return [e for e in await _calendar(chat) if e.overleg == "ao" and e.when.day == day]


async def _choose_march_ao(chat: Chat) -> SentMessage:
    """/wijzig, page on to the March AO and choose it; returns the message with the actions."""
    listing = await chat.say(ADMIN_ID, "/wijzig")
    assert (listing.text or "").startswith("Welke bijeenkomst wilt u wijzigen?")
    assert "➕ Bijeenkomst toevoegen" in labels(listing)
    assert not [label for label in labels(listing) if "Petit comité" in label]  # it follows the AO
    while "di 22 mrt 2011 · Ambtelijk overleg" not in labels(listing):
        await chat.press(ADMIN_ID, listing, "Meer »")
        listing = await chat.latest(ADMIN_ID)
    await chat.press(ADMIN_ID, listing, "di 22 mrt 2011 · Ambtelijk overleg")
    return await chat.latest(ADMIN_ID)


async def _moving_march_ao(chat: Chat) -> None:
    """Choose the March AO and Verplaatsen: the bot waits for the new date."""
    actions = await _choose_march_ao(chat)
    await chat.press(ADMIN_ID, actions, "Verplaatsen")
    await chat.settle()


async def test_a_coordinator_moves_the_march_ao_and_its_participants_are_told(
    planned_chat: Chat,
) -> None:
    chat = planned_chat
    await chat.member(FATIMA, "Fatima")
    [ao] = await _ao_on(chat, date(2011, 3, 22))

    actions = await _choose_march_ao(chat)
    assert "Ambtelijk overleg" in (actions.text or "") and "22 maart 2011" in (actions.text or "")
    await chat.press(ADMIN_ID, actions, "Verplaatsen")
    question = await chat.latest(ADMIN_ID)
    assert "Naar welke datum" in (question.text or "")

    confirmation = await chat.say(ADMIN_ID, "29-3-2011 10:00")

    text = confirmation.text or ""
    assert "Van: dinsdag 22 maart 2011" in text
    assert "Naar: dinsdag 29 maart 2011, 10:00" in text
    assert "Petit comité verschuift mee naar dinsdag 15 maart 2011, 10:00" in text
    assert await _ao_on(chat, date(2011, 3, 22)), "nothing is stored before the confirmation"

    await chat.press(ADMIN_ID, confirmation, "Bevestigen")
    notice = await chat.server.next_message(FATIMA)

    assert "Ambtelijk overleg" in (notice.text or "")
    assert "dinsdag 22 maart 2011" in (notice.text or "")
    assert "dinsdag 29 maart 2011, 10:00" in (notice.text or "")
    assert "Petit comité" not in (notice.text or "")  # Fatima is not in the petit comité
    receipt = await chat.latest(ADMIN_ID)
    assert "1 deelnemer krijgt er bericht van" in (receipt.text or "")
    [moved] = await _ao_on(chat, date(2011, 3, 29))
    assert moved.key == ao.key and moved.when.start == time(10)
    assert moved.sequence == ao.sequence + 1


async def test_the_participants_are_told_even_when_the_receipt_fails(planned_chat: Chat) -> None:
    chat = planned_chat
    await chat.member(FATIMA, "Fatima")
    await _moving_march_ao(chat)
    confirmation = await chat.say(ADMIN_ID, "29-3-2011 10:00")

    chat.server.fail_next("editMessageText")  # the receipt is refused
    await chat.press(ADMIN_ID, confirmation, "Bevestigen")

    notice = await chat.server.next_message(FATIMA)
    assert "dinsdag 29 maart 2011, 10:00" in (notice.text or "")


async def test_annuleren_midway_changes_nothing(planned_chat: Chat) -> None:
    chat = planned_chat
    before = await _calendar(chat)
    await _moving_march_ao(chat)

    answer = await chat.say(ADMIN_ID, "/annuleren")

    assert answer.text == "De opdracht is afgebroken; er is niets opgeslagen."
    after_date = await chat.say(ADMIN_ID, "29-3-2011 10:00")
    assert (after_date.text or "").startswith("Op vrije tekst kan ik nog niet reageren.")
    assert await _calendar(chat) == before


async def test_a_bad_date_gets_a_dutch_answer_and_the_conversation_goes_on(
    planned_chat: Chat,
) -> None:
    chat = planned_chat
    await chat.member(FATIMA, "Fatima")
    await _moving_march_ao(chat)

    unreadable = await chat.say(ADMIN_ID, "volgende week dinsdag")
    impossible = await chat.say(ADMIN_ID, "30-2-2011")
    past = await chat.say(ADMIN_ID, "3-1-2011")
    confirmation = await chat.say(ADMIN_ID, "29 maart 2011")

    assert (unreadable.text or "").startswith("Die datum kan ik niet lezen.")
    assert (impossible.text or "").startswith("Die datum bestaat niet.")
    assert (past.text or "").startswith("Die datum ligt in het verleden.")
    assert "Naar: dinsdag 29 maart 2011" in (confirmation.text or "")
    await chat.press(ADMIN_ID, confirmation, "Bevestigen")
    await chat.server.next_message(FATIMA)
    assert await _ao_on(chat, date(2011, 3, 29))


async def test_a_coordinator_cancels_an_ao_and_its_petit_comite_lapses_too(
    planned_chat: Chat,
) -> None:
    chat = planned_chat
    actions = await _choose_march_ao(chat)
    await chat.press(ADMIN_ID, actions, "Laten vervallen")
    confirmation = await chat.latest(ADMIN_ID)
    assert "Petit comité" in (confirmation.text or "") and "vervalt ook" in (
        confirmation.text or ""
    )

    await chat.press(ADMIN_ID, confirmation, "Bevestigen")
    await chat.settle()

    [ao] = await _ao_on(chat, date(2011, 3, 22))
    [pc] = [
        e for e in await _calendar(chat) if e.overleg == "pc" and e.when.day == date(2011, 3, 8)
    ]
    assert ao.cancelled and pc.cancelled


async def test_a_coordinator_adds_a_meeting(planned_chat: Chat) -> None:
    chat = planned_chat
    listing = await chat.say(ADMIN_ID, "/wijzig")
    await chat.press(ADMIN_ID, listing, "➕ Bijeenkomst toevoegen")
    overleggen = await chat.latest(ADMIN_ID)
    assert "Petit comité" not in labels(overleggen)
    await chat.press(ADMIN_ID, overleggen, "Kenniswerkgroep")
    await chat.settle()

    confirmation = await chat.say(ADMIN_ID, "17-11-2011 14:00-16:00")
    assert "dinsdag" not in (confirmation.text or "")
    assert "donderdag 17 november 2011, 14:00–16:00" in (confirmation.text or "")
    await chat.press(ADMIN_ID, confirmation, "Bevestigen")
    await chat.settle()

    assert [e for e in await _calendar(chat) if e.when.day == date(2011, 11, 17)]


async def test_a_member_is_refused(planned_chat: Chat) -> None:
    chat = planned_chat
    await chat.member(FATIMA, "Fatima")

    answer = await chat.say(FATIMA, "/wijzig")

    assert "alleen voor coördinatoren" in (answer.text or "")


async def test_a_member_who_blocked_the_bot_is_marked_blocked_when_told(
    planned_chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = planned_chat
    await chat.member(FATIMA, "Fatima")
    chat.server.blocked.add(FATIMA)  # blocked, before Telegram's my_chat_member update arrived
    delivered = _watch_notice_delivery(monkeypatch)
    await _moving_march_ao(chat)
    confirmation = await chat.say(ADMIN_ID, "29-3-2011")

    await chat.press(ADMIN_ID, confirmation, "Bevestigen")
    receipt = await chat.latest(ADMIN_ID)

    assert "1 deelnemer krijgt er bericht van" in (receipt.text or "")
    # The notice goes out in the background; Telegram's 403 marks her blocked.
    await chat.server.wait_for(
        lambda: any(c.method == "sendMessage" and c.status == 403 for c in chat.server.calls)
    )
    report = await asyncio.wait_for(delivered, timeout=5)
    assert report.blocked == 1
    member = await chat.database.run(find_member, FATIMA)
    assert member is not None and member.status == "blocked"


def _watch_notice_delivery(monkeypatch: pytest.MonkeyPatch) -> asyncio.Future[DeliveryReport]:
    """The report of the background run that sends a confirmed change's notices, once it has
    sent them and recorded what Telegram answered."""
    done: asyncio.Future[DeliveryReport] = asyncio.get_running_loop().create_future()

    async def watched(*args: Any) -> DeliveryReport:
        report = await deliver_keys(*args)
        done.set_result(report)
        return report

    monkeypatch.setattr(meeting_changes, "deliver_keys", watched)
    return done


async def test_a_reminder_of_the_old_moment_is_withdrawn_at_once(planned_chat: Chat) -> None:
    """The 18 January AO's 14-day reminder is due this morning; moving the AO withdraws it."""
    chat = planned_chat
    await chat.member(FATIMA, "Fatima")
    [ao] = await _ao_on(chat, date(2011, 1, 18))
    await chat.database.run(queue_reminders, chat.clock)
    window = (chat.clock.now() - timedelta(days=1), chat.clock.now() + timedelta(days=2))
    assert [k for k in await chat.database.run(pending_keys, ["meeting"], *window) if ao.key in k]

    listing = await chat.say(ADMIN_ID, "/wijzig")
    await chat.press(ADMIN_ID, listing, "di 18 jan 2011 · Ambtelijk overleg")
    await chat.press(ADMIN_ID, await chat.latest(ADMIN_ID), "Verplaatsen")
    await chat.settle()
    confirmation = await chat.say(ADMIN_ID, "25-1-2011")
    await chat.press(ADMIN_ID, confirmation, "Bevestigen")
    await chat.server.next_message(FATIMA)
    await chat.refreshed()

    assert not [
        k for k in await chat.database.run(pending_keys, ["meeting"], *window) if ao.key in k
    ]
