"""Telegram HTML for the website: the Markdown and HTML an issue's text becomes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from hypothesis import example, given
from hypothesis import strategies as st

from berichten.newsletters.export import ExportFormat, export_issue
from berichten.texts.convert import html_body, markdown
from planning.newsletters.archive import ArchivedIssue
from planning.newsletters.services import KopijView
from planning.newsletters.tables import KopijStatus

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_markdown_turns_telegrams_tags_into_marks() -> None:
    assert markdown("<b>vet</b> <strong>ook</strong>") == "**vet** **ook**"
    assert markdown("<i>schuin</i> <em>ook</em>") == "_schuin_ _ook_"
    assert markdown("<s>weg</s> <u>onder</u> <tg-spoiler>geheim</tg-spoiler>") == (
        "~~weg~~ onder geheim"
    )
    assert markdown('<a href="https://example.nl/a (b)">link</a>') == (
        "[link](https://example.nl/a%20%28b%29)"
    )
    assert markdown("<code>a*b</code>") == "`a*b`"


def test_marks_leave_the_spaces_outside_and_close_each_line() -> None:
    assert markdown("<b>vet </b>en") == "**vet** en"
    assert markdown("<i>een\ntwee</i>") == "_een_\\\n_twee_"


def test_markdown_keeps_line_breaks_paragraphs_quotes_and_code() -> None:
    text = (
        "Eerste regel\ntweede\n\nAlinea\n<blockquote>Citaat\nregel</blockquote>"
        'Daarna\n<pre><code class="language-python">x = 1\n\ny = 2</code></pre>\nEinde'
    )
    assert markdown(text) == (
        "Eerste regel\\\ntweede\n\nAlinea\n\n> Citaat\\\n> regel\n\nDaarna\n\n"
        "```python\nx = 1\n\ny = 2\n```\n\nEinde"
    )


def test_markdown_escapes_what_would_format_and_drops_unsafe_links() -> None:
    assert markdown("5 * 3 &lt;script&gt; [x]") == "5 \\* 3 \\<script\\> \\[x\\]"
    assert markdown('<a href="javascript:alert(1)">klik</a>') == "klik"
    assert markdown("<pre>a ``` b</pre>") == "````\na ``` b\n````"


def test_html_makes_paragraphs_and_line_breaks() -> None:
    assert (
        html_body("Een\ntwee\n\n<b>Drie</b>")
        == "<p>Een<br>\ntwee</p>\n<p><strong>Drie</strong></p>"
    )
    assert html_body("Voor\n<blockquote>Citaat</blockquote>\nNa") == (
        "<p>Voor</p>\n<blockquote>Citaat</blockquote>\n<p>Na</p>"
    )


def test_html_keeps_only_what_it_knows() -> None:
    assert html_body('<a href="javascript:x">klik</a> <span class="tg-spoiler">s</span>') == (
        "<p>klik s</p>"
    )
    assert html_body('<a href="https://e.nl/?a=1&amp;b=&quot;2&quot;">x</a>') == (
        '<p><a href="https://e.nl/?a=1&amp;b=&quot;2&quot;">x</a></p>'
    )
    assert html_body("&lt;script&gt;") == "<p>&lt;script&gt;</p>"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


telegram_html = st.recursive(
    st.text(st.characters(codec="utf-8", exclude_characters="<>&\r"), max_size=20).map(
        lambda text: text.replace("\x00", "")
    ),
    lambda inner: st.builds(
        lambda tag, parts: f"<{tag}>{''.join(parts)}</{tag}>",
        st.sampled_from(["b", "i", "u", "s", "code", "blockquote", "script"]),
        st.lists(inner, max_size=3),
    ),
    max_leaves=8,
)


@given(telegram_html)
def test_html_keeps_every_word_and_makes_no_script(text: str) -> None:
    elements = _Elements()
    elements.feed(html_body(text))
    assert "script" not in elements.tags
    original = _Elements()
    original.feed(text)
    assert "".join("".join(original.text).split()) == "".join("".join(elements.text).split())


@given(telegram_html)
@example("<code><script><script></script></script></code>")  # literal in a code span
def test_markdown_never_fails_and_has_no_raw_tag(text: str) -> None:
    # Inside a code span or fence Markdown shows ``<script>`` as the text it is (CommonMark
    # reads no HTML there): only a tag outside code would be raw.
    assert "<script>" not in _outside_code(markdown(text))


def _outside_code(text: str) -> str:
    """``text`` without its code spans and fences, read as CommonMark does: a backslash
    escapes the next character, and a run of n backticks opens a span that the next run of
    exactly n closes (with none, the run is plain text)."""
    kept, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            kept.append(text[i : i + 2])
            i += 2
        elif text[i] == "`":
            run = re.match(r"`+", text[i:])
            assert run is not None
            ticks = run.group()
            closing = re.compile(f"(?<!`){ticks}(?!`)")
            end = closing.search(text, i + len(ticks))
            if end is None:
                kept.append(ticks)
                i += len(ticks)
            else:
                i = end.end()
        else:
            kept.append(text[i])
            i += 1
    return "".join(kept)


def test_an_issue_exports_with_its_kopij() -> None:
    item = KopijView(
        id=3,
        title="Werkbezoek",
        kind="document",
        text="Zie <i>bijlage</i>",
        file_id="BQAD-doc",
        sent_by=501,
        sender_name="Fatima El Amrani",
        sender_organisation="Gemeente Gouda",
        sent_at=datetime(2011, 2, 1, tzinfo=UTC),
        status=KopijStatus.INCLUDED,
    )
    issue = ArchivedIssue(
        1, "Maart & meer", "Tekst", None, None, datetime(2011, 2, 28, 23, 30, tzinfo=UTC), (item,)
    )

    md = export_issue(issue, AMSTERDAM, ExportFormat.MARKDOWN)
    page = export_issue(issue, AMSTERDAM, ExportFormat.HTML)

    assert md == (
        "# Maart & meer\n\n_dinsdag 1 maart 2011_\n\nTekst\n\n## Werkbezoek\n\n"
        "_Bijlage (document), Telegram-bestand BQAD-doc_\n\nZie _bijlage_\n\n"
        "_Ingezonden door Fatima El Amrani (Gemeente Gouda)_\n"
    )
    assert "<title>Maart &amp; meer</title>" in page
    assert "<h2>Werkbezoek</h2>" in page
    assert "<p><em>Ingezonden door Fatima El Amrani (Gemeente Gouda)</em></p>" in page
