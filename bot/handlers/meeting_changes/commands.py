"""Coordinators change the calendar in chat: /wijzig, a button conversation with a confirmation.

/wijzig lists the upcoming meetings (a page of eight; derived ones are left out, since they
follow their parent) with a button to add one. After a meeting: move it, let it lapse, or fix
its day when only the month is known; then the new moment as typed text. Every change is shown
old-beside-new, with the derived meetings that go along, and stored only after "Bevestigen".
The notices to the participants concerned are queued in the outbox with the change
(:func:`berichten.meeting_changes.apply_and_notify`) and sent at once, in the background; a
member who blocked the bot is marked blocked, and what fails stays queued for the outbox job. The
reminder queue is refreshed right after the receipt (:func:`bot.outbox_job.refresh_outbox_soon`),
so a reminder of the old moment is withdrawn before it can go out: the job queues before it
delivers.

Decisions:

- The draft holds the listed meetings, and buttons carry an index into that list, so callback
  data stays short whatever the meeting's key is.
- A typed moment that is unreadable or refused (in the past, unchanged, outside the month) is
  answered in Dutch and the conversation waits for another try: nothing typed is lost.
- /annuleren ends it at any step; nothing is stored before the confirmation.
"""

from __future__ import annotations

import logging
from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from berichten.meeting_changes import apply_and_notify
from berichten.outbox.delivery import deliver_keys
from bot.buttons import answered, chosen, last_field
from bot.context import OverlegContext
from bot.conversations import aborter, conversation
from bot.drafts import MeetingChangeDraft
from bot.handlers.access import ensure_coordinator
from bot.handlers.meeting_changes import prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from bot.telegram_sender import TelegramSender
from planning import catalogue
from planning.calendar.when_input import WhenInput, WhenInputError, read_when
from planning.meeting_changes.rules import moved_when
from planning.meeting_changes.services import (
    Add,
    Cancel,
    FixDay,
    MeetingChangeError,
    MeetingChangeRefusal,
    Move,
    Request,
    addable_overleggen,
    changeable_meetings,
    preview,
)

log = logging.getLogger(__name__)

CHOOSE, ACTION, OVERLEG, DATE, CONFIRM = range(5)
PAGE = 8
# Refusals about the typed moment: the coordinator may simply type another one.
_TRY_AGAIN = {
    MeetingChangeRefusal.IN_PAST,
    MeetingChangeRefusal.UNCHANGED,
    MeetingChangeRefusal.OUTSIDE_MONTH,
}


async def start_meeting_change(update: Update, context: OverlegContext) -> int:
    """/wijzig: list the upcoming meetings to choose from."""
    message = update.effective_message
    assert message is not None
    if not await ensure_coordinator(update, context):
        return ConversationHandler.END
    services = context.bot_data
    try:
        meetings = await services.db.run(changeable_meetings, services.clock)
    except MeetingChangeError as error:
        await message.reply_text(prompts.refusal(error))
        return ConversationHandler.END
    draft = context.user_state.meeting_change = MeetingChangeDraft(meetings)
    key = "meeting_change.ask_meeting" if meetings else "meeting_change.no_meetings"
    await message.reply_text(catalogue.html(key), reply_markup=_meetings_keyboard(draft))
    return CHOOSE


async def more_meetings(update: Update, context: OverlegContext) -> int:
    """The next page of meetings."""
    query, draft = await answered(update, context.user_state.meeting_change)
    draft.offset += PAGE
    await query.edit_message_text(
        catalogue.html("meeting_change.ask_meeting"), reply_markup=_meetings_keyboard(draft)
    )
    return CHOOSE


async def choose_meeting(update: Update, context: OverlegContext) -> int:
    """A meeting is chosen; offer what can be done with it."""
    query, draft = await answered(update, context.user_state.meeting_change)
    draft.entry = chosen(query, draft.meetings)
    choices = [
        (catalogue.plain("meeting_change.move_button"), "adj:a:move"),
        (catalogue.plain("meeting_change.cancel_button"), "adj:a:cancel"),
    ]
    if draft.entry.when.day is None:
        choices.append((catalogue.plain("meeting_change.fix_button"), "adj:a:fix"))
    await query.edit_message_text(
        prompts.chosen(draft.entry), reply_markup=inline_keyboard(choices)
    )
    return ACTION


async def choose_action(update: Update, context: OverlegContext) -> int:
    """Cancelling goes straight to the confirmation; moving and fixing ask for the moment."""
    query, draft = await answered(update, context.user_state.meeting_change)
    assert draft.entry is not None
    draft.action = last_field(query.data)
    if draft.action == "cancel":
        return await _confirmation(update, context, draft, Cancel(draft.entry.key))
    fixing = draft.action == "fix"
    await query.edit_message_text(prompts.ask_day(draft.entry, fixing=fixing))
    return DATE


async def start_add(update: Update, context: OverlegContext) -> int:
    """Adding a meeting: which overleg?"""
    query, draft = await answered(update, context.user_state.meeting_change)
    draft.action = "add"
    draft.overleggen = await context.bot_data.db.run(addable_overleggen)
    choices = [(overleg.name, f"adj:o:{i}") for i, overleg in enumerate(draft.overleggen)]
    await query.edit_message_text(
        catalogue.html("meeting_change.ask_overleg"),
        reply_markup=inline_keyboard(choices, per_row=1),
    )
    return OVERLEG


async def choose_overleg(update: Update, context: OverlegContext) -> int:
    """The overleg of the new meeting is known; ask when."""
    query, draft = await answered(update, context.user_state.meeting_change)
    draft.overleg = chosen(query, draft.overleggen)
    await query.edit_message_text(
        catalogue.html("meeting_change.ask_new_date", title=draft.overleg.name)
    )
    return DATE


async def enter_date(update: Update, context: OverlegContext) -> int:
    """Read the typed moment; on a problem say what is wrong and wait for another try."""
    message = update.effective_message
    draft = context.user_state.meeting_change
    assert message is not None and message.text is not None and draft is not None
    try:
        typed = read_when(message.text, _today(context), allow_month=draft.action == "add")
    except WhenInputError as error:
        await message.reply_text(prompts.input_problem(error.problem))
        return DATE
    return await _confirmation(update, context, draft, _request(draft, typed))


async def confirm(update: Update, context: OverlegContext) -> int:
    """Store the change, tell the participants, and give the coordinator a receipt."""
    query, draft = await answered(update, context.user_state.meeting_change)
    assert draft.request is not None
    context.user_state.meeting_change = None
    if not await ensure_coordinator(update, context):  # demoted while the draft was open
        return ConversationHandler.END
    services = context.bot_data
    try:
        change, keys = await services.db.run(
            apply_and_notify, services.clock, draft.request, actor=query.from_user.id
        )
    except MeetingChangeError as error:
        await query.edit_message_text(prompts.refusal(error))
        return ConversationHandler.END
    try:
        await query.edit_message_text(prompts.applied(change, len(keys)))
    finally:  # the change is stored: the participants hear of it even if the receipt failed
        # Sent in the background: a large group takes a while at Telegram's pace, and the bot
        # must keep answering meanwhile.
        sender = TelegramSender(context.bot, paid_broadcast=services.settings.allow_paid_broadcast)
        context.application.create_task(
            deliver_keys(services.db, services.clock, sender, services.pacer, keys)
        )
        # Reminders of the old moment must not go out while the outbox job sleeps: withdraw and
        # queue them now rather than at its next wake, but after the coordinator has the receipt.
        refresh_outbox_soon(context.application)
    return ConversationHandler.END


def meeting_change_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="meeting_change",
        entry_points=[CommandHandler("wijzig", start_meeting_change)],
        states={
            CHOOSE: [
                CallbackQueryHandler(choose_meeting, pattern=r"^adj:m:\d+$"),
                CallbackQueryHandler(more_meetings, pattern=r"^adj:more$"),
                CallbackQueryHandler(start_add, pattern=r"^adj:add$"),
            ],
            ACTION: [CallbackQueryHandler(choose_action, pattern=r"^adj:a:(move|fix|cancel)$")],
            OVERLEG: [CallbackQueryHandler(choose_overleg, pattern=r"^adj:o:\d+$")],
            DATE: [MessageHandler(filters.TEXT & ~filters.COMMAND, enter_date)],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=r"^adj:ok$"),
                CallbackQueryHandler(aborter("meeting_change"), pattern=r"^adj:no$"),
            ],
        },
        allow_reentry=True,
    )


async def _confirmation(
    update: Update, context: OverlegContext, draft: MeetingChangeDraft, request: Request
) -> int:
    """Show what ``request`` would do, with Bevestigen/Afbreken; or why it cannot be done."""
    services = context.bot_data
    try:
        change = await services.db.run(preview, services.clock, request)
    except MeetingChangeError as error:
        again = error.reason in _TRY_AGAIN
        if not again:
            context.user_state.meeting_change = None
        await _say(update, prompts.refusal(error))
        return DATE if again else ConversationHandler.END
    draft.request = request
    keyboard = inline_keyboard(
        [
            (catalogue.plain("meeting_change.confirm_button"), "adj:ok"),
            (catalogue.plain("meeting_change.abort_button"), "adj:no"),
        ]
    )
    await _say(update, prompts.confirmation(change), keyboard)
    return CONFIRM


def _request(draft: MeetingChangeDraft, typed: WhenInput) -> Request:
    if draft.action == "add":
        assert draft.overleg is not None
        return Add(draft.overleg.code, typed.as_when())
    assert draft.entry is not None and typed.day is not None
    if draft.action == "fix":
        return FixDay(draft.entry.key, typed.day, typed.start, typed.end)
    return Move(draft.entry.key, moved_when(draft.entry.when, typed.day, typed.start, typed.end))


def _meetings_keyboard(draft: MeetingChangeDraft) -> InlineKeyboardMarkup:
    page = draft.meetings[draft.offset : draft.offset + PAGE]
    choices = [
        (prompts.meeting_button(entry), f"adj:m:{draft.offset + i}") for i, entry in enumerate(page)
    ]
    if draft.offset + PAGE < len(draft.meetings):
        choices.append((catalogue.plain("meeting_change.more_button"), "adj:more"))
    choices.append((catalogue.plain("meeting_change.add_button"), "adj:add"))
    return inline_keyboard(choices, per_row=1)


async def _say(update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Edit the message under a pressed button, or answer a typed message."""
    if update.callback_query is not None:
        await update.callback_query.edit_message_text(text, reply_markup=keyboard)
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(text, reply_markup=keyboard)


def _today(context: OverlegContext) -> date:
    services = context.bot_data
    return services.clock.now().astimezone(services.settings.timezone).date()
