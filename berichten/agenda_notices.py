"""Agenda-item notices through the outbox: new items to the coordinators, decisions to the
submitter, a published agenda to the meeting's participants.

Each function computes the :class:`~berichten.outbox.NewMessage` rows and queues them; the bot
then refreshes the outbox so they go out at once. Keys make every notice idempotent:
``agenda_item:<id>|<coordinator>``, ``agenda_review:<id>|<member>`` and
``agenda:<meeting key>:<version>|<member>`` (a new publication is a new version, so a corrected
agenda reaches everyone again). The kinds are named here, and only here.
"""

from __future__ import annotations

from berichten.outbox import Buttons
from planning.agenda_items import AgendaItemView, Publication
from planning.clock import Clock
from planning.db import Database

ITEM_KIND = "agenda_item"  # a new item, to every active coordinator
REVIEW_KIND = "agenda_review"  # the decision, to the submitter
AGENDA_KIND = "agenda"  # a published agenda, to the meeting's participants
AGENDA_NOTICE_KINDS = (ITEM_KIND, REVIEW_KIND, AGENDA_KIND)

# Callback data of the review buttons ("Op de agenda" / "Niet opnemen"), followed by the item id;
# the same in the coordinators' notice and in /punten (handled in bot/).
ACCEPT_PREFIX, DECLINE_PREFIX = "ap:y:", "ap:n:"


def review_buttons(item_id: int) -> Buttons:
    """One row: "Op de agenda" (``ap:y:<id>``) and "Niet opnemen" (``ap:n:<id>``)."""
    raise NotImplementedError


async def notify_coordinators(db: Database, clock: Clock, item: AgendaItemView) -> int:
    """Queue the new item, with the review buttons, for every active coordinator; return how
    many were queued (0 when queued before)."""
    raise NotImplementedError


async def notify_submitter(db: Database, clock: Clock, item: AgendaItemView) -> int:
    """Queue the decision on a reviewed item for its submitter; return how many were queued."""
    raise NotImplementedError


async def publish_agenda(
    db: Database, clock: Clock, coordinator_id: int, meeting_key: str
) -> Publication:
    """Record the next publication of a meeting's agenda and queue it for its participants.

    Raises :class:`planning.agenda_items.AgendaItemRefused` (NOTHING_ACCEPTED when no item is
    accepted, NOT_OPEN for a cancelled, begun or unknown meeting, NOT_COORDINATOR).
    """
    raise NotImplementedError
