"""How /agenda, /deadlines and /volgende read: Dutch dates written out, values escaped."""

from __future__ import annotations

from datetime import date, time

from bot.handlers.calendar.prompts import agenda_page, deadline_lines, meeting_lines, next_text
from planning.calendar.expand import CalendarEntry
from planning.calendar.listings import (
    PAGE_SIZE,
    AgendaPage,
    Concern,
    DeadlineItem,
    MeetingListing,
)
from planning.calendar.model import When, YearMonth


def _meeting(when: When, location: str | None = None, theme: str | None = None) -> CalendarEntry:
    return CalendarEntry(
        kind="meeting",
        key="k",
        title="Ambtelijk overleg",
        when=when,
        location=location,
        theme=theme,
    )


def test_a_timed_meeting_with_place_theme_and_petit_comite() -> None:
    meeting = _meeting(
        When(day=date(2011, 3, 22), start=time(10), end=time(12)),
        location="Stadhuis <Utrecht>",
        theme="Beeldvorming",
    )
    pc = CalendarEntry(
        kind="meeting", key="k~pc", title="Petit comité", when=When(day=date(2011, 3, 8))
    )

    assert meeting_lines(MeetingListing(meeting, derived=(pc,))) == [
        "<b>Ambtelijk overleg</b>",
        "dinsdag 22 maart 2011, 10:00–12:00",
        "Plaats: Stadhuis &lt;Utrecht&gt;",
        "Thema: Beeldvorming",
        "Voorbereiding: Petit comité op dinsdag 8 maart 2011",
    ]


def test_a_month_meeting_says_the_day_follows() -> None:
    meeting = _meeting(When(month=YearMonth(2011, 10)))

    assert meeting_lines(MeetingListing(meeting))[1] == "in oktober 2011, dag volgt nog"


def test_an_empty_agenda_and_nothing_next_are_said_politely() -> None:
    assert (
        agenda_page(AgendaPage((), 0, 1, 0, PAGE_SIZE))
        == "U heeft de komende tijd geen overleggen."
    )
    assert next_text(None) == "Er staat voor u de komende tijd niets gepland."
    assert deadline_lines([]) == ["Er zijn de komende tijd geen deadlines."]


def test_a_page_says_which_meetings_of_how_many() -> None:
    item = MeetingListing(_meeting(When(day=date(2011, 3, 22))))

    text = agenda_page(AgendaPage((item,), 2, 3, 11, PAGE_SIZE))

    assert text.splitlines()[0] == "<b>Uw komende overleggen</b> (11–11 van 11)"


def test_deadlines_under_headings_with_late_ones_flagged() -> None:
    def item(title: str, concern: Concern, overdue: bool = False) -> DeadlineItem:
        milestone = CalendarEntry(
            kind="milestone",
            key=title,
            title=title,
            when=When(month=YearMonth(2011, 5)),
            product="Monitor",
        )
        return DeadlineItem(milestone, concern, overdue, "Ministerie van BZK")

    lines = deadline_lines([item("Start", Concern.OWNER, True), item("Concept", Concern.OTHER)])

    assert lines == [
        "<b>Komende deadlines</b>",
        "",
        "Uw organisatie is verantwoordelijk:",
        "• Monitor: Start, uiterlijk eind mei 2011 – <b>te laat</b>",
        "",
        "Overige:",
        "• Monitor: Concept, uiterlijk eind mei 2011 – Ministerie van BZK",
        "",
        "Is een mijlpaal klaar, of komt er een nieuwe datum? Geef het door met /mijlpaal.",
    ]
    others = deadline_lines([item("Concept", Concern.OTHER)])
    assert "/mijlpaal" not in others[-1]
    assert "/mijlpaal" in deadline_lines([item("Concept", Concern.OTHER)], coordinator=True)[-1]
