"""Typed text from people who should not, or cannot yet, get far: whitespace reaches the gate
safely, names are stored without controls or direction overrides."""

from __future__ import annotations

from planning.membership.services import find_member
from tests.support.chat import Chat

STRANGER = 666


def _no_error(chat: Chat, user_id: int) -> None:
    assert not any("misgegaan" in text for text in chat.texts(user_id))


async def test_whitespace_from_a_stranger_gets_the_strangers_answer_only(chat: Chat) -> None:
    stranger = chat.person(STRANGER, "Onbekend")

    for text in (" ", "\n\t ", "\u3000"):
        answer = await chat.say(stranger, text)
        assert answer.text is not None and "uitnodigingslink" in answer.text
    await chat.settle()

    assert len(chat.server.messages(stranger)) == 3
    _no_error(chat, stranger)
    assert await chat.database.run(find_member, stranger) is None


async def test_a_name_keeps_no_controls_or_direction_overrides(chat: Chat) -> None:
    anna = chat.person(601, "\u202eAnna\x00", "de \u2067Vries\u2069")

    welcome = await chat.say(anna, f"/start {await chat.invite()}")

    assert (welcome.text or "").startswith("Welkom, Anna de Vries!")
    member = await chat.database.run(find_member, anna)
    assert member is not None and member.name == "Anna de Vries"
