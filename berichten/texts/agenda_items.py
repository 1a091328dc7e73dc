"""What members and coordinators read about agenda items, in Dutch HTML.

Every string is in the catalogue (``planning/locale/nl.po``) and built with
:func:`planning.catalogue.html`, line by line, so each value is escaped exactly once. Every text
fits Telegram's 4,096 characters: a list that would not stops with "… en nog N punten" (a title
is at most 200 characters and an explanation 1,000, so a single item always fits).

A moment an agenda closes reads "tot dinsdag 8 maart 2011, 10:00", or, when it closes at the
start of a day (a meeting known to the day only), "tot en met" the day before: nobody should
read "tot maandag 00:00".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from berichten.texts.dates import describe_when, long_date, long_moment
from berichten.texts.html import TEXT_LIMIT, fit, pack, telegram_length
from planning import catalogue
from planning.agenda_items.publication import AgendaDraft, Publication
from planning.agenda_items.rules import (
    EXPLANATION_LIMIT,
    TITLE_LIMIT,
    AgendaItemRefusal,
    OpenMeeting,
)
from planning.agenda_items.services import ReviewOutcome
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import Precision, When

# Room each message of a published agenda leaves, so that /publiceer's preview shows the same
# messages with its introduction and its note about earlier versions.
PREVIEW_ROOM = 300
# Room a reminder leaves for its agenda section: the reminder itself and the late note that
# delivery may add take well under the rest of Telegram's limit.
REMINDER_SECTION_LIMIT = 3000

_REFUSALS = {
    AgendaItemRefusal.NOT_MEMBER: "agenda_item.refused.not_member",
    AgendaItemRefusal.NOT_OPEN: "agenda_item.refused.not_open",
    AgendaItemRefusal.TITLE_EMPTY: "agenda_item.refused.title_empty",
    AgendaItemRefusal.TITLE_TOO_LONG: "agenda_item.refused.title_too_long",
    AgendaItemRefusal.EXPLANATION_TOO_LONG: "agenda_item.refused.explanation_too_long",
    AgendaItemRefusal.NOT_COORDINATOR: "agenda_item.refused.not_coordinator",
    AgendaItemRefusal.UNKNOWN_ITEM: "agenda_item.refused.unknown_item",
    AgendaItemRefusal.NOT_WAITING: "agenda_item.refused.not_waiting",
    AgendaItemRefusal.NOTHING_ACCEPTED: "agenda_item.refused.nothing_accepted",
}
_STATUSES = {
    AgendaItemStatus.WAITING: "agenda_item.status.waiting",
    AgendaItemStatus.ACCEPTED: "agenda_item.status.accepted",
    AgendaItemStatus.DECLINED: "agenda_item.status.declined",
    AgendaItemStatus.WITHDRAWN: "agenda_item.status.withdrawn",
}


def refusal_text(reason: AgendaItemRefusal, limit: int | None = None) -> str:
    """The Dutch sentence for a refusal; a length refusal names the limit."""
    if limit is None:
        limit = (
            EXPLANATION_LIMIT if reason == AgendaItemRefusal.EXPLANATION_TOO_LONG else TITLE_LIMIT
        )
    return catalogue.html(_REFUSALS[reason], limit=limit)


def open_until(closes_at: datetime, zone: ZoneInfo) -> str:
    """``tot dinsdag 8 maart 2011, 10:00``, or ``tot en met maandag 7 maart 2011`` for an agenda
    that closes as a day begins."""
    local = closes_at.astimezone(zone)
    if local.time() == time(0):
        return catalogue.plain(
            "agenda_item.until_day", day=long_date(local.date() - timedelta(days=1))
        )
    return catalogue.plain("agenda_item.until_moment", moment=long_moment(closes_at, zone))


def meeting_label(meeting: OpenMeeting) -> str:
    """A meeting on a choice button, plain text: "Ambtelijk overleg, 22 maart"."""
    when = meeting.entry.when
    if when.day is None:
        short = describe_when(when)
    else:
        short = str(format_date(when.day, "d MMMM", locale="nl"))
    return catalogue.plain("agenda_item.meeting_label", title=meeting.entry.title, when=short)


def choose_meeting_text(meetings: Sequence[OpenMeeting], zone: ZoneInfo) -> str:
    """Asks which meeting the item is for, each with the moment its agenda closes."""
    lines = [catalogue.html("agenda_item.choose_meeting")]
    lines += [
        catalogue.html(
            "agenda_item.choice",
            title=meeting.entry.title,
            when=_when(meeting.entry.when),
            until=open_until(meeting.closes_at, zone),
        )
        for meeting in meetings
    ]
    return _fit(lines[:1], lines[1:], [])


def nothing_open_text() -> str:
    """No meeting the member takes part in accepts items now."""
    return catalogue.html("agenda_item.nothing_open")


def ask_title_text(meeting: OpenMeeting, zone: ZoneInfo) -> str:
    """Asks for the title (with the limit), naming the meeting and when its agenda closes."""
    return catalogue.html(
        "agenda_item.ask_title",
        meeting=_meeting_name(meeting.entry.title, meeting.entry.when),
        until=open_until(meeting.closes_at, zone),
        limit=TITLE_LIMIT,
    )


def ask_explanation_text() -> str:
    """Asks for an optional explanation (with the limit), or /overslaan."""
    return catalogue.html("agenda_item.ask_explanation", limit=EXPLANATION_LIMIT)


def submission_summary(meeting: OpenMeeting, title: str, explanation: str | None) -> str:
    """The draft before "Indienen": meeting, title, explanation."""
    lines = [
        catalogue.html("agenda_item.summary"),
        catalogue.html(
            "agenda_item.summary_meeting",
            meeting=_meeting_name(meeting.entry.title, meeting.entry.when),
        ),
        catalogue.html("agenda_item.summary_title", title=title),
        catalogue.html("agenda_item.summary_explanation", explanation=explanation)
        if explanation
        else catalogue.html("agenda_item.summary_no_explanation"),
        "",
        catalogue.html("agenda_item.summary_question"),
    ]
    return "\n".join(lines)


def closed_choose_other_text(meetings: Sequence[OpenMeeting], zone: ZoneInfo) -> str:
    """Before "Indienen" went through, the chosen agenda closed: the draft is kept, and the
    member may take it to another meeting still open."""
    return (
        catalogue.html("agenda_item.chat.closed_choose_other")
        + "\n\n"
        + choose_meeting_text(meetings, zone)
    )


def closed_nothing_open_text(title: str, explanation: str | None) -> str:
    """The chosen agenda closed and no other is open: what was typed, to keep for later."""
    lines = [
        catalogue.html("agenda_item.chat.closed_nothing_open"),
        "",
        catalogue.html("agenda_item.summary_title", title=title),
        catalogue.html("agenda_item.summary_explanation", explanation=explanation)
        if explanation
        else catalogue.html("agenda_item.summary_no_explanation"),
    ]
    return "\n".join(lines)


def submitted_text(item: AgendaItemView) -> str:
    """The confirmation after submitting: "Dank u wel. Uw punt ... is ingediend voor ..."."""
    return catalogue.html("agenda_item.submitted", title=item.title, meeting=_meeting_of(item))


def status_text(item: AgendaItemView) -> str:
    """``ter beoordeling``, ``op de agenda (punt 2)``, ``niet opgenomen``, ``ingetrokken``."""
    return catalogue.plain(_STATUSES[item.status], position=item.position or "")


def my_items_text(items: Sequence[AgendaItemView]) -> str:
    """/mijnpunten: own items by meeting, each with its status."""
    if not items:
        return catalogue.html("agenda_item.mine_empty")
    blocks = []
    previous = None
    for item in items:
        line = catalogue.html("agenda_item.mine_line", title=item.title, status=status_text(item))
        if item.meeting_key != previous:
            heading = catalogue.html("agenda_item.meeting_heading", meeting=_meeting_of(item))
            line = f"\n{heading}\n{line}"
            previous = item.meeting_key
        blocks.append(line)
    return _fit([catalogue.html("agenda_item.mine_header")], blocks, [])


def withdrawn_text(item: AgendaItemView) -> str:
    """Says the item was withdrawn."""
    return catalogue.html("agenda_item.withdrawn", title=item.title)


def review_item(item: AgendaItemView) -> str:
    """One item for a coordinator: meeting, title, explanation, submitter. Used in the new-item
    notice and in /punten, above the review buttons."""
    lines = [
        catalogue.html("agenda_item.review_header", meeting=_meeting_of(item)),
        catalogue.html("agenda_item.review_title", title=item.title),
    ]
    if item.explanation:
        lines.append(catalogue.html("agenda_item.review_explanation", explanation=item.explanation))
    lines.append(_submitted_by(item))
    return "\n".join(lines)


def review_list(items: Sequence[AgendaItemView]) -> str:
    """/punten as one text: the waiting items per meeting (or that there are none)."""
    if not items:
        return catalogue.html("agenda_item.review_list_empty")
    blocks = []
    previous = None
    for item in items:
        submitter = _submitter(item)
        line = (
            catalogue.html("agenda_item.review_list_line", title=item.title, submitter=submitter)
            if submitter
            else catalogue.html("agenda_item.review_list_line_bare", title=item.title)
        )
        if item.meeting_key != previous:
            heading = catalogue.html("agenda_item.meeting_heading", meeting=_meeting_of(item))
            line = f"\n{heading}\n{line}"
            previous = item.meeting_key
        blocks.append(line)
    header = catalogue.html("agenda_item.review_list_header", count=_items(len(items)))
    return _fit([header], blocks, [])


def review_result_line(item: AgendaItemView) -> str:
    """How an item was decided and by whom, as one line (empty while it waits)."""
    name = item.reviewer_name or ""
    if item.status == AgendaItemStatus.ACCEPTED:
        return catalogue.html("agenda_item.result.accepted", name=name, position=item.position)
    if item.status == AgendaItemStatus.DECLINED:
        return catalogue.html("agenda_item.result.declined", name=name)
    if item.status == AgendaItemStatus.WITHDRAWN:
        return catalogue.html("agenda_item.result.withdrawn")
    return ""


def review_result(outcome: ReviewOutcome) -> str:
    """The item after a button press: the decision and who took it; when ``changed`` is False,
    that it had been decided (or withdrawn) already, and by whom."""
    result = review_result_line(outcome.item)
    if not outcome.changed and outcome.item.status != AgendaItemStatus.WITHDRAWN:
        result = f"{catalogue.html('agenda_item.result.already')} {result}"
    return f"{review_item(outcome.item)}\n\n{result}"


def decision_notice(item: AgendaItemView) -> str:
    """To the submitter: the item is on the agenda, or not included."""
    key = (
        "agenda_item.decision.accepted"
        if item.status == AgendaItemStatus.ACCEPTED
        else "agenda_item.decision.declined"
    )
    return catalogue.html(key, title=item.title, meeting=_meeting_of(item), position=item.position)


def published_agenda(meeting: CalendarEntry, items: Sequence[AgendaItemView]) -> list[str]:
    """The whole agenda as participants receive it, in as many messages as it takes (in
    order); a message after the first starts with "Agenda: ... (vervolg)". An item is never
    split over two messages."""
    continued = catalogue.html("agenda_item.agenda_continued", title=meeting.title)
    room = TEXT_LIMIT - PREVIEW_ROOM - telegram_length(continued) - 1
    parts = pack(["\n".join(_agenda_head(meeting)), *_agenda_blocks(items)], room)
    return [parts[0], *(f"{continued}\n{part}" for part in parts[1:])]


def publish_preview(draft: AgendaDraft) -> list[str]:
    """/publiceer's preview: the very messages participants will get, introduced, and whether
    the agenda went out before."""
    parts = published_agenda(draft.meeting, draft.items)
    parts[0] = f"{catalogue.html('agenda_item.preview')}\n\n{parts[0]}"
    if draft.published_versions:
        again = catalogue.html("agenda_item.preview_again", count=draft.published_versions)
        parts[-1] = f"{parts[-1]}\n\n{again}"
    return parts


def published_text(publication: Publication) -> str:
    """To the coordinator after publishing: to how many participants it is on its way."""
    people = catalogue.plain("agenda_item.participants", n=len(publication.recipients))
    meeting = _meeting_name(publication.meeting.title, publication.meeting.when)
    return catalogue.html("agenda_item.published", meeting=meeting, count=people)


def agenda_so_far_lines(
    items: Sequence[AgendaItemView],
    open_until_moment: datetime | None,
    zone: ZoneInfo,
    *,
    limit: int = REMINDER_SECTION_LIMIT,
    more: str = "agenda_item.more",
) -> list[str]:
    """The AO reminder's section: the accepted items numbered (or none yet), and while the
    agenda is open until when items can be submitted with /agendapunt. ``limit`` and ``more``
    (the catalogue key of the "… en nog N punten" line) let a reminder fit it to its room."""
    tail = []
    if open_until_moment is not None:
        tail = [
            catalogue.html(
                "agenda_item.reminder.open_until", until=open_until(open_until_moment, zone)
            )
        ]
    if not items:
        return ["", catalogue.html("agenda_item.reminder.none_yet"), *tail]
    blocks = [
        catalogue.html("agenda_item.reminder.line", position=item.position, title=item.title)
        for item in items
    ]
    head = ["", catalogue.html("agenda_item.reminder.so_far")]
    return _fit(head, blocks, tail, limit, more).split("\n")


def waiting_review_lines(
    closed: CalendarEntry,
    items: Sequence[AgendaItemView],
    *,
    limit: int = REMINDER_SECTION_LIMIT,
    more: str = "agenda_item.more",
) -> list[str]:
    """The petit comité reminder's section: the items waiting for review for the AO (``limit``
    and ``more`` as for :func:`agenda_so_far_lines`)."""
    head = [
        "",
        catalogue.html(
            "agenda_item.reminder.waiting",
            meeting=_meeting_name(closed.title, closed.when),
            count=_items(len(items)),
        ),
    ]
    blocks = [
        catalogue.html(
            "agenda_item.reminder.waiting_line", title=item.title, organisation=_on_behalf_of(item)
        )
        if _on_behalf_of(item)
        else catalogue.html("agenda_item.reminder.waiting_line_bare", title=item.title)
        for item in items
    ]
    return _fit(head, blocks, [], limit, more).split("\n")


# ------------------------------------------------------------------ helpers


def _agenda_head(meeting: CalendarEntry) -> list[str]:
    head = [
        catalogue.html("agenda_item.agenda_header", title=meeting.title),
        catalogue.html("agenda.when", when=_when(meeting.when)),
    ]
    if meeting.location:
        head.append(catalogue.html("agenda.location", location=meeting.location))
    return [*head, ""]


def _agenda_blocks(items: Sequence[AgendaItemView]) -> list[str]:
    blocks = []
    for item in items:
        organisation = _on_behalf_of(item)
        block = (
            catalogue.html(
                "agenda_item.agenda_line",
                position=item.position,
                title=item.title,
                organisation=organisation,
            )
            if organisation
            else catalogue.html(
                "agenda_item.agenda_line_bare", position=item.position, title=item.title
            )
        )
        if item.explanation:
            block += "\n" + catalogue.html(
                "agenda_item.agenda_explanation", explanation=item.explanation
            )
        blocks.append(block)
    return blocks


def _fit(
    head: list[str],
    blocks: list[str],
    tail: list[str],
    limit: int = TEXT_LIMIT,
    more_key: str = "agenda_item.more",
) -> str:
    """:func:`berichten.texts.html.fit` with "… en nog 3 punten" (``more_key``) for what is
    left out."""
    return fit(head, blocks, tail, lambda left: catalogue.html(more_key, count=_items(left)), limit)


def _submitted_by(item: AgendaItemView) -> str:
    """ "Ingediend door Fatima El Amrani (Gemeente Gouda).", or with whichever is known."""
    name, organisation = item.submitter_name, item.submitter_organisation
    if name and organisation:
        return catalogue.html("agenda_item.review_submitter", name=name, organisation=organisation)
    if name or organisation:
        return catalogue.html("agenda_item.review_submitter_one", submitter=name or organisation)
    return catalogue.html("agenda_item.review_submitter_unknown")


def _submitter(item: AgendaItemView) -> str:
    """ "Fatima El Amrani, Gemeente Gouda", or whichever of the two is known: a member who left
    has no name any more, and a submitter may be unknown altogether ("")."""
    return ", ".join(part for part in (item.submitter_name, item.submitter_organisation) if part)


def _on_behalf_of(item: AgendaItemView) -> str:
    """Whose item it is on an agenda: the organisation, else the person, else ""."""
    return item.submitter_organisation or item.submitter_name


def _items(count: int) -> str:
    if count == 0:
        return catalogue.plain("agenda_item.no_items")
    return catalogue.plain("agenda_item.items", n=count)


def _when(when: When) -> str:
    if when.precision == Precision.MONTH:
        return catalogue.plain("agenda.month", month=describe_when(when))
    return describe_when(when)


def _meeting_name(title: str, when: When) -> str:
    """``Ambtelijk overleg van dinsdag 22 maart 2011``, ``... van oktober 2011``."""
    return catalogue.plain("agenda_item.meeting", title=title, when=describe_when(when))


def _meeting_of(item: AgendaItemView) -> str:
    """ "Ambtelijk overleg van dinsdag 22 maart 2011", or the overleg's code if unknown."""
    if item.meeting_title is None or item.meeting_when is None:
        return item.overleg_code
    name = _meeting_name(item.meeting_title, item.meeting_when)
    if item.meeting_cancelled:
        name += catalogue.plain("agenda_item.cancelled_suffix")
    return name
