"""/agenda, /deadlines and /volgende: members ask what is coming up for them.

The paging buttons carry the page number (``ag:p:2``) and the calendar button a fixed
``ag:ics``: no state lives in memory, so the buttons keep working after other messages and
after a restart; the page is worked out again from the calendar at every press.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from berichten.ics import calendar_file
from berichten.texts.html import pack
from bot.buttons import redraw
from bot.context import OverlegContext
from bot.handlers.calendar import prompts
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.calendar.listings import (
    AgendaPage,
    agenda_page,
    my_calendar,
    next_for,
    upcoming_deadlines,
)

PAGE_PREFIX = "ag:p:"
ICS = "ag:ics"
CALLBACK_PATTERN = rf"^({PAGE_PREFIX}\d+|{ICS})$"
ICS_FILE_NAME = "overlegbot-agenda.ics"


async def agenda(update: Update, context: OverlegContext) -> None:
    """/agenda: the first page of my upcoming meetings, with paging and calendar buttons."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    page = await services.db.run(agenda_page, services.clock, user.id, 0)
    await message.reply_text(prompts.agenda_page(page), reply_markup=_keyboard(page))


async def agenda_button(update: Update, context: OverlegContext) -> None:
    """A press on an /agenda button: show another page in place, or send the .ics file."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    if query.data == ICS:
        await _send_calendar(update, context)
        return
    number = int(query.data.removeprefix(PAGE_PREFIX))
    page = await services.db.run(agenda_page, services.clock, query.from_user.id, number)
    # A stale button may ask for the page already shown (the list got shorter meanwhile).
    await redraw(query, prompts.agenda_page(page), _keyboard(page))


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


def _keyboard(page: AgendaPage) -> InlineKeyboardMarkup | None:
    if not page.items:
        return None
    choices = []
    if page.has_previous:
        choices.append((catalogue.plain("agenda.previous"), f"{PAGE_PREFIX}{page.number - 1}"))
    if page.has_next:
        choices.append((catalogue.plain("agenda.next"), f"{PAGE_PREFIX}{page.number + 1}"))
    choices.append((catalogue.plain("agenda.ics_button"), ICS))
    return inline_keyboard(choices, per_row=2)
