"""How a media message is queued: whole when its caption fits, else the media and its text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from berichten.outbox.media import Media, MediaKind, as_sent
from berichten.outbox.store import NewMessage
from berichten.texts.html import CAPTION_LIMIT

PHOTO = Media(MediaKind.PHOTO, "AgACAgQAAxkBAAI000001")
BUTTONS = [[("Gelezen", "gelezen|1")]]


def _message(text: str, media: Media | None = PHOTO) -> NewMessage:
    moment = datetime(2026, 3, 1, 9, tzinfo=UTC)
    return NewMessage("n|1", "newsletter", 7, text, moment, media=media, buttons=BUTTONS)


def test_a_caption_of_exactly_the_limit_stays_a_caption() -> None:
    message = _message("é" * CAPTION_LIMIT)

    assert as_sent(message) == [message]


def test_a_text_message_is_never_split_here() -> None:
    message = _message("x" * 5000, media=None)

    assert as_sent(message) == [message]


def test_one_character_more_and_the_text_follows_with_the_buttons() -> None:
    [media, text] = as_sent(_message("x" * (CAPTION_LIMIT + 1)))

    assert (media.key, media.media, media.text, media.buttons) == ("n|1", PHOTO, "", None)
    assert (text.key, text.media, text.text, text.buttons) == (
        "n|1|text-1",
        None,
        "x" * (CAPTION_LIMIT + 1),
        BUTTONS,
    )
    assert (text.due_at, text.priority, text.kind) == (media.due_at, media.priority, media.kind)


def test_a_long_text_that_shows_nothing_leaves_the_media_with_its_buttons() -> None:
    [media] = as_sent(_message("<b></b>" + " " * 2000))

    assert (media.text, media.buttons) == ("", BUTTONS)


def test_media_needs_a_file_id() -> None:
    with pytest.raises(ValueError, match="file_id"):
        Media(MediaKind.DOCUMENT, "")
