"""A photo or document queued in the outbox reaches members through the running bot: with its
caption and signed buttons, or followed by its text when the caption is too long; and every
outcome of a send (403, 429, a refused file) is handled as for text.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from telegram import Bot, Message

from berichten.outbox.delivery import deliver_due
from berichten.outbox.media import Media, MediaKind
from berichten.outbox.pacing import Pacer
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import OutboxStatus
from bot.button_data import Signer, button_key
from bot.outbox_job import refresh_outbox
from bot.standin import StandinServer
from bot.telegram_sender import TelegramSender
from bot.uploads import uploaded_media
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.lookups import find_member
from planning.membership.tables import MemberStatus
from tests.support.chat import Chat, labels, run_bot
from tests.support.network import add_network, join
from tests.support.outbox import outbox_rows

FATIMA, JAN = 501, 502
BUTTONS = [[("Gelezen", "gelezen|7"), ("Reageer", "reageer|7")]]
NEWS = "<b>Nieuwsbrief</b> maart: de werkgroep <i>wonen</i> start."
LONG = "\n\n".join(f"<b>Alinea {n}</b> " + "woord " * 240 for n in range(1, 6))


@pytest.fixture
async def running(
    server: StandinServer, database: Database, clock: FixedClock
) -> AsyncIterator[Chat]:
    """Fatima and Jan, members of Gouda, and the bot with its outbox job."""
    await add_network(database)
    for user, name in ((FATIMA, "Fatima"), (JAN, "Jan")):
        server.add_user(user, name)
        await join(database, clock, user, "gouda", "contactpersonen", name=name)
    async with run_bot(server, database, clock) as chat:
        yield chat


def _jans_photo(server: StandinServer) -> Media:
    """The photo Jan sent the bot, as the bot keeps it."""
    update = server.send_photo(JAN, b"\xff\xd8 foto van de werkgroep", width=1600, height=1200)
    media = uploaded_media(Message.de_json(update["message"], None))
    assert media is not None
    return media


def _news(clock: FixedClock, media: Media, text: str = NEWS) -> NewMessage:
    return NewMessage(
        key=f"nieuws|7|{FATIMA}",
        kind="newsletter",
        recipient=FATIMA,
        text=text,
        due_at=clock.now(),
        media=media,
        buttons=BUTTONS,
    )


def _signed_for(server: StandinServer, user: int, data: str) -> str | None:
    return Signer(button_key(server.token), user).verify(data)


async def test_a_photo_from_the_outbox_reaches_a_member_with_caption_and_buttons(
    running: Chat,
) -> None:
    server = running.server
    photo = _jans_photo(server)
    await running.database.run(enqueue, running.clock.now(), [_news(running.clock, photo)])

    await refresh_outbox(running.application)  # as a feature does after queueing
    await running.sent_all()

    [message] = server.messages(FATIMA)
    assert message.photo == photo.file_id
    assert message.text == "Nieuwsbrief maart: de werkgroep wonen start."
    assert [entity["type"] for entity in message.entities] == ["bold", "italic"]
    assert labels(message) == ["Gelezen", "Reageer"]
    signed = [data for _, data in message.buttons()]
    assert [_signed_for(server, FATIMA, data) for data in signed] == ["gelezen|7", "reageer|7"]
    assert [_signed_for(server, JAN, data) for data in signed] == [None, None]


async def test_a_caption_too_long_arrives_as_the_photo_then_its_text(running: Chat) -> None:
    server = running.server
    photo = _jans_photo(server)
    await running.database.run(enqueue, running.clock.now(), [_news(running.clock, photo, LONG)])

    await refresh_outbox(running.application)
    await running.sent_all()

    [media, part_1, part_2] = server.messages(FATIMA)
    assert (media.photo, media.text, media.buttons()) == (photo.file_id, None, [])
    assert (part_1.photo, part_1.buttons(), labels(part_2)) == (None, [], ["Gelezen", "Reageer"])
    assert [part_1.text, part_2.text] == [
        row.text.replace("<b>", "").replace("</b>", "").strip()
        for row in (await outbox_rows(running.database))[1:]
    ]


@dataclass
class _Delivery:
    server: StandinServer
    database: Database
    clock: FixedClock
    bot: Bot

    async def deliver(self) -> None:
        pacer = Pacer(per_second=1000, chat_interval=0)
        await deliver_due(self.database, self.clock, TelegramSender(self.bot), pacer)

    async def statuses(self) -> list[tuple[str, str | None]]:
        return [(row.status, row.last_error) for row in await outbox_rows(self.database)]


@pytest.fixture
async def delivery(
    server: StandinServer, database: Database, clock: FixedClock
) -> AsyncIterator[_Delivery]:
    """Fatima and Jan, and the outbox delivered through PTB's bot without the application."""
    await add_network(database)
    for user, name in ((FATIMA, "Fatima"), (JAN, "Jan")):
        server.add_user(user, name)
        await join(database, clock, user, "gouda", "contactpersonen", name=name)
    async with Bot(server.token, base_url=server.base_url) as bot:
        yield _Delivery(server, database, clock, bot)


async def test_a_member_who_blocked_the_bot_is_marked_on_a_photo_and_skipped(
    delivery: _Delivery,
) -> None:
    photo = _jans_photo(delivery.server)
    await delivery.database.run(enqueue, delivery.clock.now(), [_news(delivery.clock, photo, LONG)])
    delivery.server.block(FATIMA)

    await delivery.deliver()

    member = await delivery.database.run(find_member, FATIMA)
    assert member is not None and member.status == MemberStatus.BLOCKED
    assert [status for status, _ in await delivery.statuses()] == [OutboxStatus.SKIPPED] * 3


async def test_a_429_on_a_photo_holds_back_its_text_and_then_all_arrive_in_order(
    delivery: _Delivery,
) -> None:
    server = delivery.server
    photo = _jans_photo(server)
    await delivery.database.run(enqueue, delivery.clock.now(), [_news(delivery.clock, photo, LONG)])
    server.fail_next(
        "sendPhoto", status=429, description="Too Many Requests: retry after 2", retry_after=2
    )

    await delivery.deliver()
    assert server.messages(FATIMA) == []  # the text did not overtake the photo
    delivery.clock.advance(timedelta(seconds=2))
    await delivery.deliver()

    assert [message.photo is not None for message in server.messages(FATIMA)] == [
        True,
        False,
        False,
    ]


async def test_a_document_is_retried_after_a_server_error(delivery: _Delivery) -> None:
    update = delivery.server.send_document(JAN, "notulen.pdf", b"%PDF", "application/pdf")
    document = uploaded_media(Message.de_json(update["message"], None))
    assert document == Media(MediaKind.DOCUMENT, update["message"]["document"]["file_id"])
    await delivery.database.run(enqueue, delivery.clock.now(), [_news(delivery.clock, document)])
    delivery.server.fail_next("sendDocument", status=502, description="Bad Gateway")

    await delivery.deliver()
    delivery.clock.advance(timedelta(minutes=1))
    await delivery.deliver()

    [message] = delivery.server.messages(FATIMA)
    assert message.document is not None and message.document.file_id == document.file_id


async def test_a_file_telegram_does_not_know_fails_with_its_reason_and_the_text_still_goes(
    delivery: _Delivery,
) -> None:
    unknown = Media(MediaKind.PHOTO, "AgACAgQAAxkBAAI999999")
    await delivery.database.run(
        enqueue, delivery.clock.now(), [_news(delivery.clock, unknown, LONG)]
    )

    await delivery.deliver()

    statuses = await delivery.statuses()
    assert statuses[0] == (OutboxStatus.FAILED, "Wrong file identifier/http url specified")
    assert statuses[1:] == [(OutboxStatus.SENT, None)] * 2
