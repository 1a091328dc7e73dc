"""The simulated Telegram side: members, chats, the bot's messages and the update queue.

Kept free of HTTP so the member-facing actions a test performs (a member sends a
command, presses a button, blocks the bot) read like the story they tell.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.standin.files import FileStore
from bot.standin.formatting import command_entities
from bot.standin.models import ApiCall, SentMessage

__all__ = ["DEFAULT_UPDATES", "World"]

# What Telegram delivers when allowed_updates was never given (or given as []).
DEFAULT_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "guest_message",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
        "managed_bot",
    }
)


class World(FileStore):
    """State shared by the HTTP handlers and the test-facing API."""

    def __init__(self, *, token: str, bot_username: str, bot_id: int, bot_first_name: str) -> None:
        super().__init__()
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.refuse_pins: set[int] = set()  # chats where pinChatMessage is refused
        self.sent: list[SentMessage] = []
        self.calls: list[ApiCall] = []
        self.violations: list[str] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.answered_callbacks: dict[str, dict[str, Any]] = {}
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        self.webhook_last_error: tuple[int, str] | None = None
        self.poll_generation = 0
        self.closing = False
        self.allowed_updates: frozenset[str] = DEFAULT_UPDATES
        self.pending_updates: list[dict[str, Any]] = []
        self.open_callbacks: set[str] = set()
        # Telegram's clock, for message dates and the 48 hours within which a message can be
        # deleted; a test may move it.
        self.wall_clock: Callable[[], float] = time.time
        self._by_chat: dict[int, list[SentMessage]] = {}
        self._cursors: dict[int, int] = {}
        self._last_message_id: dict[int, int] = {}
        self._member_messages: dict[int, set[int]] = {}
        self._next_update_id = 1
        self._next_callback_id = 1
        # Set (and replaced) whenever something happens: API calls, queued updates, messages.
        self._changed = asyncio.Event()

    # ----------------------------------------------------------------- members and chats

    def add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        *,
        language_code: str | None = "nl",
    ) -> dict[str, Any]:
        """Register a member; their private chat with the bot exists from then on.

        Telegram's clients report the app language; members of this network use Dutch,
        so that is the default a bot sees unless a test says otherwise.
        """
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name is not None:
            user["last_name"] = chat["last_name"] = last_name
        if username is not None:
            user["username"] = chat["username"] = username
        if language_code is not None:
            user["language_code"] = language_code
        self.users[user_id] = user
        self.chats[user_id] = chat
        return dict(user)

    def add_group(self, chat_id: int, title: str, type: str = "supergroup") -> dict[str, Any]:
        """Register a group the bot is a member of."""
        chat: dict[str, Any] = {"id": chat_id, "type": type, "title": title}
        self.chats[chat_id] = chat
        return dict(chat)

    def block(self, user_id: int) -> dict[str, Any]:
        """The member blocks the bot: Telegram reports it and refuses further messages."""
        self.blocked.add(user_id)
        return self._member_status_update(user_id, "member", "kicked")

    def unblock(self, user_id: int) -> dict[str, Any]:
        """The member restarts the bot after blocking it."""
        self.blocked.discard(user_id)
        return self._member_status_update(user_id, "kicked", "member")

    def _member_status_update(self, user_id: int, old: str, new: str) -> dict[str, Any]:
        user = self._user(user_id)

        def member(status: str) -> dict[str, Any]:
            entry: dict[str, Any] = {"status": status, "user": dict(self.bot_user)}
            if status == "kicked":
                entry["until_date"] = 0
            return entry

        return self.queue_update(
            "my_chat_member",
            {
                "chat": dict(self.chats[user_id]),
                "from": user,
                "date": int(self.wall_clock()),
                "old_chat_member": member(old),
                "new_chat_member": member(new),
            },
        )

    # ------------------------------------------------------------------ member actions

    def send_message(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        *,
        entities: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A member writes to the bot; commands get the entity Telegram's clients add, and
        ``entities`` (bold, links, ... in UTF-16 offsets) are the formatting the member made."""
        message = self._member_message(user_id, chat_id)
        message["text"] = text
        entities = sorted(
            command_entities(text) + (entities or []), key=lambda e: (e["offset"], -e["length"])
        )
        if entities:
            message["entities"] = entities
        return self.queue_update("message", message)

    def send_sticker(self, user_id: int, chat_id: int | None = None) -> dict[str, Any]:
        """A member sends a sticker (a kind of message the bot does not pass on)."""
        message = self._member_message(user_id, chat_id)
        message["sticker"] = {
            "file_id": f"sticker-{message['message_id']}",
            "file_unique_id": f"s{message['message_id']}",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self.queue_update("message", message)

    def edit_message(self, user_id: int, message: dict[str, Any], text: str) -> dict[str, Any]:
        """A member edits a message they sent earlier (``message`` as send_message returned)."""
        original = message["message"]
        assert original["from"]["id"] == user_id, "members can edit only their own messages"
        edited = dict(original, text=text, edit_date=int(self.wall_clock()))
        edited.pop("entities", None)
        entities = command_entities(text)
        if entities:
            edited["entities"] = entities
        return self.queue_update("edited_message", edited)

    def send_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A member uploads a file; its bytes become downloadable through getFile."""
        message = self._member_message(user_id, chat_id)
        stored = self.store_file(file_name, mime_type, content)
        message["document"] = self.document_dict(stored)
        if caption is not None:
            message["caption"] = caption
        return self.queue_update("message", message)

    def send_photo(
        self,
        user_id: int,
        content: bytes,
        caption: str | None = None,
        chat_id: int | None = None,
        *,
        width: int = 1280,
        height: int = 960,
    ) -> dict[str, Any]:
        """A member sends a photo; the bot gets it in several sizes, smallest first, each with
        a file_id of its own (as Telegram hands photos to bots)."""
        message = self._member_message(user_id, chat_id)
        [*_, largest] = self.store_photo(content, width, height)
        message["photo"] = self.photo_dicts(largest.file_id)
        if caption is not None:
            message["caption"] = caption
        return self.queue_update("message", message)

    def press_button(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        """A member taps an inline button; only buttons the bot currently shows can be tapped."""
        target = user_id if chat_id is None else chat_id
        message = self.find_message(target, message_id)
        assert message is not None, f"chat {target} has no bot message {message_id}"
        offered = message.buttons()
        assert any(data == callback_data for _, data in offered), (
            f"message {message_id} in chat {target} has no button with callback_data "
            f"{callback_data!r}; its buttons are {offered}"
        )
        return self.forge_press(user_id, message_id, callback_data, chat_id)

    def forge_press(
        self, user_id: int, message_id: int, callback_data: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        """A modified client taps a button of the bot's message with any data at all (Telegram
        passes callback data on as the client sends it)."""
        user = self._user(user_id)
        target = user_id if chat_id is None else chat_id
        message = self.find_message(target, message_id)
        assert message is not None, f"chat {target} has no bot message {message_id}"
        query_id = str(self._next_callback_id)
        self._next_callback_id += 1
        self.open_callbacks.add(query_id)
        return self.queue_update(
            "callback_query",
            {
                "id": query_id,
                "from": user,
                "message": self.message_dict(message),
                "chat_instance": str(target),
                "data": callback_data,
            },
        )

    def _user(self, user_id: int) -> dict[str, Any]:
        assert user_id in self.users, f"unknown user {user_id}; call add_user first"
        return dict(self.users[user_id])

    def _member_message(self, user_id: int, chat_id: int | None) -> dict[str, Any]:
        user = self._user(user_id)
        target = user_id if chat_id is None else chat_id
        assert target in self.chats, f"unknown chat {target}; call add_group first"
        message_id = self.next_message_id(target)
        self._member_messages.setdefault(target, set()).add(message_id)
        return {
            "message_id": message_id,
            "from": user,
            "chat": dict(self.chats[target]),
            "date": int(self.wall_clock()),
        }

    # ------------------------------------------------------------------------ updates

    def queue_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Give the update the next id; queue it only if the bot asked for this kind."""
        update = {"update_id": self._next_update_id, kind: payload}
        self._next_update_id += 1
        if kind in self.allowed_updates:
            self.pending_updates.append(update)
            self.notify()
        return update

    def confirm_updates(self, offset: int) -> None:
        """Forget updates the bot confirmed, per getUpdates' offset semantics."""
        if offset < 0:
            self.pending_updates = self.pending_updates[offset:]
        else:
            self.pending_updates = [u for u in self.pending_updates if u["update_id"] >= offset]

    def notify(self) -> None:
        """Wake every waiter (long polls, next_message, wait_for) to re-check its condition.

        Each waiter holds the event current when it started waiting; setting it and
        starting a fresh one wakes exactly those, with no lock and no polling.
        """
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:  # noqa: ASYNC109
        """Wait until predicate() holds, re-checking after every change; False on timeout."""
        try:
            # asyncio.timeout (unlike wait_for on 3.11) never swallows a cancellation.
            async with asyncio.timeout(timeout):
                while not predicate():
                    await self._changed.wait()
        except TimeoutError:
            return predicate()
        return True

    # ----------------------------------------------------------------------- messages

    def next_message_id(self, chat_id: int) -> int:
        """Message ids increase per chat and are shared by member and bot messages."""
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def record_sent(self, message: SentMessage) -> None:
        self.sent.append(message)
        self._by_chat.setdefault(message.chat_id, []).append(message)

    def find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """The bot's (undeleted) message; member messages cannot be edited by the bot."""
        for message in self._by_chat.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def message_exists(self, chat_id: int, message_id: int) -> bool:
        """Whether a reply can point at this message (bot's or member's, not deleted)."""
        return self.find_message(
            chat_id, message_id
        ) is not None or message_id in self._member_messages.get(chat_id, set())

    def delete_member_message(self, chat_id: int, message_id: int) -> bool:
        """Bots may delete members' messages too; False if there is no such message."""
        ids = self._member_messages.get(chat_id, set())
        if message_id not in ids:
            return False
        ids.discard(message_id)
        return True

    def messages(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in a chat as they now stand, in the order they were sent."""
        return [m for m in self._by_chat.get(chat_id, []) if not m.deleted]

    def take_next_message(self, chat_id: int) -> SentMessage | None:
        """Advance the per-chat cursor used by next_message, if a new message is there."""
        sent = self._by_chat.get(chat_id, [])
        cursor = self._cursors.get(chat_id, 0)
        if cursor >= len(sent):
            return None
        self._cursors[chat_id] = cursor + 1
        return sent[cursor]

    def message_dict(self, message: SentMessage) -> dict[str, Any]:
        """The Message object Telegram would return for a bot message in its current state."""
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "from": dict(self.bot_user),
            "chat": dict(self.chats[message.chat_id]),
            "date": message.date,
        }
        if message.edit_count:
            result["edit_date"] = int(self.wall_clock())
        text_key, entities_key = "text", "entities"
        if message.document is not None:
            result["document"] = self.document_dict(self.files[message.document.file_id])
            text_key, entities_key = "caption", "caption_entities"
        if message.photo is not None:
            result["photo"] = self.photo_dicts(message.photo)
            text_key, entities_key = "caption", "caption_entities"
        if message.text is not None:
            result[text_key] = message.text
        if message.entities:
            result[entities_key] = message.entities
        if message.reply_markup is not None:
            result["reply_markup"] = message.reply_markup
        return result
