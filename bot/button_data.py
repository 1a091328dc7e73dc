"""Signed callback data: a button only works for the member it was shown to.

Telegram hands the bot back whatever callback data a client sends, and a modified client can
send any. So every button's data carries a tag: an HMAC of the member's Telegram id and the
data, keyed by a secret derived from the bot's token. The gate (:mod:`bot.handlers.gate`)
checks the tag before anything is looked up and hands the handlers the data without it; a
press whose tag does not match (forged, altered, copied from another member's message) gets
the polite stale answer and changes nothing.

The tag takes :data:`TAG_LENGTH` of Telegram's 64 bytes, which leaves
:data:`berichten.outbox.store.BUTTON_DATA_LIMIT` for the data. 8 base64 characters are 48
bits: guessing one takes millions of presses, each a round trip through Telegram.

Whom a keyboard is for: the member whose update is being handled (the gate sets it, and each
update is handled in a task of its own, so a concurrent update cannot see another's), or the
chat the outbox sends to (:func:`signing_for`). A keyboard made outside both is a bug, and
fails at once.

Deriving the key from the token keeps buttons on old messages working across restarts with no
extra setting; a new token (the old one leaked) makes old buttons stale, which is what one
wants then.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

TAG_LENGTH = 8


@dataclass(frozen=True)
class Signer:
    """Tags and checks callback data for one member."""

    key: bytes
    user_id: int

    def sign(self, data: str) -> str:
        return self._tag(data) + data

    def verify(self, signed: str) -> str | None:
        """The data without its tag, or None when the tag is not this member's."""
        tag, data = signed[:TAG_LENGTH], signed[TAG_LENGTH:]
        if not data or not hmac.compare_digest(tag.encode(), self._tag(data).encode()):
            return None
        return data

    def _tag(self, data: str) -> str:
        digest = hmac.new(self.key, f"{self.user_id}:{data}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode()[:TAG_LENGTH]


@cache
def button_key(token: str) -> bytes:
    """The signing key for a bot token (a hash of it: the token itself is never used as one)."""
    return hashlib.sha256(b"overlegbot buttons\0" + token.encode()).digest()


_signer: ContextVar[Signer] = ContextVar("button_signer")


def set_signer(signer: Signer) -> None:
    """Keyboards made from now on in this task are for ``signer``'s member (the gate)."""
    _signer.set(signer)


@contextmanager
def signing_for(signer: Signer) -> Iterator[None]:
    """Keyboards made inside are for ``signer``'s member (the outbox's sender)."""
    token = _signer.set(signer)
    try:
        yield
    finally:
        _signer.reset(token)


def sign(data: str) -> str:
    """``data`` tagged for the member the current keyboard is for."""
    try:
        signer = _signer.get()
    except LookupError:
        raise RuntimeError("a keyboard was made outside an update and outside the outbox") from None
    return signer.sign(data)
