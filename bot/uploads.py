"""What members upload: the photo or document of a message, kept to be sent again by file_id.

Telegram hands a bot a photo as a list of sizes (``Message.photo``), each with a ``file_id`` of
its own. The outbox keeps one: the largest, by its pixels rather than its place in the list, so
a member gets the photo at the quality it was sent. A ``file_unique_id`` is not kept: it cannot
be used to send a file. See docs/decisions/media.md.
"""

from __future__ import annotations

from telegram import Message

from berichten.outbox.media import Media, MediaKind


def uploaded_media(message: Message) -> Media | None:
    """The photo or document in ``message``, or None when it holds neither."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return Media(MediaKind.PHOTO, largest.file_id)
    if message.document is not None:
        return Media(MediaKind.DOCUMENT, message.document.file_id)
    return None
