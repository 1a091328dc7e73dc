"""After the meeting: /afgehandeld, for coordinators to mark the items dealt with and roll the
rest over to the overleg's next meeting.

No conversation and nothing in memory: every button carries an item id (``af:m:<id>`` picks
that item's meeting, ``af:t:<id>`` marks or unmarks the item, ``af:k:<id>`` is "Klaar" for its
meeting), and every press draws the list again from the database, so a list from before a
restart still works. "Klaar" rolls the items not marked over
(:func:`berichten.agenda_after.finish_and_notify`, their submitters told through the outbox)
and shows where they went in place of the list. Members who are not coordinators get the usual
refusal, for the command and for the buttons.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from berichten.agenda_after import finish_and_notify
from berichten.texts import agenda_after as texts
from bot.button_guards import guarded
from bot.buttons import last_number, redraw
from bot.context import OverlegContext
from bot.handlers.access import ensure_coordinator, is_coordinator
from bot.handlers.agenda_items import prompts
from bot.handlers.meeting_changes.prompts import meeting_button
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning.agenda_items.after import (
    AfterMeeting,
    after_meeting,
    closable_meetings,
    toggle_dealt_with,
)
from planning.agenda_items.rules import AgendaItemError

MEETING_PREFIX, TOGGLE_PREFIX, FINISH_PREFIX = "af:m:", "af:t:", "af:k:"
AFTER_PATTERN = r"^af:[mtk]:\d+$"


async def after_command(update: Update, context: OverlegContext) -> None:
    """/afgehandeld: the meetings over with items to mark, or straight to the one."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not await ensure_coordinator(update, context):
        return
    services = context.bot_data
    meetings = await services.db.run(closable_meetings, services.clock, user.id)
    if not meetings:
        await message.reply_text(texts.nothing_to_mark())
    elif len(meetings) == 1:
        [only] = meetings
        await message.reply_text(texts.marking_list(only), reply_markup=_keyboard(only))
    else:
        choices = [
            (meeting_button(after.meeting), f"{MEETING_PREFIX}{after.items[0].id}")
            for after in meetings
        ]
        await message.reply_text(
            texts.choose_meeting(), reply_markup=inline_keyboard(choices, per_row=1)
        )


async def after_button(update: Update, context: OverlegContext) -> None:
    """A meeting chosen, an item marked or unmarked, or "Klaar": redraw in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    item_id = last_number(query.data)
    coordinator = query.from_user.id
    try:
        if query.data.startswith(FINISH_PREFIX):
            rollover = await services.db.run(
                finish_and_notify, services.clock, coordinator, item_id
            )
        else:
            work = toggle_dealt_with if query.data.startswith(TOGGLE_PREFIX) else after_meeting
            after = await services.db.run(work, services.clock, coordinator, item_id)
            await redraw(query, texts.marking_list(after), _keyboard(after))
            return
    except AgendaItemError as refused:
        await redraw(query, prompts.refusal_text(refused.reason), None)
        return
    try:
        await redraw(query, texts.finished(rollover), None)
    finally:  # the submitters hear now, whether or not the answer arrived
        if rollover.next is not None and rollover.items:
            refresh_outbox_soon(context.application)


def after_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(guarded(after_button, is_coordinator), pattern=AFTER_PATTERN)


def _keyboard(after: AfterMeeting) -> InlineKeyboardMarkup | None:
    """One button per item (its mark shows), then "Klaar"; none when no item is left."""
    if not after.items:
        return None
    choices = [(texts.item_label(item), f"{TOGGLE_PREFIX}{item.id}") for item in after.items]
    choices.append((texts.finish_button(), f"{FINISH_PREFIX}{after.items[0].id}"))
    return inline_keyboard(choices, per_row=1)
