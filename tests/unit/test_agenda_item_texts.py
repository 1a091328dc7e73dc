"""How agenda items read: Dutch, escaped, and never over Telegram's 4,096 characters."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, time

from berichten.texts.agenda_items import (
    REMINDER_SECTION_LIMIT,
    agenda_so_far_lines,
    decision_notice,
    meeting_label,
    my_items_text,
    open_until,
    publish_preview,
    published_agenda,
    refusal_text,
    review_item,
    review_list,
    review_result,
    submission_summary,
    submitted_text,
    waiting_review_lines,
)
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning.agenda_items.publication import AgendaDraft
from planning.agenda_items.rules import (
    AgendaItemRefusal,
    OpenMeeting,
)
from planning.agenda_items.services import ReviewOutcome
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import When, YearMonth
from tests.support.plans import AMSTERDAM

AO = CalendarEntry(
    "meeting", "ao-3", "Ambtelijk overleg", When(day=date(2011, 3, 22)), overleg="ao"
)
BO = CalendarEntry(
    "meeting", "bo-10", "Bestuurlijk overleg", When(month=YearMonth(2011, 10)), overleg="bo"
)


def _item(number: int = 1, **changes: object) -> AgendaItemView:
    item = AgendaItemView(
        id=number,
        meeting_key="ao-3",
        overleg_code="ao",
        title=f"Punt {number}",
        explanation=None,
        status=AgendaItemStatus.WAITING,
        submitted_by=101,
        submitter_name="Fatima",
        submitter_organisation="Gemeente Gouda",
        submitted_at=datetime(2011, 3, 1, 9, tzinfo=UTC),
        meeting_title="Ambtelijk overleg",
        meeting_when=AO.when,
    )
    return replace(item, **changes)  # type: ignore[arg-type]


def test_values_are_escaped_once() -> None:
    item = _item(title="Kosten <jeugd> & zorg", explanation="a < b")

    assert "Uw punt <b>Kosten &lt;jeugd&gt; &amp; zorg</b> is ingediend voor Ambtelijk overleg" in (
        submitted_text(item)
    )
    assert "Toelichting: a &lt; b" in submission_summary(
        OpenMeeting(AO, datetime(2011, 3, 7, 23, tzinfo=UTC), None, AMSTERDAM),
        item.title,
        item.explanation,
    )


def test_the_confirmation_says_what_happens_next() -> None:
    assert submitted_text(_item()) == (
        "Dank u wel. Uw punt <b>Punt 1</b> is ingediend voor Ambtelijk overleg van dinsdag 22 "
        "maart 2011; de coördinatie beoordeelt het. U hoort het als het op de agenda staat."
    )


def test_an_agenda_closing_as_a_day_begins_reads_until_the_day_before() -> None:
    midnight = datetime.combine(date(2011, 3, 8), time(0), tzinfo=AMSTERDAM)
    ten = datetime.combine(date(2011, 3, 8), time(10), tzinfo=AMSTERDAM)

    assert open_until(midnight, AMSTERDAM) == "tot en met maandag 7 maart 2011"
    assert open_until(ten, AMSTERDAM) == "tot dinsdag 8 maart 2011, 10:00"


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
    accepted = _item(
        status=AgendaItemStatus.ACCEPTED, reviewed_by=900, reviewer_name="Cora", position=3
    )
    withdrawn = _item(status=AgendaItemStatus.WITHDRAWN)

    assert review_result(ReviewOutcome(accepted, changed=True)).endswith(
        "\n\nOp de agenda gezet door Cora (punt 3)."
    )
    assert review_result(ReviewOutcome(accepted, changed=False)).endswith(
        "\n\nDit punt was al beoordeeld: Op de agenda gezet door Cora (punt 3)."
    )
    assert review_result(ReviewOutcome(withdrawn, changed=False)).endswith(
        "\n\nIngetrokken door de indiener."
    )


def test_the_submitter_hears_a_decline_politely() -> None:
    declined = _item(status=AgendaItemStatus.DECLINED, reviewer_name="Cora")

    assert decision_notice(declined).startswith(
        "Uw agendapunt <b>Punt 1</b> is niet opgenomen op de agenda van Ambtelijk overleg"
    )


def test_a_refused_member_reads_who_may_do_this() -> None:
    assert (
        refusal_text(AgendaItemRefusal.NOT_COORDINATOR)
        == "Alleen de coördinatoren kunnen dit doen."
    )


def test_a_submitter_who_is_not_fully_known_leaves_no_empty_brackets() -> None:
    left = _item(submitter_name="", position=1)  # a member who left: the name is erased
    unknown = _item(submitter_name="", submitter_organisation="", position=1)

    assert review_item(_item()).endswith("\nIngediend door Fatima, Gemeente Gouda.")
    assert review_item(left).endswith("\nIngediend door Gemeente Gouda.")
    assert review_item(unknown).endswith("\nDe indiener is niet meer bekend.")
    assert review_list([unknown]).endswith("\n• Punt 1")
    assert review_list([left]).endswith("\n• Punt 1 – Gemeente Gouda")
    [agenda] = published_agenda(AO, [unknown])
    assert agenda.endswith("\n1. Punt 1")
    assert waiting_review_lines(AO, [unknown])[-1] == "• Punt 1"
    for text in (review_item(unknown), review_list([unknown]), agenda):
        assert "()" not in text and "  " not in text


def test_counts_of_items_read_naturally() -> None:
    heading = "<b>Ter beoordeling voor Ambtelijk overleg van dinsdag 22 maart 2011: {}</b>"

    assert waiting_review_lines(AO, [])[1] == heading.format("geen punten")
    assert waiting_review_lines(AO, [_item()])[1] == heading.format("1 punt")
    assert waiting_review_lines(AO, [_item(1), _item(2)])[1] == heading.format("2 punten")


def test_long_lists_stop_with_how_many_more_and_fit_telegram() -> None:
    items = [
        _item(n, title=f"Punt {n:03} " + "x" * 190, explanation="y" * 1000, position=n)
        for n in range(1, 101)
    ]

    for text in (review_list(items), my_items_text(items)):
        assert telegram_length(text) <= TEXT_LIMIT
        shown = [int(number) for number in re.findall(r"Punt (\d{3}) x", text)]
        more = re.fullmatch(r"… en nog (\d+) punten", text.rsplit("\n", 1)[-1])
        assert more is not None
        # The first ones, in order, and the count says exactly how many are left out.
        assert shown == list(range(1, len(shown) + 1)) and len(shown) > 1
        assert len(shown) + int(more.group(1)) == len(items)


def test_a_long_agenda_goes_whole_in_parts_each_within_telegrams_limit() -> None:
    items = [
        _item(n, title=f"Punt {n:03} " + "x" * 190, explanation="y" * 1000, position=n)
        for n in range(1, 31)
    ]
    draft = AgendaDraft(AO, tuple(items), published_versions=2)

    parts = published_agenda(AO, items)
    preview = publish_preview(draft)

    assert len(parts) > 5
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts + preview)
    # Every item once, in order, never split: its explanation is in the part of its title.
    numbers = [int(n) for part in parts for n in re.findall(r"^\d+\. Punt (\d{3}) x", part, re.M)]
    assert numbers == list(range(1, 31))
    assert all(part.count("y" * 1000) == len(re.findall(r"^\d+\. ", part, re.M)) for part in parts)
    assert parts[0].startswith("<b>Agenda: Ambtelijk overleg</b>\ndinsdag 22 maart 2011\n\n1. ")
    assert all(
        part.startswith("<b>Agenda: Ambtelijk overleg</b> (vervolg)\n") for part in parts[1:]
    )
    # The preview is the very same messages, introduced, with the note on earlier versions.
    assert preview[0] == "Zo ontvangen de deelnemers de agenda:\n\n" + parts[0]
    assert preview[1:-1] == parts[1:-1]
    assert preview[-1].startswith(parts[-1] + "\n\nDeze agenda is al 2 keer verstuurd")


def test_a_short_agenda_is_one_message() -> None:
    items = [_item(n, position=n) for n in (1, 2)]

    assert published_agenda(AO, items) == [
        "<b>Agenda: Ambtelijk overleg</b>\ndinsdag 22 maart 2011\n\n"
        "1. Punt 1 <i>(Gemeente Gouda)</i>\n"
        "2. Punt 2 <i>(Gemeente Gouda)</i>"
    ]


def test_a_short_list_is_whole() -> None:
    items = [_item(n, position=n) for n in (1, 2)]

    assert review_list(items) == (
        "<b>Ter beoordeling</b> (2 punten)\n\n"
        "<b>Ambtelijk overleg van dinsdag 22 maart 2011</b>\n"
        "• Punt 1 – Fatima, Gemeente Gouda\n"
        "• Punt 2 – Fatima, Gemeente Gouda"
    )


def test_reminder_sections_keep_room_for_the_reminder() -> None:
    items = [_item(n, title="x" * 200, position=n) for n in range(1, 60)]
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
