"""/incident: a coordinator fills in an incident template (or starts empty), chooses whom it
is for, sees it exactly as members will, and sends it ahead of everything else.

A conversation: a template from the plan, or "Leeg beginnen"; each placeholder the template
uses (``{plaats}``, ``{datum}``, ``{wat}``), typed one at a time (from empty: ``{wat}`` as the
heading, then the message itself); the audience, preset to the communication advisers and
contact persons; then the preview, the very message with its buttons, and "Versturen" or
"Afbreken". Four eyes is off by default, speed matters more (issue 14); with
``OVERLEGBOT_INCIDENT_APPROVAL`` on, "Versturen" asks another coordinator to approve it first
(:mod:`bot.handlers.incidents.approval`).

The draft is the coordinator's own and survives a restart (:mod:`bot.persistence`). Every
button is a coordinator's (``guarded(..., is_coordinator)``), and the send checks the role
again in its transaction. "Versturen" records the incident under the draft's key once.
"""

from __future__ import annotations

from uuid import uuid4

from telegram import CallbackQuery, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.incidents.approval import submit_for_approval
from berichten.incidents.sending import buttons, preview, send_incident
from berichten.texts import incidents as texts
from bot.button_guards import guarded
from bot.buttons import answered, chosen, redraw
from bot.context import OverlegContext
from bot.conversations import aborter, conversation
from bot.drafts import IncidentDraft
from bot.handlers.access import ensure_coordinator, is_coordinator
from bot.handlers.audience import toggled
from bot.handlers.incidents import prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.incidents.services import (
    IncidentError,
    IncidentProblem,
    checked_message,
    checked_value,
    default_audience,
    templates,
)
from planning.newsletters.issues import audience_choices, count_members

CHOOSE, VALUE, TEXT, AUDIENCE, CONFIRM = range(5)
_TEXT = f.TEXT & ~f.COMMAND
PREVIEW = "in:pv"


async def start_incident(update: Update, context: OverlegContext) -> int:
    """/incident: the plan's templates and "Leeg beginnen"; coordinators only."""
    assert update.effective_message is not None
    if not await ensure_coordinator(update, context):
        return ConversationHandler.END
    draft = IncidentDraft(key=uuid4().hex)
    draft.templates = await context.bot_data.db.run(templates)
    context.user_state.incident = draft
    await update.effective_message.reply_text(
        catalogue.html("incident.ask_template"), reply_markup=prompts.templates_keyboard(draft)
    )
    return CHOOSE


async def template_chosen(update: Update, context: OverlegContext) -> int:
    query, draft = await answered(update, context.user_state.incident)
    if query.data == prompts.EMPTY:
        draft.template, draft.asking = None, ["wat"]
    else:
        draft.template = chosen(query, draft.templates)
        draft.asking = draft.template.placeholders()
    message = await _without_buttons(query)
    if not draft.asking:
        return await _ask_audience(message, context, draft)
    await message.reply_text(prompts.question(draft.asking[0]))
    return VALUE


async def value_typed(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context)
    try:
        draft.values[draft.asking[0]] = checked_value(message.text or "")
    except IncidentError as refused:
        await message.reply_text(prompts.problem(refused))
        return VALUE
    draft.asking.pop(0)
    if draft.asking:
        await message.reply_text(prompts.question(draft.asking[0]))
        return VALUE
    if draft.template is None:
        await message.reply_text(catalogue.html("incident.ask_text"))
        return TEXT
    return await _ask_audience(message, context, draft)


async def value_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("incident.value_expected"))
    return VALUE


async def text_typed(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context)
    try:
        draft.text = checked_message(message.text_html or "", message.text or "")
    except IncidentError as refused:
        await message.reply_text(prompts.problem(refused))
        return TEXT
    return await _ask_audience(message, context, draft)


async def text_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("incident.text_expected"))
    return TEXT


async def _ask_audience(message: Message, context: OverlegContext, draft: IncidentDraft) -> int:
    db = context.bot_data.db
    if draft.template is not None:
        draft.message = texts.from_template(draft.title, draft.template.filled(draft.values))
    else:
        draft.message = texts.from_text(draft.title, draft.text)
    draft.groups, draft.organisations = await db.run(audience_choices)
    preset = await db.run(default_audience)
    draft.everyone, draft.chosen_groups = preset.everyone, list(preset.groups)
    members = await db.run(count_members, draft.incident().audience)
    await message.reply_text(
        prompts.audience_text(members), reply_markup=prompts.audience_keyboard(draft)
    )
    return AUDIENCE


async def audience_toggled(update: Update, context: OverlegContext) -> int:
    """ "Iedereen", a group or an organisation: chosen or not; a group or organisation chosen
    means not everyone."""
    query, draft = await answered(update, context.user_state.incident)
    db = context.bot_data.db
    await toggled(
        query, draft, prompts.AUDIENCE, db, lambda: draft.incident().audience, prompts.audience_text
    )
    return AUDIENCE


async def audience_done(update: Update, context: OverlegContext) -> int:
    """ "Verder": the message exactly as members get it, buttons and all, and the question."""
    query = update.callback_query
    draft = context.user_state.incident
    assert query is not None and draft is not None
    try:
        shown = await context.bot_data.db.run(preview, draft.incident())
    except IncidentError as refused:
        await query.answer(catalogue.plain(f"incident.problem.{refused.problem}"), show_alert=True)
        return AUDIENCE
    if not draft.incident().audience.chosen or not shown.members:
        problem = "no_audience" if not draft.incident().audience.chosen else "nobody"
        await query.answer(catalogue.plain(f"incident.problem.{problem}"), show_alert=True)
        return AUDIENCE
    await query.answer()
    await _without_buttons(query)
    chat = query.from_user.id
    # The members' buttons, with data the conversation answers as a preview.
    labels = [label for row in buttons(0) for label, _data in row]
    keyboard = inline_keyboard([(label, PREVIEW) for label in labels], per_row=2)
    await context.bot.send_message(chat, shown.text, reply_markup=keyboard)
    await context.bot.send_message(
        chat,
        catalogue.html("incident.confirm", n=shown.members),
        reply_markup=prompts.confirm_keyboard(),
    )
    return CONFIRM


async def preview_pressed(update: Update, _context: OverlegContext) -> int:
    assert update.callback_query is not None
    await update.callback_query.answer(catalogue.plain("incident.preview_press"), show_alert=True)
    return CONFIRM


async def send_pressed(update: Update, context: OverlegContext) -> int:
    """ "Versturen": record the incident once and queue it for everyone, in one unit."""
    query, draft = await answered(update, context.user_state.incident)
    services = context.bot_data
    try:
        assert isinstance(query.message, Message)
        status = (query.message.chat.id, query.message.message_id)
        if services.settings.incident_approval:
            _incident_id, asked = await services.db.run(
                submit_for_approval, services.clock, query.from_user.id, draft.incident()
            )
            answer = catalogue.html("incident.awaiting", title=draft.title, n=asked)
        else:
            _incident_id, members = await services.db.run(
                send_incident, services.clock, query.from_user.id, draft.incident(), status
            )
            answer = catalogue.html("incident.sent", title=draft.title, n=members)
    except IncidentError as refused:
        if refused.problem is IncidentProblem.NO_APPROVER:  # the draft stays, nothing is sent
            await context.bot.send_message(query.from_user.id, prompts.problem(refused))
            return CONFIRM
        context.user_state.incident = None
        await redraw(query, prompts.problem(refused), None)
        return ConversationHandler.END
    context.user_state.incident = None
    try:
        await redraw(query, answer, None)
    finally:  # recorded and queued: it goes out now, whether or not the answer arrived
        refresh_outbox_soon(context.application)
    return ConversationHandler.END


def incident_conversation() -> ConversationHandler[OverlegContext]:
    def button(callback: object, pattern: str) -> CallbackQueryHandler[OverlegContext, object]:
        return CallbackQueryHandler(guarded(callback, is_coordinator), pattern=pattern)  # type: ignore[arg-type]

    return conversation(
        draft="incident",
        entry_points=[CommandHandler("incident", start_incident, filters=f.ChatType.PRIVATE)],
        states={
            CHOOSE: [button(template_chosen, rf"^({prompts.TEMPLATE_PREFIX}\d+|{prompts.EMPTY})$")],
            VALUE: [MessageHandler(_TEXT, value_typed), MessageHandler(~f.COMMAND, value_expected)],
            TEXT: [MessageHandler(_TEXT, text_typed), MessageHandler(~f.COMMAND, text_expected)],
            AUDIENCE: [
                button(
                    audience_toggled,
                    prompts.AUDIENCE.toggle_pattern,
                ),
                button(audience_done, f"^{prompts.AUDIENCE.done}$"),
            ],
            CONFIRM: [
                button(send_pressed, f"^{prompts.SEND}$"),
                button(preview_pressed, f"^{PREVIEW}$"),
                button(aborter("incident"), f"^{prompts.ABORT}$"),
            ],
        },
    )


async def _without_buttons(query: CallbackQuery) -> Message:
    """The message under the pressed button, its choice made: the same text, no buttons."""
    assert isinstance(query.message, Message)
    await redraw(query, query.message.text_html, None)
    return query.message


def _typed(update: Update, context: OverlegContext) -> tuple[Message, IncidentDraft]:
    message, draft = update.effective_message, context.user_state.incident
    assert message is not None and draft is not None
    return message, draft
