"""What :mod:`bot.ptb_internals` takes from PTB's private members still holds.

A PTB upgrade may rename, remove or re-sign them without notice: the first test then fails and
names each change; the others show, on PTB's real classes, that ending a conversation from
outside frees the person and reaches the persistence. No network: a Bot API stand-in of a few
lines answers the one call ``initialize`` makes.
"""

from __future__ import annotations

import dataclasses
import inspect
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
import telegram
from telegram import Chat, Message, Update, User
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ConversationHandler,
    DictPersistence,
    MessageHandler,
    filters,
)
from telegram.ext._handlers.conversationhandler import PendingState
from telegram.ext._utils.trackingdict import TrackingDict
from telegram.request import BaseRequest, RequestData

from bot.ptb_internals import end_conversation, replace_callback_data

ANNE, BERT = 5, 6
TITLE = 1


def _parameters(owner: type, name: str, expected: list[str]) -> list[str]:
    member = inspect.getattr_static(owner, name, None)
    if member is None:
        return [f"{owner.__name__}.{name} is gone"]
    found = list(inspect.signature(member).parameters)
    if found != expected:
        return [f"{owner.__name__}.{name} takes ({', '.join(found)}), not ({', '.join(expected)})"]
    return []


def test_the_private_members_it_uses_are_still_there() -> None:
    update_state = inspect.signature(ConversationHandler._update_state).parameters
    problems = [
        *_parameters(ConversationHandler, "_get_key", ["self", "update"]),
        *_parameters(ConversationHandler, "_update_state", ["self", "new_state", "key", "handler"]),
        *_parameters(PendingState, "done", ["self"]),
        *_parameters(PendingState, "resolve", ["self"]),
        *_parameters(TrackingDict, "pop_accessed_write_items", ["self"]),
        *_parameters(telegram.TelegramObject, "_unfrozen", ["self"]),
    ]
    if "handler" in update_state and update_state["handler"].default is not None:
        problems.append("ConversationHandler._update_state's handler is no longer optional")
    for slot in ("_conversations", "timeout_jobs"):
        if slot not in ConversationHandler.__slots__:
            problems.append(f"ConversationHandler has no {slot} any more")
    fields = [field.name for field in dataclasses.fields(PendingState)]
    if not {"old_state", "task"} <= set(fields):
        problems.append(f"PendingState holds {fields}, not old_state and task")
    if ConversationHandler.END != -1:
        problems.append(f"ConversationHandler.END is {ConversationHandler.END!r}, not -1")
    assert not problems, (
        f"python-telegram-bot {telegram.__version__} changed what bot/ptb_internals.py uses: "
        + "; ".join(problems)
    )


async def test_ending_a_conversation_frees_the_person(
    local_bot_api: BaseRequest,
) -> None:
    handler = _title_conversation()
    async with _application(local_bot_api, handler) as application:
        await application.process_update(_text(1, ANNE, "begin"))
        await application.process_update(_text(2, BERT, "begin"))

        assert end_conversation(handler, _text(3, ANNE, "x")) == TITLE
        assert end_conversation(handler, _text(4, ANNE, "x")) is None

        assert _step(handler, _text(5, ANNE, "A title")) is None  # no longer asked for a title
        assert _step(handler, _text(6, BERT, "A title")) == TITLE  # the other person still is


async def test_ending_a_persistent_conversation_reaches_the_persistence(
    local_bot_api: BaseRequest,
) -> None:
    persistence: DictPersistence = DictPersistence(update_interval=3600)
    handler = _title_conversation(name="titles", persistent=True)
    async with _application(local_bot_api, handler, persistence) as application:
        await application.process_update(_text(1, ANNE, "begin"))
        await application.update_persistence()
        assert persistence.conversations == {"titles": {(ANNE, ANNE): TITLE}}

        end_conversation(handler, _text(2, ANNE, "x"))
        await application.update_persistence()
        assert persistence.conversations == {"titles": {(ANNE, ANNE): None}}


# ------------------------------------------------------------------ helpers


class _LocalBotApi(BaseRequest):
    """Answers getMe, the one call ``Application.initialize`` makes; refuses every other."""

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if url.endswith("/getMe"):
            me = {"id": 1, "is_bot": True, "first_name": "Overlegbot", "username": "overlegbot"}
            return 200, json.dumps({"ok": True, "result": me}).encode()
        return 400, json.dumps({"ok": False, "error_code": 400, "description": url}).encode()


@pytest.fixture
def local_bot_api() -> BaseRequest:
    return _LocalBotApi()


def _title_conversation(**options: Any) -> ConversationHandler[Any]:
    async def begin(_update: Update, _context: Any) -> int:
        return TITLE

    async def titled(_update: Update, _context: Any) -> int:
        return ConversationHandler.END

    return ConversationHandler(
        entry_points=[MessageHandler(filters.Regex("^begin$"), begin)],
        states={TITLE: [MessageHandler(filters.TEXT, titled)]},
        fallbacks=[],
        **options,
    )


@asynccontextmanager
async def _application(
    request: BaseRequest,
    handler: ConversationHandler[Any],
    persistence: DictPersistence | None = None,
) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    """An initialized Application with ``handler``, shut down (persistence flushed) after."""
    builder = ApplicationBuilder().token("1:local").request(request).updater(None)
    if persistence is not None:
        builder = builder.persistence(persistence)
    application = builder.build()
    application.add_handler(handler)
    await application.initialize()
    try:
        yield application
    finally:
        await application.shutdown()


def _step(handler: ConversationHandler[Any], update: Update) -> object | None:
    """The state the handler is in for ``update``'s person, read through its public check."""
    check = handler.check_update(update)
    return None if check is None else check[0]


def _text(update_id: int, user_id: int, text: str) -> Update:
    person = User(user_id, "Anne" if user_id == ANNE else "Bert", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=person, text=text)
    return Update(update_id, message=message)


def test_a_press_can_be_given_other_data() -> None:
    user = User(ANNE, "Anne", is_bot=False)
    query = telegram.CallbackQuery("1", user, chat_instance="1", data="tagged:ai:w:7")

    replace_callback_data(query, "ai:w:7")

    assert query.data == "ai:w:7"
    with pytest.raises(AttributeError):
        query.data = "changed outside"  # frozen again
