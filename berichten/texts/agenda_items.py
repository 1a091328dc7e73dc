"""The messages about agenda items, in Dutch HTML: the call for items, the coordinators' notice
of a new item, the submitter's notice of the decision, the published agenda, and the agenda
sections of reminders; an item's kind as these show it;
with the pieces /agendapunt, /mijnpunten, /punten and /publiceer build their answers from
(:mod:`bot.handlers.agenda_items.prompts`).

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

from berichten.texts.agenda_documents import documents_line
from berichten.texts.dates import describe_when, long_date, long_moment, when_text
from berichten.texts.html import TEXT_LIMIT, fit, pack, telegram_length
from berichten.texts.names import in_brackets
from planning import catalogue
from planning.agenda_items.changes import AgendaChange, ChangeKind
from planning.agenda_items.publication import AgendaDraft, Publication, numbered
from planning.agenda_items.tables import AgendaItemKind, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import NO_FIXED_ITEMS, FixedItems, When

# Room each message of a published agenda leaves, so that /publiceer's preview shows the same
# messages with its introduction and its note about earlier versions.
PREVIEW_ROOM = 350
# Room a reminder leaves for its agenda section: the reminder itself and the late note that
# delivery may add take well under the rest of Telegram's limit.
REMINDER_SECTION_LIMIT = 3000
# Room the list of changes heading a new version may take; a longer list ends with "… en nog
# N wijzigingen", so the first message keeps room for the agenda itself.
CHANGES_LIMIT = 1200
# Characters of an item's title on a button under a list (the list above has it all).
BUTTON_TITLE_LIMIT = 40


def open_until(closes_at: datetime, zone: ZoneInfo) -> str:
    """``tot dinsdag 8 maart 2011, 10:00``, or ``tot en met maandag 7 maart 2011`` for an agenda
    that closes as a day begins."""
    local = closes_at.astimezone(zone)
    if local.time() == time(0):
        return catalogue.plain(
            "agenda_item.until_day", day=long_date(local.date() - timedelta(days=1))
        )
    return catalogue.plain("agenda_item.until_moment", moment=long_moment(closes_at, zone))


def review_item(item: AgendaItemView) -> str:
    """One item for a reviewer: meeting, title, explanation, submitter, the names of its
    documents, and where it was moved from. Used in the new-item notice and in /punten, above
    the review buttons."""
    lines = [
        catalogue.html("agenda_item.review_header", meeting=meeting_of(item)),
        catalogue.html("agenda_item.review_title", title=item.title),
        kind_line(item.kind),
    ]
    if item.held_over:  # carried over from an earlier meeting of the overleg
        lines.append(catalogue.html("agenda_item.after.held_over_line"))
    if item.explanation:
        lines.append(catalogue.html("agenda_item.review_explanation", explanation=item.explanation))
    lines.append(_submitted_by(item))
    lines += documents_line(item.documents)
    moved = moved_from(item)
    if moved:
        lines.append(catalogue.html("agenda_item.review.moved_line", moved=moved))
    return "\n".join(lines)


def decision_notice(item: AgendaItemView) -> str:
    """To the submitter: the item is on the agenda, or not included (with the reason given)."""
    key = (
        "agenda_item.decision.accepted"
        if item.status == AgendaItemStatus.ACCEPTED
        else "agenda_item.decision.declined"
    )
    decision = catalogue.html(key, title=item.title, meeting=meeting_of(item), position=item.number)
    text = f"{decision}\n{kind_line(item.kind)}"
    if item.status == AgendaItemStatus.DECLINED:
        if item.decline_reason:
            text += "\n\n" + catalogue.html("agenda_item.review.reason", reason=item.decline_reason)
        text += "\n\n" + catalogue.html("agenda_item.decision.questions")
    return text


def call_text(meeting: CalendarEntry, closes_at: datetime, zone: ZoneInfo) -> str:
    """The call for items: the meeting, until when items are welcome, and how."""
    return catalogue.html(
        "agenda_item.call.text",
        meeting=meeting_name(meeting.title, meeting.when),
        until=open_until(closes_at, zone),
    )


def kind_text(kind: AgendaItemKind) -> str:
    """``ter bespreking``, ``ter besluitvorming``, ``ter informatie``."""
    return catalogue.plain(f"agenda_item.kind.{kind.value}")


def kind_line(kind: AgendaItemKind) -> str:
    """ "Aangeboden ter besluitvorming." under an item's title."""
    return catalogue.html("agenda_item.kind.line", kind=kind_text(kind))


def moved_notice(item: AgendaItemView) -> str:
    """To the submitter: a reviewer moved the item to the overleg's next meeting, where it waits
    for review."""
    return catalogue.html(
        "agenda_item.review.moved_notice", title=item.title, meeting=meeting_of(item)
    )


def moved_from(item: AgendaItemView) -> str:
    """``verplaatst van dinsdag 22 maart 2011`` for an item a reviewer moved on (not one held
    over after its meeting); "" for any other."""
    if item.carried_from is None or item.held_over:
        return ""
    if item.carried_from_when is None:
        return catalogue.plain("agenda_item.review.moved_from_earlier")
    return catalogue.plain(
        "agenda_item.review.moved_from", when=describe_when(item.carried_from_when)
    )


def published_agenda(agenda: AgendaDraft | Publication) -> list[str]:
    """The whole agenda as participants receive it, in as many messages as it takes (in
    order): its points numbered (fixed items first and last, each item with its kind and
    submitter), a version after the first headed by its list of changes. A message after the
    first starts with "Agenda: ... (vervolg)". An item is never split over two messages."""
    meeting = agenda.meeting
    continued = catalogue.html("agenda_item.agenda_continued", title=meeting.title)
    room = TEXT_LIMIT - PREVIEW_ROOM - telegram_length(continued) - 1
    head = _agenda_head(meeting)
    if agenda.published_versions:
        head = [*changes_lines(agenda.changes(), agenda.published_versions + 1), "", *head]
    parts = pack(["\n".join(head), *_agenda_blocks(agenda.numbered())], room)
    return [parts[0], *(f"{continued}\n{part}" for part in parts[1:])]


def changes_lines(changes: Sequence[AgendaChange] | None, version: int) -> list[str]:
    """What heads a new version: that it is one, and what changed since the version before
    (or that nothing did), at most :data:`CHANGES_LIMIT` long. ``changes`` is None when the
    version before stored nothing to compare with."""
    if changes is None:
        return [catalogue.html("agenda_item.changes.unknown", version=version)]
    if not changes:
        return [catalogue.html("agenda_item.changes.none", version=version)]
    head = [catalogue.html("agenda_item.changes.header", version=version)]
    blocks = [_change_line(change) for change in changes]

    def more(left: int) -> str:
        return catalogue.html("agenda_item.changes.more", n=left)

    return fit(head, blocks, [], more, CHANGES_LIMIT).split("\n")


def agenda_so_far_lines(
    items: Sequence[AgendaItemView],
    open_until_moment: datetime | None,
    zone: ZoneInfo,
    *,
    fixed: FixedItems = NO_FIXED_ITEMS,
    limit: int = REMINDER_SECTION_LIMIT,
    more: str = "agenda_item.more",
) -> list[str]:
    """The AO reminder's section: the accepted items numbered as the published agenda numbers
    them (after the opening ``fixed`` items), or none yet, and while the agenda is open until
    when items can be submitted with /agendapunt. ``limit`` and ``more`` (the catalogue key of
    the "… en nog N punten" line) let a reminder fit it to its room."""
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
        catalogue.html("agenda_item.reminder.line", position=number, title=point.title)
        for number, point in numbered(items, fixed)
        if not isinstance(point, str)
    ]
    head = ["", catalogue.html("agenda_item.reminder.so_far")]
    return fit_items(head, blocks, tail, limit, more).split("\n")


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
            meeting=meeting_name(closed.title, closed.when),
            count=items_text(len(items)),
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
    return fit_items(head, blocks, [], limit, more).split("\n")


# ----------------------------------------- shared with the handlers' prompts


def meeting_name(title: str, when: When, *, cancelled: bool = False) -> str:
    """``Ambtelijk overleg van dinsdag 22 maart 2011``, ``... van oktober 2011``; marked when
    ``cancelled`` (it does not go ahead)."""
    name = catalogue.plain("agenda_item.meeting", title=title, when=describe_when(when))
    return name + catalogue.plain("agenda_item.cancelled_suffix") if cancelled else name


def meeting_of(item: AgendaItemView) -> str:
    """ "Ambtelijk overleg van dinsdag 22 maart 2011", or the overleg's code if unknown."""
    if item.meeting_title is None or item.meeting_when is None:
        return item.overleg_code
    return meeting_name(item.meeting_title, item.meeting_when, cancelled=item.meeting_cancelled)


def button_title(title: str) -> str:
    """An item's title on a button, cut to :data:`BUTTON_TITLE_LIMIT` characters with "…"."""
    if len(title) <= BUTTON_TITLE_LIMIT:
        return title
    return title[: BUTTON_TITLE_LIMIT - 1].rstrip() + "…"


def items_text(count: int) -> str:
    """``geen punten``, ``1 punt``, ``12 punten``."""
    if count == 0:
        return catalogue.plain("agenda_item.no_items")
    return catalogue.plain("agenda_item.items", n=count)


def fit_items(
    head: list[str],
    blocks: list[str],
    tail: list[str],
    limit: int = TEXT_LIMIT,
    more_key: str = "agenda_item.more",
) -> str:
    """:func:`berichten.texts.html.fit` with "… en nog 3 punten" (``more_key``) for what is
    left out."""
    return fit(
        head, blocks, tail, lambda left: catalogue.html(more_key, count=items_text(left)), limit
    )


# ------------------------------------------------------------------ helpers


def _agenda_head(meeting: CalendarEntry) -> list[str]:
    head = [
        catalogue.html("agenda_item.agenda_header", title=meeting.title),
        catalogue.html("agenda.when", when=when_text(meeting.when)),
    ]
    if meeting.location:
        head.append(catalogue.html("agenda.location", location=meeting.location))
    return [*head, ""]


def _agenda_blocks(points: Sequence[tuple[int, str | AgendaItemView]]) -> list[str]:
    blocks = []
    for number, item in points:
        if isinstance(item, str):  # a fixed item (vaste punt)
            blocks.append(catalogue.html("agenda_item.order.fixed_line", number=number, title=item))
            continue
        organisation = _on_behalf_of(item)
        kind = kind_text(item.kind)
        if item.held_over:
            kind = catalogue.plain("agenda_item.order.held_over", kind=kind)
        block = (
            catalogue.html(
                "agenda_item.agenda_line",
                number=number,
                title=item.title,
                organisation=organisation,
                kind=kind,
            )
            if organisation
            else catalogue.html(
                "agenda_item.agenda_line_bare", number=number, title=item.title, kind=kind
            )
        )
        if item.explanation:
            block += "\n" + catalogue.html(
                "agenda_item.agenda_explanation", explanation=item.explanation
            )
        blocks.append(block)
    return blocks


def _change_line(change: AgendaChange) -> str:
    if change.what == ChangeKind.REORDERED:
        return catalogue.html("agenda_item.changes.reordered")
    if change.what == ChangeKind.KIND and change.kind is not None:
        return catalogue.html(
            "agenda_item.changes.kind",
            number=change.number,
            title=change.title,
            kind=kind_text(change.kind),
        )
    key = (
        "agenda_item.changes.added"
        if change.what == ChangeKind.ADDED
        else "agenda_item.changes.removed"
    )
    return catalogue.html(key, number=change.number, title=change.title)


def _submitted_by(item: AgendaItemView) -> str:
    """ "Ingediend door Fatima El Amrani (Gemeente Gouda).", or with whichever is known."""
    name, organisation = item.submitter_name, item.submitter_organisation
    if name and organisation:
        return catalogue.html("agenda_item.review_submitter", name=name, organisation=organisation)
    if name or organisation:
        return catalogue.html("agenda_item.review_submitter_one", submitter=name or organisation)
    return catalogue.html("agenda_item.review_submitter_unknown")


def _on_behalf_of(item: AgendaItemView) -> str:
    """Whose item it is on an agenda: the organisation, else the person, else ""."""
    return in_brackets(item.submitter_organisation or item.submitter_name)
