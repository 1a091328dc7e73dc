"""Replies under Telegram's limits, and updates of many chats at once
(docs/decisions/replies.md).

The stand-in enforces Telegram's flood limits here (30 messages/s overall, 1/s per chat, 429
beyond): every reply shares the outbox's pacer, goes before queued outbox messages, and a 429
on a reply is waited out, not dropped. Updates of different chats are handled at the same time,
those of one chat in order.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from berichten.outbox.store import NewMessage, enqueue
from bot.standin import StandinServer
from planning import catalogue
from planning.clock import FixedClock
from planning.db import Database
from tests.support.chat import Chat, run_bot
from tests.support.network import add_network, join_all
from tests.support.standin import BOT_USERNAME, TOKEN

MEMBERS = list(range(7001, 7031))  # 30 members, each typing a burst
LISTENERS = list(range(8001, 8121))  # 120 members the outbox sends a broadcast to
HELP = "Dit kunt u mij vragen:"
GENERIC_ERROR = catalogue.plain("error.unexpected")
# Generous: how long a burst under the limits may take before the test gives up waiting.
BURST_ALLOWED = 60.0


@pytest.fixture
async def limited() -> AsyncIterator[StandinServer]:
    async with StandinServer(token=TOKEN, bot_username=BOT_USERNAME, flood_limits=True) as server:
        yield server
        assert server.violations == []


async def _members(server: StandinServer, database: Database, clock: FixedClock) -> None:
    await add_network(database)
    for user in (*MEMBERS, *LISTENERS):
        server.add_user(user, f"Lid {user}")
    await join_all(database, clock, [*MEMBERS, *LISTENERS], "gouda", "contactpersonen")


def _429s(server: StandinServer) -> int:
    return sum(1 for call in server.calls if call.status == 429)


async def test_a_burst_of_commands_from_many_members_is_answered_in_full(
    limited: StandinServer, database: Database, clock: FixedClock
) -> None:
    await _members(limited, database, clock)
    async with run_bot(limited, database, clock, outbox_job=False):
        for _ in range(4):
            for member in MEMBERS:
                limited.send_message(member, "/help")

        await limited.wait_for(
            lambda: all(len(limited.messages(m)) == 4 for m in MEMBERS), timeout=BURST_ALLOWED
        )

    # 120 answers, four to a chat: within Telegram's limits, so none was refused.
    assert _429s(limited) == 0
    for member in MEMBERS:
        assert [(m.text or "").startswith(HELP) for m in limited.messages(member)] == [True] * 4


async def test_a_reply_during_a_broadcast_goes_before_the_queued_messages(
    limited: StandinServer, database: Database, clock: FixedClock
) -> None:
    await _members(limited, database, clock)
    broadcast = [
        NewMessage(
            key=f"nieuws|{user}", kind="reminder", recipient=user, text="Nieuws", due_at=clock.now()
        )
        for user in LISTENERS
    ]
    await database.run(enqueue, clock.now(), broadcast)
    member = MEMBERS[0]
    async with run_bot(limited, database, clock, outbox_job=True):
        await limited.wait_for(lambda: len(limited.sent) >= 10, timeout=BURST_ALLOWED)
        before = len(limited.sent)
        limited.send_message(member, "/help")
        reply = await limited.next_message(member, timeout=BURST_ALLOWED)
        position = limited.sent.index(reply)
        await limited.wait_for(
            lambda: all(limited.messages(user) for user in LISTENERS), timeout=BURST_ALLOWED
        )

    # Only the sends already under way (a few at 30/s) went out between the command and its
    # answer; the rest of the broadcast, most of it, waited.
    assert (reply.text or "").startswith(HELP)
    assert position - before <= 8
    assert len(LISTENERS) - sum(1 for m in limited.sent[:position] if m.chat_id != member) >= 60
    assert _429s(limited) == 0


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_sent(
    limited: StandinServer, database: Database, clock: FixedClock
) -> None:
    await _members(limited, database, clock)
    member = MEMBERS[0]
    limited.fail_next(
        "sendMessage", status=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    async with run_bot(limited, database, clock, outbox_job=False):
        limited.send_message(member, "/help")
        reply = await limited.next_message(member)

    assert (reply.text or "").startswith(HELP)
    assert len(limited.messages(member)) == 1
    assert _429s(limited) == 1


async def test_one_chats_updates_are_handled_in_order(chat: Chat) -> None:
    members = [await chat.member(user, f"Lid {user}") for user in (601, 602, 603)]
    commands = ["/help", "/mijngegevens"] * 5
    for command in commands:  # the others' commands interleaved, handled at the same time
        for member in members:
            chat.server.send_message(member, command)
    await chat.settle()

    for member in members:
        answers = chat.texts(member)[-len(commands) :]
        assert [text.startswith(HELP) for text in answers] == [c == "/help" for c in commands]


async def test_an_edit_to_the_same_content_is_not_an_error(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    question = await chat.say(fatima, "/afmelden")
    chat.server.fail_next(
        "editMessageText",
        status=400,
        description="Bad Request: message is not modified: specified new message content and "
        "reply markup are exactly the same as a current content and reply markup of the message",
    )

    await chat.press(fatima, question, "Nee, aangemeld blijven")
    await chat.settle()

    assert GENERIC_ERROR not in chat.texts(fatima)
