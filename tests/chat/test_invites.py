"""A coordinator makes invite links in chat, and a new member uses one."""

from __future__ import annotations

import re

from planning.membership.lookups import find_member
from tests.support.chat import ADMIN_ID, Chat
from tests.support.standin import BOT_USERNAME

LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")


async def _make_invites(chat: Chat, count: str) -> list[str]:
    question = await chat.say(ADMIN_ID, "/uitnodigen")
    await chat.press(ADMIN_ID, question, "Lid")
    await chat.press(ADMIN_ID, await chat.latest(ADMIN_ID), "Gemeente Gouda")
    await chat.press(ADMIN_ID, await chat.latest(ADMIN_ID), "Petit comité (vier gemeenten)")
    groups = await chat.latest(ADMIN_ID)
    assert ("✅ Petit comité (vier gemeenten)", groups.buttons()[1][1]) in groups.buttons()
    await chat.press(ADMIN_ID, groups, "Klaar")
    await chat.press(ADMIN_ID, await chat.latest(ADMIN_ID), count)
    links = await chat.server.next_message(ADMIN_ID)
    return LINK.findall(links.text or "")


async def test_a_coordinator_makes_links_that_register_new_members(chat: Chat) -> None:
    codes = await _make_invites(chat, "5")

    assert len(codes) == len(set(codes)) == 5
    summary = chat.server.messages(ADMIN_ID)[-2]
    assert "Gemeente Gouda" in (summary.text or "") and "Petit comité" in (summary.text or "")

    welcome = await chat.say(chat.person(601, "Youssef"), f"/start {codes[0]}")
    assert (welcome.text or "").startswith("Welkom, Youssef!")
    member = await chat.database.run(find_member, 601)
    assert member is not None and [g.code for g in member.groups] == ["petit-comite"]


async def test_the_invite_conversation_can_be_cancelled_and_begun_again(chat: Chat) -> None:
    question = await chat.say(ADMIN_ID, "/uitnodigen")
    await chat.press(ADMIN_ID, question, "Lid")
    await chat.settle()

    answer = await chat.say(ADMIN_ID, "/annuleren")
    assert answer.text == "De opdracht is afgebroken; er is niets opgeslagen."
    stale = chat.server.messages(ADMIN_ID)[-2]
    await chat.press(ADMIN_ID, stale, "Gemeente Gouda")
    await chat.settle()
    assert any(
        "Deze knop is niet (meer) voor u" in (a.get("text") or "")
        for a in chat.server.answered_callbacks.values()
    )

    assert len(await _make_invites(chat, "1")) == 1


async def test_a_coordinator_can_wander_off_and_resume_the_conversation(chat: Chat) -> None:
    question = await chat.say(ADMIN_ID, "/uitnodigen")
    await chat.press(ADMIN_ID, question, "Coördinator")
    organisations = await chat.latest(ADMIN_ID)

    await chat.say(ADMIN_ID, "/help")
    await chat.press(ADMIN_ID, organisations, "Gemeente Gouda")
    await chat.settle()

    edited = chat.current(organisations)
    assert (edited.text or "").startswith("In welke groepen komt de deelnemer?")
