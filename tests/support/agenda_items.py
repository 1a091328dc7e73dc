"""The people and steps of the agenda-item service tests (``tests/service/agenda_items``).

The example plan: the AO of 22 March 2011 has its petit comité on 8 March (both known to the
day only), so its agenda closes on 8 March at 00:00; the kenniswerkgroep (kwg) and the BO
accept items too, the theme sessions (ts) do not. The clock starts on 4 January 2011, 09:00,
when January's AO has just closed (its petit comité is that day).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from berichten.texts import agenda_items as agenda_item_texts
from planning.agenda_items.rules import OpenMeeting
from planning.agenda_items.services import open_meetings, submit
from planning.agenda_items.views import AgendaItemView
from planning.clock import FixedClock
from planning.db import Database

CONTACT, PETIT, KWG, BZK = 101, 102, 103, 104  # a contact person, and members of other groups
COORDINATOR, SECOND_COORDINATOR, STRANGER = 900, 901, 555


async def march_ao(database: Database, clock: FixedClock) -> OpenMeeting:
    """The AO of 22 March, the one meeting open to the contact person."""
    [meeting] = await database.run(open_meetings, clock, CONTACT)
    assert (meeting.entry.title, meeting.entry.when.day) == ("Ambtelijk overleg", date(2011, 3, 22))
    return meeting


async def submitted(
    database: Database, clock: FixedClock, title: str = "Cijfers 2010"
) -> AgendaItemView:
    """An item the contact person submitted for the March AO, without explanation."""
    meeting = await march_ao(database, clock)
    return await database.run(submit, clock, CONTACT, meeting.entry.key, title, None)


@contextmanager
def stopped_while_writing(monkeypatch: pytest.MonkeyPatch, text: str) -> Iterator[None]:
    """The bot stops while it writes the message ``text`` (a function of
    :mod:`berichten.texts.agenda_items`): the block must raise, as the unit of work does."""

    def crash(*_args: object) -> str:
        raise RuntimeError(f"the bot stopped while writing {text}")

    with monkeypatch.context() as patched, pytest.raises(RuntimeError):
        patched.setattr(agenda_item_texts, text, crash)
        yield
