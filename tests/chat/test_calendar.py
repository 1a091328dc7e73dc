"""Members ask what is coming up: /agenda page by page and as a calendar file, /deadlines
with their own first, /volgende; as the member sees it in Telegram.

The example plan is loaded and it is Tuesday 4 January 2011, 09:00 in Amsterdam.
"""

from __future__ import annotations

from datetime import UTC, datetime

import vobject

from tests.support.chat import Chat, labels

NEXT, PREVIOUS, CALENDAR = "Volgende", "Vorige", "Zet in mijn agenda (.ics)"


async def test_agenda_shows_my_meetings_with_the_petit_comite_under_the_ao(
    planned_chat: Chat,
) -> None:
    fatima = await planned_chat.member(501, "Fatima")

    answer = await planned_chat.say(fatima, "/agenda")

    text = answer.text or ""
    assert text.startswith("Uw komende overleggen (1–5 van 9)\n\nAmbtelijk overleg\n")
    assert (
        "Ambtelijk overleg\ndinsdag 18 januari 2011\n"
        "Voorbereiding: Petit comité op dinsdag 4 januari 2011" in text
    )
    assert "Themasessie\ndinsdag 18 januari 2011\nThema: Vertaalslag monitor naar praktijk" in text
    assert "Kenniswerkgroep" not in text and "Bestuurlijk" not in text
    assert labels(answer) == [NEXT, CALENDAR]


async def test_agenda_pages_forward_and_back_in_the_same_message(planned_chat: Chat) -> None:
    chat = planned_chat
    fatima = await chat.member(501, "Fatima")
    first = await chat.say(fatima, "/agenda")

    await chat.press(fatima, first, NEXT)
    await chat.settle()

    second = chat.current(first)
    assert (second.text or "").startswith("Uw komende overleggen (6–9 van 9)")
    assert "Ambtelijk overleg\ndinsdag 22 november 2011" in (second.text or "")
    assert labels(second) == [PREVIOUS, CALENDAR]

    # The buttons hold their page, so they still work after other messages.
    await chat.say(fatima, "/help")
    await chat.press(fatima, second, PREVIOUS)
    await chat.settle()

    back = chat.current(first)
    assert back.text == first.text
    assert labels(back) == [NEXT, CALENDAR]
    assert len(chat.server.messages(fatima)) == 3  # welcome, the agenda, the help


async def test_agenda_sends_my_meetings_as_a_calendar_file(planned_chat: Chat) -> None:
    chat = planned_chat
    fatima = await chat.member(501, "Fatima")
    agenda = await chat.say(fatima, "/agenda")

    await chat.press(fatima, agenda, CALENDAR)
    sent = await chat.server.next_message(fatima)

    assert sent.document is not None
    assert sent.document.file_name == "overlegbot-agenda.ics"
    assert sent.document.mime_type == "text/calendar"
    assert "agendabestand" in (sent.text or "")
    calendar = vobject.readOne(sent.document.content.decode())
    summaries = [event.summary.value for event in calendar.vevent_list]
    assert summaries.count("Ambtelijk overleg") == 5
    assert summaries.count("Themasessie") == 4
    assert "Kenniswerkgroep" not in summaries and "Petit comité" not in summaries
    first_ao = next(e for e in calendar.vevent_list if e.summary.value == "Ambtelijk overleg")
    assert str(first_ao.dtstart.value) == "2011-01-18"


async def test_deadlines_show_those_of_my_organisation_first(planned_chat: Chat) -> None:
    karim = await planned_chat.member(502, "Fatima", organisation="bzk", groups=("rijk",))

    answer = await planned_chat.say(karim, "/deadlines")

    lines = (answer.text or "").splitlines()
    assert lines[:5] == [
        "Komende deadlines",
        "",
        "Uw organisatie is verantwoordelijk:",
        "• Monitor 2011 (over 2010): Start, uiterlijk eind mei 2011",
        "• Monitor 2011 (over 2010): Concept gereed, uiterlijk eind oktober 2011",
    ]
    assert lines[6] == "Uw groepen zijn betrokken:"
    assert lines[7].startswith("• Jaarplan 2011: Jaarplan vastgesteld, uiterlijk eind maart 2011")
    assert "Overige:" in lines
    assert lines[-1] == (
        "Is een mijlpaal klaar, of komt er een nieuwe datum? Geef het door met /mijlpaal."
    )


async def test_deadlines_of_a_municipality_start_with_its_groups(planned_chat: Chat) -> None:
    fatima = await planned_chat.member(501, "Fatima")

    answer = await planned_chat.say(fatima, "/deadlines")

    lines = (answer.text or "").splitlines()
    assert lines[2] == "Uw groepen zijn betrokken:"
    assert "Uw organisatie is verantwoordelijk:" not in lines
    assert lines[-1].startswith("• Communicatieplan: Communicatieplan gereed")  # no /mijlpaal hint


async def test_next_is_todays_petit_comite_for_its_member(planned_chat: Chat) -> None:
    youssef = await planned_chat.member(503, "Fatima", groups=("petit-comite",))

    answer = await planned_chat.say(youssef, "/volgende")

    assert answer.text == (
        "Uw volgende overleg:\n"
        "Petit comité\n"
        "dinsdag 4 januari 2011\n"
        "De agenda sluit hier voor: Ambtelijk overleg, dinsdag 18 januari 2011."
    )


async def test_next_for_a_contact_person_is_the_ao_with_its_petit_comite(
    planned_chat: Chat,
) -> None:
    fatima = await planned_chat.member(501, "Fatima")

    answer = await planned_chat.say(fatima, "/volgende")

    assert answer.text == (
        "Uw volgende overleg:\n"
        "Ambtelijk overleg\n"
        "dinsdag 18 januari 2011\n"
        "Voorbereiding: Petit comité op dinsdag 4 januari 2011"
    )


async def test_when_nothing_is_planned_any_more_the_member_is_told_so(planned_chat: Chat) -> None:
    chat = planned_chat
    fatima = await chat.member(501, "Fatima")
    chat.clock.set(datetime(2012, 2, 1, 9, 0, tzinfo=UTC))

    agenda = await chat.say(fatima, "/agenda")
    deadlines = await chat.say(fatima, "/deadlines")
    upcoming = await chat.say(fatima, "/volgende")

    assert agenda.text == "U heeft de komende tijd geen overleggen."
    assert agenda.buttons() == []
    assert upcoming.text == "Er staat voor u de komende tijd niets gepland."
    # Milestones nobody marked done stay on the list, flagged, until someone does.
    items = [line for line in (deadlines.text or "").splitlines() if line.startswith("•")]
    assert items and all(line.endswith("– te laat") for line in items)


async def test_without_a_plan_there_is_nothing_to_tell(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    agenda = await chat.say(fatima, "/agenda")
    deadlines = await chat.say(fatima, "/deadlines")

    assert agenda.text == "U heeft de komende tijd geen overleggen."
    assert deadlines.text == "Er zijn de komende tijd geen deadlines."
