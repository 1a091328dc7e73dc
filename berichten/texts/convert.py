"""Telegram HTML for the website: as a web page's HTML body, and as Markdown.

Telegram's HTML is a handful of inline tags (``b``, ``i``, ``u``, ``s``, ``a``, ``code``,
``pre``, ``blockquote``, spoilers) in text whose newlines are line breaks. Both converters read
it with the standard library's parser and write only what they know: an unknown tag is dropped
and its text kept, every text and attribute is escaped again, and only ``http(s)``, ``mailto``
and ``tg`` links stay links.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_BOLD, _ITALIC = {"b", "strong"}, {"i", "em"}
_UNDERLINE, _STRIKE = {"u", "ins"}, {"s", "strike", "del"}
_SAFE_URL = re.compile(r"^(https?:|mailto:|tg:)", re.IGNORECASE)
# Markdown's punctuation that could start formatting; CommonMark lets a backslash escape any.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~<>#|])")
_PARAGRAPH = re.compile(r"\n{2,}")
# Telegram's inline tags and what a web page writes for each.
_HTML_TAGS = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "u": "u", "ins": "u"}
_HTML_TAGS |= {"s": "s", "strike": "s", "del": "s", "code": "code"}


def _link(attrs: list[tuple[str, str | None]]) -> str | None:
    href = dict(attrs).get("href") or ""
    return href if _SAFE_URL.match(href) else None


def _language(attrs: list[tuple[str, str | None]]) -> str:
    css = dict(attrs).get("class") or ""
    return css.removeprefix("language-") if css.startswith("language-") else ""


class _ToHtml(HTMLParser):
    """Paragraphs (``<p>``) where Telegram has a blank line, ``<br>`` for a newline."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = ["<p>"]
        self.open: list[str] = []  # the closing tags owed, innermost last
        self.in_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("pre", "blockquote") and not self.open:
            self.out.append(f"</p>\n<{tag}>")
            self.open.append(f"</{tag}>\n<p>")
            self.in_pre = self.in_pre or tag == "pre"
        elif tag == "a" and (href := _link(attrs)) is not None:
            self.out.append(f'<a href="{html.escape(href)}">')
            self.open.append("</a>")
        elif tag == "code" and self.in_pre and (language := _language(attrs)):
            self.out.append(f'<code class="language-{html.escape(language)}">')
            self.open.append("</code>")
        elif tag in _HTML_TAGS:
            self.out.append(f"<{_HTML_TAGS[tag]}>")
            self.open.append(f"</{_HTML_TAGS[tag]}>")
        else:  # a spoiler, a nested block, a link we do not keep: the text alone
            self.open.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            closing = self.open.pop()
            if closing.startswith("</pre>"):
                self.in_pre = False
            self.out.append(closing)

    def handle_data(self, data: str) -> None:
        text = html.escape(data, quote=False)
        if self.in_pre:
            self.out.append(text)
            return
        paragraphs = _PARAGRAPH.split(text) if not self.open else [text]
        self.out.append("</p>\n<p>".join(_line_breaks(p) for p in paragraphs))

    def result(self) -> str:
        self.close()
        self.out += reversed(self.open)
        body = "".join(self.out) + "</p>"
        body = re.sub(r"<p>(?:<br>\n)+", "<p>", body)
        body = re.sub(r"(?:<br>\n)+</p>", "</p>", body)
        return re.sub(r"<p>\s*</p>\n?", "", body).strip()


def _line_breaks(text: str) -> str:
    return text.replace("\n", "<br>\n")


def html_body(telegram_html: str) -> str:
    """``telegram_html`` as the body of a web page."""
    parser = _ToHtml()
    parser.feed(telegram_html)
    return parser.result()


class _ToMarkdown(HTMLParser):
    """Each element's text is gathered, then wrapped in its marks when it closes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, list[tuple[str, str | None]], list[str]]] = [("", [], [])]
        self.raw = 0  # inside code or pre: no escaping

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre"):
            self.raw += 1
        self.stack.append((tag, attrs, []))

    def handle_endtag(self, tag: str) -> None:
        if len(self.stack) == 1:
            return
        tag, attrs, pieces = self.stack.pop()
        if tag in ("code", "pre"):
            self.raw -= 1
        self.stack[-1][2].append(self._element(tag, attrs, "".join(pieces)))

    def handle_data(self, data: str) -> None:
        self.stack[-1][2].append(data if self.raw else _MARKDOWN_SPECIAL.sub(r"\\\1", data))

    def _element(self, tag: str, attrs: list[tuple[str, str | None]], inner: str) -> str:
        if tag in _BOLD:
            return _wrap(inner, "**")
        if tag in _ITALIC:
            return _wrap(inner, "_")
        if tag in _STRIKE:
            return _wrap(inner, "~~")
        if tag == "a" and (href := _link(attrs)) is not None:
            url = href.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
            return f"[{inner}]({url})"
        if tag == "code" and self.raw == 0:
            return _code_span(inner)
        if tag == "code":  # in pre: the pre's fence names the language
            return f"\x00{_language(attrs)}\x00{inner}"
        if tag == "pre":
            language, _, code = inner.removeprefix("\x00").partition("\x00")
            if not inner.startswith("\x00"):
                language, code = "", inner
            fence = "`" * max(3, _longest_run(code, "`") + 1)
            return f"\n\n{fence}{language}\n{code.strip(chr(10))}\n{fence}\n\n"
        if tag == "blockquote":
            lines = inner.strip("\n").split("\n")
            return "\n\n" + "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"
        return inner  # u, a spoiler, an unknown tag: the text alone

    def result(self) -> str:
        self.close()
        while len(self.stack) > 1:
            self.handle_endtag(self.stack[-1][0])
        return _hard_breaks(_tidy("".join(self.stack[0][2])))


def markdown(telegram_html: str) -> str:
    """``telegram_html`` as Markdown (CommonMark): a newline stays a line break."""
    parser = _ToMarkdown()
    parser.feed(telegram_html)
    return parser.result()


def _wrap(inner: str, mark: str) -> str:
    """Marks around each line's text, the spaces outside: ``**a** `` is bold, ``**a **`` not."""
    wrapped = []
    for line in inner.split("\n"):
        core = line.strip()
        if not core:
            wrapped.append(line)
            continue
        start = line.index(core)
        wrapped.append(f"{line[:start]}{mark}{core}{mark}{line[start + len(core) :]}")
    return "\n".join(wrapped)


def _code_span(code: str) -> str:
    ticks = "`" * (_longest_run(code, "`") + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _longest_run(text: str, char: str) -> int:
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)


def _tidy(text: str) -> str:
    """Blocks a blank line apart, and never more than one blank line outside a fence."""
    pieces = re.split(r"(\n*(?:```+|~~~+)[^\n]*\n.*?\n(?:```+|~~~+)\n*)", text, flags=re.DOTALL)
    tidied = [
        piece if index % 2 else re.sub(r"\n{3,}", "\n\n", piece)
        for index, piece in enumerate(pieces)
    ]
    return re.sub(r"\n{3,}(?=```)|(?<=```)\n{3,}", "\n\n", "".join(tidied)).strip("\n")


def _hard_breaks(text: str) -> str:
    """A backslash at the end of a line that another follows: a line break, as in Telegram."""
    lines = text.split("\n")
    fenced = False
    for number, line in enumerate(lines[:-1]):
        if line.startswith("```"):
            fenced = not fenced
            continue
        following = lines[number + 1]
        if fenced or not line.strip(" >") or not following.strip(" >"):
            continue
        if following.startswith("```"):
            continue
        lines[number] = line + "\\"
    return "\n".join(lines)
