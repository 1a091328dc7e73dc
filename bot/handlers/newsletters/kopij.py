"""/nieuws, /mijnnieuws and the coordinators' decision buttons on kopij.

/nieuws is a conversation of two steps: a title, then the item itself (a text with Telegram's
formatting kept as HTML, a photo or a document, with an optional caption). The coordinators get
it with three buttons; "Niet opnemen" asks for an optional reason (/geen: none), which the
sender reads. What became of an item reaches its sender through the outbox; /mijnnieuws lists
their latest items.

Only text, photos and documents are taken: a sticker, voice message or video note is refused
with a Dutch reason, and the step waits for something it can pass on.
"""

from __future__ import annotations

from typing import TypeVar

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.newsletters.kopij import (
    DECISIONS,
    DECLINE_PREFIX,
    FORWARD_PREFIX,
    SET_ASIDE_PREFIX,
    decide_and_notify,
    send_in_and_notify,
)
from berichten.texts import newsletters as texts
from bot.button_guards import guarded
from bot.buttons import last_number, redraw
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import KopijDeclineDraft, KopijDraft
from bot.handlers.access import is_coordinator
from bot.outbox_job import refresh_outbox_soon
from bot.uploads import uploaded_media
from planning import catalogue
from planning.newsletters.rules import KopijError, KopijProblem, checked_title
from planning.newsletters.services import Kopij, kopij_by_id, mine
from planning.newsletters.tables import KopijKind, KopijStatus

TITLE, CONTENT = range(2)
REASON = 0
Draft = TypeVar("Draft")
_TEXT = f.TEXT & ~f.COMMAND
_MEDIA = f.PHOTO | f.Document.ALL
_OTHER = ~f.COMMAND & ~_TEXT & ~_MEDIA


async def start_kopij(update: Update, context: OverlegContext) -> int:
    assert update.effective_message is not None
    context.user_state.kopij = KopijDraft()
    await update.effective_message.reply_text(catalogue.html("kopij.ask_title"))
    return TITLE


async def title_typed(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context.user_state.kopij)
    try:
        draft.title = checked_title(message.text or "")
    except KopijError as refused:
        await message.reply_text(_problem(refused))
        return TITLE
    await message.reply_text(catalogue.html("kopij.ask_content"))
    return CONTENT


async def content_sent(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context.user_state.kopij)
    services = context.bot_data
    try:
        item, queued = await services.db.run(
            send_in_and_notify, services.clock, message.chat_id, _kopij(message, draft.title)
        )
    except KopijError as refused:
        await message.reply_text(_problem(refused))
        return CONTENT
    context.user_state.kopij = None
    await message.reply_text(catalogue.html("kopij.sent_in", title=item.title))
    if queued:
        refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def content_unsupported(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("kopij.problem.unsupported"))
    return CONTENT


def _kopij(message: Message, title: str) -> Kopij:
    media = uploaded_media(message)
    if media is not None:
        kind = KopijKind(media.kind.value)
        return Kopij(title, kind, message.caption_html or "", message.caption or "", media.file_id)
    return Kopij(title, KopijKind.TEXT, message.text_html or "", message.text or "")


async def decision_button(update: Update, context: OverlegContext) -> None:
    """ "Nu doorsturen aan iedereen" and "Voor de nieuwsbrief": decide, show it in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    status = DECISIONS[query.data[: len(FORWARD_PREFIX)]]
    await _decide(update, context, last_number(query.data), status, None)


async def ask_reason(update: Update, context: OverlegContext) -> int:
    """ "Niet opnemen": ask for an optional reason before deciding."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    item = await services.db.run(kopij_by_id, last_number(query.data))
    if item is None or item.status is not KopijStatus.WAITING:
        await redraw(query, _problem(KopijError(_settled(item))), None)
        return ConversationHandler.END
    context.user_state.kopij_decline = KopijDeclineDraft(item.id, item.title)
    await context.bot.send_message(
        query.from_user.id, catalogue.html("kopij.ask_reason", title=item.title)
    )
    return REASON


async def reason_typed(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context.user_state.kopij_decline)
    return await _decline(update, context, draft, message.text)


async def no_reason(update: Update, context: OverlegContext) -> int:
    _, draft = _typed(update, context.user_state.kopij_decline)
    return await _decline(update, context, draft, None)


async def _decline(
    update: Update, context: OverlegContext, draft: KopijDeclineDraft, reason: str | None
) -> int:
    context.user_state.kopij_decline = None
    await _decide(update, context, draft.kopij_id, KopijStatus.DECLINED, reason)
    return ConversationHandler.END


async def _decide(
    update: Update,
    context: OverlegContext,
    kopij_id: int,
    status: KopijStatus,
    reason: str | None,
) -> None:
    services = context.bot_data
    user = update.effective_user
    assert user is not None
    try:
        item, forwarded = await services.db.run(
            decide_and_notify, services.clock, user.id, kopij_id, status, reason
        )
        answer = texts.decided_here(item, user.full_name, forwarded)
    except KopijError as refused:
        answer = _problem(refused)
    else:
        refresh_outbox_soon(context.application)
    if update.callback_query is not None:
        await redraw(update.callback_query, answer, None)
    else:
        assert update.effective_message is not None
        await update.effective_message.reply_text(answer)


async def my_kopij_command(update: Update, context: OverlegContext) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    items = await context.bot_data.db.run(mine, update.effective_user.id)
    await update.effective_message.reply_text(texts.my_kopij(items))


def kopij_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="kopij",
        entry_points=[CommandHandler("nieuws", start_kopij, filters=f.ChatType.PRIVATE)],
        states={
            TITLE: [MessageHandler(_TEXT, title_typed)],
            CONTENT: [
                MessageHandler(_TEXT | _MEDIA, content_sent),
                MessageHandler(_OTHER, content_unsupported),
            ],
        },
    )


def decline_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="kopij_decline",
        command="nieuws-besluit",  # its stored name; it is not a command
        interrupted=_decline_interrupted,
        entry_points=[
            CallbackQueryHandler(
                guarded(ask_reason, is_coordinator), pattern=rf"^{DECLINE_PREFIX}\d+$"
            )
        ],
        states={
            REASON: [MessageHandler(_TEXT, reason_typed), CommandHandler("geen", no_reason)],
        },
    )


def decision_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    pattern = rf"^({FORWARD_PREFIX}|{SET_ASIDE_PREFIX})\d+$"
    return CallbackQueryHandler(guarded(decision_button, is_coordinator), pattern=pattern)


def _decline_interrupted(context: OverlegContext, _state: object) -> str:
    draft = context.user_state.kopij_decline
    context.user_state.kopij_decline = None
    title = draft.title if draft is not None else ""
    return catalogue.html("kopij.decline_interrupted", title=title)


def _settled(item: object) -> KopijProblem:
    return KopijProblem.GONE if item is None else KopijProblem.DECIDED


def _problem(refused: KopijError) -> str:
    return catalogue.html(f"kopij.problem.{refused.problem}")


def _typed(update: Update, draft: Draft | None) -> tuple[Message, Draft]:
    message = update.effective_message
    assert message is not None and draft is not None
    return message, draft
