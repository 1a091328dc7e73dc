"""What each kind of person may ask: /help per role, menus per scope, group chats."""

from __future__ import annotations

from planning.membership.tables import Role
from tests.support.chat import ADMIN_ID, Chat
from tests.support.standin import BOT_USERNAME

MEMBER_COMMANDS = [
    "/help",
    "/agenda",
    "/deadlines",
    "/volgende",
    "/mijlpaal",
    "/agendapunt",
    "/mijnpunten",
    "/nieuws",
    "/mijnnieuws",
    "/nieuwsbrieven",
    "/instellingen",
    "/mijngegevens",
    "/afmelden",
    "/annuleren",
]
COORDINATOR_COMMANDS = [
    "/uitnodigen",
    "/leden",
    "/wijzig",
    "/punten",
    "/publiceer",
    "/afgehandeld",
    "/nieuwsbrief",
    "/ingepland",
    "/incident",
    "/incidenten",
    "/sjablonen",
]


def _commands_in(text: str | None) -> list[str]:
    assert text is not None
    return [line.split(" ")[0] for line in text.splitlines() if line.startswith("/")]


async def test_help_lists_exactly_the_commands_a_member_may_use(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    answer = await chat.say(fatima, "/help")

    assert _commands_in(answer.text) == MEMBER_COMMANDS


async def test_help_shows_a_coordinator_their_commands_too(chat: Chat) -> None:
    coordinator = await chat.member(502, "Petra", role=Role.COORDINATOR)

    answer = await chat.say(coordinator, "/help")

    assert _commands_in(answer.text) == MEMBER_COMMANDS + COORDINATOR_COMMANDS
    assert "Als coördinator ook:" in (answer.text or "")


async def test_coordinator_commands_are_refused_to_members(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    for command in COORDINATOR_COMMANDS:
        answer = await chat.say(fatima, command)
        assert answer.text is not None and "alleen voor coördinatoren" in answer.text


async def test_menus_are_published_per_scope_at_start_up(chat: Chat) -> None:
    commands = chat.server.commands
    names = {scope: [c["command"] for c in listed] for scope, listed in commands.items()}

    assert names["all_private_chats"] == [c.lstrip("/") for c in MEMBER_COMMANDS]
    assert names["all_group_chats"] == ["help"]

    coordinator = await chat.member(502, "Petra", role=Role.COORDINATOR)
    await chat.settle()
    assert [c["command"] for c in chat.server.commands[f"chat:{coordinator}"]] == [
        c.lstrip("/") for c in MEMBER_COMMANDS + COORDINATOR_COMMANDS
    ]


async def test_a_command_in_a_group_points_to_a_private_chat_without_data(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    group = -100500
    chat.server.add_group(group, "Ambtelijk overleg")

    for command in ("/help", "/mijngegevens", f"/leden@{BOT_USERNAME}", "/start"):
        answer = await chat.say(fatima, command, chat_id=group)
        assert answer.text is not None
        assert "privégesprek" in answer.text and f"https://t.me/{BOT_USERNAME}" in answer.text
        assert "Fatima" not in answer.text and "Gouda" not in answer.text


async def test_a_group_conversation_is_not_answered(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")
    group = -100500
    chat.server.add_group(group, "Ambtelijk overleg")

    chat.server.send_message(fatima, "Goedemorgen allemaal", chat_id=group)
    chat.server.send_message(fatima, "/help@andere_bot", chat_id=group)
    await chat.settle()

    assert chat.server.messages(group) == []


async def test_an_unknown_command_and_free_text_get_a_pointer_to_help(chat: Chat) -> None:
    fatima = await chat.member(501, "Fatima")

    assert "Die opdracht ken ik niet" in ((await chat.say(fatima, "/vergadering")).text or "")
    assert "Op vrije tekst kan ik nog niet reageren" in (
        (await chat.say(fatima, "Hoi!")).text or ""
    )


async def test_a_configured_admin_is_a_coordinator_from_the_start(chat: Chat) -> None:
    welcome = await chat.say(ADMIN_ID, "/start")
    assert (welcome.text or "").startswith(
        "Welkom, Anne de Vries! U bent aangemeld als coördinator."
    )

    answer = await chat.say(ADMIN_ID, "/help")

    assert _commands_in(answer.text) == MEMBER_COMMANDS + COORDINATOR_COMMANDS
