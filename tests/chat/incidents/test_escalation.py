"""Issue 14's escalation on its own scale: an incident to 20 members in 6 organisations, 12
acknowledge; after 15 minutes exactly the other 8 get it again, marked urgent; after the
second round the coordinator gets the uncovered organisations with names and on-call numbers.

The 12 who answer are everyone of Utrecht, Gouda and Zeist; the 8 who do not are everyone of
Den Haag, Ede and Helmond, so escalation per organisation and per person agree on who is left.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.outbox_job import refresh_outbox
from bot.standin import SentMessage, StandinServer
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from tests.support.agenda_chat import QUIET_MOMENT
from tests.support.chat import Chat, run_bot
from tests.support.incidents import import_incident_plan
from tests.support.network import join

COORDINATOR = 900
ANSWERING = {"utrecht": 4, "gouda": 4, "zeist": 4}  # 12 who press "Gelezen"
SILENT = {"den-haag": 3, "ede": 3, "helmond": 2}  # 8 who do not
URGENT = "‼️ Dringend: u hebt dit incidentbericht nog niet bevestigd."
UNKNOWN = "piket onbekend (geen piketnummer in het jaarplan)"


def _people(counts: dict[str, int], first: int) -> dict[int, str]:
    """Member id -> organisation code, ``counts`` per organisation, from ``first``."""
    ids = iter(range(first, first + sum(counts.values())))
    return {next(ids): code for code, n in counts.items() for _ in range(n)}


ANSWERERS, SILENT_ONES = _people(ANSWERING, 1001), _people(SILENT, 2001)


@pytest.fixture
async def chat(server: StandinServer, database: Database) -> AsyncIterator[Chat]:
    clock = FixedClock(QUIET_MOMENT)
    await database.run(import_incident_plan, clock)
    server.add_user(COORDINATOR, "Anne", "de Vries")
    await join(database, clock, COORDINATOR, "coordinatie", role=Role.COORDINATOR, name="Anne")
    for member, organisation in {**ANSWERERS, **SILENT_ONES}.items():
        server.add_user(member, "Lid", str(member))
        await join(database, clock, member, organisation, "contactpersonen", name=f"Lid {member}")
    async with run_bot(server, database, clock) as running:
        yield running


async def _answer(chat: Chat, typed: str, expect: str) -> SentMessage:
    seen = len(chat.server.messages(COORDINATOR))
    chat.server.send_message(COORDINATOR, typed)
    await chat.server.wait_for(
        lambda: any(expect in (m.text or "") for m in chat.server.messages(COORDINATOR)[seen:])
    )
    return next(m for m in chat.server.messages(COORDINATOR)[seen:] if expect in (m.text or ""))


async def _later(chat: Chat, minutes: int) -> None:
    chat.clock.advance(timedelta(minutes=minutes))
    await refresh_outbox(chat.application)
    await chat.sent_all()


async def test_escalation_reaches_exactly_the_8_then_reports_their_organisations(
    chat: Chat,
) -> None:
    choice = await _answer(chat, "/incident", "U stelt een incidentbericht op")
    await chat.press(COORDINATOR, choice, "Leeg beginnen")
    await _answer(chat, "Brand bij een opvanglocatie", "Typ nu het bericht")
    audience = await _answer(chat, "Er is brand; niemand is gewond.", "Voor wie is dit")
    assert "Zo gekozen: 20 deelnemers." in (audience.text or "")
    await chat.press(COORDINATOR, audience, "Verder")
    confirm = await chat.arrives(COORDINATOR, lambda text: text.startswith("Hierboven ziet u"))
    await chat.press(COORDINATOR, confirm, "Versturen")
    await chat.sent_all()
    for member in ANSWERERS:
        [copy] = chat.matching(member, lambda text: "Brand bij een opvanglocatie" in text)
        await chat.press(member, copy, "Gelezen")
    await chat.settle()

    await _later(chat, 15)

    urgent = {
        m for m in {**ANSWERERS, **SILENT_ONES} if chat.matching(m, lambda t: t.startswith(URGENT))
    }
    assert urgent == set(SILENT_ONES)  # exactly the other 8, once each
    assert all(len(chat.matching(m, lambda t: t.startswith(URGENT))) == 1 for m in SILENT_ONES)

    await _later(chat, 15)

    report = await chat.arrives(COORDINATOR, lambda text: text.startswith("‼️ Na twee rondes"))
    lines = (report.text or "").splitlines()
    assert lines[1:4] == [
        "• Gemeente Den Haag: piket 070-3533333; ontvangers: Lid 2001, Lid 2002, Lid 2003",
        f"• Gemeente Ede: {UNKNOWN}; ontvangers: Lid 2004, Lid 2005, Lid 2006",
        f"• Gemeente Helmond: {UNKNOWN}; ontvangers: Lid 2007, Lid 2008",
    ]
    assert not [line for line in lines if "Utrecht" in line or "Gouda" in line or "Zeist" in line]
