"""Submitting agenda items in chat: choosing the meeting, typing title and explanation,
refusals, and /mijnpunten, where a member sees and withdraws their items."""

from __future__ import annotations

from planning.agenda_items.services import review, submit, waiting_items
from planning.agenda_items.tables import AgendaItemKind, AgendaItemStatus
from tests.support.agenda_chat import (
    ANNE,
    AO,
    BERT,
    FATIMA,
    KOEN,
    KWG,
    SANNE,
    ao_key,
    stored_items,
    submit_in_chat,
    title_and_kind,
)
from tests.support.chat import Chat, labels


async def test_one_open_meeting_needs_no_choice_and_the_coordinators_hear(chat: Chat) -> None:
    question = await chat.say(FATIMA, "/agendapunt")

    assert question.buttons() == []
    assert AO in (question.text or "")
    assert "tot en met maandag 7 maart 2011" in (question.text or "")
    kind_question = await chat.say(FATIMA, "  Jeugdcriminaliteit   in  Gouda ")
    assert labels(kind_question) == ["Ter bespreking", "Ter besluitvorming", "Ter informatie"]
    await chat.press(FATIMA, kind_question, "Ter informatie")
    await chat.settle()
    explanation_question = chat.current(kind_question)
    assert (explanation_question.text or "").startswith("Uw punt is ter informatie.\n")
    assert "/overslaan" in (explanation_question.text or "")
    summary = await chat.say(FATIMA, "Cijfers van de politie over 2010.")
    assert "Titel: Jeugdcriminaliteit in Gouda\nSoort: ter informatie" in (summary.text or "")
    assert "Toelichting: Cijfers van de politie over 2010." in (summary.text or "")
    assert labels(summary) == ["Indienen", "Wijzigen", "Annuleren"]

    await chat.press(FATIMA, summary, "Indienen")

    confirmation = await chat.latest(FATIMA)
    assert (confirmation.text or "").startswith(
        f"Dank u wel. Uw punt Jeugdcriminaliteit in Gouda is ingediend voor {AO}"
    )
    for coordinator in (ANNE, BERT):
        notice = await chat.arrives(coordinator, lambda text: "Jeugdcriminaliteit" in text)
        assert "Fatima El Amrani" in (notice.text or "")
        assert "Cijfers van de politie over 2010." in (notice.text or "")
        assert "Aangeboden ter informatie." in (notice.text or "")
        assert labels(notice) == ["Op de agenda", "Niet opnemen", "Naar volgende vergadering"]
    [item] = await stored_items(chat, FATIMA)
    assert (item.title, item.status, item.kind) == (
        "Jeugdcriminaliteit in Gouda",
        AgendaItemStatus.WAITING,
        AgendaItemKind.INFORMATION,
    )


async def test_a_member_of_two_overleggen_chooses_the_meeting(chat: Chat) -> None:
    choice = await chat.say(KOEN, "/agendapunt")

    assert labels(choice) == ["Kenniswerkgroep, 3 februari", "Ambtelijk overleg, 22 maart"]
    # Typing instead of pressing: asked to press, and the question stays open.
    typed = await chat.say(KOEN, "Kenniswerkgroep")
    assert typed.text == "Kiest u met een van de knoppen hierboven? Stoppen kan met /annuleren."
    await chat.press(KOEN, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()
    assert KWG in (chat.current(choice).text or "")  # the choice became the title question
    await title_and_kind(chat, KOEN, "Ervaringen met de buurtaanpak")
    summary = await chat.say(KOEN, "/overslaan")
    assert "Toelichting: geen" in (summary.text or "")
    await chat.press(KOEN, summary, "Indienen")
    await chat.settle()

    [item] = await stored_items(chat, KOEN)
    assert (item.overleg_code, item.explanation) == ("kwg", None)


async def test_a_member_without_an_open_agenda_is_told_so(chat: Chat) -> None:
    answer = await chat.say(SANNE, "/agendapunt")  # the petit comité takes no items

    assert answer.text == (
        "Er is op dit moment geen overleg van u waarvoor u agendapunten kunt aanleveren. "
        "Zodra dat weer kan, kunt u het overleg kiezen met /agendapunt."
    )
    assert answer.buttons() == []
    follow_up = await chat.say(SANNE, "Een titel")
    assert "Op vrije tekst kan ik nog niet reageren" in (follow_up.text or "")


async def test_the_closing_moment_is_told_in_the_plans_zone_not_the_servers(
    utc_chat: Chat,
) -> None:
    question = await utc_chat.say(FATIMA, "/agendapunt")
    choice = await utc_chat.say(KOEN, "/agendapunt")

    # The petit comité of 8 March begins at 00:00 in Amsterdam (23:00 UTC the day before), as
    # the reminders say; in UTC it would read "tot maandag 7 maart 2011, 23:00".
    assert "aanleveren kan tot en met maandag 7 maart 2011)" in (question.text or "")
    assert (
        "Ambtelijk overleg, dinsdag 22 maart 2011: punten aanleveren kan tot en met "
        "maandag 7 maart 2011" in (choice.text or "")
    )


async def test_annuleren_stores_nothing_and_agendapunt_starts_again(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, "Een punt dat ik toch niet indien")

    cancelled = await chat.say(FATIMA, "/annuleren")
    assert (
        cancelled.text
        == "Uw agendapunt Een punt dat ik toch niet indien is niet ingediend en verwijderd."
    )
    afterwards = await chat.say(FATIMA, "Losse tekst")
    assert "Op vrije tekst kan ik nog niet reageren" in (afterwards.text or "")

    again = await chat.say(FATIMA, "/agendapunt")
    assert "Wat is de titel van uw punt?" in (again.text or "")
    summary = await submit_in_chat(chat, FATIMA, "Het punt dat ik wel indien")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    assert [item.title for item in await stored_items(chat, FATIMA)] == [
        "Het punt dat ik wel indien"
    ]
    await chat.arrives(ANNE, lambda text: "Het punt dat ik wel indien" in text)
    assert not any("toch niet" in text for text in chat.texts(ANNE))


async def test_another_command_halfway_leaves_the_draft_to_go_on_with(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    kind_question = await chat.say(FATIMA, "Samenwerking met het onderwijs")

    agenda = await chat.say(FATIMA, "/agenda")
    assert "Ambtelijk overleg" in (agenda.text or "")
    await chat.press(FATIMA, kind_question, "Ter bespreking")
    await chat.settle()
    summary = await chat.say(FATIMA, "Graag een ronde langs de gemeenten.")

    assert "Titel: Samenwerking met het onderwijs" in (summary.text or "")
    assert "Toelichting: Graag een ronde langs de gemeenten." in (summary.text or "")


async def test_an_overlong_title_is_refused_in_dutch_and_the_draft_kept(chat: Chat) -> None:
    choice = await chat.say(KOEN, "/agendapunt")
    await chat.press(KOEN, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()

    refusal = await chat.say(KOEN, "x" * 201)

    assert "te lang" in (refusal.text or "") and "200 tekens" in (refusal.text or "")
    await title_and_kind(chat, KOEN, "Een titel van gewone lengte")
    summary = await chat.say(KOEN, "/overslaan")
    assert f"Overleg: {KWG}" in (summary.text or "")
    assert "Titel: Een titel van gewone lengte" in (summary.text or "")


async def test_wijzigen_asks_again_and_the_new_answers_count(chat: Chat) -> None:
    summary = await submit_in_chat(chat, FATIMA, "Eerste versie")

    await chat.press(FATIMA, summary, "Wijzigen")
    question = await chat.latest(FATIMA)
    assert "Wat is de titel van uw punt?" in (question.text or "")
    await title_and_kind(chat, FATIMA, "Tweede versie", "Ter besluitvorming")
    summary = await chat.say(FATIMA, "Met toelichting nu.")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    [item] = await stored_items(chat, FATIMA)
    assert (item.title, item.explanation, item.kind) == (
        "Tweede versie",
        "Met toelichting nu.",
        AgendaItemKind.DECISION,
    )


async def test_mijnpunten_shows_the_status_and_withdraws_a_waiting_item(chat: Chat) -> None:
    key = await ao_key(chat)
    accepted = await chat.database.run(
        submit, chat.clock, FATIMA, key, "Al besproken punt", None, AgendaItemKind.DECISION
    )
    await chat.database.run(submit, chat.clock, FATIMA, key, "Punt om in te trekken", None)
    await chat.database.run(review, chat.clock, ANNE, accepted.id, accept=True)

    listing = await chat.say(FATIMA, "/mijnpunten")

    assert "Al besproken punt (ter besluitvorming): op de agenda (punt 1)" in (listing.text or "")
    assert "Punt om in te trekken (ter bespreking): ter beoordeling" in (listing.text or "")
    assert labels(listing) == [
        "Intrekken: Punt om in te trekken",
        "Stuk toevoegen: Al besproken punt",
        "Stuk toevoegen: Punt om in te trekken",
    ]
    await chat.press(FATIMA, listing, "Intrekken: Punt om in te trekken")

    answer = await chat.latest(FATIMA)
    assert answer.text == "Uw punt Punt om in te trekken is ingetrokken."
    redrawn = chat.current(listing)
    assert "Punt om in te trekken (ter bespreking): ingetrokken" in (redrawn.text or "")
    assert labels(redrawn) == ["Stuk toevoegen: Al besproken punt"]
    assert await chat.database.run(waiting_items, chat.clock) == []
