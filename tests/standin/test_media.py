"""Photos and documents sent by file_id: the stand-in accepts the ids it issued, as what they
are, and checks captions the way Telegram does."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from bot.standin import StandinServer
from tests.support.standin import ALICE


def _uploaded_photo(server: StandinServer, bot: Bot) -> Message:
    update = server.send_photo(ALICE, b"\xff\xd8 foto", caption="Kijk", width=1600, height=1200)
    return Message.de_json(update["message"], bot)


async def test_a_members_photo_comes_in_sizes_smallest_first(
    server: StandinServer, bot: Bot
) -> None:
    photo = _uploaded_photo(server, bot).photo

    assert [(size.width, size.height) for size in photo] == [
        (90, 67),
        (320, 240),
        (800, 600),
        (1280, 960),
        (1600, 1200),
    ]
    assert len({size.file_id for size in photo}) == len(photo)
    file = await bot.get_file(photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == b"\xff\xd8 foto"


async def test_a_photo_goes_out_again_by_file_id_with_caption_and_buttons(
    server: StandinServer, bot: Bot
) -> None:
    largest = _uploaded_photo(server, bot).photo[-1]
    buttons = InlineKeyboardMarkup([[InlineKeyboardButton("Gelezen", callback_data="gelezen")]])

    sent = await bot.send_photo(
        ALICE,
        largest.file_id,
        caption="<b>Nieuws</b> &amp; meer",
        parse_mode="HTML",
        reply_markup=buttons,
    )

    assert sent.caption == "Nieuws & meer"
    assert [size.file_id for size in sent.photo][-1] == largest.file_id
    [stored] = [m for m in server.messages(ALICE) if m.message_id == sent.message_id]
    assert (stored.photo, stored.text) == (largest.file_id, "Nieuws & meer")
    assert stored.entities == [{"type": "bold", "offset": 0, "length": 6}]
    assert stored.buttons() == [("Gelezen", "gelezen")]


async def test_any_size_of_a_photo_sends_the_whole_photo(server: StandinServer, bot: Bot) -> None:
    photo = _uploaded_photo(server, bot).photo

    sent = await bot.send_photo(ALICE, photo[0].file_id)

    assert [size.file_id for size in sent.photo] == [size.file_id for size in photo]
    assert sent.caption is None


async def test_a_document_goes_out_again_by_file_id(server: StandinServer, bot: Bot) -> None:
    update = server.send_document(ALICE, "notulen.pdf", b"%PDF", mime_type="application/pdf")
    file_id = update["message"]["document"]["file_id"]

    sent = await bot.send_document(ALICE, file_id, caption="<i>Notulen</i>", parse_mode="HTML")

    assert sent.document is not None and sent.document.file_id == file_id
    assert sent.caption == "Notulen"


def _refusal(server: StandinServer) -> str:
    """Telegram's own description of the last refusal (PTB changes its case)."""
    return str(server.calls[-1].response["description"])


@pytest.mark.parametrize("method", ["photo", "document"])
async def test_an_unknown_file_id_is_refused(server: StandinServer, bot: Bot, method: str) -> None:
    with pytest.raises(BadRequest):
        if method == "photo":
            await bot.send_photo(ALICE, "AgACAgQAAxkBAAI999999")
        else:
            await bot.send_document(ALICE, "BQACAgQAAxkBAAI999999")
    assert _refusal(server) == "Bad Request: wrong file identifier/HTTP URL specified"


async def test_a_file_is_sent_only_as_what_it_is(server: StandinServer, bot: Bot) -> None:
    photo = _uploaded_photo(server, bot).photo[-1].file_id
    update = server.send_document(ALICE, "notulen.pdf", b"%PDF", mime_type="application/pdf")
    document = update["message"]["document"]["file_id"]

    with pytest.raises(BadRequest):
        await bot.send_photo(ALICE, document)
    assert _refusal(server) == "Bad Request: can't use file of type Document as Photo"
    with pytest.raises(BadRequest):
        await bot.send_document(ALICE, photo)
    assert _refusal(server) == "Bad Request: can't use file of type Photo as Document"


async def test_a_caption_is_counted_after_parsing_up_to_1024(
    server: StandinServer, bot: Bot
) -> None:
    photo = _uploaded_photo(server, bot).photo[-1].file_id

    await bot.send_photo(ALICE, photo, caption=f"<b>{'x' * 1024}</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"[Mm]essage caption is too long"):
        await bot.send_photo(ALICE, photo, caption="x" * 1025)
    with pytest.raises(BadRequest, match=r"[Mm]essage caption is too long"):
        await bot.send_document(ALICE, "BQAC", caption="😀" * 513)  # 1,026 UTF-16 units
    with pytest.raises(BadRequest, match="parse entities"):
        await bot.send_photo(ALICE, photo, caption="<b>open", parse_mode="HTML")


async def test_a_photos_caption_cannot_be_edited_as_text(server: StandinServer, bot: Bot) -> None:
    photo = _uploaded_photo(server, bot).photo[-1].file_id
    sent = await bot.send_photo(ALICE, photo, caption="Kijk")

    with pytest.raises(BadRequest, match=r"[Tt]here is no text in the message to edit"):
        await bot.edit_message_text("Anders", chat_id=ALICE, message_id=sent.message_id)


async def test_a_member_who_blocked_the_bot_gets_no_photo(server: StandinServer, bot: Bot) -> None:
    photo = _uploaded_photo(server, bot).photo[-1].file_id
    server.block(ALICE)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_photo(ALICE, photo)


async def test_an_uploaded_photo_gets_sizes_too(server: StandinServer, bot: Bot) -> None:
    sent = await bot.send_photo(ALICE, b"\xff\xd8 eigen foto", caption="Groepsfoto")

    assert len(sent.photo) > 1
    file = await bot.get_file(sent.photo[-1].file_id)
    assert bytes(await file.download_as_bytearray()) == b"\xff\xd8 eigen foto"
