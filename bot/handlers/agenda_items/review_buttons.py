"""The review buttons under an agenda item: "Op de agenda", "Niet opnemen" and "Naar volgende
vergadering", the same under the notice every reviewer gets and under /punten.

They carry the item's id and the tag of the meeting they were shown for
(``ap:y:<tag>:<id>``; a button from before tags, ``ap:y:<id>``, acts on the item as it is): no
state in memory, so a notice from last week still works after a restart. Who may press them is
:func:`planning.agenda_items.reviewing.may_review`, asked by the guard now and by the service
again in the decision's transaction: a coordinator, or a member of the overleg's
``beoordelaars``; anyone else gets the polite stale answer.

- "Op de agenda" decides at once (:func:`berichten.agenda_items.review_and_notify`): final, the
  submitter's notice queued in the same transaction; the second press (another reviewer's, or
  the same one's on another copy) changes nothing and the message then says who decided what.
- "Niet opnemen" is a conversation of one step: it asks for a reason (typed, or /overslaan),
  then declines with it and redraws the notice. It is persistent like the others, so a restart
  keeps the question; /annuleren, or starting another conversation, leaves the item waiting.
- "Naar volgende vergadering" moves the waiting item to its overleg's next meeting
  (:func:`berichten.agenda_items.move_and_notify`), where it waits; with none, a Dutch refusal
  and the buttons stay.

A press is answered (redrawn) before the outbox is refreshed: that takes seconds at 10,000
members, and PTB handles one update at a time (:func:`bot.outbox_job.refresh_outbox_soon`).
"""

from __future__ import annotations

from contextlib import suppress

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.agenda_items import (
    ACCEPT_PREFIX,
    DECLINE_PREFIX,
    MOVE_PREFIX,
    document_buttons,
    move_and_notify,
    review_and_notify,
    review_buttons,
)
from bot.button_guards import guarded, pressed
from bot.buttons import last_number, redraw
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import AgendaDeclineDraft
from bot.handlers.agenda_items import prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.agenda_items.reviewing import (
    REASON_LIMIT,
    ReviewOutcome,
    may_review_item,
    reviewed_item,
    still_shown,
)
from planning.agenda_items.rules import AgendaItemError, AgendaItemRefusal
from planning.agenda_items.tables import AgendaItemStatus
from planning.agenda_items.views import AgendaItemView

REASON = 0
_SHOWN = r"([0-9a-f]{6}:)?\d{1,18}"


def review_keyboard(item: AgendaItemView) -> InlineKeyboardMarkup:
    """The review buttons (two, then one) and "Stukken bekijken" below for an item with
    documents, laid out as in the reviewers' notice."""
    rows = [*review_buttons(item), *document_buttons(item)]
    return InlineKeyboardMarkup(
        [inline_keyboard(row, per_row=len(row)).inline_keyboard[0] for row in rows]
    )


async def may_review_pressed(update: Update, context: OverlegContext) -> bool:
    """The guard of the review buttons: the presser may review this item now."""
    user_id, data = pressed(update)
    services = context.bot_data
    return await services.db.run(may_review_item, user_id, last_number(data))


# ---------------------------------------------------------------------------- "Op de agenda"


async def accept_pressed(update: Update, context: OverlegContext) -> None:
    """ "Op de agenda": decide once, show the outcome in place, tell the submitter."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    item_id, shown_for = _shown(query.data)
    try:
        # The submitter's notice is queued in the decision's transaction, on every press (its
        # key keeps it single), so a decision recorded without one gets it.
        outcome, queued = await services.db.run(
            review_and_notify, services.clock, query.from_user.id, item_id, True, None, shown_for
        )
    except AgendaItemError as refused:
        await redraw(query, prompts.refusal_text(refused.reason), None)
        return
    try:
        await redraw(query, prompts.review_result(outcome), None)
    finally:
        if outcome.changed or queued:
            # The submitter hears now, and a pending reminder shows the agenda as it is; also
            # when the answer failed, or the notice would wait up to an hour for the job.
            refresh_outbox_soon(context.application)


# ---------------------------------------------------------------------------- "Niet opnemen"


async def ask_reason(update: Update, context: OverlegContext) -> int:
    """ "Niet opnemen": ask for an optional reason before declining."""
    query = update.callback_query
    assert query is not None and query.data is not None and query.message is not None
    await query.answer()
    services = context.bot_data
    item_id, shown_for = _shown(query.data)
    try:
        item = await services.db.run(reviewed_item, services.clock, query.from_user.id, item_id)
    except AgendaItemError as refused:
        await redraw(query, prompts.refusal_text(refused.reason), None)
        return ConversationHandler.END
    if item.status != AgendaItemStatus.WAITING or not still_shown(item.meeting_key, shown_for):
        await redraw(query, prompts.review_result(ReviewOutcome(item, changed=False)), None)
        return ConversationHandler.END
    context.user_state.agenda_decline = AgendaDeclineDraft(
        item.id, item.title, shown_for, query.message.chat.id, query.message.message_id
    )
    await context.bot.send_message(
        query.from_user.id,
        catalogue.html("agenda_item.review.ask_reason", title=item.title, limit=REASON_LIMIT),
    )
    return REASON


async def reason_typed(update: Update, context: OverlegContext) -> int:
    """The reason: decline with it (or say it is too long and wait for a shorter one)."""
    assert update.effective_message is not None
    return await _decline(update, context, update.effective_message.text)


async def no_reason(update: Update, context: OverlegContext) -> int:
    """/overslaan: decline without a reason."""
    return await _decline(update, context, None)


async def _decline(update: Update, context: OverlegContext, reason: str | None) -> int:
    message, user = update.effective_message, update.effective_user
    draft = context.user_state.agenda_decline
    assert message is not None and user is not None and draft is not None
    services = context.bot_data
    try:
        outcome, queued = await services.db.run(
            review_and_notify,
            services.clock,
            user.id,
            draft.item_id,
            False,
            reason,
            draft.shown_for,
        )
    except AgendaItemError as refused:
        await message.reply_text(prompts.refusal_text(refused.reason, refused.limit))
        if refused.reason == AgendaItemRefusal.REASON_TOO_LONG:
            return REASON  # the draft stays: a shorter reason, /overslaan or /annuleren
        context.user_state.agenda_decline = None
        return ConversationHandler.END
    context.user_state.agenda_decline = None
    result = prompts.review_result(outcome)
    try:
        await message.reply_text(result)
        # The notice the press came from: the outcome in place of its buttons (unless deleted or
        # too old to edit: the answer above says it).
        with suppress(TelegramError):
            await context.bot.edit_message_text(
                result, chat_id=draft.chat_id, message_id=draft.message_id
            )
    finally:
        if outcome.changed or queued:
            refresh_outbox_soon(context.application)
    return ConversationHandler.END


def _decline_left(context: OverlegContext, _state: object = None) -> str:
    """/annuleren or another conversation: nothing is decided, the item waits."""
    draft = context.user_state.agenda_decline
    context.user_state.agenda_decline = None
    title = draft.title if draft is not None else ""
    return catalogue.html("agenda_item.review.decline_dropped", title=title)


# ---------------------------------------------------------------------------- "Naar volgende ..."


async def move_pressed(update: Update, context: OverlegContext) -> None:
    """ "Naar volgende vergadering": move the item on, show where in place, tell the
    submitter; without a next meeting, say so and keep the buttons."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    item_id, shown_for = _shown(query.data)
    try:
        outcome, queued = await services.db.run(
            move_and_notify, services.clock, query.from_user.id, item_id, shown_for
        )
    except AgendaItemError as refused:
        text = prompts.refusal_text(refused.reason)
        if refused.reason == AgendaItemRefusal.NO_NEXT_MEETING:
            await context.bot.send_message(query.from_user.id, text)
        else:
            await redraw(query, text, None)
        return
    try:
        await redraw(query, prompts.review_result(outcome), None)
    finally:
        if outcome.changed or queued:
            refresh_outbox_soon(context.application)


# ---------------------------------------------------------------------------- registration


def review_button_handlers() -> list[CallbackQueryHandler[OverlegContext, None]]:
    """ "Op de agenda" and "Naar volgende vergadering" ("Niet opnemen" is a conversation)."""
    return [
        CallbackQueryHandler(
            guarded(accept_pressed, may_review_pressed), pattern=rf"^{ACCEPT_PREFIX}{_SHOWN}$"
        ),
        CallbackQueryHandler(
            guarded(move_pressed, may_review_pressed), pattern=rf"^{MOVE_PREFIX}{_SHOWN}$"
        ),
    ]


def decline_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="agenda_decline",
        command="punten-besluit",  # its stored name; it is not a command
        interrupted=_decline_left,
        cancelled=_decline_left,
        entry_points=[
            CallbackQueryHandler(
                guarded(ask_reason, may_review_pressed), pattern=rf"^{DECLINE_PREFIX}{_SHOWN}$"
            )
        ],
        states={
            REASON: [
                MessageHandler(f.TEXT & ~f.COMMAND, reason_typed),
                CommandHandler("overslaan", no_reason),
            ],
        },
        # "Niet opnemen" under another item while a reason is asked: that item is asked about.
        allow_reentry=True,
    )


def _shown(data: str) -> tuple[int, str | None]:
    """The item id and the tag of the meeting the button was shown for (None: untagged)."""
    fields = data.split(":")
    return last_number(data), fields[2] if len(fields) == 4 else None
