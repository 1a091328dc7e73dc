"""Text a person typed (in chat, on the command line, in the plan file), made safe to keep.

Every text step reads its input through these functions, so "empty" and "safe" mean the same
everywhere:

- **Blank** is a text with nothing visible in it: only whitespace, zero-width characters
  (U+200B-U+200D, U+2060, U+FEFF, ...), direction marks and controls, or the fillers that
  render as nothing (U+3164 and friends). A blank text counts as not given.
- **Stripped** from what is kept: control characters (NUL, ESC, ... category Cc; tab and line
  breaks become spaces in a line), lone surrogates (Cs, which no UTF-8 message can carry), and
  the bidirectional overrides, embeddings, isolates and marks (U+202A-U+202E, U+2066-U+2069,
  U+200E, U+200F, U+061C), which can make a title or a name shown to others read backwards
  ("Trojan Source", CVE-2021-42574). Zero-width joiners stay inside a text: emoji sequences and
  some scripts need them.
"""

from __future__ import annotations

import unicodedata

# Bidirectional formatting: embeddings and overrides, isolates, and the implicit marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
# Characters that show nothing but are letters or symbols to Unicode: Hangul fillers, the
# halfwidth one, the blank Braille pattern. Alone they make a "title" that looks empty.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cs"})
_EMPTY_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


def is_blank(text: str | None) -> bool:
    """Whether ``text`` has nothing visible in it (``None`` included)."""
    return not text or all(_shows_nothing(char) for char in text)


def clean_line(text: str | None) -> str:
    """``text`` as one line to keep: controls and bidi characters dropped, whitespace collapsed
    to single spaces, invisible characters at the ends stripped; ``""`` when it is blank."""
    if is_blank(text):
        return ""
    assert text is not None
    spaced = "".join(" " if char.isspace() else char for char in text)
    return _trimmed(" ".join(_kept(spaced).split()))


def clean_block(text: str | None) -> str:
    """``text`` as one or more lines to keep (an explanation, a reason): controls other than
    line breaks and bidi characters dropped, each line's trailing spaces and invisible
    characters at the ends of the whole removed; ``""`` when it is blank."""
    if is_blank(text):
        return ""
    assert text is not None
    lines = "\n".join(text.splitlines())
    kept = "".join(char if char in "\n\t" else _kept(char) for char in lines)
    return _trimmed("\n".join(line.rstrip() for line in kept.split("\n")))


def _trimmed(text: str) -> str:
    """``text`` without invisible characters at either end; ``text`` is not blank."""
    first = next(i for i, char in enumerate(text) if not _shows_nothing(char))
    last = next(i for i in range(len(text) - 1, -1, -1) if not _shows_nothing(text[i]))
    return text[first : last + 1]


def _kept(text: str) -> str:
    return "".join(
        char
        for char in text
        if char not in BIDI_CONTROLS and unicodedata.category(char) not in _DROPPED_CATEGORIES
    )


def _shows_nothing(char: str) -> bool:
    return (
        char.isspace()
        or char in _INVISIBLE_LETTERS
        or unicodedata.category(char) in _EMPTY_CATEGORIES
    )
