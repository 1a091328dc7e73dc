"""Joining, being refused, and leaving, as a member experiences it in Telegram."""

from __future__ import annotations

from datetime import timedelta

from planning.membership.lookups import find_member
from planning.membership.tables import MemberStatus
from tests.support.chat import ADMIN_ID, Chat


async def test_an_invite_link_registers_and_welcomes_in_dutch(chat: Chat) -> None:
    fatima = chat.person(501, "Fatima", "El Amrani")
    code = await chat.invite(groups=("contactpersonen", "petit-comite"))

    welcome = await chat.say(fatima, f"/start {code}")

    assert welcome.text is not None
    assert welcome.text.startswith("Welkom, Fatima El Amrani!")
    assert "Gemeente Gouda" in welcome.text
    assert "Contactpersonen, Petit comité (vier gemeenten)" in welcome.text
    member = await chat.database.run(find_member, fatima)
    assert member is not None and member.status == MemberStatus.ACTIVE


async def test_a_used_code_is_refused_and_registers_nobody(chat: Chat) -> None:
    code = await chat.invite()
    await chat.say(chat.person(501, "Fatima"), f"/start {code}")

    refusal = await chat.say(chat.person(502, "Karim"), f"/start {code}")

    assert refusal.text is not None and "al gebruikt" in refusal.text
    assert "coördinatieteam" in refusal.text
    assert await chat.database.run(find_member, 502) is None


async def test_an_expired_code_is_refused(chat: Chat) -> None:
    code = await chat.invite()
    chat.clock.advance(timedelta(days=15))

    refusal = await chat.say(chat.person(501, "Fatima"), f"/start {code}")

    assert refusal.text is not None and "verlopen" in refusal.text
    assert await chat.database.run(find_member, 501) is None


async def test_an_unknown_code_is_refused(chat: Chat) -> None:
    refusal = await chat.say(chat.person(501, "Fatima"), "/start verzonnen-code")

    assert refusal.text is not None and "ken ik niet" in refusal.text
    assert await chat.database.run(find_member, 501) is None


async def test_a_stranger_is_refused_politely_and_nothing_is_stored(chat: Chat) -> None:
    stranger = chat.person(666, "Onbekend")

    for text in ("/start", "/help", "/mijngegevens", "Hallo, wie ben jij?"):
        refusal = await chat.say(stranger, text)
        assert refusal.text is not None
        assert "uitnodigingslink" in refusal.text and "coördinatieteam" in refusal.text

    assert await chat.database.run(find_member, stranger) is None


async def test_my_data_shows_what_is_stored(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    answer = await chat.say(fatima, "/mijngegevens")

    assert answer.text is not None
    for expected in ("Fatima", "501", "Gemeente Gouda", "lid", "Contactpersonen", "januari 2011"):
        assert expected in answer.text


async def test_leaving_asks_first_and_then_erases(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    question = await chat.say(fatima, "/afmelden")
    await chat.press(fatima, question, "Nee, aangemeld blijven")
    await chat.server.wait_for(
        lambda: "blijft aangemeld" in (chat.server.messages(fatima)[-1].text or "")
    )
    member = await chat.database.run(find_member, fatima)
    assert member is not None and member.status == MemberStatus.ACTIVE

    question = await chat.say(fatima, "/afmelden")
    await chat.press(fatima, question, "Ja, afmelden")
    assert ((await chat.latest(fatima)).text or "").startswith("U bent afgemeld.")

    member = await chat.database.run(find_member, fatima)
    assert member is not None and member.status == MemberStatus.LEFT and member.name == ""
    answer = await chat.say(fatima, "/help")
    assert answer.text is not None and "nieuwe uitnodiging" in answer.text


async def test_a_member_who_blocks_the_bot_is_marked(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    chat.server.block(fatima)
    await chat.settle()

    member = await chat.database.run(find_member, fatima)
    assert member is not None and member.status == MemberStatus.BLOCKED
    listing = await chat.say(ADMIN_ID, "/leden")
    assert (
        listing.text is not None
        and "Fatima – Gemeente Gouda, lid, Contactpersonen (bot geblokkeerd)" in listing.text
    )

    chat.server.unblock(fatima)
    await chat.settle()
    member = await chat.database.run(find_member, fatima)
    assert member is not None and member.status == MemberStatus.ACTIVE
