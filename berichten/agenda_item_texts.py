"""What members and coordinators read about agenda items, in Dutch HTML.

Every string is in the catalogue (``planning/locale/nl.po``) and built with
:func:`planning.catalogue.html`, line by line, so each value is escaped exactly once. Every text
fits Telegram's 4,096 characters: long lists stop with "en nog N punten".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from planning.agenda_items import (
    AgendaDraft,
    AgendaItemView,
    OpenMeeting,
    Publication,
    Refusal,
    ReviewOutcome,
)
from planning.calendar.expand import Entry


def refusal_text(reason: Refusal, limit: int | None = None) -> str:
    """The Dutch sentence for a refusal; a length refusal names the limit."""
    raise NotImplementedError


def meeting_label(meeting: OpenMeeting) -> str:
    """A meeting on a choice button, plain text: "Ambtelijk overleg, di 22 mrt"."""
    raise NotImplementedError


def choose_meeting_text(meetings: Sequence[OpenMeeting], zone: ZoneInfo) -> str:
    """Asks which meeting the item is for, each with the moment its agenda closes."""
    raise NotImplementedError


def nothing_open_text() -> str:
    """No meeting the member takes part in accepts items now."""
    raise NotImplementedError


def ask_title_text(meeting: OpenMeeting, zone: ZoneInfo) -> str:
    """Asks for the title (with the limit), naming the meeting and when its agenda closes."""
    raise NotImplementedError


def ask_explanation_text() -> str:
    """Asks for an optional explanation (with the limit), or /overslaan."""
    raise NotImplementedError


def submission_summary(meeting: OpenMeeting, title: str, explanation: str | None) -> str:
    """The draft before "Indienen": meeting, title, explanation."""
    raise NotImplementedError


def submitted_text(item: AgendaItemView) -> str:
    """The confirmation after submitting: "Dank u wel. Uw punt ... is ingediend voor ..."."""
    raise NotImplementedError


def my_items_text(items: Sequence[AgendaItemView]) -> str:
    """/mijnpunten: own items by meeting, each with its status."""
    raise NotImplementedError


def my_item_text(item: AgendaItemView) -> str:
    """One own item with its status (for a message with an "Intrekken" button)."""
    raise NotImplementedError


def withdrawn_text(item: AgendaItemView) -> str:
    """Says the item was withdrawn."""
    raise NotImplementedError


def review_item(item: AgendaItemView) -> str:
    """One waiting item for a coordinator: meeting, title, explanation, submitter. Used in the
    new-item notice and in /punten, above the review buttons."""
    raise NotImplementedError


def review_list(items: Sequence[AgendaItemView]) -> str:
    """/punten as one text: the waiting items per meeting (or that there are none)."""
    raise NotImplementedError


def review_result(outcome: ReviewOutcome) -> str:
    """The item after a button press: the decision and who took it; when ``changed`` is False,
    that it had been decided (or withdrawn) already, by whom."""
    raise NotImplementedError


def decision_notice(item: AgendaItemView) -> str:
    """To the submitter: the item is on the agenda, or not included."""
    raise NotImplementedError


def published_agenda(meeting: Entry, items: Sequence[AgendaItemView]) -> str:
    """The agenda as participants receive it (and a coordinator previews it)."""
    raise NotImplementedError


def publish_preview(draft: AgendaDraft) -> str:
    """/publiceer's preview: the agenda as it will go out, and whether it went out before."""
    raise NotImplementedError


def published_text(publication: Publication) -> str:
    """To the coordinator after publishing: to how many participants it is on its way."""
    raise NotImplementedError


def agenda_so_far_lines(
    items: Sequence[AgendaItemView], open_until: datetime | None, zone: ZoneInfo
) -> list[str]:
    """The AO reminder's section: the accepted items numbered (or none yet), and while the
    agenda is open until when items can be submitted with /agendapunt."""
    raise NotImplementedError


def waiting_review_lines(closed: Entry, items: Sequence[AgendaItemView]) -> list[str]:
    """The petit comité reminder's section: the items waiting for review for the AO."""
    raise NotImplementedError
