"""How /agendapunt, /mijnpunten, /punten and /publiceer read: Dutch, escaped, and never over
Telegram's 4,096 characters. The messages they cause are tested in ``test_agenda_item_texts.py``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from berichten.texts.agenda_items import published_agenda
from berichten.texts.html import TEXT_LIMIT, telegram_length
from bot.handlers.agenda_items.prompts import (
    meeting_label,
    my_items_text,
    publish_preview,
    refusal_text,
    review_list,
    review_result,
    submission_summary,
    submitted_text,
)
from planning.agenda_items.publication import AgendaDraft
from planning.agenda_items.reviewing import ReviewOutcome
from planning.agenda_items.rules import (
    AgendaItemRefusal,
    OpenMeeting,
)
from planning.agenda_items.tables import AgendaItemStatus
from tests.support.agenda_item_views import AO, BO, agenda_item, long_items
from tests.support.plans import AMSTERDAM


def test_values_are_escaped_once() -> None:
    item = agenda_item(title="Kosten <jeugd> & zorg", explanation="a < b")

    assert "Uw punt <b>Kosten &lt;jeugd&gt; &amp; zorg</b> is ingediend voor Ambtelijk overleg" in (
        submitted_text(item)
    )
    assert "Toelichting: a &lt; b" in submission_summary(
        OpenMeeting(AO, datetime(2011, 3, 7, 23, tzinfo=UTC), None, AMSTERDAM),
        item.title,
        item.explanation,
    )


def test_the_confirmation_says_what_happens_next() -> None:
    assert submitted_text(agenda_item()) == (
        "Dank u wel. Uw punt <b>Punt 1</b> is ingediend voor Ambtelijk overleg van dinsdag 22 "
        "maart 2011 en wordt nu beoordeeld. U hoort van ons zodra erover is besloten."
    )


def test_a_length_refusal_names_the_limit() -> None:
    assert "hooguit 200 tekens" in refusal_text(AgendaItemRefusal.TITLE_TOO_LONG, 200)
    assert "hooguit 1000 tekens" in refusal_text(AgendaItemRefusal.EXPLANATION_TOO_LONG)


def test_a_month_only_meeting_is_labelled_by_its_month() -> None:
    closes = datetime(2011, 9, 30, 22, tzinfo=UTC)
    assert (
        meeting_label(OpenMeeting(BO, closes, None, AMSTERDAM))
        == "Bestuurlijk overleg, oktober 2011"
    )
    assert meeting_label(OpenMeeting(AO, closes, None, AMSTERDAM)) == "Ambtelijk overleg, 22 maart"


def test_a_second_press_says_who_decided_and_how() -> None:
    accepted = agenda_item(
        status=AgendaItemStatus.ACCEPTED, reviewed_by=900, reviewer_name="Cora", position=3
    )
    withdrawn = agenda_item(status=AgendaItemStatus.WITHDRAWN)

    assert review_result(ReviewOutcome(accepted, changed=True)).endswith(
        "\n\nOp de agenda gezet door Cora (punt 3)."
    )
    assert review_result(ReviewOutcome(accepted, changed=False)).endswith(
        "\n\nDit punt was al beoordeeld: Op de agenda gezet door Cora (punt 3)."
    )
    assert review_result(ReviewOutcome(withdrawn, changed=False)).endswith(
        "\n\nIngetrokken door de indiener."
    )


def test_a_refused_member_reads_who_may_do_this() -> None:
    assert (
        refusal_text(AgendaItemRefusal.NOT_COORDINATOR)
        == "Alleen de coördinatoren kunnen dit doen."
    )


def test_a_submitter_who_is_not_fully_known_leaves_no_empty_brackets() -> None:
    left = agenda_item(submitter_name="", position=1)  # a member who left: the name is erased
    unknown = agenda_item(submitter_name="", submitter_organisation="", position=1)

    assert review_list([unknown]).endswith("\n• Punt 1 (ter bespreking)")
    assert review_list([left]).endswith("\n• Punt 1 (ter bespreking) – Gemeente Gouda")
    text = review_list([unknown])
    assert "()" not in text and "  " not in text


def test_long_lists_stop_with_how_many_more_and_fit_telegram() -> None:
    items = long_items(100)

    for text in (review_list(items), my_items_text(items)):
        assert telegram_length(text) <= TEXT_LIMIT
        shown = [int(number) for number in re.findall(r"Punt (\d{3}) x", text)]
        more = re.fullmatch(r"… en nog (\d+) punten", text.rsplit("\n", 1)[-1])
        assert more is not None
        # The first ones, in order, and the count says exactly how many are left out.
        assert shown == list(range(1, len(shown) + 1)) and len(shown) > 1
        assert len(shown) + int(more.group(1)) == len(items)


def test_the_preview_of_a_long_agenda_is_the_very_messages_participants_get() -> None:
    items = long_items(30)
    parts = published_agenda(AgendaDraft(AO, tuple(items), published_versions=2))

    preview = publish_preview(AgendaDraft(AO, tuple(items), published_versions=2))

    assert len(parts) > 5
    assert all(telegram_length(part) <= TEXT_LIMIT for part in preview)
    # The preview is the very same messages, introduced, with the note on earlier versions.
    assert preview[0] == "Zo ontvangen de deelnemers de agenda:\n\n" + parts[0]
    assert preview[1:-1] == parts[1:-1]
    assert preview[-1].startswith(parts[-1] + "\n\nDeze agenda is al 2 keer verstuurd")
    assert preview[-1].endswith(
        "\n\nMet de knoppen eronder zet u de punten in een andere volgorde."
    )


def test_a_short_list_is_whole() -> None:
    items = [agenda_item(n, position=n) for n in (1, 2)]

    assert review_list(items) == (
        "<b>Ter beoordeling</b> (2 punten)\n\n"
        "<b>Ambtelijk overleg van dinsdag 22 maart 2011</b>\n"
        "• Punt 1 (ter bespreking) – Fatima, Gemeente Gouda\n"
        "• Punt 2 (ter bespreking) – Fatima, Gemeente Gouda"
    )


def test_mijnpunten_shows_why_an_item_was_not_included() -> None:
    declined = agenda_item(
        status=AgendaItemStatus.DECLINED, decline_reason="Past bij <het BO>.", meeting_title="AO"
    )
    plain = agenda_item(2, status=AgendaItemStatus.DECLINED, meeting_title="AO")

    text = my_items_text([declined, plain])
    assert "Punt 1 (ter bespreking): niet opgenomen (reden: Past bij &lt;het BO&gt;.)" in text
    assert "Punt 2 (ter bespreking): niet opgenomen\n" in text + "\n"
