"""Every role against every command and every coordinator's button: who may, who may not; and
a reviewer of one overleg's agenda items (``beoordelaars``), who may review only those.

A cell that lets someone through who should not pass is an escape; the tests list every escape
and expect none. Buttons are pressed with data signed for the presser (as if the bot had shown
them the button), so what is tested is the role check, not the signature.
"""

from __future__ import annotations

from bot.button_data import Signer, button_key
from bot.commands import COORDINATOR_COMMANDS, MEMBER_COMMANDS
from planning.agenda_items.reviewing import meeting_tag
from planning.agenda_items.services import open_meetings, submit
from planning.membership.tables import Role
from planning.plan.store import import_plan
from tests.support.chat import Chat
from tests.support.plans import agenda_cycle_plan_text, plan_of

STRANGER, LEFT, MEMBER, COORDINATOR, REVIEWER = 701, 702, 703, 704, 705
REFUSALS = {
    STRANGER: "Goedendag. Overlegbot is er alleen voor deelnemers",
    LEFT: "U bent afgemeld. Wilt u weer meedoen?",
}
# "... alleen voor coördinatoren." and, for /punten, "... coördinatoren en beoordelaars ...".
NOT_A_COORDINATOR = "Deze opdracht is alleen voor coördinatoren"
GENERIC_ERROR = "Er is iets misgegaan"
# Buttons of coordinators' work: reviewing, publishing, changing meetings, inviting.
COORDINATOR_BUTTONS = [
    "ap:y:1",
    "ap:n:1",
    "ap:v:1",
    "ap:y:abcdef:1",
    "ap:n:abcdef:1",
    "ap:v:abcdef:1",
    "pub:m:0",
    "pub:ok",
    "af:m:1",  # /afgehandeld: a meeting, an item marked, "Klaar"
    "af:t:1",
    "af:k:1",
    "adj:m:0",
    "adj:ok",
    "adj:a:cancel",
    "inv:role:coordinator",
    "inv:done",
    "inv:n:5",
    "nw:f:1",
    "nw:n:1",
    "nw:x:1",
    "nb:k:0",
    "nb:kd",
    "nb:all",
    "nb:g:0",
    "nb:o:0",
    "nb:ad",
    "nb:send",
    "nb:tme",
    "nb:tall",
    "nb:no",
    "nb:plan",
    "nbg:y:1.1",
    "nbg:n:1.1",
    "nbi:m:1",
    "nbi:t:1",
    "nbi:x:1",
    "in:t:0",
    "in:empty",
    "in:all",
    "in:g:0",
    "in:ad",
    "in:send",
    "in:pv",
    "in:no",
    "nbx:c:1",
    "nbx:w:1",
    "nbx:wy:1",
    "nbx:wn",
    "nbx:cy",
    "nbx:cn",
    "inc:x:1",  # "Afsluiten" under an incident's status message, and its confirmation
    "inc:xy:1",
    "inc:xn:1",
    "inc:u:1",  # "Vervolgbericht", and its confirmation
    "inc:us",
    "inc:un",
    "sjb:s:1",  # /sjablonen: a template, and a field of it
    "sjb:f:1.2",
    "inca:y:1",  # four eyes on incidents: "Goedkeuren" and "Afwijzen"
    "inca:n:1",
]
MEMBER_BUTTONS = [
    "r:x:ao@2011-01-18",
    "r:m:ao",
    "leave:yes",
    "pf:d:1",
    "ai:ok",
    "ms:ok",
    "inc:r:1",  # an incident's "Gelezen": only its recipients, none here
    "inc:c:1",
]
BUTTON_REFUSALS = (
    "Deze knop is niet (meer) voor u",
    "Deze bot is alleen voor deelnemers",
    "U bent afgemeld.",
)


async def _people(chat: Chat) -> None:
    chat.person(STRANGER, "Sam")
    await chat.member(MEMBER, "Mila")
    await chat.member(COORDINATOR, "Cor", Role.COORDINATOR, organisation="coordinatie")
    await chat.member(LEFT, "Lou")
    question = await chat.say(LEFT, "/afmelden")
    await chat.press(LEFT, question, "Ja, afmelden")
    await chat.settle()


async def test_every_role_against_every_command(planned_chat: Chat) -> None:
    chat = planned_chat
    await _people(chat)
    escapes = []
    for command in [f"/{c.name}" for c in MEMBER_COMMANDS + COORDINATOR_COMMANDS]:
        if command == "/afmelden":
            continue  # its own tests; answering it would change the roles
        for person in (STRANGER, LEFT, MEMBER, COORDINATOR):
            answer = (await chat.say(person, command)).text or ""
            if person in REFUSALS:
                allowed = answer.startswith(REFUSALS[person])
            elif person == MEMBER and command in [f"/{c.name}" for c in COORDINATOR_COMMANDS]:
                allowed = answer.startswith(NOT_A_COORDINATOR)
            else:
                allowed = not answer.startswith((*REFUSALS.values(), NOT_A_COORDINATOR))
            if not allowed or GENERIC_ERROR in answer:
                escapes.append((person, command, answer[:60]))
            await chat.say(person, "/annuleren")

    assert escapes == []


async def test_every_role_against_the_buttons_it_may_not_press(planned_chat: Chat) -> None:
    chat = planned_chat
    await _people(chat)
    token = chat.application.bot.token
    cells = [
        (person, data)
        for person in (STRANGER, LEFT, MEMBER)
        for data in COORDINATOR_BUTTONS + (MEMBER_BUTTONS if person != MEMBER else [])
    ]
    for person, data in cells:
        own = await chat.say(person, "/help")
        signed = Signer(button_key(token), person).sign(data)
        chat.server.forge_press(person, own.message_id, signed)
    await chat.settle()

    answers = list(chat.server.answered_callbacks.values())
    refused = [a for a in answers if (a.get("text") or "").startswith(BUTTON_REFUSALS)]
    late = [  # refused after the handler had answered the press
        m for person in (STRANGER, LEFT, MEMBER) for m in chat.matching(person, _refusal)
    ]
    assert len(refused) + len(late) == len(cells)
    assert not [m for p in (STRANGER, LEFT, MEMBER) for m in chat.matching(p, _generic_error)]


async def test_a_reviewer_reviews_their_overleg_and_nothing_else(planned_chat: Chat) -> None:
    chat = planned_chat
    await chat.database.run(import_plan, chat.clock, plan_of(agenda_cycle_plan_text()))
    await chat.member(COORDINATOR, "Cor", Role.COORDINATOR, organisation="coordinatie")
    await chat.member(REVIEWER, "Pien", organisation="utrecht", groups=["petit-comite"])
    meetings = await chat.database.run(open_meetings, chat.clock, COORDINATOR)
    kwg = next(m.entry.key for m in meetings if m.entry.overleg == "kwg")
    item = await chat.database.run(submit, chat.clock, COORDINATOR, kwg, "Thema", None)

    escapes = []
    for command in [f"/{c.name}" for c in COORDINATOR_COMMANDS]:
        answer = (await chat.say(REVIEWER, command)).text or ""
        told_no = answer.startswith(NOT_A_COORDINATOR)
        if told_no == (command == "/punten") or GENERIC_ERROR in answer:
            escapes.append((command, answer[:60]))
        await chat.say(REVIEWER, "/annuleren")
    # The kenniswerkgroep's item is not theirs to review, nor is any other coordinator's work.
    shown = f"{meeting_tag(kwg)}:{item.id}"
    others = [data for data in COORDINATOR_BUTTONS if not data.startswith("ap:")]
    cells = [*(f"ap:{what}:{shown}" for what in "ynv"), *others]
    token = chat.application.bot.token
    for data in cells:
        own = await chat.say(REVIEWER, "/help")
        chat.server.forge_press(
            REVIEWER, own.message_id, Signer(button_key(token), REVIEWER).sign(data)
        )
    await chat.settle()

    assert escapes == []
    answers = list(chat.server.answered_callbacks.values())
    refused = [a for a in answers if (a.get("text") or "").startswith(BUTTON_REFUSALS)]
    late = chat.matching(REVIEWER, _refusal)
    help_text = (await chat.say(REVIEWER, "/help")).text or ""
    assert "/punten" in help_text and "/publiceer" not in help_text
    assert len(refused) + len(late) == len(cells)


def _refusal(text: str) -> bool:
    return text.startswith("Deze knop is niet (meer) voor u")


def _generic_error(text: str) -> bool:
    return GENERIC_ERROR in text
