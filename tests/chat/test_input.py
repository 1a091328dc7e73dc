"""Typed text and invite codes from people who should not, or cannot yet, get far: whitespace
reaches the gate safely, names are stored without controls, wrong codes are slowed down."""

from __future__ import annotations

from bot.handlers.membership.wrong_codes import LIMIT, WINDOW
from planning.membership.lookups import find_member
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


async def _wrong_codes(chat: Chat, user_id: int) -> None:
    for n in range(LIMIT):
        refusal = await chat.say(user_id, f"/start verzonnen-{n}")
        assert refusal.text is not None and "ken ik niet" in refusal.text


async def test_wrong_codes_in_a_burst_are_slowed_down_for_a_minute(chat: Chat) -> None:
    stranger = chat.person(STRANGER, "Onbekend")
    code = await chat.invite()
    await _wrong_codes(chat, stranger)

    eleventh = await chat.say(stranger, "/start verzonnen-11")
    chat.server.send_message(stranger, "/start verzonnen-12")
    chat.server.send_message(stranger, f"/start {code}")  # right, but not even looked at
    await chat.settle()

    assert eleventh.text == (
        "U heeft in korte tijd te vaak een onjuiste uitnodigingscode gestuurd. Probeert u het "
        "over een minuut opnieuw; codes die u tot dan stuurt, worden niet bekeken."
    )
    assert chat.server.messages(stranger)[-1] == eleventh  # the 12th and the code: no answer
    assert await chat.database.run(find_member, stranger) is None
    _no_error(chat, stranger)

    chat.clock.advance(WINDOW)
    welcome = await chat.say(stranger, f"/start {code}")
    assert (welcome.text or "").startswith("Welkom, Onbekend!")


async def test_a_right_code_right_after_ten_wrong_ones_is_refused_too(chat: Chat) -> None:
    stranger = chat.person(STRANGER, "Onbekend")
    code = await chat.invite()
    await _wrong_codes(chat, stranger)

    refusal = await chat.say(stranger, f"/start {code}")

    assert "over een minuut opnieuw" in (refusal.text or "")
    assert await chat.database.run(find_member, stranger) is None
    other = await chat.say(chat.person(667, "Iemand"), "/start verzonnen")
    assert "ken ik niet" in (other.text or "")  # someone else is not slowed down


async def test_an_overlong_code_is_unknown_without_a_look_up(chat: Chat) -> None:
    refusal = await chat.say(chat.person(STRANGER, "Onbekend"), "/start " + "x" * 5000)

    assert "ken ik niet" in (refusal.text or "")
