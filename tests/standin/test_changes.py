"""Changing what the bot sent: editMessageText, editMessageCaption and deleteMessage answer as
Telegram does, including the 48 hours within which a message can be deleted for everyone."""

from __future__ import annotations

import pytest
from telegram import Bot, PhotoSize
from telegram.error import BadRequest

from bot.standin import StandinServer
from tests.support.standin import ALICE

HOUR = 3600.0


async def _photo(server: StandinServer, bot: Bot, caption: str) -> int:
    update = server.send_photo(ALICE, b"\xff\xd8 foto")
    largest = update["message"]["photo"][-1]["file_id"]
    sent = await bot.send_photo(ALICE, PhotoSize(largest, "", 0, 0), caption=caption)
    return sent.message_id


async def test_a_caption_is_edited_with_its_formatting(server: StandinServer, bot: Bot) -> None:
    message_id = await _photo(server, bot, "Nieuwsbrief maart")

    edited = await bot.edit_message_caption(
        ALICE, message_id, caption="Nieuwsbrief <b>maart</b> (gecorrigeerd)", parse_mode="HTML"
    )

    assert not isinstance(edited, bool)
    assert edited.caption == "Nieuwsbrief maart (gecorrigeerd)"
    [stored] = [m for m in server.messages(ALICE) if m.message_id == message_id]
    assert stored.photo is not None and stored.edit_count == 1
    assert stored.entities == [{"type": "bold", "offset": 12, "length": 5}]
    assert server.violations == []


async def test_text_and_caption_are_edited_each_by_their_own_method(
    server: StandinServer, bot: Bot
) -> None:
    photo = await _photo(server, bot, "Foto")
    text = (await bot.send_message(ALICE, "Tekst")).message_id

    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("Nieuw", ALICE, photo)
    with pytest.raises(BadRequest, match=r"(?i)there is no caption in the message to edit"):
        await bot.edit_message_caption(ALICE, text, caption="Nieuw")
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_caption(ALICE, photo, caption="Foto")
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.edit_message_caption(ALICE, photo, caption="x" * 1025)


async def test_a_deleted_message_cannot_be_edited(server: StandinServer, bot: Bot) -> None:
    sent = await bot.send_message(ALICE, "Nieuwsbrief")
    assert await bot.delete_message(ALICE, sent.message_id)

    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("Gecorrigeerd", ALICE, sent.message_id)
    assert server.messages(ALICE) == []


async def test_a_message_is_deleted_for_everyone_only_within_48_hours(
    server: StandinServer, bot: Bot
) -> None:
    now = 1_800_000_000.0
    server.wall_clock = lambda: now
    old = await bot.send_message(ALICE, "Eergisteren")
    now += 47 * HOUR
    recent = await bot.send_message(ALICE, "Gisteren")
    now += 1 * HOUR

    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted for everyone"):
        await bot.delete_message(ALICE, old.message_id)
    assert await bot.delete_message(ALICE, recent.message_id)
    assert [m.text for m in server.messages(ALICE)] == ["Eergisteren"]
    # Editing has no such limit for the bot's own messages in a private chat.
    await bot.edit_message_text("Eergisteren (gecorrigeerd)", ALICE, old.message_id)
