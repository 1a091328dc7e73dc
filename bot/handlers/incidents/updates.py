"""A follow-up to an open incident: "Vervolgbericht" under its status message.

A conversation for coordinators: the text (Telegram's formatting kept, as when composing from
empty), the follow-up exactly as members get it, then "Versturen" or "Afbreken". It goes to
every recipient of the incident as a reply to their copy, so they see the thread
(:func:`berichten.incidents.updates.send_update`, once per draft). The draft survives a restart
like the others; the service checks the role and that the incident is open again when it
records.
"""

from __future__ import annotations

from uuid import uuid4

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.incidents.updates import open_incident, send_update, update_text
from bot.button_guards import guarded
from bot.buttons import answered, last_number, redraw
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import IncidentUpdateDraft
from bot.handlers.access import is_coordinator
from bot.incident_status import UPDATE_PREFIX
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.incidents.services import IncidentError

TEXT, CONFIRM = range(2)
SEND, ABORT = "inc:us", "inc:un"
_TEXT = f.TEXT & ~f.COMMAND


def _problem(refused: IncidentError) -> str:
    return catalogue.html(f"incident.problem.{refused.problem}")


async def update_pressed(update: Update, context: OverlegContext) -> int:
    """ "Vervolgbericht": ask the text, for an incident still open."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    chat = query.from_user.id
    incident_id = last_number(query.data)
    try:
        title = await context.bot_data.db.run(open_incident, chat, incident_id)
    except IncidentError as refused:
        await context.bot.send_message(chat, _problem(refused))
        return ConversationHandler.END
    context.user_state.incident_update = IncidentUpdateDraft(incident_id, uuid4().hex, title)
    await context.bot.send_message(chat, catalogue.html("incident.update.ask", title=title))
    return TEXT


async def update_typed(update: Update, context: OverlegContext) -> int:
    """The text: the follow-up as members get it, and the question."""
    message, draft = update.effective_message, context.user_state.incident_update
    assert message is not None and draft is not None
    html, plain = message.text_html or "", message.text or ""
    try:
        shown = update_text(draft.title, html, plain)
    except IncidentError as refused:
        await message.reply_text(_problem(refused))
        return TEXT
    draft.html, draft.plain = html, plain
    await message.reply_text(shown)
    keyboard = inline_keyboard(
        [
            (catalogue.plain("incident.button.send"), SEND),
            (catalogue.plain("meeting_change.abort_button"), ABORT),
        ],
        per_row=1,
    )
    await message.reply_text(catalogue.html("incident.update.confirm"), reply_markup=keyboard)
    return CONFIRM


async def update_confirmed(update: Update, context: OverlegContext) -> int:
    """ "Versturen": record it once and queue it for every recipient, as replies."""
    query, draft = await answered(update, context.user_state.incident_update)
    context.user_state.incident_update = None
    services = context.bot_data
    try:
        title, members = await services.db.run(
            send_update,
            services.clock,
            query.from_user.id,
            draft.incident_id,
            draft.key,
            draft.html,
            draft.plain,
        )
    except IncidentError as refused:
        await redraw(query, _problem(refused), None)
        return ConversationHandler.END
    try:
        await redraw(query, catalogue.html("incident.update.sent", title=title, n=members), None)
    finally:  # recorded and queued: it goes out now, whether or not the answer arrived
        refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def update_aborted(update: Update, context: OverlegContext) -> int:
    query, _draft = await answered(update, context.user_state.incident_update)
    context.user_state.incident_update = None
    await redraw(query, catalogue.html("incident.update.aborted"), None)
    return ConversationHandler.END


async def text_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("incident.text_expected"))
    return TEXT


def update_conversation() -> ConversationHandler[OverlegContext]:
    def button(callback: object, pattern: str) -> CallbackQueryHandler[OverlegContext, object]:
        return CallbackQueryHandler(guarded(callback, is_coordinator), pattern=pattern)  # type: ignore[arg-type]

    return conversation(
        draft="incident_update",
        command="incident-vervolg",  # its stored name; it is not a command
        entry_points=[button(update_pressed, rf"^{UPDATE_PREFIX}\d+$")],
        states={
            TEXT: [MessageHandler(_TEXT, update_typed), MessageHandler(~f.COMMAND, text_expected)],
            CONFIRM: [
                button(update_confirmed, f"^{SEND}$"),
                button(update_aborted, f"^{ABORT}$"),
            ],
        },
    )
