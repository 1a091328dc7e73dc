"""Agenda items (agendapunten): members submit points for a meeting, coordinators review them.

Each async function is one use case that owns its transaction, with the clock passed in; what a
person can get wrong is raised as :class:`AgendaItemRefused` with a :class:`Refusal` the texts
turn into Dutch (:func:`berichten.agenda_item_texts.refusal_text`). What leaves this module is
plain data (:class:`AgendaItemView`, :class:`OpenMeeting`), never an ORM object.

The rules:

- **Who may submit**: an active member who takes part in the meeting
  (:func:`planning.membership.in_audience`); coordinators for any meeting. The overleg must
  accept items (``agendapunten: ja``), the meeting must not be cancelled and its agenda open.
- **When an agenda closes**: when the meeting that closes it begins (the AO's petit comité,
  ``sluit_agenda_van``), otherwise, and at the latest, when the meeting itself begins. A meeting
  known to the day only begins at 00:00 of that day in the plan's zone; one known to the month
  only (BO "oktober, dag volgt") at its month's first day.
- **Which meetings are offered**: per overleg the first meeting of the member's whose agenda is
  still open (the next AO, not November's), ordered like /agenda.
- **Title** 1-:data:`TITLE_LIMIT` characters after stripping and collapsing inner whitespace;
  an **explanation** is optional, at most :data:`EXPLANATION_LIMIT` characters.
- **Statuses**: waiting, then accepted or declined by a coordinator (final: a second review
  returns what happened instead of changing it), or withdrawn by the submitter while waiting.
  An accepted item gets the next ``position`` on its meeting's agenda (order of acceptance).
- Items are tied to the meeting's :attr:`Entry.key`, stable across moves; a cancelled meeting's
  items stay for the coordinators to see, but the meeting is not offered any more.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from planning.agenda_item_tables import AgendaItemStatus
from planning.calendar.expand import Entry
from planning.calendar.model import When
from planning.clock import Clock
from planning.db import Database

TITLE_LIMIT = 200
EXPLANATION_LIMIT = 1000


class Refusal(enum.StrEnum):
    """Why a request about agenda items was refused; each has a Dutch text in the catalogue."""

    NOT_MEMBER = "not_member"  # not an active member, or not a participant of the meeting
    NOT_OPEN = "not_open"  # no items for this overleg, cancelled, unknown, or agenda closed
    TITLE_EMPTY = "title_empty"
    TITLE_TOO_LONG = "title_too_long"
    EXPLANATION_TOO_LONG = "explanation_too_long"
    NOT_COORDINATOR = "not_coordinator"  # reviewing and publishing are for coordinators
    UNKNOWN_ITEM = "unknown_item"  # no such item, or (withdrawing) not one's own
    NOT_WAITING = "not_waiting"  # withdrawing an item that was reviewed or withdrawn already
    NOTHING_ACCEPTED = "nothing_accepted"  # publishing an agenda without accepted items


class AgendaItemRefused(Exception):  # noqa: N818 - the name the bot layer was promised
    """A request that cannot be honoured; ``limit`` is the length limit a text exceeded."""

    def __init__(self, reason: Refusal, limit: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.limit = limit


@dataclass(frozen=True)
class OpenMeeting:
    """A meeting one may submit items for, and when (aware UTC) its agenda closes.

    ``closer`` is the meeting whose beginning closes it (the AO's petit comité), if any.
    """

    entry: Entry
    closes_at: datetime
    closer: Entry | None


@dataclass(frozen=True)
class AgendaItemView:
    """One item as texts show it: plain data, read inside one session.

    ``meeting_title`` and ``meeting_when`` are None when the meeting is not (or no longer) in
    the calendar around now; :func:`agenda_of` and :func:`waiting_for` leave them None, since
    their callers know the meetings already.
    """

    id: int
    meeting_key: str
    overleg_code: str
    title: str
    explanation: str | None
    status: AgendaItemStatus
    submitted_by: int
    submitter_name: str
    submitter_organisation: str  # the organisation's name; "" when unknown
    submitted_at: datetime
    reviewed_by: int | None = None
    reviewer_name: str | None = None
    reviewed_at: datetime | None = None
    position: int | None = None
    meeting_title: str | None = None
    meeting_when: When | None = None
    meeting_cancelled: bool = False


@dataclass(frozen=True)
class ReviewOutcome:
    """The item after a review; ``changed`` is False when it had been reviewed (or withdrawn)
    already, and the item says by whom and how."""

    item: AgendaItemView
    changed: bool


@dataclass(frozen=True)
class AgendaDraft:
    """A meeting's agenda as it would be published: the accepted items by position."""

    meeting: Entry
    items: tuple[AgendaItemView, ...]
    published_versions: int  # how many times it was published before


@dataclass(frozen=True)
class Publication:
    """A published agenda: ``version`` counts from 1; ``recipients`` are the Telegram user ids
    of the meeting's active participants."""

    meeting: Entry
    items: tuple[AgendaItemView, ...]
    version: int
    published_at: datetime
    published_by: int
    recipients: tuple[int, ...]


# ------------------------------------------------------------------ input rules, without I/O


def clean_title(raw: str) -> str:
    """The title as stored: stripped, inner whitespace collapsed to one space.

    Raises :class:`AgendaItemRefused` (TITLE_EMPTY, TITLE_TOO_LONG with the limit).
    """
    raise NotImplementedError


def clean_explanation(raw: str | None) -> str | None:
    """The explanation as stored (stripped; None when empty), or EXPLANATION_TOO_LONG."""
    raise NotImplementedError


# ------------------------------------------------------------------ use cases


async def open_meetings(db: Database, clock: Clock, telegram_user_id: int) -> list[OpenMeeting]:
    """The meetings this member may submit items for now: per overleg the first open one."""
    raise NotImplementedError


async def submit(
    db: Database,
    clock: Clock,
    telegram_user_id: int,
    meeting_key: str,
    title: str,
    explanation: str | None,
) -> AgendaItemView:
    """Store a new waiting item; refused when the member may not or the agenda closed."""
    raise NotImplementedError


async def withdraw_item(
    db: Database, clock: Clock, telegram_user_id: int, item_id: int
) -> AgendaItemView:
    """The submitter takes back an own item that is still waiting."""
    raise NotImplementedError


async def my_items(db: Database, clock: Clock, telegram_user_id: int) -> list[AgendaItemView]:
    """The member's own items for meetings that have not begun (any status), by meeting."""
    raise NotImplementedError


async def waiting_items(db: Database, clock: Clock) -> list[AgendaItemView]:
    """The coordinators' review list: waiting items of meetings that have not begun (and of
    cancelled ones, flagged), by meeting, then by submission."""
    raise NotImplementedError


async def review(
    db: Database, clock: Clock, coordinator_id: int, item_id: int, accept: bool
) -> ReviewOutcome:
    """Accept (onto the agenda, next position) or decline a waiting item; final.

    Refuses someone who is not an active coordinator (NOT_COORDINATOR) and unknown items.
    """
    raise NotImplementedError


async def agenda_of(db: Database, meeting_keys: Iterable[str]) -> dict[str, list[AgendaItemView]]:
    """The accepted items of these meetings by position; meetings without any are left out."""
    raise NotImplementedError


async def waiting_for(db: Database, meeting_keys: Iterable[str]) -> dict[str, list[AgendaItemView]]:
    """The waiting items of these meetings by submission; meetings without any are left out."""
    raise NotImplementedError


async def publishable_meetings(
    db: Database, clock: Clock, coordinator_id: int
) -> list[AgendaDraft]:
    """For /publiceer: meetings that have not begun, not cancelled, with accepted items."""
    raise NotImplementedError


async def agenda_draft(
    db: Database, clock: Clock, coordinator_id: int, meeting_key: str
) -> AgendaDraft:
    """One meeting's agenda as members would see it; NOTHING_ACCEPTED when it is empty."""
    raise NotImplementedError


async def record_publication(
    db: Database, clock: Clock, coordinator_id: int, meeting_key: str
) -> Publication:
    """Record the next publication of a meeting's agenda and say to whom it goes.

    Refused for non-coordinators, unknown, cancelled or begun meetings (NOT_OPEN) and agendas
    without accepted items (NOTHING_ACCEPTED). The messages themselves are queued by
    :func:`berichten.agenda_notices.publish_agenda`.
    """
    raise NotImplementedError
