"""What /agendapunt, /mijnpunten, /punten and /publiceer show in their conversations, in Dutch
HTML: the questions, the summary before "Indienen", refusals, the member's own items, the review
list and the outcome of a button, the preview of an agenda and the coordinator's receipt.

The messages these commands cause (the coordinators' notice, the decision, the published agenda)
are in :mod:`berichten.texts.agenda_items`; a coordinator's item above the review buttons is
:func:`berichten.texts.agenda_items.review_item`, the text of that notice. Every string is in the
catalogue and built with :func:`planning.catalogue.html`, line by line, so each value is escaped
exactly once; a list that would not fit Telegram's 4,096 characters stops with "… en nog N
punten". Button labels are plain text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from babel.dates import format_date

from berichten.texts.agenda_documents import document_lines, documents_line
from berichten.texts.agenda_items import (
    fit_items,
    items_text,
    kind_text,
    meeting_name,
    meeting_of,
    moved_from,
    open_until,
    published_agenda,
    review_item,
)
from berichten.texts.dates import describe_when, when_text
from planning import catalogue
from planning.agenda_items.documents import NewDocument
from planning.agenda_items.publication import AgendaDraft, Publication
from planning.agenda_items.reviewing import REASON_LIMIT, ReviewOutcome
from planning.agenda_items.rules import (
    EXPLANATION_LIMIT,
    TITLE_LIMIT,
    AgendaItemRefusal,
    OpenMeeting,
)
from planning.agenda_items.tables import AgendaItemKind, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView

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
    AgendaItemRefusal.NOT_AFTER: "agenda_item.after.refused",
    AgendaItemRefusal.NOT_REVIEWER: "agenda_item.review.refused.not_reviewer",
    AgendaItemRefusal.REASON_TOO_LONG: "agenda_item.review.refused.reason_too_long",
    AgendaItemRefusal.NO_NEXT_MEETING: "agenda_item.review.refused.no_next_meeting",
}
_LIMITS = {
    AgendaItemRefusal.EXPLANATION_TOO_LONG: EXPLANATION_LIMIT,
    AgendaItemRefusal.REASON_TOO_LONG: REASON_LIMIT,
}
_STATUSES = {
    AgendaItemStatus.WAITING: "agenda_item.status.waiting",
    AgendaItemStatus.ACCEPTED: "agenda_item.status.accepted",
    AgendaItemStatus.DECLINED: "agenda_item.status.declined",
    AgendaItemStatus.WITHDRAWN: "agenda_item.status.withdrawn",
    AgendaItemStatus.DEALT_WITH: "agenda_item.after.status_dealt_with",
}


def refusal_text(reason: AgendaItemRefusal, limit: int | None = None) -> str:
    """The Dutch sentence for a refusal; a length refusal names the limit."""
    if limit is None:
        limit = _LIMITS.get(reason, TITLE_LIMIT)
    return catalogue.html(_REFUSALS[reason], limit=limit)


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
            when=when_text(meeting.entry.when),
            until=open_until(meeting.closes_at, zone),
        )
        for meeting in meetings
    ]
    return fit_items(lines[:1], lines[1:], [])


def nothing_open_text() -> str:
    """No meeting the member takes part in accepts items now."""
    return catalogue.html("agenda_item.nothing_open")


def ask_title_text(meeting: OpenMeeting, zone: ZoneInfo) -> str:
    """Asks for the title (with the limit), naming the meeting and when its agenda closes."""
    return catalogue.html(
        "agenda_item.ask_title",
        meeting=meeting_name(meeting.entry.title, meeting.entry.when),
        until=open_until(meeting.closes_at, zone),
        limit=TITLE_LIMIT,
    )


def ask_explanation_text() -> str:
    """Asks for an optional explanation (with the limit), or /overslaan."""
    return catalogue.html("agenda_item.ask_explanation", limit=EXPLANATION_LIMIT)


def ask_kind_text() -> str:
    """Asks what the meeting is asked to do with the item (three buttons below it)."""
    return catalogue.html("agenda_item.kind.ask")


def kind_chosen_text(kind: AgendaItemKind) -> str:
    """ "Uw punt is ter besluitvorming.", above the next question."""
    return catalogue.html("agenda_item.kind.chosen", kind=kind_text(kind))


def call_closed_text() -> str:
    """The call's button pressed after its agenda closed (or by someone no longer taking part)."""
    return catalogue.html("agenda_item.call.closed")


def submission_summary(
    meeting: OpenMeeting,
    title: str,
    explanation: str | None,
    kind: AgendaItemKind | None = None,
    documents: Sequence[NewDocument] = (),
) -> str:
    """The draft before "Indienen": meeting, title, kind (once chosen), explanation,
    documents."""
    lines = [
        catalogue.html("agenda_item.summary"),
        catalogue.html(
            "agenda_item.summary_meeting",
            meeting=meeting_name(meeting.entry.title, meeting.entry.when),
        ),
        catalogue.html("agenda_item.summary_title", title=title),
        *([catalogue.html("agenda_item.kind.summary", kind=kind_text(kind))] if kind else []),
        catalogue.html("agenda_item.summary_explanation", explanation=explanation)
        if explanation
        else catalogue.html("agenda_item.summary_no_explanation"),
        *document_lines(documents),
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
    return catalogue.html("agenda_item.submitted", title=item.title, meeting=meeting_of(item))


def status_text(item: AgendaItemView) -> str:
    """``ter beoordeling``, ``op de agenda (punt 2)``, ``niet opgenomen``, ``ingetrokken``,
    ``afgehandeld``; an item held over from an earlier meeting adds ``, aangehouden``, a
    declined one the reviewer's reason, if given."""
    status = catalogue.plain(_STATUSES[item.status], position=item.number or "")
    if item.held_over:
        status += catalogue.plain("agenda_item.after.held_over_suffix")
    if item.status == AgendaItemStatus.DECLINED and item.decline_reason:
        status += catalogue.plain("agenda_item.mine_reason", reason=item.decline_reason)
    return status


def my_items_text(items: Sequence[AgendaItemView]) -> str:
    """/mijnpunten: own items by meeting, each with its status."""
    if not items:
        return catalogue.html("agenda_item.mine_empty")
    blocks = _by_meeting(
        items,
        lambda item: "\n".join(
            [
                catalogue.html(
                    "agenda_item.mine_line",
                    title=item.title,
                    kind=kind_text(item.kind),
                    status=status_text(item),
                )
                + _moved_suffix(item),
                *documents_line(item.documents),
            ]
        ),
    )
    return fit_items([catalogue.html("agenda_item.mine_header")], blocks, [])


def withdrawn_text(item: AgendaItemView) -> str:
    """Says the item was withdrawn."""
    return catalogue.html("agenda_item.withdrawn", title=item.title)


def review_list(items: Sequence[AgendaItemView]) -> str:
    """/punten as one text: the waiting items per meeting (or that there are none)."""
    if not items:
        return catalogue.html("agenda_item.review_list_empty")
    blocks = _by_meeting(items, _review_list_line)
    header = catalogue.html("agenda_item.review_list_header", count=items_text(len(items)))
    return fit_items([header], blocks, [])


def review_result_line(item: AgendaItemView) -> str:
    """How an item was decided and by whom, as one line (empty while it waits)."""
    name = item.reviewer_name or ""
    if item.status == AgendaItemStatus.ACCEPTED:
        return catalogue.html("agenda_item.result.accepted", name=name, position=item.number)
    if item.status == AgendaItemStatus.DECLINED:
        declined = catalogue.html("agenda_item.result.declined", name=name)
        if item.decline_reason:
            reason = catalogue.html("agenda_item.review.reason", reason=item.decline_reason)
            declined = f"{declined}\n{reason}"
        return declined
    if item.status == AgendaItemStatus.WITHDRAWN:
        return catalogue.html("agenda_item.result.withdrawn")
    if item.status == AgendaItemStatus.WAITING and item.carried_from is not None:
        return catalogue.html(
            "agenda_item.review.result_moved", meeting=meeting_of(item), name=name
        )
    return ""


def review_result(outcome: ReviewOutcome) -> str:
    """The item after a button press: the decision (or the move) and who took it; when
    ``changed`` is False, that it had been decided, moved or withdrawn already, and by whom."""
    result = review_result_line(outcome.item)
    if not outcome.changed and outcome.item.status != AgendaItemStatus.WITHDRAWN:
        result = f"{catalogue.html('agenda_item.result.already')} {result}"
    return f"{review_item(outcome.item)}\n\n{result}"


def publish_preview(draft: AgendaDraft, changed: bool = False) -> list[str]:
    """/publiceer's preview: the very messages participants will get (a new version headed by
    its changes), introduced; after them whether the agenda went out before and, with several
    items, how to reorder them. ``changed``: the agenda changed since the coordinator last saw
    it (another coordinator reordered it), so "Versturen" did not send it."""
    parts = published_agenda(draft)
    intro = [catalogue.html("agenda_item.preview")]
    if changed:
        intro.insert(0, catalogue.html("agenda_item.order.changed_meanwhile"))
    parts[0] = "\n".join(intro) + f"\n\n{parts[0]}"
    notes = []
    if draft.published_versions:
        notes.append(catalogue.html("agenda_item.preview_again", count=draft.published_versions))
    if len(draft.items) > 1:
        notes.append(catalogue.html("agenda_item.order.hint"))
    if notes:
        parts[-1] = "\n\n".join([parts[-1], *notes])
    return parts


def published_text(publication: Publication) -> str:
    """To the coordinator after publishing: to how many participants it is on its way."""
    people = catalogue.plain("agenda_item.participants", n=len(publication.recipients))
    meeting = meeting_name(publication.meeting.title, publication.meeting.when)
    return catalogue.html("agenda_item.published", meeting=meeting, count=people)


def _by_meeting(
    items: Sequence[AgendaItemView], line: Callable[[AgendaItemView], str]
) -> list[str]:
    """Each item's ``line``, the first of each meeting after a blank line and its heading (the
    items come ordered by meeting)."""
    blocks = []
    previous = None
    for item in items:
        block = line(item)
        if item.meeting_key != previous:
            heading = catalogue.html("agenda_item.meeting_heading", meeting=meeting_of(item))
            block = f"\n{heading}\n{block}"
            previous = item.meeting_key
        blocks.append(block)
    return blocks


def _review_list_line(item: AgendaItemView) -> str:
    """``• Punt 1 – Fatima, Gemeente Gouda``, without the dash when the submitter is unknown;
    with where it was moved from."""
    submitter, kind = _submitter(item), kind_text(item.kind)
    if submitter:
        line = catalogue.html(
            "agenda_item.review_list_line", title=item.title, kind=kind, submitter=submitter
        )
    else:
        line = catalogue.html("agenda_item.review_list_line_bare", title=item.title, kind=kind)
    if item.held_over:
        line += catalogue.html("agenda_item.after.held_over_mark")
    return line + _moved_suffix(item)


def _moved_suffix(item: AgendaItemView) -> str:
    """`` (verplaatst van dinsdag 22 maart 2011)`` for an item a reviewer moved on, else ""."""
    moved = moved_from(item)
    return catalogue.html("agenda_item.review.moved_suffix", moved=moved) if moved else ""


def _submitter(item: AgendaItemView) -> str:
    """ "Fatima El Amrani, Gemeente Gouda", or whichever of the two is known: a member who left
    has no name any more, and a submitter may be unknown altogether ("")."""
    return ", ".join(part for part in (item.submitter_name, item.submitter_organisation) if part)
