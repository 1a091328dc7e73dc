"""The one splitter for Telegram HTML, and the fitting of lists and sections into a message."""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections import Counter
from html.parser import HTMLParser
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from berichten.texts.html import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    fit,
    share,
    split,
    telegram_length,
)
from bot.standin.formatting import ParsedText, parse_html, parse_text

LINK = '<a href="https://x.nl/?a=1&amp;b=2">'
SETTINGS = settings(max_examples=200, deadline=None)

# Words of any characters but whitespace, with emoji (a skin tone, a family joined by
# zero-width joiners, a flag), accents written as a mark, and what HTML has to escape.
_SYMBOLS = ["😀", "👍🏽", "👨\u200d👩\u200d👧", "🇳🇱", "e\u0301", "&", "<", ">", '"', "'", "𝄞"]
_LETTERS = st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
_WORD = st.one_of(
    st.lists(st.one_of(_LETTERS, st.sampled_from(_SYMBOLS)), min_size=1, max_size=12).map("".join),
    st.text(st.sampled_from(["x", "y", "😀", "&"]), min_size=40, max_size=700),  # long words
)
# Two texts in three are one stretch, the others that stretch repeated up to 60 times.
_REPEATS = st.one_of(st.just(1), st.just(1), st.integers(2, 60))
_SEPARATOR = st.sampled_from([" ", " ", " ", "  ", "\t", "\n", "\n", "\n\n", "\n \n", "\n\n\n"])


@st.composite
def _plain_texts(draw: st.DrawFn) -> str:
    """Unescaped text up to about 20,000 characters: a random stretch, repeated, with or
    without whitespace before and after."""
    words = draw(st.lists(st.tuples(_WORD, _SEPARATOR), max_size=60))
    text = "".join(word + separator for word, separator in words)
    text = draw(st.sampled_from(["", " ", "\n\n"])) + (text * draw(_REPEATS))[:20_000]
    return text if draw(st.booleans()) else text.rstrip()


def _words(before: str, words: list[tuple[str, str]], after: bool) -> str:
    text = before + "".join(word + separator for word, separator in words)
    return html.escape(text if after else text.rstrip())


def _element(tag: str, children: list[str]) -> str:
    return f"<{tag}>{''.join(children)}</{tag}>"


_FORMAT_TAGS = st.sampled_from(["b", "i", "u", "s"])
# Test one covers every character; here words from a list are enough (and quick to draw).
_TAGGED_WORDS = ["Agenda", "punt", "Gouda", "😀", "👍🏽", "a&b", "<x>", '"q"', "é", "x" * 60]
_TEXT_LEAF = st.builds(
    _words,
    st.sampled_from(["", " ", "\n"]),
    st.lists(
        st.tuples(st.sampled_from(_TAGGED_WORDS), st.sampled_from([" ", " ", "\n", "\n\n"])),
        min_size=1,
        max_size=3,
    ),
    st.booleans(),
)
# Formatting nests freely; code and links hold no other code or link, as Telegram requires.
_LINK_BODY = st.recursive(
    _TEXT_LEAF,
    lambda inner: st.builds(_element, _FORMAT_TAGS, st.lists(inner, min_size=1, max_size=3)),
    max_leaves=3,
)
_INLINE = st.recursive(
    st.one_of(
        _TEXT_LEAF,
        _TEXT_LEAF.map(lambda text: f"<code>{text}</code>"),
        _LINK_BODY.map(lambda body: f"{LINK}{body}</a>"),
    ),
    lambda inner: st.builds(_element, _FORMAT_TAGS, st.lists(inner, min_size=1, max_size=3)),
    max_leaves=6,
)


@st.composite
def _tagged_texts(draw: st.DrawFn) -> str:
    """Well-formed Telegram HTML with nested tags, up to about 20,000 characters."""
    text = "".join(draw(st.lists(_INLINE, min_size=1, max_size=6)))
    return text * max(1, min(draw(_REPEATS), 20_000 // len(text)))


class _Balance(HTMLParser):
    """Fails on a closing tag that closes nothing open; ``open`` is what is left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open.pop() == tag, f"</{tag}> closes nothing"


def _assert_balanced(part: str) -> None:
    parser = _Balance()
    parser.feed(part)
    parser.close()
    assert parser.open == []


def _starts(parts: list[str], whole: str) -> list[int]:
    """Where each of ``parts`` starts in ``whole``: in order, with nothing but whitespace
    between them, before the first or after the last."""
    starts, at = [], 0
    for part in parts:
        while not whole.startswith(part, at):
            assert whole[at].isspace(), (part, whole[at:])
            at += 1
        starts.append(at)
        at += len(part)
    assert whole[at:].strip() == ""
    return starts


def _assert_accepted(parts: list[str], limit: int) -> None:
    for part in parts:
        assert telegram_length(part) <= limit
        _assert_balanced(part)
        parsed = parse_text(part, "HTML", None)  # raises what Telegram would refuse
        assert parsed.text, "Telegram refuses an empty message"


def _styled(parsed: ParsedText) -> list[frozenset[tuple[str, str | None]]]:
    """Per UTF-16 code unit of the text: the formatting over it."""
    length = telegram_length(parsed.text)
    changes: list[list[tuple[tuple[str, str | None], int]]] = [[] for _ in range(length + 1)]
    for entity in parsed.entities:
        mark = (entity["type"], entity.get("url"))
        changes[entity["offset"]].append((mark, 1))
        changes[entity["offset"] + entity["length"]].append((mark, -1))
    active: Counter[tuple[str, str | None]] = Counter()
    current: frozenset[tuple[str, str | None]] = frozenset()
    marks = []
    for unit in range(length):
        if changes[unit]:
            for mark, step in changes[unit]:
                active[mark] += step
            current = frozenset(mark for mark, count in active.items() if count)
        marks.append(current)
    return marks


def _greedy_count(text: str, limit: int) -> int:
    """Parts of tag-free ``text`` when each ends at the last break that fits past its first
    visible character (or, with none, as late as fits): the splitter needs no more."""
    pieces = re.findall(r"&[#a-zA-Z0-9]+;|.", text, re.DOTALL)
    ends = list(accumulate((telegram_length(piece) for piece in pieces), initial=0))
    space = [piece.isspace() for piece in pieces]
    count = start = 0
    while not all(space[start:]):
        stop = bisect_right(ends, ends[start] + limit) - 1
        first = next(at for at in range(start, len(pieces)) if not space[at])
        breaks = [
            cut
            for cut in range(first + 1, stop + 1)
            if cut == len(pieces) or space[cut - 1] or space[cut]
        ]
        start = breaks[-1] if breaks else stop
        count += 1
    return count


# ------------------------------------------------------------------ properties


@SETTINGS
@given(_plain_texts(), st.one_of(st.just(TEXT_LIMIT), st.integers(50, 300)))
def test_escaped_text_splits_into_valid_parts_that_join_to_the_text(raw: str, limit: int) -> None:
    text = html.escape(raw)

    parts = split(text, limit)

    _assert_accepted(parts, limit)
    for part in parts:  # no entity cut in two: unescaping and escaping again gives it back
        assert html.escape(html.unescape(part)) == part
    # All of it, but whitespace at the end that would have needed a part of its own.
    joined = "".join(parts)
    assert text.startswith(joined) and text[len(joined) :].strip() == ""
    assert len(parts) <= _greedy_count(text, limit)
    if text.strip() and telegram_length(text) <= limit:
        assert parts == [text]


@SETTINGS
@given(_tagged_texts(), st.one_of(st.just(TEXT_LIMIT), st.integers(150, 400)))
def test_tagged_text_splits_into_balanced_parts_with_the_same_text_and_formatting(
    text: str, limit: int
) -> None:
    parts = split(text, limit)

    _assert_accepted(parts, limit)
    whole = parse_html(text)
    pieces = [parse_html(part) for part in parts]
    if whole.text == whole.text.strip():
        assert "".join(piece.text for piece in pieces) == whole.text
    # Each part shows its stretch of the text with the same formatting.
    styled = _styled(whole)
    for piece, start in zip(pieces, _starts([p.text for p in pieces], whole.text), strict=True):
        at = telegram_length(whole.text[:start])
        assert _styled(piece) == styled[at : at + telegram_length(piece.text)]


# ------------------------------------------------------------------ examples


def test_a_text_within_the_limit_comes_back_whole() -> None:
    assert split("<b>Agenda</b>\n\n1. Begroting &amp; jaarplan") == [
        "<b>Agenda</b>\n\n1. Begroting &amp; jaarplan"
    ]
    assert split("x" * CAPTION_LIMIT, CAPTION_LIMIT) == ["x" * CAPTION_LIMIT]


def test_a_text_that_shows_nothing_gives_no_parts() -> None:
    assert split("") == []
    assert split(" \n\n ") == []
    assert split("<b> </b>") == []


def test_cuts_prefer_a_blank_line_then_a_line_break_then_a_space() -> None:
    text = "Eerste alinea, regel een.\nRegel twee.\n\nTweede alinea.\nNog een regel."
    assert split(text, 45) == [
        "Eerste alinea, regel een.\nRegel twee.\n\n",
        "Tweede alinea.\nNog een regel.",
    ]
    assert split(text, 30) == [
        "Eerste alinea, regel een.\n",
        "Regel twee.\n\n",
        "Tweede alinea.\nNog een regel.",
    ]
    assert split("een twee drie vier vijf zes", 15) == ["een twee drie ", "vier vijf zes"]


def test_fewest_parts_come_before_the_best_break() -> None:
    # Ending the first part at the blank line would take three parts.
    assert split("aa\n\nbbb ccc ddd", 10) == ["aa\n\nbbb ", "ccc ddd"]


def test_a_word_is_cut_only_when_it_is_longer_than_a_part() -> None:
    # Two parts would do when cutting "bbbbb"; it is not worth a cut word.
    assert split("aaaaa bbbbb ccccc", 9) == ["aaaaa ", "bbbbb ", "ccccc"]
    assert split("kort " + "x" * 25, 10) == ["kort ", "x" * 10, "x" * 10, "x" * 5]


def test_no_cut_goes_through_an_entity_a_surrogate_pair_or_a_character_on_screen() -> None:
    assert split("&amp;" * 5, 12) == ["&amp;&amp;", "&amp;&amp;", "&amp;"]
    assert split("&#x1F600;&#128512;", 10) == ["&#x1F600;", "&#128512;"]
    assert split("😀" * 5, 5) == ["😀😀", "😀😀", "😀"]
    pair = "\ud83d\ude00"  # a surrogate pair as two code points, as JSON can give it
    assert split(pair * 3, 3) == [pair, pair, pair]
    assert split("ae\u0301e\u0301", 2) == ["a", "e\u0301", "e\u0301"]
    assert split("👍🏽👍🏽", 4) == ["👍🏽", "👍🏽"]


def test_tags_open_at_a_cut_are_closed_and_opened_again() -> None:
    assert split("<b>een twee drie</b>", 16) == ["<b>een twee </b>", "<b>drie</b>"]
    text = f"<i>Zie {LINK}de <b>site</b> van de regio</a> voor meer.</i>"
    parts = split(text, 70)
    assert parts == [
        f"<i>Zie {LINK}de <b>site</b> van </a></i>",
        f"<i>{LINK}de regio</a> voor meer.</i>",
    ]
    assert "".join(parse_html(part).text for part in parts) == parse_html(text).text


def test_a_cut_next_to_a_tag_leaves_no_empty_tag() -> None:
    # "een <b></b>" would fit too.
    assert split("een <b>twee</b>", 11) == ["een ", "<b>twee</b>"]
    assert split("een <b>twee</b> drie", 16) == ["een <b>twee</b> ", "drie"]
    assert split("<i>een</i> <b>twee</b>", 14) == ["<i>een</i> ", "<b>twee</b>"]


def test_whitespace_that_cannot_be_in_a_part_with_text_is_left_out() -> None:
    # Telegram refuses a message of whitespace only.
    assert split("a" + " " * 30 + "b", 10) == ["a" + " " * 9, "b"]
    assert split("x" * 10 + "\n", 10) == ["x" * 10]


def test_a_limit_too_small_for_the_open_tags_is_refused() -> None:
    with pytest.raises(ValueError, match="limit of 10"):
        split("<b><i>x</i></b>", 10)


def test_length_is_counted_in_utf16_code_units_of_the_raw_html() -> None:
    assert telegram_length("😀a") == 3
    assert telegram_length("<b>&amp;</b>") == 12
    assert telegram_length("\ud83d\ude00") == 2


def _more(count: int) -> str:
    return f"… en nog {count} {'punt' if count == 1 else 'punten'}"


def test_fit_keeps_whole_blocks_and_counts_the_rest() -> None:
    blocks = [f"• Punt {n} " + "x" * 20 for n in range(1, 11)]

    text = fit(["<b>Punten</b>"], blocks, ["Slot."], _more, 120)

    assert text == "\n".join(["<b>Punten</b>", *blocks[:2], "… en nog 8 punten", "Slot."])
    assert telegram_length(text) <= 120 - 1


def test_fit_keeps_room_for_the_count_even_when_every_block_fits() -> None:
    blocks = ["a" * 10, "b" * 10]
    # Both blocks need 22 besides the 27 that head, tail and "… en nog 2 punten" take.
    assert fit(["kop"], blocks, ["eind"], _more, 48) == "kop\naaaaaaaaaa\n… en nog 1 punt\neind"
    assert fit(["kop"], blocks, ["eind"], _more, 49) == "kop\naaaaaaaaaa\nbbbbbbbbbb\neind"
    assert fit([], [], [], _more, 10) == ""


def test_share_gives_each_what_it_needs_or_an_equal_part() -> None:
    assert share([10, 20], 100) == [10, 20]
    assert share([100, 10, 100], 150) == [70, 10, 70]
    assert share([50, 50], 99) == [49, 50]
    assert share([], 10) == []
