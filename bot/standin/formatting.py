"""Message text rules: HTML parse mode, UTF-16 lengths and command detection.

Telegram rejects badly formatted text with "can't parse entities" and measures lengths in
UTF-16 code units. Bots typically break on exactly these points (unescaped user input in
HTML, a long agenda with emoji), so the stand-in reproduces them instead of accepting any
string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "ParsedText",
    "command_entities",
    "parse_html",
    "parse_text",
    "utf16_len",
]

# Every tag Telegram's HTML mode knows, mapped to the entity type it produces.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_ATTR_TAGS = {"a", "span", "tg-emoji", "tg-time"}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_REF = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
_ATTR = re.compile(r"""\s*([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_COMMAND = re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/@])")


class EntityParseError(ValueError):
    """Text Telegram would refuse with "Bad Request: can't parse entities: <detail>"."""


@dataclass
class ParsedText:
    """Text as the member sees it, with entities in Telegram's UTF-16 offsets."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and offsets."""
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entities Telegram's client-side parsing attaches to member text."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _COMMAND.finditer(text)
    ]


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> ParsedText:
    """Apply a parse mode the way the Bot API does before it checks emptiness and length."""
    # Imported here because markdown builds on the helpers in this module.
    from bot.standin.markdown import parse_markdown, parse_markdown_v2

    if parse_mode is None or parse_mode == "":
        return _trim(ParsedText(text, _check_entities(text, entities or [])))
    mode = parse_mode.lower()
    if mode == "html":
        return _trim(parse_html(text))
    if mode == "markdownv2":
        return _trim(parse_markdown_v2(text))
    if mode == "markdown":
        return _trim(parse_markdown(text))
    raise EntityParseError(f"Unsupported parse_mode {parse_mode!r}") from None


def _check_entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Explicit entities must lie inside the text, otherwise Telegram refuses them."""
    length = utf16_len(text)
    for entity in entities:
        offset, size = entity.get("offset", -1), entity.get("length", -1)
        if offset < 0 or size < 0 or offset + size > length:
            raise EntityParseError(f"entity {entity!r} is outside of the text")
    return [e for e in entities if e.get("length", 0) > 0]


def _trim(parsed: ParsedText) -> ParsedText:
    """Telegram strips surrounding whitespace; entities are shifted and clipped to match."""
    stripped = parsed.text.lstrip()
    lead = utf16_len(parsed.text) - utf16_len(stripped)
    stripped = stripped.rstrip()
    end = utf16_len(stripped)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        stop = min(entity["offset"] + entity["length"] - lead, end)
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return ParsedText(stripped, entities)


def finish_entities(
    text: str, spans: list[tuple[int, int, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Turn (start, stop, entity) spans in str indices into UTF-16 entities, Telegram-sorted."""
    entities = []
    for start, stop, entity in spans:
        if stop > start:
            offset = utf16_len(text[:start])
            entities.append({**entity, "offset": offset, "length": utf16_len(text[start:stop])})
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return entities


def byte_offset(text: str, index: int) -> int:
    """Telegram reports parse errors at UTF-8 byte offsets of the original text."""
    return len(text[:index].encode("utf-8"))


def parse_html(source: str) -> ParsedText:
    """Parse Telegram's HTML subset, refusing everything the Bot API documentation forbids."""
    out: list[str] = []
    stack: list[tuple[str, int, dict[str, Any] | None, int]] = []  # tag, start, entity, at
    spans: list[tuple[int, int, dict[str, Any]]] = []
    position = 0
    length = len(source)
    text_len = 0
    while position < length:
        char = source[position]
        if char == "&":
            decoded, position = _html_entity(source, position)
            out.append(decoded)
            text_len += len(decoded)
            continue
        if char == ">":
            raise EntityParseError(
                f'Character ">" at byte offset {byte_offset(source, position)} '
                'must be escaped as "&gt;"'
            )
        if char != "<":
            out.append(char)
            text_len += 1
            position += 1
            continue
        at = byte_offset(source, position)
        if source.startswith("</", position):
            close = source.find(">", position)
            if close < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {at}")
            name = source[position + 2 : close].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {at}")
            open_name, start, entity, _ = stack.pop()
            if name != open_name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {at}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            if entity is not None:
                spans.append((start, text_len, entity))
            position = close + 1
            continue
        name_match = _TAG_NAME.match(source, position + 1)
        if name_match is None:
            raise EntityParseError(f'Unsupported start tag "" at byte offset {at}')
        name = name_match.group().lower()
        if name not in _SIMPLE_TAGS and name not in _ATTR_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {at}')
        attrs, position = _html_attributes(source, name_match.end(), name, at)
        entity = _html_entity_for(name, attrs, stack)
        stack.append((name, text_len, entity, at))
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    text = "".join(out)
    return ParsedText(text, finish_entities(text, spans))


def _html_entity(source: str, position: int) -> tuple[str, int]:
    match = _ENTITY_REF.match(source, position)
    if match is not None:
        decimal, hexadecimal, named = match.groups()
        if named is None:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if 0 < code <= 0x10FFFF:
                return chr(code), match.end()
        elif named.lower() in _NAMED_ENTITIES:
            return _NAMED_ENTITIES[named.lower()], match.end()
    raise EntityParseError(
        f'Character "&" at byte offset {byte_offset(source, position)} must be escaped as "&amp;"'
    )


def _html_attributes(source: str, position: int, tag: str, at: int) -> tuple[dict[str, str], int]:
    attrs: dict[str, str] = {}
    while True:
        while position < len(source) and source[position].isspace():
            position += 1
        if position >= len(source):
            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
        if source[position] == ">":
            return attrs, position + 1
        match = _ATTR.match(source, position)
        if match is None or match.end() == position:
            raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {at}')
        raw = match.group(2) or ""
        if raw[:1] in ("'", '"'):
            raw = raw[1:-1]
        attrs[match.group(1).lower()] = parse_html_value(raw)
        position = match.end()


def parse_html_value(raw: str) -> str:
    """Attribute values may carry entities too (e.g. &amp; in a URL)."""
    return parse_html(raw).text if ("&" in raw or "<" in raw) else raw


def _html_entity_for(
    name: str, attrs: dict[str, str], stack: list[tuple[str, int, dict[str, Any] | None, int]]
) -> dict[str, Any] | None:
    if name == "a":
        href = attrs.get("href")
        if not href:
            return None
        user = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user:
            return {
                "type": "text_mention",
                "user": {"id": int(user.group(1)), "is_bot": False, "first_name": ""},
            }
        return {"type": "text_link", "url": href}
    if name == "span":
        if attrs.get("class") != "tg-spoiler":
            raise EntityParseError('Tag "span" must have class "tg-spoiler"')
        return {"type": "spoiler"}
    if name == "tg-emoji":
        if "emoji-id" not in attrs:
            raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
        return {"type": "custom_emoji", "custom_emoji_id": attrs["emoji-id"]}
    if name == "tg-time":
        if not attrs.get("unix", "").isdigit():
            raise EntityParseError('Tag "tg-time" must have a numeric attribute "unix"')
        entity: dict[str, Any] = {"type": "date_time", "unix_time": int(attrs["unix"])}
        if "format" in attrs:
            entity["date_time_format"] = attrs["format"]
        return entity
    if name == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if name == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "").removeprefix("language-")
        pre_entity = stack[-1][2]
        if language and pre_entity is not None:
            pre_entity["language"] = language
        return None
    return {"type": _SIMPLE_TAGS[name]}
