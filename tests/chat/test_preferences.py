"""/instellingen: a member changes their settings with buttons on one message."""

from __future__ import annotations

from bot.standin import SentMessage
from planning.preferences.services import my_settings
from tests.support.chat import Chat, labels

FATIMA = 501
MUTE_AO = "Geen herinneringen voor Ambtelijk overleg"


async def _settings(chat: Chat) -> SentMessage:
    """Fatima, a contact person, opens /instellingen."""
    return await chat.say(await chat.member(FATIMA, "Fatima"), "/instellingen")


async def _press(chat: Chat, message: SentMessage, label: str) -> SentMessage:
    """Fatima presses ``label`` under the settings as they read now; how they read after."""
    await chat.press(FATIMA, chat.current(message), label)
    await chat.settle()
    return chat.current(message)


async def test_settings_show_the_defaults_and_my_overleggen(planned_chat: Chat) -> None:
    shown = await _settings(planned_chat)

    text = shown.text or ""
    assert text.startswith("Uw instellingen voor herinneringen")
    assert "Tijdstip: zoals gepland in het jaarplan" in text
    assert "Weekoverzicht: uit" in text and "Pauze: geen" in text
    assert labels(shown) == [
        MUTE_AO,
        "Geen herinneringen voor Themasessie",
        "Tijdstip kiezen",
        "Weekoverzicht aanzetten",
        "Pauzeren",
    ]


async def test_muting_and_unmuting_an_overleg(planned_chat: Chat) -> None:
    chat = planned_chat
    shown = await _settings(chat)

    muted = await _press(chat, shown, MUTE_AO)

    assert "Geen herinneringen voor: Ambtelijk overleg" in (muted.text or "")
    assert "Weer herinneringen voor Ambtelijk overleg" in labels(muted)
    settings = await chat.database.run(my_settings, chat.clock, FATIMA)
    assert settings is not None and settings.preferences.muted == {"ao"}

    again = await _press(chat, shown, "Weer herinneringen voor Ambtelijk overleg")
    assert "Geen herinneringen voor:" not in (again.text or "")
    assert MUTE_AO in labels(again)


async def test_choosing_an_hour_and_the_digest(planned_chat: Chat) -> None:
    chat = planned_chat
    shown = await _settings(chat)

    hours = await _press(chat, shown, "Tijdstip kiezen")
    assert labels(hours)[:3] == ["07:00", "08:00", "09:00"]
    assert labels(hours)[-2:] == ["Zoals gepland", "Terug"]
    chosen = await _press(chat, shown, "14:00")
    assert "Tijdstip: om 14:00 uur op de dag van de herinnering" in (chosen.text or "")

    digest = await _press(chat, shown, "Weekoverzicht aanzetten")
    assert "Weekoverzicht: aan" in (digest.text or "")
    assert "Weekoverzicht uitzetten" in labels(digest)

    back = await _press(chat, shown, "Tijdstip kiezen")
    planned = await _press(chat, back, "Zoals gepland")
    assert "Tijdstip: zoals gepland" in (planned.text or "")


async def test_pausing_for_two_weeks_and_lifting_the_pause(planned_chat: Chat) -> None:
    chat = planned_chat
    shown = await _settings(chat)

    choices = await _press(chat, shown, "Pauzeren")
    assert labels(choices) == ["1 week", "2 weken", "3 weken", "Tot een datum", "Terug"]
    paused = await _press(chat, shown, "2 weken")

    # The clock stands at Tuesday 4 January 2011.
    assert "Pauze: u ontvangt niets tot dinsdag 18 januari 2011" in (paused.text or "")
    lifted = await _press(chat, shown, "Pauze opheffen")
    assert "Pauze: geen" in (lifted.text or "")


async def test_pausing_until_a_typed_date(planned_chat: Chat) -> None:
    chat = planned_chat
    shown = await _settings(chat)
    await _press(chat, shown, "Pauzeren")
    asked = await _press(chat, shown, "Tot een datum")
    assert (asked.text or "").startswith("Vanaf welke dag wilt u weer berichten ontvangen?")

    unclear = await chat.say(FATIMA, "na de vakantie")
    assert (unclear.text or "").startswith("Die datum kan ik niet lezen.")
    past = await chat.say(FATIMA, "3-1-2011")
    assert (past.text or "").startswith("Kiest u een dag na vandaag?")
    settings = await chat.say(FATIMA, "1 februari")

    assert "Pauze: u ontvangt niets tot dinsdag 1 februari 2011" in (settings.text or "")
    assert "Pauze opheffen" in labels(settings)
