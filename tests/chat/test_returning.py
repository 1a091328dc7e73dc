"""Members who come back: re-opening a link, leaving and returning, editing old commands."""

from __future__ import annotations

from planning.membership.lookups import find_member
from planning.membership.tables import MemberStatus
from tests.support.chat import ADMIN_ID, Chat


async def test_a_member_reopening_their_own_link_is_not_refused(chat: Chat) -> None:
    fatima = chat.person(501, "Fatima")
    code = await chat.invite()
    await chat.say(fatima, f"/start {code}")

    again = await chat.say(fatima, f"/start {code}")

    assert (again.text or "").startswith("U bent al aangemeld, Fatima.")
    assert "al gebruikt" not in (again.text or "")


async def test_an_active_member_leaves_a_second_link_unused(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    spare = await chat.invite()

    await chat.say(fatima, f"/start {spare}")
    welcome = await chat.say(chat.person(502, "Karim"), f"/start {spare}")

    assert (welcome.text or "").startswith("Welkom, Karim!")


async def test_a_member_who_left_is_told_how_to_return_and_comes_back(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    earlier_question = await chat.say(fatima, "/afmelden")
    question = await chat.say(fatima, "/afmelden")
    await chat.press(fatima, question, "Ja, afmelden")
    await chat.settle()

    for text in ("/start", "/mijngegevens"):
        answer = await chat.say(fatima, text)
        assert (answer.text or "").startswith("U bent afgemeld.")
        assert "nieuwe uitnodiging" in (answer.text or "")
    await chat.press(fatima, earlier_question, "Ja, afmelden")  # a button left from before
    await chat.settle()
    assert any(
        a.get("text", "").startswith("U bent afgemeld.")
        for a in chat.server.answered_callbacks.values()
    )
    listing = await chat.say(ADMIN_ID, "/leden")
    assert "(naam gewist) – Gemeente Gouda, lid, geen (afgemeld)" in (listing.text or "")
    assert "Deelnemers: 1 actief, 2 in totaal." in (listing.text or "")

    welcome = await chat.say(fatima, f"/start {await chat.invite()}")
    assert (welcome.text or "").startswith("Welkom terug, Fatima!")


async def test_an_admin_who_left_stays_out_until_start(chat: Chat) -> None:
    question = await chat.say(ADMIN_ID, "/afmelden")
    await chat.press(ADMIN_ID, question, "Ja, afmelden")
    await chat.settle()

    refused = await chat.say(ADMIN_ID, "/leden")
    assert (refused.text or "").startswith("U bent afgemeld.")

    welcome = await chat.say(ADMIN_ID, "/start")
    assert "U bent aangemeld als coördinator" in (welcome.text or "")


async def test_editing_an_old_command_does_not_run_it_again(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    sent = chat.server.send_message(fatima, "/help")
    await chat.server.next_message(fatima)

    chat.server.edit_message(fatima, sent, "/afmelden")

    assert ((await chat.latest(fatima)).text or "").startswith("Dit kunt u mij vragen:")


async def test_a_member_whose_block_shows_as_403_is_marked_blocked(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    # Telegram can refuse a send before its my_chat_member update reaches the bot.
    chat.server.fail_next(
        "sendMessage", status=403, description="Forbidden: bot was blocked by the user"
    )

    chat.server.send_message(fatima, "/help")
    # The refusal first: the settling probe's answer, handled at the same time, must not meet it.
    await chat.server.wait_for(lambda: any(call.status == 403 for call in chat.server.calls))
    await chat.settle()

    member = await chat.database.run(find_member, fatima)
    assert member is not None and member.status == MemberStatus.BLOCKED
