"""The messages about kopij, in Dutch HTML: the coordinators' notice of a new item, the item
passed on to everyone, the sender's notice of the decision, the pieces /mijnnieuws shows, and
a newsletter's own title and text (kopij it includes is shown as when passed on).

The item's own text is Telegram HTML as the member formatted it (PTB's ``text_html``, escaped
by PTB); every other value goes through :func:`planning.catalogue.html`. An item's text is at
most :data:`planning.newsletters.rules.TEXT_LIMIT` characters, so every message here fits
Telegram's 4,096.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from berichten.texts.dates import long_moment
from berichten.texts.names import in_brackets
from planning import catalogue
from planning.newsletters.services import KopijView
from planning.newsletters.tables import KopijStatus


def sender(item: KopijView) -> str:
    """``Fatima El Amrani (Gemeente Gouda)``, or the name alone."""
    if item.sender_organisation:
        return catalogue.plain(
            "kopij.sender",
            name=item.sender_name,
            organisation=in_brackets(item.sender_organisation),
        )
    return item.sender_name


def review_notice(item: KopijView) -> str:
    """To every coordinator: who sent what, and the question the buttons answer."""
    lines = [
        catalogue.html("kopij.review.heading", sender=sender(item)),
        catalogue.html("kopij.title", title=item.title),
    ]
    if item.text:
        lines.append(item.text)
    lines.append(catalogue.html("kopij.review.question"))
    return "\n\n".join(lines)


def passed_on(item: KopijView) -> str:
    """To everyone: the item as its sender wrote it, and who sent it in."""
    lines = [catalogue.html("kopij.title", title=item.title)]
    if item.text:
        lines.append(item.text)
    lines.append(catalogue.html("kopij.passed_on.by", sender=sender(item)))
    return "\n\n".join(lines)


def decision_notice(item: KopijView) -> str:
    """To the sender: what became of their item."""
    text = catalogue.html(f"kopij.decided.{item.status}", title=item.title)
    if item.status is KopijStatus.DECLINED and item.reason:
        text += "\n" + catalogue.html("kopij.reason", reason=item.reason)
    return text


def decided_here(item: KopijView, coordinator: str, count: int) -> str:
    """What a coordinator's notice shows once decided (``count``: members it was sent to)."""
    key = f"kopij.done.{item.status}"
    if item.status is KopijStatus.FORWARDED:
        return catalogue.html(key, title=item.title, coordinator=coordinator, n=count)
    return catalogue.html(key, title=item.title, coordinator=coordinator)


def my_kopij(items: Sequence[KopijView]) -> str:
    """/mijnnieuws: the member's latest items, newest first, each with where it stands."""
    if not items:
        return catalogue.html("kopij.mine.none")
    lines = [catalogue.html("kopij.mine.heading")]
    for item in items:
        line = catalogue.html(
            "kopij.mine.item",
            title=item.title,
            status=catalogue.plain(f"kopij.status.{item.status}"),
        )
        if item.status is KopijStatus.DECLINED and item.reason:
            line += " " + catalogue.html("kopij.mine.reason", reason=item.reason)
        lines.append(line)
    return "\n".join(lines)


def issue_heading(title: str) -> str:
    """A newsletter's title, as its first line (or its photo's caption when the text is long)."""
    return catalogue.html("kopij.title", title=title)


def issue_body(title: str, text: str) -> str:
    """A newsletter's title and text, the text as the coordinator formatted it."""
    return f"{issue_heading(title)}\n\n{text}"


def test_notice(coordinator: str) -> str:
    """Before a test: whose test it is, and that members have not got it."""
    return catalogue.html("newsletter.test_notice", coordinator=coordinator)


def when_text(send_at: datetime | None, zone: ZoneInfo) -> str:
    """``direct na goedkeuring``, or ``op dinsdag 22 maart 2011, 10:00``."""
    if send_at is None:
        return catalogue.plain("newsletter.when.now")
    return catalogue.plain("newsletter.when.at", moment=long_moment(send_at, zone))


def approval_notice(coordinator: str) -> str:
    """Before the issue a coordinator is asked to approve: that members have not got it."""
    return catalogue.html("newsletter.approval.notice", coordinator=coordinator)


def approval_question(coordinator: str, title: str, when: str, members: int) -> str:
    return catalogue.html(
        "newsletter.approval.question", coordinator=coordinator, title=title, when=when, n=members
    )


def approved_notice(
    coordinator: str, title: str, send_at: datetime, zone: ZoneInfo, started: int | None
) -> str:
    """To whoever asked for approval: approved, and sent now (``started`` members) or later."""
    if started is not None:
        return catalogue.html(
            "newsletter.decided.approved.now", coordinator=coordinator, title=title, n=started
        )
    return catalogue.html(
        "newsletter.decided.approved.later",
        coordinator=coordinator,
        title=title,
        moment=long_moment(send_at, zone),
    )


def rejected_notice(coordinator: str, title: str, reason: str | None) -> str:
    text = catalogue.html("newsletter.decided.rejected", coordinator=coordinator, title=title)
    if reason:
        text += "\n" + catalogue.html("kopij.reason", reason=reason)
    return text


def included_notice(item: KopijView, issue_title: str) -> str:
    """To the sender of an item set aside: it goes out now, in this issue."""
    return catalogue.html("kopij.included_notice", title=item.title, issue=issue_title)
