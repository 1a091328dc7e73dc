"""What kopij may be: the limits, and the reasons a submission or a decision is refused.

Pure: the services check against these, the bot turns a :class:`KopijProblem` into Dutch.
"""

from __future__ import annotations

import enum
from datetime import timedelta

from planning.newsletters.tables import KopijKind
from planning.typed_text import clean_line, is_blank

TITLE_LIMIT = 100
# Telegram takes 4,096 characters a message; the coordinators' notice adds a heading, the
# sender's name and the buttons' question, so the text itself stays well within.
TEXT_LIMIT = 3000
REASON_LIMIT = 500
# Kopij is news, not a chat: more than this in a day is a mistake or a flood.
PER_DAY = 10
DAY = timedelta(hours=24)
_TEXT = KopijKind.TEXT
_MEDIA = {KopijKind.PHOTO, KopijKind.DOCUMENT}


class KopijProblem(enum.StrEnum):
    EMPTY_TITLE = "empty_title"
    TITLE_TOO_LONG = "title_too_long"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNSUPPORTED = "unsupported"  # a sticker, a video note, a voice message...
    TOO_MANY = "too_many"  # PER_DAY within the last DAY
    NOT_A_MEMBER = "not_a_member"
    NOT_COORDINATOR = "not_coordinator"
    DECIDED = "decided"  # another coordinator was first
    GONE = "gone"


class KopijError(Exception):
    def __init__(self, problem: KopijProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def checked_title(typed: str) -> str:
    """The title as it is kept: one clean line, neither empty nor over :data:`TITLE_LIMIT`."""
    title = clean_line(typed)
    if is_blank(title):
        raise KopijError(KopijProblem.EMPTY_TITLE)
    if len(title) > TITLE_LIMIT:
        raise KopijError(KopijProblem.TITLE_TOO_LONG)
    return title


def checked_reason(typed: str | None) -> str | None:
    """A reason for leaving an item out: one clean line of at most :data:`REASON_LIMIT`, or None."""
    if typed is None or is_blank(typed):
        return None
    return clean_line(typed)[:REASON_LIMIT]


def check_content(kind: str, plain: str, file_id: str | None) -> None:
    """A text must show something; a photo or document may come without one. Either stays
    within :data:`TEXT_LIMIT` (``plain``: the text as Telegram counts it, without markup)."""
    if kind not in {k.value for k in _MEDIA | {_TEXT}}:
        raise KopijError(KopijProblem.UNSUPPORTED)
    if kind == _TEXT and is_blank(plain):
        raise KopijError(KopijProblem.EMPTY)
    if kind != _TEXT and not file_id:
        raise KopijError(KopijProblem.EMPTY)
    if len(plain) > TEXT_LIMIT:
        raise KopijError(KopijProblem.TOO_LONG)
