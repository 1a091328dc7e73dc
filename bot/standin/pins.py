"""Pinning and unpinning messages in a chat, as Telegram answers them.

A test can make Telegram refuse pinning in a chat (``World.refuse_pins``), as it does where the
bot lacks the right, to show that a refused pin does not stop a send.
"""

from __future__ import annotations

from typing import Any

from bot.standin.methods import chat_id_of, served
from bot.standin.models import bad_request
from bot.standin.state import World


@served("pinChatMessage")
async def pin_chat_message(world: World, params: dict[str, Any]) -> Any:
    chat_id = chat_id_of(world, params["chat_id"])
    if chat_id in world.refuse_pins:
        raise bad_request("not enough rights to manage pinned messages in the chat")
    message = world.find_message(chat_id, params["message_id"])
    if message is None:
        raise bad_request("message to pin not found")
    message.pinned = True
    return True


@served("unpinChatMessage")
async def unpin_chat_message(world: World, params: dict[str, Any]) -> Any:
    chat_id = chat_id_of(world, params["chat_id"])
    for message in world.messages(chat_id):
        if "message_id" not in params or message.message_id == params["message_id"]:
            message.pinned = False
    return True
