"""What members upload: the photo or document of a message, kept to be sent again by file_id.

Telegram hands a bot a photo as a list of sizes (``Message.photo``), each with a ``file_id`` of
its own. The outbox keeps one: the largest, by its pixels rather than its place in the list, so
a member gets the photo at the quality it was sent. A ``file_unique_id`` is not kept for the
outbox: it cannot be used to send a file; an agenda item's document keeps it, to tell the same
file sent twice. See docs/decisions/media.md.
"""

from __future__ import annotations

from telegram import Message

from berichten.outbox.media import Media, MediaKind
from planning.agenda_items.documents import NewDocument


def uploaded_media(message: Message) -> Media | None:
    """The photo or document in ``message``, or None when it holds neither."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return Media(MediaKind.PHOTO, largest.file_id)
    if message.document is not None:
        return Media(MediaKind.DOCUMENT, message.document.file_id)
    return None


def uploaded_document(message: Message) -> NewDocument | None:
    """The document in ``message`` with what Telegram says of it, to attach to an agenda item;
    None for anything else (a GIF comes as a document too, but is an animation)."""
    document = message.document
    if document is None or message.animation is not None:
        return None
    return NewDocument(
        document.file_id,
        document.file_unique_id,
        document.file_name,
        document.mime_type,
        document.file_size,
    )
