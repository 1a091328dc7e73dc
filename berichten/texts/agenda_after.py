"""The texts after a meeting, in Dutch HTML: /afgehandeld's list of items to mark, the answer
to "Klaar", the submitter's notice that an item is held over (aangehouden), and the
coordinators' notice of an automatic rollover.

Every string is in the catalogue (``agenda_item.after.*``) and built with
:func:`planning.catalogue.html`, line by line, so each value is escaped once; a list that would
not fit Telegram's 4,096 characters stops with "… en nog N punten". Button labels are plain.
"""

from __future__ import annotations

from collections.abc import Sequence

from berichten.texts.agenda_items import button_title, fit_items, items_text, meeting_name
from berichten.texts.dates import when_text
from berichten.texts.names import in_brackets
from planning import catalogue
from planning.agenda_items.after import AfterMeeting, Rollover
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry


def nothing_to_mark() -> str:
    """/afgehandeld without a meeting to mark."""
    return catalogue.html("agenda_item.after.nothing")


def choose_meeting() -> str:
    """/afgehandeld with several meetings: which one."""
    return catalogue.html("agenda_item.after.choose")


def marking_list(after: AfterMeeting) -> str:
    """The meeting's items, those dealt with marked, and what "Klaar" will do with the rest."""
    meeting = _name(after.meeting)
    head = [catalogue.html("agenda_item.after.header", meeting=meeting)]
    if after.next is None:
        head.append(catalogue.html("agenda_item.after.explain_last"))
    else:
        head.append(catalogue.html("agenda_item.after.explain", when=when_text(after.next.when)))
    if not after.items:  # all moved on meanwhile ("Klaar" was pressed)
        return "\n".join([*head, "", catalogue.html("agenda_item.after.none_left")])
    head.append("")
    blocks = [
        catalogue.html(
            "agenda_item.after.line_done"
            if item.status == AgendaItemStatus.DEALT_WITH
            else "agenda_item.after.line",
            position=item.number,
            title=item.title,
        )
        for item in after.items
    ]
    return fit_items(head, blocks, [])


def item_label(item: AgendaItemView) -> str:
    """An item's button: ``✓ 2. Jaarplan 2011`` once dealt with, else ``2. Jaarplan 2011``."""
    key = (
        "agenda_item.after.button_done"
        if item.status == AgendaItemStatus.DEALT_WITH
        else "agenda_item.after.button"
    )
    return catalogue.plain(key, position=item.number, title=button_title(item.title))


def finish_button() -> str:
    return catalogue.plain("agenda_item.after.finish_button")


def finished(rollover: Rollover) -> str:
    """The answer to "Klaar": how many were dealt with, and where the rest went (or that they
    stay, after the year's last meeting)."""
    head = [
        catalogue.html("agenda_item.after.finished", meeting=_name(rollover.meeting)),
        catalogue.html("agenda_item.after.dealt_count", count=items_text(rollover.dealt_with)),
    ]
    if not rollover.items:
        return "\n".join([*head, catalogue.html("agenda_item.after.none_left")])
    if rollover.next is None:
        head.append(catalogue.html("agenda_item.after.stay"))
        return fit_items(head, _lines(rollover.items), [])
    head.append(catalogue.html("agenda_item.after.moved", when=when_text(rollover.next.when)))
    tail = [catalogue.html("agenda_item.after.submitters_told")]
    return fit_items(head, _lines(rollover.items, there=True), tail)


def held_over_notice(item: AgendaItemView, meeting: CalendarEntry, target: CalendarEntry) -> str:
    """To the submitter: the item was not dealt with and is on ``target``'s agenda now."""
    return catalogue.html(
        "agenda_item.after.notice",
        title=item.title,
        meeting=_name(meeting),
        when=when_text(target.when),
        position=item.number,
    )


def rollover_report(rollover: Rollover) -> str:
    """To the coordinators after an automatic rollover: which items went where, or that they
    stay for want of a next meeting."""
    meeting = _name(rollover.meeting)
    if rollover.next is None:
        head = [catalogue.html("agenda_item.after.report_last", meeting=meeting)]
    else:
        head = [
            catalogue.html(
                "agenda_item.after.report",
                meeting=meeting,
                target=_name(rollover.next),
            )
        ]
    return fit_items(head, _lines(rollover.items, there=rollover.next is not None), [])


def _name(meeting: CalendarEntry) -> str:
    return meeting_name(meeting.title, meeting.when)


def _lines(items: Sequence[AgendaItemView], there: bool = False) -> list[str]:
    """``• Jaarplan 2011 (Gemeente Gouda), punt 3``; ``there``: its number on the next
    meeting's agenda, ``…, daar punt 3`` (after the list showed its number on this one)."""
    key, bare = (
        ("agenda_item.after.item_there", "agenda_item.after.item_there_bare")
        if there
        else ("agenda_item.after.item", "agenda_item.after.item_bare")
    )
    lines = []
    for item in items:
        whose = in_brackets(item.submitter_organisation or item.submitter_name)
        if whose:
            line = catalogue.html(key, title=item.title, whose=whose, position=item.number)
        else:
            line = catalogue.html(bare, title=item.title, position=item.number)
        lines.append(line)
    return lines
