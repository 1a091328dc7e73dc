"""Members submit agenda items in chat (/agendapunt, or the button under the call for items).

/agendapunt is a conversation: the meeting (buttons, skipped when only one agenda is open to the
member), the title, the kind (three buttons: ter bespreking, ter besluitvorming, ter informatie),
an explanation or /overslaan, then a summary with "Indienen", "Wijzigen" and "Annuleren". The
call's button ("Agendapunt aanleveren", ``ai:c:<reference>``) starts it for the meeting the call
names, without the meeting question. The rules live in :mod:`planning.agenda_items`; why it
behaves so: docs/decisions/agenda-items.md ("In chat", "The call for items and the kinds"):

- The draft lives in ``user_data``; nothing is stored before "Indienen".
- Another conversation ends this one (:mod:`bot.conversations`); a draft with a title is kept,
  and /agendapunt (also typed inside the conversation, or the call's button) goes on with it.
- The kind is asked right after the title; a draft stored before kinds were asked has none, and
  "Indienen" asks it first. "Wijzigen" asks everything again, the kind too.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from berichten.agenda_items import submit_and_notify
from berichten.reminders.call import CALL_PREFIX
from bot.buttons import answered, chosen, last_field
from bot.context import OverlegContext
from bot.conversations import buttons_expected, conversation
from bot.drafts import AgendaItemDraft
from bot.handlers.agenda_items import documents, prompts
from bot.handlers.agenda_items.kinds import KIND_PATTERN, kinds_keyboard, pressed_kind
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.agenda_items.call import REFERENCE_LENGTH
from planning.agenda_items.rules import (
    AgendaItemError,
    AgendaItemRefusal,
    OpenMeeting,
    clean_explanation,
    clean_title,
)
from planning.agenda_items.services import called_meeting, open_meetings

# Stored with the conversation (bot.persistence): numbers once given stay, new steps go after.
CHOOSE, TITLE, EXPLANATION, CONFIRM, KIND = range(5)
MEETING_PREFIX = "ai:m:"
SUBMIT, EDIT, DROP = "ai:ok", "ai:edit", "ai:no"


async def start_item(update: Update, context: OverlegContext) -> int:
    """/agendapunt: offer the meetings whose agenda is open to this member."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    meetings = await services.db.run(open_meetings, services.clock, user.id)
    return await _start(message, context, meetings)


async def start_from_call(update: Update, context: OverlegContext) -> int:
    """The call's "Agendapunt aanleveren": /agendapunt for the meeting the call names."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    if _kept(context) is not None:  # typed text goes first, as with /agendapunt
        return await start_item(update, context)
    services = context.bot_data
    meeting = await services.db.run(
        called_meeting, services.clock, query.from_user.id, last_field(query.data)
    )
    if meeting is None:  # the agenda closed, or the member no longer takes part
        context.user_state.agenda_item = None
        await query.message.reply_text(prompts.call_closed_text())
        return ConversationHandler.END
    return await _start(query.message, context, [meeting])


def _kept(context: OverlegContext) -> AgendaItemDraft | None:
    """A draft with a title to go on with (interrupted, or /agendapunt typed inside it)."""
    kept = context.user_state.agenda_item
    if kept is not None and kept.resume_at is None and kept.title and kept.step is not None:
        kept.resume_at = kept.step  # /agendapunt typed inside the conversation: go on with it
    return kept if kept is not None and kept.resume_at is not None else None


async def _start(message: Message, context: OverlegContext, meetings: list[OpenMeeting]) -> int:
    kept = _kept(context)
    if kept is not None:
        return await _resume(message, context, kept, meetings)
    if not meetings:
        context.user_state.agenda_item = None
        await message.reply_text(prompts.nothing_open_text())
        return ConversationHandler.END
    draft = context.user_state.agenda_item = AgendaItemDraft(meetings)
    text, keyboard, state = _first_question(draft)
    await message.reply_text(text, reply_markup=keyboard)
    return state


async def _resume(
    message: Message, context: OverlegContext, draft: AgendaItemDraft, meetings: list[OpenMeeting]
) -> int:
    """/agendapunt after another conversation interrupted this one: go on where it stopped."""
    step, draft.resume_at = draft.resume_at, None
    chosen = draft.meeting.entry.key if draft.meeting is not None else None
    draft.meetings = meetings
    draft.meeting = next((m for m in meetings if m.entry.key == chosen), None)
    if draft.meeting is None:  # its agenda closed in the meantime
        if not meetings:
            context.user_state.agenda_item = None
            await message.reply_text(
                prompts.closed_nothing_open_text(draft.title, draft.explanation)
            )
            return ConversationHandler.END
        draft.rechoosing = True
        await message.reply_text(
            prompts.closed_choose_other_text(meetings, meetings[0].zone),
            reply_markup=_meetings_keyboard(meetings),
        )
        return CHOOSE
    resumed = catalogue.html("agenda_item.chat.resumed", title=draft.title)
    if step == KIND:
        await message.reply_text(
            f"{resumed}\n{prompts.ask_kind_text()}", reply_markup=kinds_keyboard()
        )
        return KIND
    if step == EXPLANATION:
        await message.reply_text(f"{resumed}\n{prompts.ask_explanation_text()}")
        return EXPLANATION
    text, keyboard = _summary(draft)
    await message.reply_text(f"{resumed}\n\n{text}", reply_markup=keyboard)
    return CONFIRM


def _interrupted(context: OverlegContext, state: object) -> str:
    """Another conversation began: keep a draft with a typed title for /agendapunt to go on
    with; one without is a press or two, and is dropped."""
    draft = context.user_state.agenda_item
    if draft is None or not draft.title:
        context.user_state.agenda_item = None
        return catalogue.html("conversation.interrupted", command="agendapunt")
    draft.resume_at = state if state in (KIND, EXPLANATION) else CONFIRM
    return catalogue.html("agenda_item.chat.interrupted_kept", title=draft.title)


def _cancelled(context: OverlegContext) -> str:
    """/annuleren: name the item dropped, once it has a title; before that, nothing was typed."""
    draft = context.user_state.agenda_item
    if draft is None or not draft.title:
        return catalogue.html("conversation.cancelled")
    return catalogue.html("agenda_item.chat.cancelled", title=draft.title)


async def _drop(update: Update, context: OverlegContext) -> int:
    """The "Annuleren" button under the summary: as /annuleren."""
    query, _draft = await answered(update, context.user_state.agenda_item)
    text = _cancelled(context)
    context.user_state.agenda_item = None
    await query.edit_message_text(text)
    return ConversationHandler.END


async def choose_meeting(update: Update, context: OverlegContext) -> int:
    """The meeting is known; ask for the title."""
    query, draft = await answered(update, context.user_state.agenda_item)
    draft.meeting = chosen(query, draft.meetings)
    if draft.rechoosing:  # title and explanation were kept: straight back to the summary
        draft.rechoosing = False
        text, keyboard = _summary(draft)
        await query.edit_message_text(text, reply_markup=keyboard)
        return CONFIRM
    await query.edit_message_text(_ask_title(draft.meeting))
    return TITLE


async def enter_title(update: Update, context: OverlegContext) -> int:
    """Take the title if it is usable; otherwise say why (with the limit) and wait."""
    message, draft = _typed(update, context)
    try:
        draft.title = clean_title(message.text or "")
    except AgendaItemError as refused:
        await message.reply_text(prompts.refusal_text(refused.reason, refused.limit))
        return TITLE
    draft.step = KIND
    await message.reply_text(prompts.ask_kind_text(), reply_markup=kinds_keyboard())
    return KIND


async def choose_kind(update: Update, context: OverlegContext) -> int:
    """The kind is known: ask for the explanation, or (asked at "Indienen") back to the
    summary."""
    query, draft = await answered(update, context.user_state.agenda_item)
    draft.kind = pressed_kind(query.data)
    if draft.step == CONFIRM:
        text, keyboard = _summary(draft)
        await query.edit_message_text(text, reply_markup=keyboard)
        return CONFIRM
    draft.step = EXPLANATION
    chosen_kind = prompts.kind_chosen_text(draft.kind)
    await query.edit_message_text(f"{chosen_kind}\n{prompts.ask_explanation_text()}")
    return EXPLANATION


async def kind_typed(update: Update, context: OverlegContext) -> int:
    """Text where a kind button is expected: ask again, with the buttons."""
    message, _draft = _typed(update, context)
    await message.reply_text(
        catalogue.html("agenda_item.kind.use_buttons"), reply_markup=kinds_keyboard()
    )
    return KIND


async def enter_explanation(update: Update, context: OverlegContext) -> int:
    """Take the explanation if it fits; otherwise say why (with the limit) and wait."""
    message, draft = _typed(update, context)
    try:
        draft.explanation = clean_explanation(message.text)
    except AgendaItemError as refused:
        await message.reply_text(prompts.refusal_text(refused.reason, refused.limit))
        return EXPLANATION
    return await _summarise(message, draft)


async def skip_explanation(update: Update, context: OverlegContext) -> int:
    """/overslaan: no explanation."""
    message, draft = _typed(update, context)
    draft.explanation = None
    return await _summarise(message, draft)


async def confirm(update: Update, context: OverlegContext) -> int:
    """The "Indienen" button: store the item, tell the coordinators, confirm to the member."""
    query, draft = await answered(update, context.user_state.agenda_item)
    assert draft.meeting is not None
    if draft.kind is None:  # a draft from before kinds were asked: ask it now
        await query.edit_message_text(prompts.ask_kind_text(), reply_markup=kinds_keyboard())
        return KIND
    services = context.bot_data
    try:
        item, _queued = await services.db.run(
            submit_and_notify,
            services.clock,
            query.from_user.id,
            draft.meeting.entry.key,
            draft.title,
            draft.explanation,
            documents=draft.documents,
            kind=draft.kind,
        )
    except AgendaItemError as refused:
        return await _refused(query, context, draft, refused)
    context.user_state.agenda_item = None  # only now: a refusal keeps what was typed
    try:
        await query.edit_message_text(
            prompts.submitted_text(item), reply_markup=documents.attach_keyboard(item)
        )
    finally:
        # The notices go out now, and a pending reminder of this meeting shows the item; also
        # when the answer failed, or they would wait up to an hour for the job.
        refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def _refused(
    query: CallbackQuery,
    context: OverlegContext,
    draft: AgendaItemDraft,
    refused: AgendaItemError,
) -> int:
    """The agenda closed (or the meeting was cancelled) while the member was typing: keep the
    title and explanation and offer the meetings still open; with none, show the text."""
    services = context.bot_data
    meetings = []
    if refused.reason is AgendaItemRefusal.NOT_OPEN:
        meetings = await services.db.run(open_meetings, services.clock, query.from_user.id)
    if not meetings:
        context.user_state.agenda_item = None
        if refused.reason is AgendaItemRefusal.NOT_OPEN:
            text = prompts.closed_nothing_open_text(draft.title, draft.explanation)
        else:  # no longer a participant, or no longer a member
            text = prompts.refusal_text(refused.reason)
        await query.edit_message_text(text)
        return ConversationHandler.END
    draft.meetings, draft.meeting, draft.rechoosing = meetings, None, True
    await query.edit_message_text(
        prompts.closed_choose_other_text(meetings, meetings[0].zone),
        reply_markup=_meetings_keyboard(meetings),
    )
    return CHOOSE


async def edit(update: Update, context: OverlegContext) -> int:
    """The "Wijzigen" button: ask everything again, from the first question."""
    query, draft = await answered(update, context.user_state.agenda_item)
    draft.rechoosing, draft.step = False, None
    text, keyboard, state = _first_question(draft)
    await query.edit_message_text(text, reply_markup=keyboard)
    return state


def agenda_item_conversation() -> ConversationHandler[OverlegContext]:
    text = filters.TEXT & ~filters.COMMAND
    return conversation(
        draft="agenda_item",
        interrupted=_interrupted,
        cancelled=_cancelled,
        entry_points=[
            CommandHandler("agendapunt", start_item, filters=filters.ChatType.PRIVATE),
            CallbackQueryHandler(
                start_from_call, pattern=rf"^{CALL_PREFIX}[0-9a-f]{{{REFERENCE_LENGTH}}}$"
            ),
        ],
        states={
            CHOOSE: [
                CallbackQueryHandler(choose_meeting, pattern=rf"^{MEETING_PREFIX}\d+$"),
                buttons_expected(CHOOSE),
            ],
            TITLE: [MessageHandler(text, enter_title)],
            KIND: [
                CallbackQueryHandler(choose_kind, pattern=KIND_PATTERN),
                MessageHandler(text, kind_typed),
                *documents.in_draft(KIND),
            ],
            EXPLANATION: [
                MessageHandler(text, enter_explanation),
                CommandHandler("overslaan", skip_explanation),
                *documents.in_draft(EXPLANATION),
            ],
            CONFIRM: [
                CallbackQueryHandler(confirm, pattern=f"^{SUBMIT}$"),
                CallbackQueryHandler(edit, pattern=f"^{EDIT}$"),
                CallbackQueryHandler(_drop, pattern=f"^{DROP}$"),
                *documents.in_draft(CONFIRM, _summarise),
            ],
        },
        # /agendapunt again goes on with a draft that has a title, or starts a new one; other
        # commands in between leave this one be.
        allow_reentry=True,
    )


# ---------------------------------------------------------------------------- helpers


def _first_question(draft: AgendaItemDraft) -> tuple[str, InlineKeyboardMarkup | None, int]:
    """The meeting choice, or, with one meeting open, straight on to the title."""
    if len(draft.meetings) == 1:
        draft.meeting = draft.meetings[0]
        return _ask_title(draft.meeting), None, TITLE
    # The plan's zone, as in the reminders, whatever OVERLEGBOT_TIMEZONE says.
    text = prompts.choose_meeting_text(draft.meetings, draft.meetings[0].zone)
    return text, _meetings_keyboard(draft.meetings), CHOOSE


def _meetings_keyboard(meetings: list[OpenMeeting]) -> InlineKeyboardMarkup:
    choices = [
        (prompts.meeting_label(meeting), f"{MEETING_PREFIX}{index}")
        for index, meeting in enumerate(meetings)
    ]
    return inline_keyboard(choices, per_row=1)


def _ask_title(meeting: OpenMeeting) -> str:
    return prompts.ask_title_text(meeting, meeting.zone)


async def _summarise(message: Message, draft: AgendaItemDraft) -> int:
    text, keyboard = _summary(draft)
    await message.reply_text(text, reply_markup=keyboard)
    return CONFIRM


def _summary(draft: AgendaItemDraft) -> tuple[str, InlineKeyboardMarkup]:
    assert draft.meeting is not None
    draft.step = CONFIRM
    keyboard = inline_keyboard(
        [
            (catalogue.plain("agenda_item.chat.submit_button"), SUBMIT),
            (catalogue.plain("agenda_item.chat.edit_button"), EDIT),
            (catalogue.plain("agenda_item.chat.drop_button"), DROP),
        ],
        per_row=3,
    )
    summary = prompts.submission_summary(
        draft.meeting, draft.title, draft.explanation, draft.kind, draft.documents
    )
    return summary, keyboard


def _typed(update: Update, context: OverlegContext) -> tuple[Message, AgendaItemDraft]:
    message = update.effective_message
    draft = context.user_state.agenda_item
    # The conversation's states exist only while a draft does: both are set and dropped together.
    assert message is not None and draft is not None
    return message, draft
