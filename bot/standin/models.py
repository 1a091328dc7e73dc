"""Plain records of what the bot did, shaped for assertions in tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["ApiCall", "ApiError", "SentDocument", "SentMessage", "StoredFile"]


@dataclass
class SentDocument:
    """A file the bot sent, with its bytes so tests can check exports byte for byte."""

    file_name: str
    mime_type: str
    content: bytes
    file_id: str = ""


@dataclass
class SentMessage:
    """One message of the bot in its current state (edits applied), as the member sees it."""

    message_id: int
    chat_id: int
    text: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None
    document: SentDocument | None = None
    photo: str | None = None  # file_id of the photo's largest size
    edit_count: int = 0
    date: int = 0
    deleted: bool = False
    pinned: bool = False
    reply_to: int | None = None  # the message this one replies to (reply_parameters)

    def buttons(self) -> list[tuple[str, str]]:
        """(text, callback_data or url) for every inline button, row by row.

        Tests mostly want to know which choices a member is offered; flattening the
        keyboard keeps those assertions one line long.
        """
        if not self.reply_markup:
            return []
        found: list[tuple[str, str]] = []
        for row in self.reply_markup.get("inline_keyboard", []):
            for button in row:
                action = button.get("callback_data", button.get("url", ""))
                found.append((str(button.get("text", "")), str(action)))
        return found


@dataclass
class StoredFile:
    """Bytes behind a file_id, so getFile and the download route can serve them."""

    file_id: str
    file_unique_id: str
    file_path: str
    file_name: str
    mime_type: str
    content: bytes
    width: int = 0  # a photo's size; 0 for a document
    height: int = 0


@dataclass
class ApiCall:
    """One request the bot made, with the decoded params and what the stand-in answered."""

    method: str
    params: dict[str, Any]
    status: int
    response: dict[str, Any]

    def summary(self) -> str:
        """A one-line form for failure messages."""
        shown = {k: v for k, v in self.params.items() if not isinstance(v, bytes | bytearray)}
        text = repr(shown)
        if len(text) > 160:
            text = text[:157] + "..."
        outcome = "ok" if self.response.get("ok") else self.response.get("description", "")
        return f"{self.method}({text}) -> {self.status} {outcome}"


class ApiError(Exception):
    """An error answer, raised by method handlers and turned into Telegram's JSON shape."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The response body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """Most refusals are 400s whose description starts with "Bad Request: "."""
    return ApiError(400, f"Bad Request: {detail}")
