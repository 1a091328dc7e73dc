"""A sent newsletter for the website (``overlegbot newsletter export``): a small standalone HTML
page, or Markdown.

Both hold what members got: the title, the day it was sent, the text, the attached photo or
document, and each included kopij item with who sent it in. The bot never downloads a file, so
an attachment is named by its Telegram file id for the operator to fetch.
"""

from __future__ import annotations

import enum
import html
from zoneinfo import ZoneInfo

from berichten.texts import newsletters as texts
from berichten.texts.convert import html_body, markdown
from berichten.texts.dates import long_date
from planning import catalogue
from planning.newsletters.archive import ArchivedIssue
from planning.newsletters.services import KopijView


class ExportFormat(enum.StrEnum):
    HTML = "html"
    MARKDOWN = "md"


def export_issue(issue: ArchivedIssue, zone: ZoneInfo, form: ExportFormat) -> str:
    """``issue`` as a document in ``form``; ``zone`` dates it."""
    if form is ExportFormat.HTML:
        return as_html(issue, zone)
    return as_markdown(issue, zone)


def _attachment(kind: str | None, file_id: str | None) -> str | None:
    if kind is None or not file_id:
        return None
    return catalogue.plain(
        "newsletter.export.attachment",
        kind=catalogue.plain(f"newsletter.export.kind.{kind}"),
        file_id=file_id,
    )


def as_html(issue: ArchivedIssue, zone: ZoneInfo) -> str:
    """A standalone page: ``<article>`` with the title, the date, the text and the kopij."""
    sent = issue.sent_at.astimezone(zone)
    title = html.escape(issue.title)
    lines = [
        "<!DOCTYPE html>",
        '<html lang="nl">',
        '<head><meta charset="utf-8"><title>' + title + "</title></head>",
        "<body>",
        "<article>",
        f"<h1>{title}</h1>",
        f'<p><time datetime="{sent.date().isoformat()}">{long_date(sent.date())}</time></p>',
    ]
    if (withdrawn := _withdrawn(issue, zone)) is not None:
        lines.append(f"<p><strong>{html.escape(withdrawn)}</strong></p>")
    if (attachment := _attachment(issue.media_kind, issue.media_file_id)) is not None:
        lines.append(f"<p><em>{html.escape(attachment)}</em></p>")
    lines.append(html_body(issue.text))
    for item in issue.kopij:
        lines += ["<section>", f"<h2>{html.escape(item.title)}</h2>"]
        if (attachment := _attachment(item.kind, item.file_id)) is not None:
            lines.append(f"<p><em>{html.escape(attachment)}</em></p>")
        if item.text:
            lines.append(html_body(item.text))
        lines += [f"<p><em>{_sent_in_by(item)}</em></p>", "</section>"]
    lines += ["</article>", "</body>", "</html>", ""]
    return "\n".join(lines)


def as_markdown(issue: ArchivedIssue, zone: ZoneInfo) -> str:
    """A Markdown page: the title as its heading, the date, the text and the kopij."""
    sent = issue.sent_at.astimezone(zone)
    blocks = [f"# {markdown(html.escape(issue.title))}", f"_{long_date(sent.date())}_"]
    if (withdrawn := _withdrawn(issue, zone)) is not None:
        blocks.append(f"**{markdown(html.escape(withdrawn))}**")
    if (attachment := _attachment(issue.media_kind, issue.media_file_id)) is not None:
        blocks.append(f"_{markdown(html.escape(attachment))}_")
    blocks.append(markdown(issue.text))
    for item in issue.kopij:
        blocks.append(f"## {markdown(html.escape(item.title))}")
        if (attachment := _attachment(item.kind, item.file_id)) is not None:
            blocks.append(f"_{markdown(html.escape(attachment))}_")
        if item.text:
            blocks.append(markdown(item.text))
        blocks.append(f"_{markdown(_sent_in_by(item))}_")
    return "\n\n".join(block for block in blocks if block) + "\n"


def _withdrawn(issue: ArchivedIssue, zone: ZoneInfo) -> str | None:
    """``Ingetrokken op …`` (plain), for an issue withdrawn; None for one that stands."""
    if issue.withdrawn_at is None:
        return None
    day = long_date(issue.withdrawn_at.astimezone(zone).date())
    return catalogue.plain("newsletter.export.withdrawn", day=day)


def _sent_in_by(item: KopijView) -> str:
    """``Ingezonden door …`` (HTML, escaped)."""
    return catalogue.html("newsletter.export.sent_in_by", sender=texts.sender(item))
