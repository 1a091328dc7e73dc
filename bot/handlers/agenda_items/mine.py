"""/mijnpunten: a member's own agenda items and their status, with "Intrekken" under waiting ones.

/mijnpunten is one message; each waiting item has an "Intrekken" button carrying the item's id
(``ai:w:<id>``), so it keeps working after a restart. A press withdraws the item (the service
checks it is the member's own and still waiting), redraws the list in place and refreshes the
outbox, so a reminder waiting there does not list a withdrawn item.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from berichten.texts.agenda_items import button_title
from bot.buttons import last_number, redraw
from bot.context import OverlegContext
from bot.handlers.agenda_items import documents, prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.agenda_items.rules import AgendaItemError
from planning.agenda_items.services import my_items, withdraw_item
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView

WITHDRAW_PREFIX = "ai:w:"
WITHDRAW_PATTERN = rf"^{WITHDRAW_PREFIX}\d+$"


async def my_items_command(update: Update, context: OverlegContext) -> None:
    """/mijnpunten: my items of meetings still to come, with "Intrekken" under waiting ones."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    items = await services.db.run(my_items, services.clock, user.id)
    await message.reply_text(prompts.my_items_text(items), reply_markup=_withdraw_keyboard(items))


async def withdraw_button(update: Update, context: OverlegContext) -> None:
    """The "Intrekken" button: withdraw the item, say so, redraw the list without the button."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    user_id = query.from_user.id
    try:
        item = await services.db.run(
            withdraw_item, services.clock, user_id, last_number(query.data)
        )
        answer, withdrawn = prompts.withdrawn_text(item), True
    except AgendaItemError as refused:  # reviewed meanwhile, or withdrawn already
        answer, withdrawn = prompts.refusal_text(refused.reason), False
    items = await services.db.run(my_items, services.clock, user_id)
    await redraw(query, prompts.my_items_text(items), _withdraw_keyboard(items))
    await context.bot.send_message(user_id, answer)
    if withdrawn:  # a reminder waiting in the outbox must not list a withdrawn item
        refresh_outbox_soon(context.application)


def withdraw_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(withdraw_button, pattern=WITHDRAW_PATTERN)


def _withdraw_keyboard(items: list[AgendaItemView]) -> InlineKeyboardMarkup | None:
    choices = [
        (
            catalogue.plain("agenda_item.chat.withdraw_button", title=button_title(item.title)),
            f"{WITHDRAW_PREFIX}{item.id}",
        )
        for item in items
        if item.status == AgendaItemStatus.WAITING
    ] + documents.attach_choices(items)
    return inline_keyboard(choices, per_row=1) if choices else None
