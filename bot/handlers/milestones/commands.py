"""Members keep product status in chat: /mijlpaal, mark a milestone done or give it a new date.

/mijlpaal lists the open milestones this member may change (members of the product's owner
organisation, and coordinators); after one is chosen it shows its history and offers "Klaar"
or "Nieuwe datum". A new date is typed (a day or a month) and needs a reason, also typed; every
change is confirmed first and then stored with its history by :mod:`planning.milestones`,
which also makes the permission check, so a stale button cannot get round it.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.buttons import answered, chosen, last_field
from bot.context import OverlegContext
from bot.conversations import aborter, conversation
from bot.drafts import MilestoneDraft
from bot.handlers.meeting_changes.prompts import input_problem
from bot.handlers.milestones import prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.calendar.when_input import WhenInputError, read_when
from planning.milestones.services import (
    MilestoneError,
    MilestoneRefusal,
    check_new_date,
    history,
    mark_done,
    open_milestones,
    reschedule,
)
from planning.typed_text import clean_block

CHOOSE, ACTION, DATE, REASON, CONFIRM = range(5)
SHOWN = 30  # Telegram allows 100 buttons; a member has a handful of open milestones


async def start_milestone(update: Update, context: OverlegContext) -> int:
    """/mijlpaal: the open milestones this member may update."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    milestones = (await context.bot_data.db.run(open_milestones, user.id))[:SHOWN]
    if not milestones:
        await message.reply_text(catalogue.html("milestone.none"))
        return ConversationHandler.END
    context.user_state.milestone = MilestoneDraft(milestones)
    choices = [(prompts.milestone_button(m), f"ms:m:{i}") for i, m in enumerate(milestones)]
    await message.reply_text(
        catalogue.html("milestone.ask"), reply_markup=inline_keyboard(choices, per_row=1)
    )
    return CHOOSE


async def choose_milestone(update: Update, context: OverlegContext) -> int:
    """Show the milestone and its history; offer done or a new date."""
    query, draft = await answered(update, context.user_state.milestone)
    draft.chosen = chosen(query, draft.milestones)
    services = context.bot_data
    lines = await services.db.run(history, draft.chosen.uid)
    choices = [
        (catalogue.plain("milestone.done_button"), "ms:a:done"),
        (catalogue.plain("milestone.move_button"), "ms:a:move"),
    ]
    await query.edit_message_text(
        prompts.milestone_details(draft.chosen, lines, services.settings.timezone),
        reply_markup=inline_keyboard(choices),
    )
    return ACTION


async def choose_action(update: Update, context: OverlegContext) -> int:
    """Done goes to the confirmation; a new date is asked for first."""
    query, draft = await answered(update, context.user_state.milestone)
    assert draft.chosen is not None
    if last_field(query.data) == "done":
        draft.new_when = None
        await query.edit_message_text(
            prompts.milestone_confirm(draft.chosen, None),
            reply_markup=_confirm_keyboard(),
        )
        return CONFIRM
    await query.edit_message_text(catalogue.html("milestone.ask_date"))
    return DATE


async def enter_date(update: Update, context: OverlegContext) -> int:
    """Read the new day or month; say what is wrong and wait when it cannot be used."""
    message = update.effective_message
    draft = context.user_state.milestone
    assert message is not None and message.text is not None and draft is not None
    assert draft.chosen is not None
    services = context.bot_data
    today = services.clock.now().astimezone(services.settings.timezone).date()
    try:
        when = read_when(message.text, today, allow_month=True, allow_time=False).as_when()
        check_new_date(draft.chosen, when, today)
    except WhenInputError as error:
        await message.reply_text(input_problem(error.problem))
        return DATE
    except MilestoneError as error:
        await message.reply_text(prompts.milestone_refusal(error.reason))
        return DATE
    draft.new_when = when
    await message.reply_text(catalogue.html("milestone.ask_reason"))
    return REASON


async def enter_reason(update: Update, context: OverlegContext) -> int:
    """The reason is known; confirm the new date."""
    message = update.effective_message
    draft = context.user_state.milestone
    assert message is not None and message.text is not None and draft is not None
    assert draft.chosen is not None
    reason = clean_block(message.text)
    if not reason:  # whitespace or zero-width characters only
        await message.reply_text(prompts.milestone_refusal(MilestoneRefusal.NO_REASON))
        return REASON
    draft.reason = reason
    await message.reply_text(
        prompts.milestone_confirm(draft.chosen, draft.new_when, draft.reason),
        reply_markup=_confirm_keyboard(),
    )
    return CONFIRM


async def confirm(update: Update, context: OverlegContext) -> int:
    """Store the change with its history."""
    query, draft = await answered(update, context.user_state.milestone)
    assert draft.chosen is not None
    context.user_state.milestone = None
    services = context.bot_data
    try:
        if draft.new_when is None:
            saved = await services.db.run(
                mark_done, services.clock, draft.chosen.uid, query.from_user.id
            )
        else:
            saved = await services.db.run(
                reschedule,
                services.clock,
                draft.chosen.uid,
                draft.new_when,
                draft.reason,
                query.from_user.id,
            )
    except MilestoneError as error:
        await query.edit_message_text(prompts.milestone_refusal(error.reason))
        return ConversationHandler.END
    await query.edit_message_text(prompts.milestone_saved(saved))
    # A question "klaar, of een nieuwe datum?" queued for this milestone must not go out now:
    # this refresh withdraws it, or the job's next wake does, since it queues before delivering.
    refresh_outbox_soon(context.application)
    return ConversationHandler.END


def milestone_conversation() -> ConversationHandler[OverlegContext]:
    text = filters.TEXT & ~filters.COMMAND
    return conversation(
        draft="milestone",
        entry_points=[CommandHandler("mijlpaal", start_milestone)],
        states={
            CHOOSE: [CallbackQueryHandler(choose_milestone, pattern=r"^ms:m:\d+$")],
            ACTION: [CallbackQueryHandler(choose_action, pattern=r"^ms:a:(done|move)$")],
            DATE: [MessageHandler(text, enter_date)],
            REASON: [MessageHandler(text, enter_reason)],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=r"^ms:ok$"),
                CallbackQueryHandler(aborter("milestone"), pattern=r"^ms:no$"),
            ],
        },
        allow_reentry=True,
    )


def _confirm_keyboard() -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            (catalogue.plain("meeting_change.confirm_button"), "ms:ok"),
            (catalogue.plain("meeting_change.abort_button"), "ms:no"),
        ]
    )
