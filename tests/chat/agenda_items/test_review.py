"""Reviewing agenda items in chat: coordinators decide with buttons, once, and the submitter
hears; presses are answered before the outbox is refreshed, and its notices go out even when an
answer fails."""

from __future__ import annotations

import asyncio

import pytest

from bot.outbox_job import refresh_outbox_soon
from planning.agenda_items.services import review, submit
from planning.agenda_items.tables import AgendaItemStatus
from planning.membership.tables import Role
from tests.support.agenda_chat import (
    ANNE,
    AO,
    BERT,
    FATIMA,
    YOUSSEF,
    ao_key,
    notices_to_review,
    register,
    stored_items,
    submit_in_chat,
)
from tests.support.chat import Chat


async def test_a_coordinator_reviews_with_punten_and_the_submitter_hears(chat: Chat) -> None:
    key = await ao_key(chat)
    await chat.database.run(submit, chat.clock, FATIMA, key, "Aanpak schooluitval", "Zie de nota.")

    overview = await chat.say(ANNE, "/punten")
    item = await chat.server.next_message(ANNE)

    assert "Aanpak schooluitval" in (overview.text or "") and AO in (overview.text or "")
    assert "Zie de nota." in (item.text or "")
    await chat.press(ANNE, item, "Op de agenda")

    decision = await chat.arrives(FATIMA, lambda text: "staat op de agenda" in text)
    assert decision.text == (
        f"Uw agendapunt Aanpak schooluitval staat op de agenda van {AO} (punt 1).\n"
        "Aangeboden ter bespreking."
    )
    result = chat.current(item)
    assert "Op de agenda gezet door Anne de Vries (punt 1)." in (result.text or "")
    assert result.buttons() == []


async def test_punten_shows_five_items_at_a_time(chat: Chat) -> None:
    key = await ao_key(chat)
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
    to_anne, to_bert = await notices_to_review(chat, "Dubbel beoordeeld punt")

    await chat.press(ANNE, to_anne, "Op de agenda")
    await chat.settle()
    await chat.press(BERT, to_bert, "Niet opnemen")
    await chat.settle()

    redrawn = chat.current(to_bert)
    assert "Dit punt was al beoordeeld: Op de agenda gezet door Anne de Vries" in (
        redrawn.text or ""
    )
    assert redrawn.buttons() == []
    [item] = await stored_items(chat, FATIMA)
    assert item.status == AgendaItemStatus.ACCEPTED
    await chat.arrives(FATIMA, lambda text: "staat op de agenda" in text)
    await chat.sent_all()
    decisions = [text for text in chat.texts(FATIMA) if text.startswith("Uw agendapunt")]
    assert len(decisions) == 1


async def test_a_press_after_a_lost_notice_tells_the_submitter_once(chat: Chat) -> None:
    to_anne, to_bert = await notices_to_review(chat, "Beslist zonder bericht")
    [item] = await stored_items(chat, FATIMA)
    # A decision recorded without its notice to Fatima (as before notices were queued in the
    # decision's transaction).
    await chat.database.run(review, chat.clock, ANNE, item.id, accept=True)

    await chat.press(ANNE, to_anne, "Op de agenda")
    await chat.settle()
    await chat.press(BERT, to_bert, "Niet opnemen")
    await chat.settle()

    decision = await chat.arrives(FATIMA, lambda text: "staat op de agenda" in text)
    assert decision.text == (
        f"Uw agendapunt Beslist zonder bericht staat op de agenda van {AO} (punt 1).\n"
        "Aangeboden ter bespreking."
    )
    await chat.sent_all()
    assert [t for t in chat.texts(FATIMA) if t.startswith("Uw agendapunt")] == [decision.text]


async def test_a_press_is_answered_before_the_outbox_is_refreshed(chat: Chat) -> None:
    summary = await submit_in_chat(chat, FATIMA, "Snel beantwoord")
    await chat.press(FATIMA, summary, "Indienen")
    notice = await chat.arrives(ANNE, lambda text: "Snel beantwoord" in text)

    # A queueing run that takes long (seconds at 10,000 members): here one that holds the lock.
    async with chat.application.bot_data.queue_lock:
        await chat.press(ANNE, notice, "Op de agenda")
        await chat.server.wait_for(
            lambda: "Op de agenda gezet door Anne de Vries" in (chat.current(notice).text or "")
        )
        chat.server.send_message(ANNE, "/help")  # the bot goes on with the next update
        await chat.arrives(ANNE, lambda text: "/punten" in text)
        assert not any("staat op de agenda" in text for text in chat.texts(FATIMA))

    # The refresh follows, and with it the submitter's notice.
    await chat.arrives(FATIMA, lambda text: "Uw agendapunt Snel beantwoord staat op" in text)


async def test_a_failed_answer_still_sends_the_notices_at_once(chat: Chat) -> None:
    """A press whose answer Telegram refuses (a 500 on the edit) has stored its change: the
    notices it queued go out now, not at the outbox job's next wake up to an hour later."""
    summary = await submit_in_chat(chat, FATIMA, "Ondanks een storing")
    chat.server.fail_next("editMessageText")
    await chat.press(FATIMA, summary, "Indienen")
    notice = await chat.arrives(ANNE, lambda text: "Ondanks een storing" in text)

    chat.server.fail_next("editMessageText")
    await chat.press(ANNE, notice, "Op de agenda")
    await chat.arrives(FATIMA, lambda text: "Uw agendapunt Ondanks een storing staat op" in text)

    chat.server.send_message(ANNE, "/publiceer")
    preview = await chat.arrives(ANNE, lambda text: text.startswith("Zo ontvangen"))
    chat.server.fail_next("editMessageText")
    await chat.press(ANNE, preview, "Versturen")
    await chat.arrives(YOUSSEF, lambda text: text.startswith("Agenda:"))


# PTB wraps the coroutine in its own: cancelled before its first step, ours is never awaited.
@pytest.mark.filterwarnings("ignore:Exception ignored in. <coroutine object refresh_outbox_soon")
async def test_a_refresh_cancelled_before_it_began_does_not_block_later_ones(chat: Chat) -> None:
    refresh_outbox_soon(chat.application)
    cancelled = chat.application.bot_data.refresh
    assert cancelled is not None
    cancelled.cancel()  # as when the bot stops before the task had its turn
    with pytest.raises(asyncio.CancelledError):
        await cancelled

    summary = await submit_in_chat(chat, FATIMA, "Na een afgebroken verversing")
    await chat.press(FATIMA, summary, "Indienen")

    await chat.arrives(ANNE, lambda text: "Na een afgebroken verversing" in text)


async def test_a_member_pressing_a_review_button_is_refused_politely(chat: Chat) -> None:
    summary = await submit_in_chat(chat, FATIMA, "Punt voor de coördinatie")
    await chat.press(FATIMA, summary, "Indienen")
    notice = await chat.arrives(BERT, lambda text: "Punt voor de coördinatie" in text)
    # Bert stops as coordinator and comes back as a contact person; the old notice stays.
    await chat.say(BERT, "/afmelden")
    await chat.press(BERT, await chat.latest(BERT), "Ja, afmelden")
    await chat.settle()
    await register(chat.database, chat.clock, BERT, role=Role.LID)

    await chat.press(BERT, notice, "Op de agenda")
    await chat.settle()

    [answer] = list(chat.server.answered_callbacks.values())[-1:]
    assert (answer.get("text") or "").startswith("Deze knop is niet (meer) voor u")
    [item] = await stored_items(chat, FATIMA)
    assert item.status == AgendaItemStatus.WAITING
