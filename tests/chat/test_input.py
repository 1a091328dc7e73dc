"""Typed text from people who should not, or cannot yet, get far: names are stored without
controls or direction overrides."""

from __future__ import annotations

from planning.membership.services import find_member
from tests.support.chat import Chat


async def test_a_name_keeps_no_controls_or_direction_overrides(chat: Chat) -> None:
    anna = chat.person(601, "\u202eAnna\x00", "de \u2067Vries\u2069")

    welcome = await chat.say(anna, f"/start {await chat.invite()}")

    assert (welcome.text or "").startswith("Welkom, Anna de Vries!")
    member = await chat.database.run(find_member, anna)
    assert member is not None and member.name == "Anna de Vries"
