"""MarkdownV2 (and legacy Markdown) parsing with Telegram's strict escaping rules.

MarkdownV2 is where bots most often fail in production: a single unescaped '.' or '-'
in user-supplied text makes Telegram refuse the whole message. The parser follows the
rules of the Bot API documentation so such texts fail in tests as well.
"""

from __future__ import annotations

from typing import Any

from bot.standin.formatting import EntityParseError, ParsedText, byte_offset, finish_entities

__all__ = ["parse_markdown", "parse_markdown_v2"]

_RESERVED = set("_*[]()~`>#+-=|{}.!")
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


class _Open:
    """An entity whose closing marker has not been seen yet."""

    def __init__(self, kind: str, start: int, source_index: int) -> None:
        self.kind = kind
        self.start = start
        self.source_index = source_index
        self.language = ""


class _Text:
    """Output text with a running length, so entity starts are known without re-joining."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.length = 0

    def append(self, part: str) -> None:
        self._parts.append(part)
        self.length += len(part)

    def value(self) -> str:
        return "".join(self._parts)


def parse_markdown_v2(source: str) -> ParsedText:
    """Parse MarkdownV2; every reserved character outside an entity marker needs a '\\'."""
    out = _Text()
    spans: list[tuple[int, int, dict[str, Any]]] = []
    stack: list[_Open] = []
    quote: tuple[int, bool] | None = None  # start index in out-text, expandable
    i, n = 0, len(source)

    while i < n:
        char = source[i]
        line_start = i == 0 or source[i - 1] == "\n"
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if char == "\\" and i + 1 < n and 0 < ord(source[i + 1]) < 127:
            out.append(source[i + 1])
            i += 2
            continue
        if in_code:
            top = stack[-1]
            closing = "```" if top.kind == "pre" else "`"
            if source.startswith(closing, i):
                stack.pop()
                entity: dict[str, Any] = {"type": top.kind}
                if top.language:
                    entity["language"] = top.language
                spans.append((top.start, out.length, entity))
                i += len(closing)
            else:
                out.append(char)
                i += 1
            continue
        if line_start and not stack and (char == ">" or source.startswith("**>", i)):
            if quote is None:
                quote = (out.length, char == "*")
            i += 3 if char == "*" else 1
            continue
        if char == "\n" and quote is not None and not source.startswith(">", i + 1):
            spans.append((quote[0], out.length, _quote(quote[1])))
            quote = None
        if quote is not None and source.startswith("||", i) and source[i + 2 : i + 3] in ("", "\n"):
            quote = (quote[0], True)
            i += 2
            continue
        if char not in _RESERVED:
            out.append(char)
            i += 1
            continue
        i = _marker(source, i, out, stack, spans, out.length)
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_NAMES[top.kind]} entity at byte offset "
            f"{byte_offset(source, top.source_index)}"
        )
    if quote is not None:
        spans.append((quote[0], out.length, _quote(quote[1])))
    text = out.value()
    return ParsedText(text, finish_entities(text, spans))


def _quote(expandable: bool) -> dict[str, Any]:
    return {"type": "expandable_blockquote" if expandable else "blockquote"}


def _marker(
    source: str,
    i: int,
    out: _Text,
    stack: list[_Open],
    spans: list[tuple[int, int, dict[str, Any]]],
    position: int,
) -> int:
    """Handle a reserved character: close or open an entity, or refuse it. Returns new index."""
    char = source[i]
    kind, width = _kind_at(source, i)
    if stack and kind is not None and stack[-1].kind == kind and kind != "text_link":
        top = stack.pop()
        spans.append((top.start, position, {"type": kind}))
        return i + width
    if char == "]" and stack and stack[-1].kind in ("text_link", "custom_emoji"):
        top = stack.pop()
        url, end = _link_target(source, i + 1)
        if top.kind == "custom_emoji":
            emoji_id = url.removeprefix("tg://emoji?id=")
            spans.append(
                (top.start, position, {"type": "custom_emoji", "custom_emoji_id": emoji_id})
            )
        else:
            spans.append((top.start, position, {"type": "text_link", "url": url}))
        return end
    if kind is not None and kind != "text_link" and any(o.kind == kind for o in stack):
        raise EntityParseError(
            f"Can't find end of {_NAMES[kind]} entity at byte offset {byte_offset(source, i)}"
        )
    if kind is None:
        raise EntityParseError(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    opened = _Open(kind, position, i)
    if kind == "pre":
        newline = source.find("\n", i + 3)
        if newline >= 0 and source[i + 3 : newline].strip().isidentifier():
            opened.language = source[i + 3 : newline].strip()
            width = newline + 1 - i
    stack.append(opened)
    return i + width


def _kind_at(source: str, i: int) -> tuple[str | None, int]:
    """Which entity marker starts at i, and how many characters it occupies."""
    if source.startswith("```", i):
        return "pre", 3
    if source.startswith("__", i):
        return "underline", 2
    if source.startswith("||", i):
        return "spoiler", 2
    if source.startswith("![", i):
        return "custom_emoji", 2
    return {
        "*": ("bold", 1),
        "_": ("italic", 1),
        "~": ("strikethrough", 1),
        "`": ("code", 1),
        "[": ("text_link", 1),
    }.get(source[i], (None, 1))


def _link_target(source: str, i: int) -> tuple[str, int]:
    """Read "(url)" after a link's ']'; inside it only ')' and '\\' must be escaped."""
    if not source.startswith("(", i):
        raise EntityParseError(f"Can't find end of a URL at byte offset {byte_offset(source, i)}")
    url: list[str] = []
    j = i + 1
    while j < len(source):
        if source[j] == "\\" and j + 1 < len(source):
            url.append(source[j + 1])
            j += 2
            continue
        if source[j] == ")":
            return "".join(url), j + 1
        url.append(source[j])
        j += 1
    raise EntityParseError(f"Can't find end of a URL at byte offset {byte_offset(source, i)}")


def parse_markdown(source: str) -> ParsedText:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out = _Text()
    spans: list[tuple[int, int, dict[str, Any]]] = []
    i, n = 0, len(source)
    markers = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        char = source[i]
        position = out.length
        if char == "\\" and i + 1 < n and source[i + 1] in "_*`[":
            out.append(source[i + 1])
            i += 2
            continue
        closing, kind, width = "", "", 1
        if source.startswith("```", i):
            closing, kind, width = "```", "pre", 3
        elif char in markers:
            closing, kind = char, markers[char]
        elif char == "[":
            end = source.find("]", i + 1)
            if end < 0:
                raise _unclosed(source, i)
            url, after = _link_target(source, end + 1)
            out.append(source[i + 1 : end])
            spans.append((position, position + end - i - 1, {"type": "text_link", "url": url}))
            i = after
            continue
        else:
            out.append(char)
            i += 1
            continue
        end = source.find(closing, i + width)
        if end < 0:
            raise _unclosed(source, i)
        out.append(source[i + width : end])
        spans.append((position, position + end - i - width, {"type": kind}))
        i = end + width
    text = out.value()
    return ParsedText(text, finish_entities(text, spans))


def _unclosed(source: str, i: int) -> EntityParseError:
    return EntityParseError(
        f"Can't find end of the entity starting at byte offset {byte_offset(source, i)}"
    )
