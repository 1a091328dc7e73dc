"""The people and steps of the agenda-item chat tests (``tests/chat/agenda_items``).

The clock stands on Wednesday 12 January 2011, 10:00 in Amsterdam: no reminder or overview is
due then, the first AO's agenda closed with its petit comité on 4 January, so the AO open for
items is the one of 22 March (its agenda closes when the petit comité of 8 March begins).
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.standin import SentMessage, StandinServer
from planning.agenda_items.services import my_items, open_meetings
from planning.agenda_items.views import AgendaItemView
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.example import import_example_plan
from tests.support.chat import Chat
from tests.support.network import join

FATIMA, KOEN, YOUSSEF, MARIEKE, SANNE = 501, 502, 503, 504, 505  # members
ANNE, BERT = 601, 602  # coordinators
QUIET_MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)
# 09:00 in Amsterdam: a week before the petit comité of 8 March, and that day itself, fourteen
# days before the AO of 22 March.
PC_REMINDER = datetime(2011, 3, 1, 8, 0, tzinfo=UTC)
AO_REMINDER = datetime(2011, 3, 8, 8, 0, tzinfo=UTC)
AO = "Ambtelijk overleg van dinsdag 22 maart 2011"
KWG = "Kenniswerkgroep van donderdag 3 februari 2011"
PEOPLE = {
    # user id: (name, role, organisation, groups)
    FATIMA: ("Fatima El Amrani", Role.LID, "gouda", ["contactpersonen"]),
    KOEN: ("Koen de Boer", Role.LID, "utrecht", ["contactpersonen", "kenniswerkgroep"]),
    YOUSSEF: ("Youssef Amrani", Role.LID, "den-haag", ["contactpersonen"]),
    MARIEKE: ("Marieke Jansen", Role.LID, "ede", ["bestuurders"]),
    SANNE: ("Sanne Bakker", Role.LID, "helmond", ["petit-comite"]),
    ANNE: ("Anne de Vries", Role.COORDINATOR, "coordinatie", []),
    BERT: ("Bert Smit", Role.COORDINATOR, "coordinatie", []),
}


async def register(
    database: Database, clock: FixedClock, user_id: int, role: Role | None = None
) -> None:
    """One of :data:`PEOPLE` registered, in their usual role or in ``role``."""
    name, usual_role, organisation, groups = PEOPLE[user_id]
    role = role or usual_role
    in_groups = groups if role is Role.LID else []
    await join(database, clock, user_id, organisation, *in_groups, role=role, name=name)


async def seat_people(server: StandinServer, database: Database, clock: FixedClock) -> None:
    """The example plan, and :data:`PEOPLE` registered and known to the stand-in."""
    await database.run(import_example_plan, clock)
    for user_id, (name, *_rest) in PEOPLE.items():
        first, last = name.split(" ", 1)
        server.add_user(user_id, first, last)
        await register(database, clock, user_id)


async def submit_in_chat(
    chat: Chat, user_id: int, title: str, kind: str = "Ter bespreking"
) -> SentMessage:
    """/agendapunt for a member with one open meeting, without explanation, up to the summary."""
    await chat.say(user_id, "/agendapunt")
    await title_and_kind(chat, user_id, title, kind)
    return await chat.say(user_id, "/overslaan")


async def title_and_kind(
    chat: Chat, user_id: int, title: str, kind: str = "Ter bespreking"
) -> SentMessage:
    """Type the title at /agendapunt's question and press a kind; the explanation question (the
    kind question, edited)."""
    question = await chat.say(user_id, title)
    await chat.press(user_id, question, kind)
    await chat.settle()
    return chat.current(question)


async def notices_to_review(chat: Chat, title: str) -> tuple[SentMessage, SentMessage]:
    """Fatima submits ``title`` in chat; the notice Anne and Bert get, exactly one each."""
    summary = await submit_in_chat(chat, FATIMA, title)
    await chat.press(FATIMA, summary, "Indienen")
    await chat.arrives(ANNE, lambda text: title in text)
    await chat.arrives(BERT, lambda text: title in text)
    await chat.sent_all()
    [anne] = chat.matching(ANNE, lambda text: title in text)
    [bert] = chat.matching(BERT, lambda text: title in text)
    return anne, bert


async def stored_items(chat: Chat, user_id: int) -> list[AgendaItemView]:
    """The member's agenda items as stored."""
    return await chat.database.run(my_items, chat.clock, user_id)


async def ao_key(chat: Chat) -> str:
    """The key of the AO of 22 March, the one meeting open to Fatima."""
    [meeting] = await chat.database.run(open_meetings, chat.clock, FATIMA)
    return meeting.entry.key
