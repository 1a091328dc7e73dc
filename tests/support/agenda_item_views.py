"""Agenda items as the texts get them, without a database: the meetings and items of the unit
tests of agenda-item messages and prompts (``tests/unit/test_agenda_item_*.py``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import When, YearMonth

AO = CalendarEntry(
    "meeting", "ao-3", "Ambtelijk overleg", When(day=date(2011, 3, 22)), overleg="ao"
)
BO = CalendarEntry(
    "meeting", "bo-10", "Bestuurlijk overleg", When(month=YearMonth(2011, 10)), overleg="bo"
)


def agenda_item(number: int = 1, **changes: object) -> AgendaItemView:
    """Item ``number`` ("Punt 1") Fatima of the Gemeente Gouda submitted for :data:`AO`, waiting;
    ``changes`` replace any field."""
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


def long_items(count: int) -> list[AgendaItemView]:
    """Items 1 to ``count`` at their positions, each nearly as long as allowed: the title "Punt
    001 xxx…" (199 characters) and an explanation of 1,000 "y"s."""
    return [
        agenda_item(n, title=f"Punt {n:03} " + "x" * 190, explanation="y" * 1000, position=n)
        for n in range(1, count + 1)
    ]
