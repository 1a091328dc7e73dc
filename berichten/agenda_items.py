"""Agenda-item notices through the outbox: new items to their reviewers (the coordinators and
the overleg's beoordelaars), decisions and moves to the submitter, a published agenda to the
meeting's participants.

Each use case stores its change and queues the :class:`~berichten.outbox.store.NewMessage`
rows that announce it in one unit of work; the bot then refreshes the outbox so they go out
at once. Keys make every notice idempotent:
``agenda_item:<id>|<reviewer>``, ``agenda_review:<id>|<member>``,
``agenda_moved:<id>:<meeting tag>|<member>`` (a later move to yet another meeting is news) and
``agenda:<meeting key>:<version>|<member>|part-<n>`` (a new publication is a new version, so a
corrected agenda reaches everyone again; a long agenda goes in parts), and
``agenda_document:<meeting key>:<document id>|<member>`` for the documents after it (without
the version: a correction sends only documents a participant did not have). The kinds are
named here, and only here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.outbox.media import Media, MediaKind
from berichten.outbox.store import Buttons, NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import agenda_items as agenda_item_texts
from berichten.texts.agenda_documents import document_caption
from planning import catalogue
from planning.agenda_items.attachments import attach_documents
from planning.agenda_items.documents import NewDocument
from planning.agenda_items.publication import Publication, record_publication
from planning.agenda_items.reviewing import (
    ReviewOutcome,
    meeting_tag,
    move_to_next,
    reviewers,
)
from planning.agenda_items.services import review, submit
from planning.agenda_items.tables import AgendaItemKind, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.clock import Clock

ITEM_KIND = "agenda_item"  # a new item, to its reviewers
REVIEW_KIND = "agenda_review"  # the decision, to the submitter
MOVED_KIND = "agenda_moved"  # moved to the overleg's next meeting, to the submitter
AGENDA_KIND = "agenda"  # a published agenda, to the meeting's participants
DOCUMENT_KIND = "agenda_document"  # a published agenda's documents, after it
AGENDA_NOTICE_KINDS = (ITEM_KIND, REVIEW_KIND, MOVED_KIND, AGENDA_KIND, DOCUMENT_KIND)

# Callback data of the review buttons ("Op de agenda" / "Niet opnemen" / "Naar volgende
# vergadering"), followed by the tag of the meeting they were shown for and the item id
# (``ap:y:<tag>:<id>``); the same in the reviewers' notice and in /punten (handled in bot/).
ACCEPT_PREFIX, DECLINE_PREFIX, MOVE_PREFIX = "ap:y:", "ap:n:", "ap:v:"
# "Stukken bekijken" under an item with documents, for its reviewers: sends them to the presser.
DOCUMENTS_PREFIX = "ap:d:"


def review_buttons(item: AgendaItemView) -> Buttons:
    """ "Op de agenda" and "Niet opnemen" in one row, "Naar volgende vergadering" below, each
    naming the item's meeting (:func:`planning.agenda_items.reviewing.meeting_tag`)."""
    shown = f"{meeting_tag(item.meeting_key)}:{item.id}"
    return [
        [
            (catalogue.plain("agenda_item.button.accept"), f"{ACCEPT_PREFIX}{shown}"),
            (catalogue.plain("agenda_item.button.decline"), f"{DECLINE_PREFIX}{shown}"),
        ],
        [(catalogue.plain("agenda_item.review.move_button"), f"{MOVE_PREFIX}{shown}")],
    ]


def document_buttons(item: AgendaItemView) -> Buttons:
    """ "Stukken bekijken" (``ap:d:<id>``) for an item with documents; none without."""
    if not item.documents:
        return []
    return [[(catalogue.plain("agenda_item.document.view_button"), f"{DOCUMENTS_PREFIX}{item.id}")]]


async def submit_and_notify(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    meeting_key: str,
    title: str,
    explanation: str | None,
    *,
    documents: Sequence[NewDocument] = (),
    kind: AgendaItemKind = AgendaItemKind.DISCUSSION,
) -> tuple[AgendaItemView, int]:
    """Store the item (:func:`planning.agenda_items.services.submit`) of ``kind`` with its
    ``documents`` and queue it, with the review buttons, for its reviewers (every active
    coordinator and the active members of the overleg's ``beoordelaars``, each once); return
    the item and how many notices were queued. One unit of work: no item waits for a review
    nobody was asked for, and none is stored without the documents sent with it."""
    item = await submit(session, clock, telegram_user_id, meeting_key, title, explanation, kind)
    if documents:
        attached = await attach_documents(session, clock, telegram_user_id, item.id, documents)
        item = replace(item, documents=attached.item.documents)
    people = await reviewers(session, item.overleg_code)
    now = clock.now()
    return item, await enqueue(session, now, _new_item_messages(item, people, now))


def _new_item_messages(
    item: AgendaItemView, reviewer_ids: list[int], now: datetime
) -> list[NewMessage]:
    text = agenda_item_texts.review_item(item)
    return [
        NewMessage(
            key=f"{ITEM_KIND}:{item.id}|{reviewer}",
            kind=ITEM_KIND,
            recipient=reviewer,
            text=text,
            due_at=now,
            priority=Priority.REMINDER,
            buttons=[*review_buttons(item), *document_buttons(item)],
        )
        for reviewer in reviewer_ids
    ]


async def review_and_notify(
    session: AsyncSession,
    clock: Clock,
    reviewer_id: int,
    item_id: int,
    accept: bool,
    reason: str | None = None,
    shown_for: str | None = None,
) -> tuple[ReviewOutcome, int]:
    """Review the item (:func:`planning.agenda_items.services.review`, declining with an
    optional ``reason``) and queue the decision for its submitter; return the outcome and how
    many notices were queued.

    One unit of work: no decision is stored that its submitter never hears of. A second press
    queues nothing new: the notice's key keeps it single. Nothing for an item withdrawn
    meanwhile (the submitter did that themselves).
    """
    outcome = await review(session, clock, reviewer_id, item_id, accept, reason, shown_for)
    now = clock.now()
    return outcome, await enqueue(session, now, _decision_messages(outcome.item, now))


async def move_and_notify(
    session: AsyncSession, clock: Clock, reviewer_id: int, item_id: int, shown_for: str | None
) -> tuple[ReviewOutcome, int]:
    """Move a waiting item to its overleg's next meeting
    (:func:`planning.agenda_items.reviewing.move_to_next`) and tell its submitter where it went,
    in one unit of work; return the outcome and how many notices were queued."""
    outcome = await move_to_next(session, clock, reviewer_id, item_id, shown_for)
    if not outcome.changed:
        return outcome, 0
    item, now = outcome.item, clock.now()
    about = f"{item.id}:{meeting_tag(item.meeting_key)}"
    notice = submitter_notice(MOVED_KIND, about, item, agenda_item_texts.moved_notice(item), now)
    return outcome, await enqueue(session, now, [notice])


def submitter_notice(
    kind: str, about: str, item: AgendaItemView, text: str, now: datetime
) -> NewMessage:
    """A notice to ``item``'s submitter, due now, keyed ``<kind>:<about>|<submitter>``."""
    return NewMessage(
        key=f"{kind}:{about}|{item.submitted_by}",
        kind=kind,
        recipient=item.submitted_by,
        text=text,
        due_at=now,
        priority=Priority.REMINDER,
    )


def _decision_messages(item: AgendaItemView, now: datetime) -> list[NewMessage]:
    if item.status not in (AgendaItemStatus.ACCEPTED, AgendaItemStatus.DECLINED):
        return []
    text = agenda_item_texts.decision_notice(item)
    return [submitter_notice(REVIEW_KIND, str(item.id), item, text, now)]


async def publish_agenda(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    meeting_key: str,
    shown: Sequence[int] | None = None,
) -> Publication:
    """Record the next publication of a meeting's agenda and queue it for its participants,
    in one unit of work: a crash leaves both or neither.

    Raises :class:`planning.agenda_items.rules.AgendaItemError` (NOTHING_ACCEPTED when no item
    is accepted, NOT_OPEN for a cancelled, past or unknown meeting, NOT_COORDINATOR). Sent with
    the newsletter's priority: reminders that fall due at the same moment go first. ``shown``:
    see :func:`~planning.agenda_items.publication.record_publication`.
    """
    publication = await record_publication(session, clock, coordinator_id, meeting_key, shown)
    await enqueue(session, clock.now(), _agenda_messages(publication))
    return publication


def _agenda_messages(publication: Publication) -> list[NewMessage]:
    """Every part for every participant, all first parts before all second parts.

    The sender takes due messages by priority, then due time, then id, so part ``n`` is due
    ``n - 1`` seconds after the first: a participant gets the parts in order (one chat gets a
    message a second at most anyway), and a long agenda reaches everyone's first part first.
    """
    parts = agenda_item_texts.published_agenda(publication)
    version = f"{publication.meeting.key}:{publication.version}"
    texts = [
        NewMessage(
            key=f"{AGENDA_KIND}:{version}|{recipient}|part-{number}",
            kind=AGENDA_KIND,
            recipient=recipient,
            text=text,
            due_at=publication.published_at + timedelta(seconds=number - 1),
            priority=Priority.NEWSLETTER,
        )
        for number, text in enumerate(parts, start=1)
        for recipient in publication.recipients
    ]
    return [*texts, *_document_messages(publication, len(parts))]


def _document_messages(publication: Publication, parts: int) -> list[NewMessage]:
    """Each document of the agenda's items to every participant, after the agenda's ``parts``
    text messages (the first due one second after the last part, the next a second later),
    captioned with its point's number and title.

    The key has no version: a participant gets a document once, and a correction sends only
    the documents (and to the participants) that are new.
    """
    numbers = {
        point.id: number for number, point in publication.numbered() if not isinstance(point, str)
    }
    titles = {item.id: item.title for item in publication.items}
    meeting = agenda_item_texts.meeting_name(publication.meeting.title, publication.meeting.when)
    return [
        NewMessage(
            key=f"{DOCUMENT_KIND}:{publication.meeting.key}:{document.id}|{recipient}",
            kind=DOCUMENT_KIND,
            recipient=recipient,
            text=document_caption(numbers[document.item_id], titles[document.item_id], meeting),
            due_at=publication.published_at + timedelta(seconds=parts + index),
            priority=Priority.NEWSLETTER,
            media=Media(MediaKind.DOCUMENT, document.file_id),
        )
        for index, document in enumerate(publication.documents)
        for recipient in publication.recipients
    ]
