"""The stand-in answers PTB's own HTTP stack the way Telegram does for message methods."""

from __future__ import annotations

import pytest
from telegram import Bot, BotCommand, BotCommandScopeChat, InlineKeyboardButton
from telegram import InlineKeyboardMarkup as Markup
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.standin import StandinServer
from tests.support.standin import ALICE, GROUP


async def test_get_me_describes_the_configured_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.first_name, me.is_bot) == (
        123456,
        "overlegbot_test",
        "Overlegbot",
        True,
    )


async def test_sent_message_is_visible_as_the_member_sees_it(
    server: StandinServer, bot: Bot
) -> None:
    sent = await bot.send_message(
        ALICE, "Vergadering <b>morgen</b> &amp; daarna", parse_mode="HTML"
    )
    assert sent.text == "Vergadering morgen & daarna"
    [stored] = server.messages(ALICE)
    assert stored.message_id == sent.message_id
    assert stored.text == "Vergadering morgen & daarna"
    assert stored.entities == [{"type": "bold", "offset": 12, "length": 6}]
    assert server.sent == [stored]
    assert server.violations == []


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("Agenda <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 7'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>a<i>b</b></i>", "Unmatched end tag"),
        ("Jan & Piet", 'Character "&" at byte offset 4'),
        ("1 < 2", "Unsupported start tag"),
    ],
)
async def test_broken_html_is_refused(bot: Bot, html: str, detail: str) -> None:
    with pytest.raises(BadRequest, match="parse entities") as caught:
        await bot.send_message(ALICE, html, parse_mode="HTML")
    assert detail.lower() in caught.value.message.lower()


async def test_markdown_v2_needs_escaped_reserved_characters(
    server: StandinServer, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
        await bot.send_message(ALICE, "Om 10.00 uur", parse_mode="MarkdownV2")
    await bot.send_message(ALICE, "*Om* 10\\.00 uur", parse_mode="MarkdownV2")
    assert server.messages(ALICE)[0].text == "Om 10.00 uur"


async def test_text_longer_than_4096_utf16_units_is_refused(bot: Bot) -> None:
    await bot.send_message(ALICE, "x" * 4096)
    with pytest.raises(BadRequest, match=r"[Mm]essage is too long"):
        await bot.send_message(ALICE, "x" * 4097)
    # An emoji outside the BMP counts as two UTF-16 code units, as in Telegram.
    with pytest.raises(BadRequest, match=r"[Mm]essage is too long"):
        await bot.send_message(ALICE, "x" * 4095 + "\N{GRINNING FACE}")


async def test_empty_text_after_parsing_is_refused(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"[Mm]essage text is empty"):
        await bot.send_message(ALICE, "<b> </b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_refused(bot: Bot) -> None:
    too_long = Markup([[InlineKeyboardButton("Ja", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"Button_data_invalid|BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE, "Kom je?", reply_markup=too_long)


async def test_editing_to_the_same_content_is_not_modified(server: StandinServer, bot: Bot) -> None:
    keyboard = Markup([[InlineKeyboardButton("Ja", callback_data="rsvp:yes")]])
    sent = await bot.send_message(ALICE, "Kom je?", reply_markup=keyboard)
    with pytest.raises(BadRequest, match=r"[Mm]essage is not modified"):
        await bot.edit_message_text("Kom je?", ALICE, sent.message_id, reply_markup=keyboard)
    await bot.edit_message_text("Kom je? (herinnering)", ALICE, sent.message_id)
    [edited] = server.messages(ALICE)
    assert (edited.text, edited.edit_count, edited.reply_markup) == (
        "Kom je? (herinnering)",
        1,
        None,
    )
    with pytest.raises(BadRequest, match=r"[Mm]essage to edit not found"):
        await bot.edit_message_text("x", ALICE, 999)


async def test_deleted_messages_leave_the_chat_history(server: StandinServer, bot: Bot) -> None:
    sent = await bot.send_message(ALICE, "Oeps")
    assert await bot.delete_message(ALICE, sent.message_id)
    assert server.messages(ALICE) == []
    with pytest.raises(BadRequest, match=r"[Mm]essage to delete not found"):
        await bot.delete_message(ALICE, sent.message_id)


async def test_blocked_member_cannot_be_messaged(server: StandinServer, bot: Bot) -> None:
    update = server.block(ALICE)
    assert update["my_chat_member"]["new_chat_member"]["status"] == "kicked"
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ALICE, "Hallo?")
    server.unblock(ALICE)
    await bot.send_message(ALICE, "Welkom terug")


async def test_unknown_chat_is_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "Hallo")


async def test_unknown_parameter_is_a_violation(server: StandinServer, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="bogus"):
        await bot.send_message(ALICE, "Hallo", api_kwargs={"bogus": 1})
    assert len(server.violations) == 1
    assert "sendMessage" in server.violations[0] and "bogus" in server.violations[0]


async def test_string_values_are_not_json_decoded(server: StandinServer, bot: Bot) -> None:
    await bot.send_message(ALICE, "123")
    assert server.messages(ALICE)[0].text == "123"
    assert server.calls[-1].params["chat_id"] == ALICE


async def test_server_error_surfaces_as_network_error(server: StandinServer, bot: Bot) -> None:
    server.fail_next("sendMessage", status=500)
    with pytest.raises(NetworkError):
        await bot.send_message(ALICE, "Hallo")
    await bot.send_message(ALICE, "Hallo")
    assert [call.status for call in server.calls] == [200, 500, 200]  # getMe, failed, retried


async def test_commands_are_kept_per_scope(server: StandinServer, bot: Bot) -> None:
    server.add_group(42, "Werkgroep")
    await bot.set_my_commands([BotCommand("agenda", "Toon de agenda")])
    await bot.set_my_commands(
        [BotCommand("notulen", "Notulen")], scope=BotCommandScopeChat(42), language_code="nl"
    )
    await bot.set_my_commands([BotCommand("notulen", "Notulen")], scope=BotCommandScopeChat(42))
    assert server.commands["default"] == [{"command": "agenda", "description": "Toon de agenda"}]
    assert server.commands["chat:42"] == [{"command": "notulen", "description": "Notulen"}]
    assert "chat:42|nl" in server.commands
    fetched = await bot.get_my_commands(scope=BotCommandScopeChat(42))
    assert [c.command for c in fetched] == ["notulen"]
    await bot.delete_my_commands()
    assert "default" not in server.commands


async def test_group_messages_and_chat_actions(server: StandinServer, bot: Bot) -> None:
    assert await bot.send_chat_action(GROUP, "typing")
    await bot.send_message(GROUP, "Goedemorgen")
    chat = await bot.get_chat(GROUP)
    assert chat.title == "Stuurgroep"
    assert [m.text for m in server.messages(GROUP)] == ["Goedemorgen"]
