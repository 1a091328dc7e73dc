"""Bot API methods that send, edit and describe messages, answering as Telegram does.

Every refusal uses Telegram's own status and description, because the bot's error
handling (PTB maps them to BadRequest, Forbidden, ...) is part of what the tests check.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from bot.standin.chats import chat_id_of
from bot.standin.formatting import EntityParseError, ParsedText, parse_text, utf16_len
from bot.standin.models import ApiError, SentDocument, SentMessage, bad_request
from bot.standin.replies import check_reply, replied_to
from bot.standin.spec import FilePart
from bot.standin.state import World

__all__ = ["HANDLERS", "Handler", "chat_id_of"]

Handler = Callable[[World, dict[str, Any]], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {}

_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def served(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under its Bot API method name."""

    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def _writable_chat(world: World, params: dict[str, Any]) -> int:
    chat_id = chat_id_of(world, params["chat_id"])
    if chat_id in world.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    return chat_id


def _parse(params: dict[str, Any], key: str, entities_key: str) -> ParsedText:
    try:
        return parse_text(params[key], params.get("parse_mode"), params.get(entities_key))
    except EntityParseError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None


def _message_text(params: dict[str, Any]) -> ParsedText:
    parsed = _parse(params, "text", "entities")
    if not parsed.text:
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > 4096:
        raise bad_request("message is too long")
    return parsed


def _caption(params: dict[str, Any]) -> ParsedText | None:
    if "caption" not in params:
        return None
    parsed = _parse(params, "caption", "caption_entities")
    if utf16_len(parsed.text) > 1024:
        raise bad_request("message caption is too long")
    return parsed


def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
    """Check an inline keyboard the way Telegram does before it accepts a message."""
    markup: dict[str, Any] | None = params.get("reply_markup")
    if markup is None or "inline_keyboard" not in markup:
        return markup
    for row in markup["inline_keyboard"]:
        for button in row:
            actions = [name for name in _BUTTON_ACTIONS if name in button]
            if not actions:
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the "
                    "inline keyboard"
                )
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the optional fields "
                    f"must be used, got {', '.join(actions)}"
                )
            if not button["text"]:
                raise bad_request("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"(https?|tg)://\S+$", url):
                raise bad_request("BUTTON_URL_INVALID")
    return markup


@served("getMe")
async def get_me(world: World, params: dict[str, Any]) -> Any:
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@served("sendMessage")
async def send_message(world: World, params: dict[str, Any]) -> Any:
    chat_id = _writable_chat(world, params)
    parsed = _message_text(params)
    markup = _markup(params)
    check_reply(world, chat_id, params)
    message = SentMessage(
        message_id=world.next_message_id(chat_id),
        chat_id=chat_id,
        text=parsed.text,
        parse_mode=params.get("parse_mode"),
        entities=parsed.entities,
        reply_markup=markup,
        date=int(world.wall_clock()),
        reply_to=replied_to(world, chat_id, params),
    )
    world.record_sent(message)
    return world.message_dict(message)


@served("sendDocument")
async def send_document(world: World, params: dict[str, Any]) -> Any:
    chat_id = _writable_chat(world, params)
    caption = _caption(params)
    markup = _markup(params)
    check_reply(world, chat_id, params)
    document = params["document"]
    if isinstance(document, FilePart):
        stored = world.store_file(document.file_name, document.content_type, document.content)
    else:
        [stored] = world.sendable(document, as_photo=False)
    message = _media_message(world, chat_id, params, caption, markup)
    message.document = SentDocument(
        stored.file_name, stored.mime_type, stored.content, stored.file_id
    )
    world.record_sent(message)
    return world.message_dict(message)


@served("sendPhoto")
async def send_photo(world: World, params: dict[str, Any]) -> Any:
    chat_id = _writable_chat(world, params)
    caption = _caption(params)
    markup = _markup(params)
    check_reply(world, chat_id, params)
    photo = params["photo"]
    if isinstance(photo, FilePart):
        sizes = world.store_photo(photo.content)
    else:
        sizes = world.sendable(photo, as_photo=True)
    message = _media_message(world, chat_id, params, caption, markup)
    message.photo = sizes[-1].file_id
    world.record_sent(message)
    return world.message_dict(message)


def _media_message(
    world: World,
    chat_id: int,
    params: dict[str, Any],
    caption: ParsedText | None,
    markup: dict[str, Any] | None,
) -> SentMessage:
    """The message a photo or document makes, its media still to be set."""
    return SentMessage(
        message_id=world.next_message_id(chat_id),
        chat_id=chat_id,
        text=(caption.text or None) if caption else None,
        parse_mode=params.get("parse_mode"),
        entities=caption.entities if caption else [],
        reply_markup=markup,
        date=int(world.wall_clock()),
    )


def _editable(world: World, params: dict[str, Any]) -> SentMessage:
    if "inline_message_id" in params:
        raise bad_request("inline messages are not served by the stand-in")
    if "chat_id" not in params or "message_id" not in params:
        raise bad_request("message identifier is not specified")
    chat_id = _writable_chat(world, params)
    message = world.find_message(chat_id, params["message_id"])
    if message is None:
        raise bad_request("message to edit not found")
    return message


def _has_media(message: SentMessage) -> bool:
    return message.document is not None or message.photo is not None


def _edited(
    world: World, message: SentMessage, parsed: ParsedText, params: dict[str, Any]
) -> dict[str, Any]:
    """Apply an edit of the text or caption; the same content and keyboard is refused."""
    # Telegram drops the inline keyboard when an edit does not repeat it.
    markup = _markup(params)
    current = (message.text or "", message.entities, message.reply_markup)
    if (parsed.text, parsed.entities, markup) == current:
        raise bad_request(NOT_MODIFIED)
    message.text, message.entities, message.reply_markup = parsed.text, parsed.entities, markup
    if _has_media(message) and not parsed.text:
        message.text = None
    message.parse_mode = params.get("parse_mode")
    message.edit_count += 1
    return world.message_dict(message)


@served("editMessageText")
async def edit_message_text(world: World, params: dict[str, Any]) -> Any:
    message = _editable(world, params)
    if _has_media(message):
        raise bad_request("there is no text in the message to edit")
    return _edited(world, message, _message_text(params), params)


@served("editMessageCaption")
async def edit_message_caption(world: World, params: dict[str, Any]) -> Any:
    message = _editable(world, params)
    if not _has_media(message):
        raise bad_request("there is no caption in the message to edit")
    caption = _caption(params) or ParsedText("", [])
    return _edited(world, message, caption, params)


@served("editMessageReplyMarkup")
async def edit_message_reply_markup(world: World, params: dict[str, Any]) -> Any:
    message = _editable(world, params)
    markup = _markup(params)
    if markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    message.reply_markup = markup
    message.edit_count += 1
    return world.message_dict(message)


# A bot deletes a message for everyone only within 48 hours of sending it (Bot API,
# deleteMessage).
DELETE_WITHIN_SECONDS = 48 * 3600


@served("deleteMessage")
async def delete_message(world: World, params: dict[str, Any]) -> Any:
    chat_id = chat_id_of(world, params["chat_id"])
    message = world.find_message(chat_id, params["message_id"])
    if message is not None:
        if world.wall_clock() - message.date >= DELETE_WITHIN_SECONDS:
            raise bad_request("message can't be deleted for everyone")
        message.deleted = True
    elif not world.delete_member_message(chat_id, params["message_id"]):
        raise bad_request("message to delete not found")
    return True


@served("answerCallbackQuery")
async def answer_callback_query(world: World, params: dict[str, Any]) -> Any:
    query_id = params["callback_query_id"]
    if query_id not in world.open_callbacks:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    if len(params.get("text", "")) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    world.open_callbacks.discard(query_id)
    world.answered_callbacks[query_id] = dict(params)
    return True


@served("getFile")
async def get_file(world: World, params: dict[str, Any]) -> Any:
    stored = world.files.get(params["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


@served("sendChatAction")
async def send_chat_action(world: World, params: dict[str, Any]) -> Any:
    _writable_chat(world, params)
    if params["action"] not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


@served("getChat")
async def get_chat(world: World, params: dict[str, Any]) -> Any:
    chat = world.chats[chat_id_of(world, params["chat_id"])]
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {name: False for name in gifts} | {"gifts_from_channels": False},
    }


def scope_key(world: World, params: dict[str, Any]) -> str:
    """The server.commands key for a scope, so tests can say "chat:42" instead of JSON."""
    scope = params.get("scope") or {"type": "default"}
    kind = scope["type"]
    if kind in ("chat", "chat_administrators"):
        key = f"{kind}:{chat_id_of(world, scope['chat_id'])}"
    elif kind == "chat_member":
        key = f"chat_member:{chat_id_of(world, scope['chat_id'])}:{scope['user_id']}"
    else:
        key = kind
    language = params.get("language_code")
    return f"{key}|{language}" if language else key


@served("setMyCommands")
async def set_my_commands(world: World, params: dict[str, Any]) -> Any:
    commands = params["commands"]
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    for command in commands:
        if not _COMMAND_NAME.fullmatch(command["command"]):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(command["description"]) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    key = scope_key(world, params)
    if commands:
        world.commands[key] = [dict(c) for c in commands]
    else:
        world.commands.pop(key, None)
    return True


@served("getMyCommands")
async def get_my_commands(world: World, params: dict[str, Any]) -> Any:
    return world.commands.get(scope_key(world, params), [])


@served("deleteMyCommands")
async def delete_my_commands(world: World, params: dict[str, Any]) -> Any:
    world.commands.pop(scope_key(world, params), None)
    return True
