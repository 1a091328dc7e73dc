"""Files Telegram holds for the bot: documents and photos, each behind a ``file_id``.

A member's upload and the bot's own upload get file ids here; the bot may send a file again by
its id, but only as what it is (Telegram refuses a document's id in ``sendPhoto`` and a photo's
in ``sendDocument``). A photo is kept in several sizes, each with an id of its own, the way
Telegram hands it to bots: smallest first, the original last.
"""

from __future__ import annotations

from typing import Any

from bot.standin.models import StoredFile, bad_request

__all__ = ["FileStore"]

# The longest side of the sizes Telegram makes of a photo (s, m, x, y), below the original.
_PHOTO_SIDES = (90, 320, 800, 1280)


class FileStore:
    """The files part of :class:`bot.standin.state.World`."""

    def __init__(self) -> None:
        self.files: dict[str, StoredFile] = {}
        self._photos: dict[str, tuple[str, ...]] = {}  # a size's file_id -> all the photo's
        self._next_file = 1

    def store_file(self, file_name: str, mime_type: str, content: bytes) -> StoredFile:
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        return self._store("BQAC", f"documents/{{}}.{suffix}", file_name, mime_type, content)

    def store_photo(self, content: bytes, width: int = 1280, height: int = 960) -> list[StoredFile]:
        """A photo in the sizes Telegram makes of it, smallest first; each can be sent."""
        longest = max(width, height)
        sides = [side for side in _PHOTO_SIDES if side < longest] + [longest]
        sizes: list[StoredFile] = []
        for side in sides:
            stored = self._store("AgAC", "photos/{}.jpg", "", "image/jpeg", content)
            stored.width, stored.height = width * side // longest, height * side // longest
            sizes.append(stored)
        ids = tuple(size.file_id for size in sizes)
        for file_id in ids:
            self._photos[file_id] = ids
        return sizes

    def sendable(self, file_id: str, as_photo: bool) -> list[StoredFile]:
        """The file (a photo: all its sizes) behind ``file_id``, refused as Telegram does when
        it is unknown or of the other kind."""
        if file_id not in self.files:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if (file_id in self._photos) != as_photo:
            kinds = ("Document", "Photo") if as_photo else ("Photo", "Document")
            raise bad_request("can't use file of type {} as {}".format(*kinds))
        if as_photo:
            return [self.files[size] for size in self._photos[file_id]]
        return [self.files[file_id]]

    def _store(
        self, prefix: str, path: str, file_name: str, mime_type: str, content: bytes
    ) -> StoredFile:
        number = self._next_file
        self._next_file += 1
        stored = StoredFile(
            file_id=f"{prefix}AgQAAxkBAAI{number:06d}",
            file_unique_id=f"AgAD{number:06d}",
            file_path=path.format(f"file_{number}"),
            file_name=file_name,
            mime_type=mime_type,
            content=content,
        )
        self.files[stored.file_id] = stored
        return stored

    @staticmethod
    def document_dict(stored: StoredFile) -> dict[str, Any]:
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": stored.file_name,
            "mime_type": stored.mime_type,
            "file_size": len(stored.content),
        }

    def photo_dicts(self, file_id: str) -> list[dict[str, Any]]:
        """The PhotoSize objects of the photo ``file_id`` is a size of, smallest first."""
        return [
            {
                "file_id": size.file_id,
                "file_unique_id": size.file_unique_id,
                "width": size.width,
                "height": size.height,
                "file_size": len(size.content),
            }
            for size in (self.files[other] for other in self._photos[file_id])
        ]
