"""Members of a product's owner organisation keep its milestones up to date in chat."""

from __future__ import annotations

from bot.standin import SentMessage
from planning.milestones.services import history, open_milestones
from tests.support.chat import ADMIN_ID, Chat, labels

BZK = 601  # Ministerie van BZK owns the Monitor 2011
GOUDA = 602


async def _member_of(chat: Chat, user_id: int, organisation: str) -> None:
    """A member of ``organisation`` in no group."""
    await chat.member(user_id, f"Lid {organisation}", organisation=organisation, groups=())


async def _choose(chat: Chat, user_id: int, label_part: str) -> SentMessage:
    listing = await chat.say(user_id, "/mijlpaal")
    [label] = [label for label in labels(listing) if label_part in label]
    await chat.press(user_id, listing, label)
    return await chat.latest(user_id)


async def test_a_member_of_the_owner_marks_a_milestone_done(planned_chat: Chat) -> None:
    chat = planned_chat
    await _member_of(chat, BZK, "bzk")

    listing = await chat.say(BZK, "/mijlpaal")
    assert labels(listing) == [
        "uiterlijk eind mei 2011 · Monitor 2011 (over 2010): Start",
        "uiterlijk eind oktober 2011 · Monitor 2011 (over 2010): Concept gereed",
    ]
    await chat.press(BZK, listing, listing.buttons()[0][0])
    details = await chat.latest(BZK)
    assert "Verantwoordelijk: Ministerie van Binnenlandse Zaken" in (details.text or "")
    await chat.press(BZK, details, "Klaar")
    confirmation = await chat.latest(BZK)
    assert "afvinken als klaar?" in (confirmation.text or "")
    await chat.press(BZK, confirmation, "Bevestigen")

    saved = await chat.latest(BZK)
    assert saved.text == "Genoteerd: Monitor 2011 (over 2010): Start is klaar."
    assert len(await chat.database.run(open_milestones, BZK)) == 1


async def test_a_new_date_with_a_reason_is_kept_in_the_history(planned_chat: Chat) -> None:
    chat = planned_chat
    await _member_of(chat, BZK, "bzk")
    details = await _choose(chat, BZK, "Concept gereed")
    await chat.press(BZK, details, "Nieuwe datum")
    await chat.settle()

    with_time = await chat.say(BZK, "15-11-2011 10:00")
    reason_question = await chat.say(BZK, "november 2011")
    confirmation = await chat.say(BZK, "De cijfers van het CBS komen later.")

    assert "geen tijd" in (with_time.text or "")
    assert "Waarom verschuift de mijlpaal?" in (reason_question.text or "")
    assert "Van: uiterlijk eind oktober 2011" in (confirmation.text or "")
    assert "Naar: uiterlijk eind november 2011" in (confirmation.text or "")
    await chat.press(BZK, confirmation, "Bevestigen")
    await chat.settle()
    uid = [
        m.uid for m in await chat.database.run(open_milestones, BZK) if "Concept" in m.description
    ]
    [line] = await chat.database.run(history, uid[0])
    assert (line.old_when, line.new_when, line.by_telegram_user_id) == ("2011-10", "2011-11", BZK)
    assert line.reason == "De cijfers van het CBS komen later."

    details = await _choose(chat, BZK, "Concept gereed")
    assert "Eerder gewijzigd:" in (details.text or "")
    assert "De cijfers van het CBS komen later." in (details.text or "")


async def test_another_organisation_may_not_change_the_milestones(planned_chat: Chat) -> None:
    chat = planned_chat
    await _member_of(chat, GOUDA, "gouda")

    answer = await chat.say(GOUDA, "/mijlpaal")

    assert (answer.text or "").startswith("Er zijn geen open mijlpalen die u kunt bijwerken.")
    assert answer.buttons() == []


async def test_a_coordinator_sees_every_open_milestone_and_can_cancel(planned_chat: Chat) -> None:
    chat = planned_chat
    details = await _choose(chat, ADMIN_ID, "Jaarplan vastgesteld")
    await chat.press(ADMIN_ID, details, "Nieuwe datum")
    await chat.settle()

    answer = await chat.say(ADMIN_ID, "/annuleren")

    assert answer.text == "De opdracht is afgebroken; er is niets opgeslagen."
    assert len(await chat.database.run(open_milestones, ADMIN_ID)) == 9


async def test_a_blank_reason_or_a_far_year_is_asked_again(planned_chat: Chat) -> None:
    chat = planned_chat
    await _member_of(chat, BZK, "bzk")
    details = await _choose(chat, BZK, "Concept gereed")
    await chat.press(BZK, details, "Nieuwe datum")
    await chat.settle()

    far = await chat.say(BZK, "november 9999")
    await chat.say(BZK, "november 2011")
    blank = await chat.say(BZK, " \u200b\u2060 ")
    confirmation = await chat.say(BZK, "\u202eDe cijfers\x00 komen later.")

    assert "tussen 1900 en 2199" in (far.text or "")
    assert blank.text == "Geeft u in een paar woorden de reden op?"
    await chat.press(BZK, confirmation, "Bevestigen")
    await chat.settle()
    [uid] = [
        m.uid for m in await chat.database.run(open_milestones, BZK) if "Concept" in m.description
    ]
    [line] = await chat.database.run(history, uid)
    assert line.reason == "De cijfers komen later."
