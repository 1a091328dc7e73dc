"""The tables behind PTB's persistence: each person's conversation drafts and where each of
their conversations stands, so a restart resumes a half-finished /agendapunt.

Both are kept by Telegram ids, without foreign keys: PTB keeps user data for anyone who writes
to the bot, member or not. Values are JSON text, never pickles: a row says what it holds, and a
draft class changed in an upgrade makes a row undecodable, not a security hole
(:mod:`bot.persistence` drops such a row and the person starts afresh).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import BigInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planning.tables import Base, UtcDateTime


class UserDataRow(Base):
    """One person's ``user_data``: the drafts of their open conversations."""

    __tablename__ = "user_data"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # The codec's JSON; NULL when the data could not be encoded at the last save, so that a
    # restart gives a fresh start instead of an older draft.
    data: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConversationStateRow(Base):
    """Where one conversation of one ConversationHandler stands; no row: not in it."""

    __tablename__ = "conversation_states"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)  # the handler's name
    # PTB's conversation key as a JSON array, e.g. "[123456789,123456789]" (chat, user).
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str] = mapped_column(String(200))  # JSON: an int or a string
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


# ------------------------------------------------------------------ what the JSON columns hold


def key_text(key: tuple[int | str, ...]) -> str:
    """PTB's conversation key as stored: a compact JSON array."""
    return json.dumps(list(key), separators=(",", ":"))


def state_text(state: object) -> str | None:
    """A state as stored; None for an ended conversation or a state that is no int or string."""
    return json.dumps(state) if _is_part(state) else None


def read_key(text: str) -> tuple[int | str, ...] | None:
    """The key a row holds; None if the text is not a JSON array of ints and strings."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(_is_part(part) for part in value):
        return None
    return tuple(value)


def read_state(text: str) -> int | str | None:
    """The state a row holds; None if the text is not a JSON int or string."""
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if _is_part(value) else None


def _is_part(value: object) -> bool:
    return isinstance(value, int | str) and not isinstance(value, bool)
