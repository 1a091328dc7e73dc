"""Documents (stukken) in chat: a member sends one while submitting and adds one later under
the item, a coordinator has them sent with "Stukken bekijken", and after publishing every
participant gets the agenda and then each document once."""

from __future__ import annotations

from datetime import timedelta

from bot.outbox_job import refresh_outbox
from tests.support.agenda_chat import (
    ANNE,
    FATIMA,
    KOEN,
    MARIEKE,
    QUIET_MOMENT,
    SANNE,
    YOUSSEF,
    stored_items,
    title_and_kind,
)
from tests.support.chat import Chat, labels

TITLE = "Begroting 2012"


async def test_a_document_goes_with_the_item_to_the_reviewers_and_after_the_agenda(
    chat: Chat,
) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await title_and_kind(chat, FATIMA, TITLE)
    upload = chat.server.send_document(FATIMA, "notulen.pdf", b"%PDF-1.4", "application/pdf")
    notulen = upload["message"]["document"]["file_id"]
    added = await chat.server.next_message(FATIMA)
    chat.server.send_photo(FATIMA, b"\xff\xd8 jpeg")
    photo = await chat.server.next_message(FATIMA)
    summary = await chat.say(FATIMA, "/overslaan")

    assert (added.text or "").startswith("Het stuk notulen.pdf is toegevoegd (1 van hooguit 10)")
    assert (photo.text or "").startswith("Dit is geen document.")
    assert "1 stuk:\n• notulen.pdf (1 kB)" in (summary.text or "")
    await chat.press(FATIMA, summary, "Indienen")
    answer = await chat.latest(FATIMA)
    assert (answer.text or "").startswith("Dank u wel.") and labels(answer) == ["Stuk toevoegen"]

    notice = await chat.arrives(ANNE, lambda text: TITLE in text)
    assert "1 stuk: notulen.pdf" in (notice.text or "")
    assert labels(notice) == [
        "Op de agenda",
        "Niet opnemen",
        "Naar volgende vergadering",
        "Stukken bekijken",
    ]
    await chat.press(ANNE, notice, "Stukken bekijken")
    await chat.server.wait_for(lambda: chat.server.messages(ANNE)[-1].document is not None)
    shown = chat.server.messages(ANNE)[-1]
    assert shown.document is not None and shown.document.file_id == notulen
    assert shown.text == f"Stuk bij het agendapunt {TITLE}"

    # Later, under the answer: a second document.
    await chat.press(FATIMA, answer, "Stuk toevoegen")
    asked = await chat.server.next_message(FATIMA)
    assert (asked.text or "").startswith(f"Stuur nu het stuk voor uw agendapunt {TITLE}")
    upload = chat.server.send_document(FATIMA, "begroting.xlsx", b"PK\x03\x04", "application/zip")
    begroting = upload["message"]["document"]["file_id"]
    attached = await chat.server.next_message(FATIMA)
    assert (attached.text or "").startswith(
        f"Het stuk begroting.xlsx is toegevoegd aan uw agendapunt {TITLE} (2 van hooguit 10)"
    )
    [item] = await stored_items(chat, FATIMA)
    assert [d.file_name for d in item.documents] == ["notulen.pdf", "begroting.xlsx"]

    await chat.press(ANNE, chat.current(notice), "Op de agenda")
    chat.server.send_message(ANNE, "/publiceer")
    preview = await chat.arrives(ANNE, lambda text: text.startswith("Zo ontvangen"))
    await chat.press(ANNE, preview, "Versturen")
    await chat.arrives(ANNE, lambda text: text.startswith("De agenda van"))
    for seconds in range(4):  # the agenda now, its documents a second and two later
        chat.clock.set(QUIET_MOMENT + timedelta(seconds=seconds))
        await refresh_outbox(chat.application)
        await chat.sent_all()

    for participant in (FATIMA, KOEN, YOUSSEF):
        received = [
            (m.document.file_id if m.document else "agenda", m.text or "")
            for m in chat.server.messages(participant)
            if m.document is not None or (m.text or "").startswith("Agenda:")
        ]
        assert [what for what, _ in received] == ["agenda", notulen, begroting], participant
        assert received[1][1].startswith("Stuk bij punt 1 van de agenda van Ambtelijk overleg")
    for outsider in (MARIEKE, SANNE):
        assert not any(m.document for m in chat.server.messages(outsider))


async def test_a_document_at_the_summary_shows_it_again_and_mijnpunten_offers_more(
    chat: Chat,
) -> None:
    await chat.say(FATIMA, "/agendapunt")
    await title_and_kind(chat, FATIMA, TITLE)
    await chat.say(FATIMA, "/overslaan")
    chat.server.send_document(FATIMA, "bijlage.docx", b"PK", "application/zip")
    summary = await chat.server.next_message(FATIMA)
    assert "1 stuk:\n• bijlage.docx (1 kB)" in (summary.text or "")
    await chat.press(FATIMA, summary, "Indienen")
    await chat.arrives(FATIMA, lambda text: text.startswith("Dank u wel."))

    listing = await chat.say(FATIMA, "/mijnpunten")
    assert "1 stuk: bijlage.docx" in (listing.text or "")
    await chat.press(FATIMA, listing, f"Stuk toevoegen: {TITLE}")
    await chat.arrives(FATIMA, lambda text: text.startswith("Stuur nu het stuk"))
    chat.server.send_message(FATIMA, "/annuleren")
    cancelled = await chat.latest(FATIMA)

    assert cancelled.text == f"Er is geen stuk toegevoegd aan uw agendapunt {TITLE}."
    [item] = await stored_items(chat, FATIMA)
    assert [d.file_name for d in item.documents] == ["bijlage.docx"]
