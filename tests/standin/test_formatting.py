"""Entity parsing and api.json decoding, tested directly because their rules are subtle."""

from __future__ import annotations

import pytest

from bot.standin.formatting import (
    EntityParseError,
    command_entities,
    parse_html,
    parse_text,
    utf16_len,
)
from bot.standin.markdown import parse_markdown, parse_markdown_v2
from bot.standin.spec import FilePart, SpecError, load_spec


def test_html_entities_use_utf16_offsets() -> None:
    parsed = parse_html(
        '\N{GRINNING FACE} <b>vet <i>schuin</i></b> <a href="https://x.nl/?a=1&amp;b=2">link</a>'
    )
    assert parsed.text == "\N{GRINNING FACE} vet schuin link"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 10},
        {"type": "italic", "offset": 7, "length": 6},
        {"type": "text_link", "url": "https://x.nl/?a=1&b=2", "offset": 14, "length": 4},
    ]


def test_html_pre_with_language_and_spoilers() -> None:
    parsed = parse_html(
        '<pre><code class="language-python">x &lt; 1</code></pre>'
        '<span class="tg-spoiler">a</span><tg-spoiler>b</tg-spoiler>'
        "<blockquote expandable>c</blockquote>&#x41;&#66;&quot;"
    )
    assert parsed.text == 'x < 1abcAB"'
    kinds = [(e["type"], e.get("language")) for e in parsed.entities]
    assert kinds == [
        ("pre", "python"),
        ("spoiler", None),
        ("spoiler", None),
        ("expandable_blockquote", None),
    ]


@pytest.mark.parametrize(
    "html",
    ["a > b", "<span>x</span>", "<b>x</i>", "</b>", "<b", "&nbsp;", "<script>x</script>"],
)
def test_html_refusals(html: str) -> None:
    with pytest.raises(EntityParseError):
        parse_html(html)


def test_markdown_v2_entities_and_escapes() -> None:
    parsed = parse_markdown_v2(
        "*vet* _schuin_ __onder__ ~door~ ||geheim|| `a\\`b` [link](https://x.nl/a\\)b) 1\\.5"
    )
    assert parsed.text == "vet schuin onder door geheim a`b link 1.5"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "code",
        "text_link",
    ]
    assert parsed.entities[-1]["url"] == "https://x.nl/a)b"


def test_markdown_v2_pre_and_blockquote() -> None:
    parsed = parse_markdown_v2("```python\nx = 1\n```\n>citaat\n>tweede regel\nnormaal")
    assert parsed.text == "x = 1\n\ncitaat\ntweede regel\nnormaal"
    assert parsed.entities[0] == {"type": "pre", "language": "python", "offset": 0, "length": 6}
    assert parsed.entities[1] == {"type": "blockquote", "offset": 7, "length": 19}


@pytest.mark.parametrize(
    ("source", "detail"),
    [
        ("10.00", "Character '.' is reserved"),
        ("a-b", "Character '-' is reserved"),
        ("*open", "Can't find end of Bold entity"),
        ("[link](https://x", "Can't find end of a URL"),
    ],
)
def test_markdown_v2_refusals(source: str, detail: str) -> None:
    with pytest.raises(EntityParseError, match=detail.replace("*", r"\*").replace(".", r"\.")):
        parse_markdown_v2(source)


def test_legacy_markdown() -> None:
    parsed = parse_markdown("*vet* en [link](https://x.nl) 1.5")
    assert parsed.text == "vet en link 1.5"
    with pytest.raises(EntityParseError):
        parse_markdown("*open")


def test_surrounding_whitespace_is_trimmed_like_telegram() -> None:
    parsed = parse_text("  <b>hoi</b>  ", "HTML", None)
    assert parsed.text == "hoi"
    assert parsed.entities == [{"type": "bold", "offset": 0, "length": 3}]


def test_command_entities_and_lengths() -> None:
    assert command_entities("/agenda@overlegbot_test morgen") == [
        {"type": "bot_command", "offset": 0, "length": 23}
    ]
    assert command_entities("geen /commando/hier") == []
    assert utf16_len("\N{GRINNING FACE}a") == 3


def test_spec_decodes_by_declared_type() -> None:
    spec = load_spec()
    params = spec.decode_params(
        "sendMessage",
        {
            "chat_id": "-100123",
            "text": "123",
            "disable_notification": "true",
            "reply_markup": '{"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}',
        },
        {},
    )
    assert params["chat_id"] == -100123
    assert params["text"] == "123"
    assert params["disable_notification"] is True
    assert params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "b"
    assert (
        spec.decode_params("sendMessage", {"chat_id": "@kanaal", "text": "x"}, {})["chat_id"]
        == "@kanaal"
    )


@pytest.mark.parametrize(
    ("method", "raw", "detail"),
    [
        ("sendMessage", {"chat_id": "1"}, "required parameter 'text'"),
        ("sendMessage", {"chat_id": "1", "text": "x", "disable_notification": "ja"}, "Boolean"),
        ("getUpdates", {"limit": "tien"}, "Integer"),
        ("sendMessage", {"chat_id": "1", "text": "x", "reply_markup": '{"x": 1}'}, "reply_markup"),
        ("sendMessage", {"chat_id": "1", "text": "x", "entities": "{"}, "JSON"),
        ("setMyCommands", {"commands": "[]", "scope": '{"type": "chat"}'}, "chat_id"),
    ],
)
def test_spec_refusals(method: str, raw: dict[str, str], detail: str) -> None:
    with pytest.raises(SpecError, match=detail):
        load_spec().decode_params(method, raw, {})


def test_spec_accepts_uploads_only_where_files_are_allowed() -> None:
    upload = FilePart("document", "a.txt", "text/plain", b"a")
    spec = load_spec()
    params = spec.decode_params("sendDocument", {"chat_id": "1"}, {"document": upload})
    assert params["document"] is upload
    with pytest.raises(SpecError):
        spec.decode_params("sendMessage", {"chat_id": "1"}, {"text": upload})
