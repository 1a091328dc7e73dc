"""Chats in the stand-in: a ``chat_id`` parameter as Telegram resolves it."""

from __future__ import annotations

from bot.standin.models import bad_request
from bot.standin.state import World


def chat_id_of(world: World, value: int | str) -> int:
    """Resolve a chat_id parameter (number or @username) to a known chat."""
    if isinstance(value, str):
        for chat in world.chats.values():
            if chat.get("username") and f"@{chat['username']}" == value:
                return int(chat["id"])
        raise bad_request("chat not found")
    if value not in world.chats:
        raise bad_request("chat not found")
    return value
