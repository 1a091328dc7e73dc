"""/agenda, /deadlines and /volgende: members ask what is coming up for them.

The paging buttons carry the page number (``ag:p:2``), the calendar button a fixed ``ag:ics``
and the subscription buttons ``ag:feed`` and ``ag:feed:new``: no state lives in memory, so
the buttons keep working after other messages and after a restart; the page is worked out again
from the calendar at every press.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from berichten.ics import calendar_file
from berichten.texts.html import pack
from bot.buttons import redraw
from bot.context import OverlegContext
from bot.feed_server import feed_links
from bot.handlers.calendar import prompts
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.calendar.feed_tokens import has_feed_token, new_feed_token
from planning.calendar.listings import (
    AgendaPage,
    agenda_page,
    my_calendar,
    next_for,
    upcoming_deadlines,
)

PAGE_PREFIX = "ag:p:"
ICS = "ag:ics"
FEED = "ag:feed"
NEW_FEED = "ag:feed:new"
CALLBACK_PATTERN = rf"^({PAGE_PREFIX}\d+|{ICS}|{FEED}|{NEW_FEED})$"
ICS_FILE_NAME = "overlegbot-agenda.ics"


async def agenda(update: Update, context: OverlegContext) -> None:
    """/agenda: the first page of my upcoming meetings, with paging and calendar buttons."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    page = await services.db.run(agenda_page, services.clock, user.id, 0)
    await message.reply_text(prompts.agenda_page(page), reply_markup=_keyboard(page, context))


async def agenda_button(update: Update, context: OverlegContext) -> None:
    """A press on an /agenda button: show another page in place, or send the .ics file."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    if query.data == ICS:
        await _send_calendar(update, context)
        return
    if query.data in (FEED, NEW_FEED):
        await _offer_feed(update, context, replace=query.data == NEW_FEED)
        return
    number = int(query.data.removeprefix(PAGE_PREFIX))
    page = await services.db.run(agenda_page, services.clock, query.from_user.id, number)
    # A stale button may ask for the page already shown (the list got shorter meanwhile).
    await redraw(query, prompts.agenda_page(page), _keyboard(page, context))


async def deadlines(update: Update, context: OverlegContext) -> None:
    """/deadlines: upcoming milestones, those of my organisation and groups first."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    items = await services.db.run(upcoming_deadlines, services.clock, user.id)
    coordinator = context.member is not None and context.member.is_coordinator
    for text in pack(prompts.deadline_lines(items, coordinator=coordinator)):
        await message.reply_text(text)


async def next_thing(update: Update, context: OverlegContext) -> None:
    """/volgende: the single next meeting or deadline for me."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    thing = await services.db.run(next_for, services.clock, user.id)
    await message.reply_text(prompts.next_text(thing))


async def _send_calendar(update: Update, context: OverlegContext) -> None:
    user = update.effective_user
    assert user is not None
    services = context.bot_data
    calendar = await services.db.run(my_calendar, services.clock, user.id)
    if calendar is None:
        await context.bot.send_message(user.id, catalogue.html("agenda.empty"))
        return
    content = calendar_file(calendar.entries, calendar.zone, calendar.name, services.clock.now())
    await context.bot.send_document(
        user.id,
        document=content,
        filename=ICS_FILE_NAME,
        caption=prompts.ics_caption(),
    )


async def _offer_feed(update: Update, context: OverlegContext, *, replace: bool) -> None:
    """The member's subscription link: made at the first press, then only on "Nieuwe link".

    The link is stored hashed, so it can be shown only when it is made; a later press says a
    link exists and offers a new one, which stops the old one at once.
    """
    user = update.effective_user
    assert user is not None
    services = context.bot_data
    base_url = services.settings.feed_base_url
    again = [(catalogue.plain("agenda.feed_new_button"), NEW_FEED)]
    if not base_url:  # a button from before the setting was removed
        await context.bot.send_message(user.id, catalogue.html("agenda.feed_off"))
        return
    if not replace and await services.db.run(has_feed_token, user.id):
        await context.bot.send_message(
            user.id, catalogue.html("agenda.feed_exists"), reply_markup=inline_keyboard(again)
        )
        return
    token = await services.db.run(new_feed_token, services.clock, user.id)
    if token is None:
        await context.bot.send_message(user.id, catalogue.html("agenda.empty"))
        return
    https, webcal = feed_links(base_url, token)
    text = prompts.feed_link(https, webcal)
    if replace:  # "Nieuwe link": say the one in their calendar program has stopped
        text = f"{catalogue.html('agenda.feed_replaced')}\n\n{text}"
    await context.bot.send_message(user.id, text, reply_markup=inline_keyboard(again))


def _keyboard(page: AgendaPage, context: OverlegContext) -> InlineKeyboardMarkup | None:
    if not page.items:
        return None
    choices = []
    if page.has_previous:
        choices.append((catalogue.plain("agenda.previous"), f"{PAGE_PREFIX}{page.number - 1}"))
    if page.has_next:
        choices.append((catalogue.plain("agenda.next"), f"{PAGE_PREFIX}{page.number + 1}"))
    choices.append((catalogue.plain("agenda.ics_button"), ICS))
    if context.bot_data.settings.feed_base_url:
        choices.append((catalogue.plain("agenda.feed_button"), FEED))
    return inline_keyboard(choices, per_row=2)
