"""Photos and documents in the outbox: a file Telegram already holds, sent by its ``file_id``,
with the message's text as its caption.

Telegram takes a caption of at most 1,024 characters (a text may have 4,096). A message whose
text is longer goes out as the media without a caption, followed by the text as messages of its
own, split by the one HTML splitter (:func:`berichten.texts.html.split`). Each of them is a row
of the outbox with a key of its own, so they go out in order, paced, retried and recovered
after a crash one by one like any other message: a crash repeats at most the part in flight,
never a part already recorded. See docs/decisions/media.md.
"""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from berichten.texts.html import CAPTION_LIMIT, TEXT_LIMIT, split, telegram_length

if TYPE_CHECKING:
    from berichten.outbox.store import NewMessage

# The key of the n-th text part of a media message whose caption was too long: its own key
# plus this and n (1, 2, ...).
TEXT_PART = "|text-"


class MediaKind(enum.StrEnum):
    """How Telegram shows the file (``sendPhoto`` or ``sendDocument``)."""

    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Media:
    """A file Telegram holds for this bot, to send again by its ``file_id``.

    A ``file_id`` is valid for the bot that received it only: a new bot token makes stored ones
    fail with Telegram's 400 (recorded as failed, like any refused message).
    """

    kind: MediaKind
    file_id: str

    def __post_init__(self) -> None:
        if not self.file_id:
            raise ValueError("a media message needs Telegram's file_id")


def caption_fits(text: str) -> bool:
    """Whether ``text`` (Telegram HTML) is short enough to be a media message's caption,
    measured as the splitter measures (never less than Telegram counts)."""
    return telegram_length(text) <= CAPTION_LIMIT


def as_sent(message: NewMessage) -> list[NewMessage]:
    """``message`` as the outbox holds it: the message itself when it is text, or media with a
    caption that fits; else the media without a caption, then its text in parts.

    The parts share the media message's kind, priority, moment and expiry, and are queued
    after it, so they go out after it (a chat's messages go in the order they were queued).
    Buttons go under the last part: they act on the whole message, and that is where the
    member has read to. A text that shows nothing gives the media alone.
    """
    if message.media is None or message.target_key is not None or caption_fits(message.text):
        return [message]  # an edit changes one message: its caller keeps the caption short
    parts = split(message.text, TEXT_LIMIT)
    media = dataclasses.replace(message, text="", buttons=None if parts else message.buttons)
    texts = [
        dataclasses.replace(
            message,
            key=f"{message.key}{TEXT_PART}{number}",
            media=None,
            text=part,
            buttons=message.buttons if number == len(parts) else None,
        )
        for number, part in enumerate(parts, start=1)
    ]
    return [media, *texts]
