"""How the messages about agenda items read: Dutch, escaped, and never over Telegram's 4,096
characters. What the handlers show is tested in ``test_agenda_item_prompts.py``."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from berichten.texts.agenda_items import (
    REMINDER_SECTION_LIMIT,
    agenda_so_far_lines,
    decision_notice,
    open_until,
    published_agenda,
    review_item,
    waiting_review_lines,
)
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning.agenda_items.publication import AgendaDraft
from planning.agenda_items.tables import AgendaItemStatus
from tests.support.agenda_item_views import AO, agenda_item, long_items
from tests.support.plans import AMSTERDAM


def test_an_agenda_closing_as_a_day_begins_reads_until_the_day_before() -> None:
    midnight = datetime.combine(date(2011, 3, 8), time(0), tzinfo=AMSTERDAM)
    ten = datetime.combine(date(2011, 3, 8), time(10), tzinfo=AMSTERDAM)

    assert open_until(midnight, AMSTERDAM) == "tot en met maandag 7 maart 2011"
    assert open_until(ten, AMSTERDAM) == "tot dinsdag 8 maart 2011, 10:00"


def test_the_submitter_hears_a_decline_politely() -> None:
    declined = agenda_item(status=AgendaItemStatus.DECLINED, reviewer_name="Cora")

    notice = decision_notice(declined)
    assert notice.startswith(
        "Uw agendapunt <b>Punt 1</b> is niet opgenomen op de agenda van Ambtelijk overleg"
    )
    assert notice.endswith("\n\nHeeft u vragen, neem dan contact op met de coördinatie.")


def test_the_reason_comes_before_the_offer_to_ask_questions() -> None:
    declined = agenda_item(status=AgendaItemStatus.DECLINED, decline_reason="Past bij de BO.")

    assert decision_notice(declined).endswith(
        "\n\nReden: Past bij de BO.\n\nHeeft u vragen, neem dan contact op met de coördinatie."
    )


def test_a_submitter_who_is_not_fully_known_leaves_no_empty_brackets() -> None:
    left = agenda_item(submitter_name="", position=1)  # a member who left: the name is erased
    unknown = agenda_item(submitter_name="", submitter_organisation="", position=1)

    assert review_item(agenda_item()).endswith("\nIngediend door Fatima, Gemeente Gouda.")
    assert review_item(left).endswith("\nIngediend door Gemeente Gouda.")
    assert review_item(unknown).endswith("\nDe indiener is niet meer bekend.")
    [agenda] = published_agenda(AgendaDraft(AO, (unknown,), 0))
    assert agenda.endswith("\n1. Punt 1 – ter bespreking")
    assert waiting_review_lines(AO, [unknown])[-1] == "• Punt 1"
    for text in (review_item(unknown), agenda):
        assert "()" not in text and "  " not in text


def test_counts_of_items_read_naturally() -> None:
    heading = "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: {}</b>"

    assert waiting_review_lines(AO, [])[1] == heading.format("geen punten")
    assert waiting_review_lines(AO, [agenda_item()])[1] == heading.format("1 punt")
    assert waiting_review_lines(AO, [agenda_item(1), agenda_item(2)])[1] == heading.format(
        "2 punten"
    )


def test_a_long_agenda_goes_whole_in_parts_each_within_telegrams_limit() -> None:
    parts = published_agenda(AgendaDraft(AO, tuple(long_items(30)), 0))

    assert len(parts) > 5
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts)
    # Every item once, in order, never split: its explanation is in the part of its title.
    numbers = [int(n) for part in parts for n in re.findall(r"^\d+\. Punt (\d{3}) x", part, re.M)]
    assert numbers == list(range(1, 31))
    assert all(part.count("y" * 1000) == len(re.findall(r"^\d+\. ", part, re.M)) for part in parts)
    assert parts[0].startswith("<b>Agenda: Ambtelijk overleg</b>\ndinsdag 22 maart 2011\n\n1. ")
    assert all(
        part.startswith("<b>Agenda: Ambtelijk overleg</b> (vervolg)\n") for part in parts[1:]
    )


def test_a_short_agenda_is_one_message() -> None:
    items = [agenda_item(n, position=n) for n in (1, 2)]

    assert published_agenda(AgendaDraft(AO, tuple(items), 0)) == [
        "<b>Agenda: Ambtelijk overleg</b>\ndinsdag 22 maart 2011\n\n"
        "1. Punt 1 <i>(Gemeente Gouda)</i> – ter bespreking\n"
        "2. Punt 2 <i>(Gemeente Gouda)</i> – ter bespreking"
    ]


def test_reminder_sections_keep_room_for_the_reminder() -> None:
    items = [agenda_item(n, title="x" * 200, position=n) for n in range(1, 60)]
    closes = datetime(2011, 3, 7, 23, tzinfo=UTC)

    so_far = agenda_so_far_lines(items, closes, AMSTERDAM)
    waiting = waiting_review_lines(AO, items)

    for lines in (so_far, waiting):
        assert telegram_length("\n".join(lines)) <= REMINDER_SECTION_LIMIT
    assert so_far[-1] == "Punten aanleveren kan tot en met maandag 7 maart 2011 met /agendapunt."
    assert so_far[-2].startswith("… en nog ")
    assert (
        waiting[1]
        == "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: 59 punten</b>"
    )


def test_an_empty_agenda_says_so() -> None:
    assert agenda_so_far_lines([], None, AMSTERDAM) == [
        "",
        "Er staan nog geen punten op de agenda.",
    ]
