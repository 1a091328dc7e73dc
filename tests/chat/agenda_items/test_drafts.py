"""An agenda item's draft when conversations cross or its agenda closes: one conversation
open at a time, a draft with a title kept for later, and what is typed never lost."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.standin import SentMessage
from planning.agenda_items.tables import AgendaItemKind
from tests.support.agenda_chat import (
    ANNE,
    FATIMA,
    MARIEKE,
    stored_items,
    submit_in_chat,
    title_and_kind,
)
from tests.support.chat import Chat, labels


async def test_starting_agendapunt_halfway_mijlpaal_ends_it_and_the_title_goes_to_the_item(
    chat: Chat,
) -> None:
    listing = await chat.say(ANNE, "/mijlpaal")
    await chat.press(ANNE, listing, labels(listing)[0])
    await chat.press(ANNE, await chat.latest(ANNE), "Nieuwe datum")
    await chat.settle()  # /mijlpaal now waits for a typed date

    choice = await chat.say(ANNE, "/agendapunt")
    notice = await chat.server.next_message(ANNE)

    assert notice.text == (
        "Omdat u een nieuwe opdracht begon, is /mijlpaal afgebroken. "
        "Wat u daar invulde, is niet bewaard."
    )
    await chat.press(ANNE, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()
    explanation_question = await title_and_kind(chat, ANNE, "Mijlpalen van de kenniswerkgroep")
    assert "/overslaan" in (explanation_question.text or "")
    summary = await chat.say(ANNE, "/overslaan")
    assert "Titel: Mijlpalen van de kenniswerkgroep" in (summary.text or "")
    assert (await chat.say(ANNE, "/annuleren")).text == (
        "Uw agendapunt Mijlpalen van de kenniswerkgroep is niet ingediend en verwijderd."
    )
    assert (await chat.say(ANNE, "/annuleren")).text == "Er is niets om af te breken."


async def _title_then_pause(chat: Chat, title: str) -> SentMessage:
    """Type an agenda item's title, then start choosing a pause date; the notice that says the
    item was kept."""
    await chat.say(FATIMA, "/agendapunt")
    await chat.say(FATIMA, title)
    settings = await chat.say(FATIMA, "/instellingen")
    await chat.press(FATIMA, settings, "Pauzeren")
    await chat.settle()
    await chat.press(FATIMA, chat.current(settings), "Tot een datum")
    return await chat.server.next_message(FATIMA)


async def test_an_item_with_a_title_is_kept_when_another_conversation_starts(chat: Chat) -> None:
    notice = await _title_then_pause(chat, "Gegevensdeling tussen gemeenten")
    paused = await chat.say(FATIMA, "1-2-2011")  # the pause's date, not an explanation

    assert (notice.text or "").startswith(
        "Omdat u een nieuwe opdracht begon, is /agendapunt onderbroken. "
        "Uw punt Gegevensdeling tussen gemeenten is nog niet ingediend, maar wel bewaard"
    )
    assert "1 februari 2011" in (paused.text or "")
    resumed = await chat.say(FATIMA, "/agendapunt")
    assert (resumed.text or "").startswith(
        "U gaat verder met uw agendapunt Gegevensdeling tussen gemeenten.\nWat vraagt u"
    )
    await chat.press(FATIMA, resumed, "Ter besluitvorming")
    await chat.settle()
    summary = await chat.say(FATIMA, "Graag afspraken over de AVG.")
    assert "Soort: ter besluitvorming" in (summary.text or "")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()
    [item] = await stored_items(chat, FATIMA)
    assert (item.title, item.explanation, item.kind) == (
        "Gegevensdeling tussen gemeenten",
        "Graag afspraken over de AVG.",
        AgendaItemKind.DECISION,
    )


async def test_a_kept_item_is_dropped_by_the_second_annuleren_and_says_so(chat: Chat) -> None:
    notice = await _title_then_pause(chat, "Bewaard en verwijderd")

    assert (notice.text or "").endswith(
        "U kunt het later afmaken met /agendapunt, of daar met /annuleren verwijderen."
    )
    # The first /annuleren ends the pause's conversation, which is open; the item stays kept.
    first = await chat.say(FATIMA, "/annuleren")
    second = await chat.say(FATIMA, "/annuleren")
    third = await chat.say(FATIMA, "/annuleren")

    assert first.text == "De opdracht is afgebroken; er is niets opgeslagen."
    assert second.text == "Uw bewaarde agendapunt Bewaard en verwijderd is verwijderd."
    assert third.text == "Er is niets om af te breken."
    fresh = await chat.say(FATIMA, "/agendapunt")
    assert "U gaat verder" not in (fresh.text or "")


async def test_agendapunt_typed_at_the_summary_goes_on_with_the_draft(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await title_and_kind(chat, FATIMA, "Typte ik al")
    await chat.say(FATIMA, "Met een toelichting.")

    again = await chat.say(FATIMA, "/agendapunt")

    assert (again.text or "").startswith("U gaat verder met uw agendapunt Typte ik al.\n\n")
    assert "Toelichting: Met een toelichting." in (again.text or "")
    await chat.press(FATIMA, again, "Indienen")
    await chat.settle()
    [item] = await stored_items(chat, FATIMA)
    assert (item.title, item.explanation) == ("Typte ik al", "Met een toelichting.")


async def test_agendapunt_typed_at_the_explanation_question_asks_it_again(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await title_and_kind(chat, FATIMA, "Half getypt")

    again = await chat.say(FATIMA, "/agendapunt")
    summary = await chat.say(FATIMA, "/overslaan")

    assert (again.text or "").startswith("U gaat verder met uw agendapunt Half getypt.\nWilt u")
    assert "Titel: Half getypt" in (summary.text or "")


async def test_annuleren_in_a_resumed_draft_names_the_dropped_item(chat: Chat) -> None:
    await _title_then_pause(chat, "Hervat en geannuleerd")
    await chat.say(FATIMA, "/annuleren")  # ends the pause's conversation
    resumed = await chat.say(FATIMA, "/agendapunt")

    cancelled = await chat.say(FATIMA, "/annuleren")

    assert (resumed.text or "").startswith("U gaat verder met uw agendapunt")
    assert cancelled.text == "Uw agendapunt Hervat en geannuleerd is niet ingediend en verwijderd."
    assert (await chat.say(FATIMA, "/annuleren")).text == "Er is niets om af te breken."
    assert await stored_items(chat, FATIMA) == []


async def test_a_refused_command_leaves_the_open_conversation_be(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")

    refused = await chat.say(FATIMA, "/publiceer")  # for coordinators only
    kind_question = await chat.say(FATIMA, "Een titel na een weigering")

    assert (refused.text or "").startswith("Deze opdracht is alleen voor coördinatoren.")
    assert (kind_question.text or "").startswith("Wat vraagt u het overleg met dit punt?")


async def test_two_conversations_are_never_open_at_once(chat: Chat) -> None:
    choice = await chat.say(ANNE, "/agendapunt")
    await chat.say(ANNE, "/mijlpaal")
    notice = await chat.server.next_message(ANNE)
    assert notice.text == (
        "Omdat u een nieuwe opdracht begon, is /agendapunt afgebroken. "
        "Wat u daar invulde, is niet bewaard."
    )

    cancelled = await chat.say(ANNE, "/annuleren")
    again = await chat.say(ANNE, "/annuleren")
    await chat.press(ANNE, choice, "Kenniswerkgroep, 3 februari")
    await chat.settle()

    assert cancelled.text == "De opdracht is afgebroken; er is niets opgeslagen."
    assert again.text == "Er is niets om af te breken."
    # The old choice is a button of a conversation that ended: nothing asks for a title.
    assert chat.current(choice).text == choice.text
    assert not any("Wat is de titel" in text for text in chat.texts(ANNE))


async def test_a_draft_whose_agenda_closed_meanwhile_can_go_to_another_meeting(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await title_and_kind(chat, FATIMA, "Net te laat ingediend")
    summary = await chat.say(FATIMA, "Een toelichting die niet verloren mag gaan.")
    chat.clock.set(datetime(2011, 3, 8, 12, 0, tzinfo=UTC))  # the petit comité began at 00:00

    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()

    choice = chat.current(summary)
    assert (choice.text or "").startswith("De agenda van het overleg dat u koos, is inmiddels")
    assert "Uw titel en toelichting zijn bewaard" in (choice.text or "")
    [later_ao] = labels(choice)
    assert later_ao.startswith("Ambtelijk overleg, ") and later_ao != "Ambtelijk overleg, 22 maart"
    await chat.press(FATIMA, choice, later_ao)
    await chat.settle()
    again = chat.current(summary)
    assert "Titel: Net te laat ingediend" in (again.text or "")
    assert "Toelichting: Een toelichting die niet verloren mag gaan." in (again.text or "")
    assert "22 maart" not in (again.text or "")
    await chat.press(FATIMA, again, "Indienen")
    await chat.settle()

    [item] = await stored_items(chat, FATIMA)
    assert (item.title, item.explanation) == (
        "Net te laat ingediend",
        "Een toelichting die niet verloren mag gaan.",
    )
    assert (chat.current(summary).text or "").startswith("Dank u wel.")


async def test_with_no_other_agenda_open_the_typed_text_is_shown_to_keep(chat: Chat) -> None:
    await chat.say(MARIEKE, "/agendapunt")  # the Bestuurlijk overleg of October, her only one
    await title_and_kind(chat, MARIEKE, "Regionale samenwerking")
    summary = await chat.say(MARIEKE, "Voorstel voor een gezamenlijke aanpak.")
    chat.clock.set(datetime(2011, 10, 3, 12, 0, tzinfo=UTC))

    await chat.press(MARIEKE, summary, "Indienen")
    await chat.settle()

    answer = chat.current(summary)
    assert "er is nu geen ander overleg waarvoor u punten kunt aanleveren" in (answer.text or "")
    assert "Titel: Regionale samenwerking" in (answer.text or "")
    assert "Toelichting: Voorstel voor een gezamenlijke aanpak." in (answer.text or "")
    assert answer.buttons() == []
    assert await stored_items(chat, MARIEKE) == []


async def test_the_annuleren_button_at_the_summary_names_the_dropped_item(chat: Chat) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await title_and_kind(chat, FATIMA, "Toch maar niet")
    summary = await chat.say(FATIMA, "/overslaan")

    await chat.press(FATIMA, summary, "Annuleren")
    await chat.settle()

    assert (
        chat.current(summary).text
        == "Uw agendapunt Toch maar niet is niet ingediend en verwijderd."
    )
    assert await stored_items(chat, FATIMA) == []


async def test_a_draft_from_before_kinds_asks_the_kind_at_indienen(chat: Chat) -> None:
    summary = await submit_in_chat(chat, FATIMA, "Van voor de soorten")
    draft = chat.application.user_data[FATIMA].agenda_item
    assert draft is not None
    draft.kind = None  # as a draft stored before kinds were asked

    await chat.press(FATIMA, summary, "Indienen")
    await chat.settle()
    asked = chat.current(summary)
    assert (asked.text or "").startswith("Wat vraagt u het overleg met dit punt?")
    await chat.press(FATIMA, asked, "Ter informatie")
    await chat.settle()
    again = chat.current(summary)
    assert "Soort: ter informatie" in (again.text or "")
    await chat.press(FATIMA, again, "Indienen")
    await chat.settle()

    [item] = await stored_items(chat, FATIMA)
    assert (item.title, item.kind) == ("Van voor de soorten", AgendaItemKind.INFORMATION)
