"""Replies in the stand-in: a message sent as a reply to another, as Telegram checks it.

Telegram refuses a reply to a message that does not exist unless
``allow_sending_without_reply``; the stand-in remembers which message a new one replies to
(``SentMessage.reply_to``), so tests can see a thread.
"""

from __future__ import annotations

from typing import Any

from bot.standin.chats import chat_id_of
from bot.standin.models import bad_request
from bot.standin.state import World


def check_reply(world: World, chat_id: int, params: dict[str, Any]) -> None:
    """Refuse a reply to a message that does not exist, unless it may be sent without."""
    reply = params.get("reply_parameters")
    if reply is None or reply.get("allow_sending_without_reply"):
        return
    target = chat_id_of(world, reply.get("chat_id", chat_id))
    if not world.message_exists(target, reply["message_id"]):
        raise bad_request("message to be replied not found")


def replied_to(world: World, chat_id: int, params: dict[str, Any]) -> int | None:
    """The message of this chat a new one replies to, if it (still) exists."""
    reply = params.get("reply_parameters") or {}
    target = reply.get("message_id")
    if not isinstance(target, int) or chat_id_of(world, reply.get("chat_id", chat_id)) != chat_id:
        return None
    return target if world.message_exists(chat_id, target) else None
