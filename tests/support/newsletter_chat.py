"""A coordinator composing a newsletter in chat, up to the question after the preview."""

from __future__ import annotations

from bot.button_data import TAG_LENGTH, Signer, button_key
from bot.standin import SentMessage
from tests.support.chat import Chat


async def answer(chat: Chat, who: int, typed: str, expect: str) -> SentMessage:
    """``who`` types ``typed``; the bot's answer that contains ``expect``."""
    seen = len(chat.server.messages(who))
    chat.server.send_message(who, typed)
    await chat.server.wait_for(
        lambda: any(expect in (m.text or "") for m in chat.server.messages(who)[seen:])
    )
    return next(m for m in chat.server.messages(who)[seen:] if expect in (m.text or ""))


async def composed(
    chat: Chat, who: int, title: str, text: str = "De monitor is klaar."
) -> SentMessage:
    """``who`` composes ``title`` (no file, no kopij, everyone): the question with "Nu
    versturen" and "Inplannen" after the preview."""
    await answer(chat, who, "/nieuwsbrief", "U stelt een nieuwsbrief samen")
    await answer(chat, who, title, "Stuur nu de tekst")
    await answer(chat, who, text, "Wilt u er een foto")
    audience = await answer(chat, who, "/geen", "Voor wie is deze")
    seen = len(chat.server.messages(who))
    await chat.press(who, audience, "Verder")
    await chat.server.wait_for(
        lambda: any(
            (m.text or "").startswith("Hierboven ziet u") for m in chat.server.messages(who)[seen:]
        )
    )
    return chat.server.messages(who)[-1]


def signed_as(chat: Chat, message: SentMessage, label: str, user_id: int) -> str:
    """The data of ``label`` under ``message``, signed for ``user_id`` as a modified client
    would send it."""
    data = next(data for text, data in message.buttons() if text == label)[TAG_LENGTH:]
    return Signer(button_key(chat.application.bot.token), user_id).sign(data)
