"""The coordinator's progress message of an issue: while it is sent, corrected or withdrawn, and
the report at the end, in Dutch HTML within Telegram's 4,096 characters.

While running: one line of figures, e.g. "Verzonden: 1.234 van 10.000 · mislukt: 3". At the
end: the figures, the failures counted by reason, and the members not reached by name and
organisation (a long list is cut, "en nog 37 anderen"). Every value is escaped.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.names import in_brackets
from planning import catalogue

if TYPE_CHECKING:
    from berichten.newsletters.progress import Figures

# Names shown in the report at most: a longer list is for `overlegbot members`, not a chat.
NAMES_SHOWN = 40


def number(value: int) -> str:
    """``1.234``: thousands separated as Dutch readers expect."""
    return f"{value:,}".replace(",", ".")


def member_name(name: str | None, organisation: str | None) -> str:
    """``Koen de Boer (Gemeente Utrecht)`` (plain text), or the name alone."""
    shown = name or catalogue.plain("newsletter.progress.unknown_member")
    if organisation:
        return catalogue.plain("kopij.sender", name=shown, organisation=in_brackets(organisation))
    return shown


def progress_text(title: str, figures: Figures) -> str:
    """The progress message, or the report once the operation has ended."""
    operation = figures.operation.value
    state = "ended" if figures.ended else "running"
    line = [
        catalogue.html(
            f"newsletter.progress.figures.{operation}",
            done=number(figures.done),
            total=number(figures.total),
            failed=number(sum(figures.failed.values())),
        )
    ]
    if figures.waiting:
        line.append(catalogue.html("newsletter.progress.waiting", count=number(figures.waiting)))
    blocks = [
        catalogue.html(f"newsletter.progress.{operation}.{state}", title=title),
        " · ".join(line),
    ]
    if figures.untouched:
        untouched = number(figures.untouched)
        blocks.append(catalogue.html(f"newsletter.progress.untouched.{operation}", count=untouched))
    if figures.ended and figures.failed:
        reasons = [catalogue.html("newsletter.progress.reasons")]
        reasons += [
            catalogue.html(f"newsletter.progress.reason.{reason}", count=number(count))
            for reason, count in sorted(figures.failed.items())
        ]
        blocks.append("\n".join(reasons))
    head = "\n\n".join(blocks)
    if not figures.ended or not figures.unreachable:
        return head
    return _with_names(head, figures.unreachable)


def _with_names(head: str, names: list[str]) -> str:
    """``head`` and the members not reached, as many as fit, the rest counted."""
    shown = min(len(names), NAMES_SHOWN)
    while True:
        lines = [catalogue.html("newsletter.progress.unreachable")]
        lines += [f"• {html.escape(name, quote=False)}" for name in names[:shown]]
        if shown < len(names):
            lines.append(catalogue.html("newsletter.progress.more", n=len(names) - shown))
        text = head + "\n\n" + "\n".join(lines)
        if telegram_length(text) <= TEXT_LIMIT or shown == 0:
            return text
        shown -= 1
