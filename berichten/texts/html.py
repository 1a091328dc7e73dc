"""Splitting long texts over several messages, within Telegram's limit.

Telegram refuses a message over 4096 characters (counted after entity parsing, in UTF-16 code
units). We split on line boundaries and measure the raw HTML, which is never shorter than what
Telegram counts, so every chunk is accepted.
"""

from __future__ import annotations

from collections.abc import Iterable

TELEGRAM_TEXT_LIMIT = 4096


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def chunk_lines(lines: Iterable[str], limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Join ``lines`` with newlines into as few texts as fit ``limit``; never split a line.

    A single line longer than the limit is cut, since a cut line still tells more than none.
    """
    chunks: list[str] = []
    current = ""
    for line in lines:
        if utf16_length(line) > limit:
            line = line.encode("utf-16-le")[: (limit - 1) * 2].decode("utf-16-le", "ignore") + "…"
        candidate = f"{current}\n{line}" if current else line
        if utf16_length(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks
