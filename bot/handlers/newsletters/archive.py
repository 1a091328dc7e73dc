"""/nieuwsbrieven: every active member pages through the issues sent, newest first, and has one
sent again by pressing it.

The buttons carry the page (``nbr:p:2``) or the issue (``nbr:i:7``): no state lives in memory,
so they keep working after other messages and after a restart, as /agenda's do. Any active
member may press them (the gate lets only members through, and the archive is the network's),
so they need no guard of their own (:mod:`bot.button_guards`). The issue comes as a reply, by
the one function that sends a message as the outbox does, in the very messages members got.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from berichten.newsletters.issues import archived_parts
from berichten.texts.dates import long_date
from bot.buttons import last_number, redraw
from bot.context import OverlegContext
from bot.keyboards import inline_keyboard
from bot.newsletter_progress import report_keyboard
from bot.telegram_sender import send_as_message
from planning import catalogue
from planning.newsletters.archive import ArchivePage, archive_page

PAGE_PREFIX, ISSUE_PREFIX = "nbr:p:", "nbr:i:"
CALLBACK_PATTERN = rf"^({PAGE_PREFIX}|{ISSUE_PREFIX})\d+$"


async def archive_command(update: Update, context: OverlegContext) -> None:
    """/nieuwsbrieven: the newest issues, a button for each, and paging."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    page = await services.db.run(archive_page, user.id, 0)
    await message.reply_text(
        _page_text(page, services.settings.timezone), reply_markup=_keyboard(page)
    )


async def archive_button(update: Update, context: OverlegContext) -> None:
    """A press in /nieuwsbrieven: another page in place, or an issue sent again."""
    query = update.callback_query
    assert query is not None and query.data is not None
    number = last_number(query.data)  # too big for the database: a stale (forged) button
    await query.answer()
    services = context.bot_data
    if query.data.startswith(PAGE_PREFIX):
        page = await services.db.run(archive_page, query.from_user.id, number)
        # A stale button may ask for a page already shown; redraw takes that in its stride.
        await redraw(query, _page_text(page, services.settings.timezone), _keyboard(page))
        return
    issue_id = number
    parts = await services.db.run(archived_parts, query.from_user.id, issue_id)
    chat = query.from_user.id
    if parts is None:
        await context.bot.send_message(chat, catalogue.html("newsletter.archive.gone"))
        return
    for part in parts:
        await send_as_message(context.bot, chat, part.text, None, part.media)
    if context.member is not None and context.member.is_coordinator:
        # A coordinator may correct or withdraw it from here too (its buttons are guarded).
        await context.bot.send_message(
            chat,
            catalogue.html("newsletter.archive.coordinator"),
            reply_markup=report_keyboard(issue_id),
        )


def archive_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(archive_button, pattern=CALLBACK_PATTERN)


def _page_text(page: ArchivePage, zone: ZoneInfo) -> str:
    if not page.items:
        return catalogue.html("newsletter.archive.empty")
    first = page.first_position
    lines = [
        catalogue.html(
            "newsletter.archive.header",
            first=first,
            last=first + len(page.items) - 1,
            total=page.total,
        ),
        "",
    ]
    lines += [
        catalogue.html("newsletter.archive.line", title=item.title, day=_day(item.sent_at, zone))
        for item in page.items
    ]
    return "\n".join(lines)


def _day(moment: datetime, zone: ZoneInfo) -> str:
    return long_date(moment.astimezone(zone).date())


def _keyboard(page: ArchivePage) -> InlineKeyboardMarkup | None:
    if not page.items:
        return None
    choices = [(item.title, f"{ISSUE_PREFIX}{item.id}") for item in page.items]
    paging = []
    if page.has_previous:
        paging.append((catalogue.plain("agenda.previous"), f"{PAGE_PREFIX}{page.number - 1}"))
    if page.has_next:
        paging.append((catalogue.plain("agenda.next"), f"{PAGE_PREFIX}{page.number + 1}"))
    buttons = inline_keyboard(choices, per_row=1).inline_keyboard
    if paging:
        buttons += inline_keyboard(paging, per_row=2).inline_keyboard
    return InlineKeyboardMarkup(buttons)
