"""Typed text: blank means blank everywhere, and what is kept is safe to show to others."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal, clean_title
from planning.typed_text import BIDI_CONTROLS, clean_block, clean_line, is_blank

SETTINGS = settings(max_examples=300, deadline=None)
# Everything that shows nothing: whitespace, zero-width and format characters, controls.
INVISIBLE = st.sampled_from(
    sorted(
        {" ", "\t", "\n", "\r", "\u00a0", "\u2028", "\u3000", "\x00", "\x1b", "\x7f", "\ufeff"}
        | {"\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u3164", "\u2800"}
        | BIDI_CONTROLS
    )
)
# Any text, surrogates and controls included, with the troublesome characters made common.
TYPED = st.text(st.one_of(st.characters(), INVISIBLE, st.sampled_from(sorted(BIDI_CONTROLS))))


def _unsafe(char: str) -> bool:
    return char in BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Cs"}


@SETTINGS
@given(st.text(INVISIBLE))
def test_only_invisible_characters_are_blank(text: str) -> None:
    assert is_blank(text)
    assert clean_line(text) == clean_block(text) == ""


@SETTINGS
@given(TYPED)
def test_blank_is_what_cleaning_empties(text: str) -> None:
    assert is_blank(text) == (clean_line(text) == "") == (clean_block(text) == "")


@SETTINGS
@given(TYPED)
def test_a_line_keeps_no_controls_bidi_or_extra_space(text: str) -> None:
    line = clean_line(text)
    assert not any(_unsafe(char) for char in line)
    assert line == "" or not (is_blank(line[0]) or is_blank(line[-1]))
    assert "  " not in line
    assert not any(char.isspace() and char != " " for char in line)
    assert clean_line(line) == line


@SETTINGS
@given(TYPED)
def test_a_block_keeps_line_breaks_but_no_other_controls_or_bidi(text: str) -> None:
    block = clean_block(text)
    assert not any(_unsafe(char) for char in block if char not in "\n\t")
    assert block == "" or not (is_blank(block[0]) or is_blank(block[-1]))
    assert clean_block(block) == block


WORD = st.text(
    st.characters(categories=["L", "N"], exclude_characters="\u115f\u1160\u3164\uffa0"),
    min_size=1,
)


@SETTINGS
@given(WORD, st.text(INVISIBLE), st.text(INVISIBLE))
def test_visible_words_survive_whatever_surrounds_them(word: str, before: str, after: str) -> None:
    assert clean_line(f"{before}{word}{after}") == word
    assert clean_block(f"{before}{word}{after}") == word


@SETTINGS
@given(st.text(INVISIBLE, min_size=1))
def test_an_invisible_title_is_refused_as_empty(text: str) -> None:
    with pytest.raises(AgendaItemError) as refused:
        clean_title(text)
    assert refused.value.reason is AgendaItemRefusal.TITLE_EMPTY


def test_an_override_cannot_turn_a_title_around() -> None:
    assert clean_title("Begroting \u202egnitseb\u202c 2012\x00") == "Begroting gnitseb 2012"
    assert clean_title("\u2067Overleg\u2069\u200f") == "Overleg"
    assert clean_line("Jan\u200dje 👨\u200d👩\u200d👧") == "Jan\u200dje 👨\u200d👩\u200d👧"


def test_a_block_keeps_its_paragraphs() -> None:
    typed = "  Eerste regel \u202e\r\n\r\nTweede\x00 regel\n\u200b\n"
    assert clean_block(typed) == "Eerste regel\n\nTweede regel"
