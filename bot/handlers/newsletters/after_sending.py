"""After a newsletter is sent: "Corrigeren" and "Intrekken", under the coordinator's report
(bot/newsletter_progress.py) and under an issue a coordinator opens in /nieuwsbrieven.

"Corrigeren" is a conversation: the corrected text (Telegram's formatting kept, as when
composing), the messages it changes as members will see them, then "Correctie versturen" or
"Afbreken". The draft holds the version the coordinator corrects: of two presses, or two
coordinators, one correction per version goes through, the other is told it was corrected
meanwhile (:func:`planning.newsletters.after_sending.record_correction`). "Intrekken" asks
first. The pressed confirmation becomes the progress message of the correction or withdrawal,
edited to the report at the end.

Every button is a coordinator's (``guarded(..., is_coordinator)``); the services check the role
again in the transaction that records.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.newsletters.corrections import correct_issue, corrected_parts, withdraw_issue
from bot.button_guards import guarded
from bot.buttons import answered, last_number, redraw
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import CorrectionDraft
from bot.handlers.access import is_coordinator
from bot.keyboards import inline_keyboard
from bot.newsletter_progress import CORRECT_PREFIX, WITHDRAW_PREFIX
from bot.outbox_job import refresh_outbox_soon
from bot.telegram_sender import send_as_message
from planning import catalogue
from planning.newsletters.after_sending import correctable
from planning.newsletters.issues import IssueError, IssueProblem

TEXT, CONFIRM = range(2)
SEND_CORRECTION, ABORT_CORRECTION = "nbx:cy", "nbx:cn"
WITHDRAW_YES, WITHDRAW_NO = "nbx:wy:", "nbx:wn"
_TEXT = f.TEXT & ~f.COMMAND
# Refusals after which the correction cannot go on: the conversation ends.
_FINAL = {IssueProblem.GONE, IssueProblem.WITHDRAWN, IssueProblem.NOT_COORDINATOR}


def _problem(refused: IssueError) -> str:
    return catalogue.html(f"newsletter.problem.{refused.problem}")


async def correct_pressed(update: Update, context: OverlegContext) -> int:
    """ "Corrigeren": ask the corrected text of the issue as it stands now."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    chat = query.from_user.id
    try:
        issue = await context.bot_data.db.run(correctable, chat, last_number(query.data))
    except IssueError as refused:
        await context.bot.send_message(chat, _problem(refused))
        return ConversationHandler.END
    context.user_state.newsletter_correction = CorrectionDraft(issue.id, issue.version, issue.title)
    asked = catalogue.html("newsletter.correct.ask", title=issue.title)
    await context.bot.send_message(chat, asked)
    return TEXT


async def correction_typed(update: Update, context: OverlegContext) -> int:
    """The corrected text: the messages it changes, as members will see them, and the question."""
    message, draft = update.effective_message, context.user_state.newsletter_correction
    assert message is not None and draft is not None and update.effective_user is not None
    html, plain = message.text_html or "", message.text or ""
    try:
        _issue, _text, changed = await context.bot_data.db.run(
            corrected_parts, update.effective_user.id, draft.issue_id, html, plain
        )
    except IssueError as refused:
        await message.reply_text(_problem(refused))
        if refused.problem in _FINAL:
            context.user_state.newsletter_correction = None
            return ConversationHandler.END
        return TEXT
    draft.html, draft.plain = html, plain
    for part in changed.values():
        await send_as_message(context.bot, message.chat_id, part.text, None, part.media)
    keyboard = inline_keyboard(
        [
            (catalogue.plain("newsletter.button.send_correction"), SEND_CORRECTION),
            (catalogue.plain("meeting_change.abort_button"), ABORT_CORRECTION),
        ],
        per_row=1,
    )
    await message.reply_text(
        catalogue.html("newsletter.correct.confirm", n=len(changed)), reply_markup=keyboard
    )
    return CONFIRM


async def correction_confirmed(update: Update, context: OverlegContext) -> int:
    """ "Correctie versturen": record it once and queue it; this message shows how it goes."""
    query, draft = await answered(update, context.user_state.newsletter_correction)
    context.user_state.newsletter_correction = None
    services = context.bot_data
    assert query.message is not None
    progress = (query.message.chat.id, query.message.message_id)
    try:
        issue = await services.db.run(
            correct_issue,
            services.clock,
            query.from_user.id,
            draft.issue_id,
            draft.version,
            draft.html,
            draft.plain,
            progress,
        )
    except IssueError as refused:
        await redraw(query, _problem(refused), None)
        return ConversationHandler.END
    try:
        await redraw(query, catalogue.html("newsletter.correct.started", title=issue.title), None)
    finally:  # recorded and queued: it goes out now, whether or not the answer arrived
        refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def correction_aborted(update: Update, context: OverlegContext) -> int:
    query, _draft = await answered(update, context.user_state.newsletter_correction)
    context.user_state.newsletter_correction = None
    await redraw(query, catalogue.html("newsletter.correct.aborted"), None)
    return ConversationHandler.END


async def text_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("newsletter.text_expected"))
    return TEXT


async def withdraw_pressed(update: Update, context: OverlegContext) -> None:
    """ "Intrekken": ask first; withdrawing cannot be undone."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    chat = query.from_user.id
    try:
        issue = await context.bot_data.db.run(correctable, chat, last_number(query.data))
    except IssueError as refused:
        await context.bot.send_message(chat, _problem(refused))
        return
    keyboard = inline_keyboard(
        [
            (catalogue.plain("newsletter.button.withdraw_yes"), f"{WITHDRAW_YES}{issue.id}"),
            (catalogue.plain("newsletter.button.withdraw_no"), WITHDRAW_NO),
        ],
        per_row=2,
    )
    await context.bot.send_message(
        chat, catalogue.html("newsletter.withdraw.ask", title=issue.title), reply_markup=keyboard
    )


async def withdraw_answered(update: Update, context: OverlegContext) -> None:
    """ "Ja, intrekken": record it once, stop what is queued, delete what was delivered."""
    query = update.callback_query
    assert query is not None and query.message is not None
    await query.answer()
    if query.data == WITHDRAW_NO:
        await redraw(query, catalogue.html("newsletter.withdraw.kept"), None)
        return
    services = context.bot_data
    progress = (query.message.chat.id, query.message.message_id)
    try:
        issue = await services.db.run(
            withdraw_issue,
            services.clock,
            query.from_user.id,
            last_number(query.data),
            progress,
        )
    except IssueError as refused:
        await redraw(query, _problem(refused), None)
        return
    try:
        await redraw(query, catalogue.html("newsletter.withdraw.started", title=issue.title), None)
    finally:
        refresh_outbox_soon(context.application)


def correction_conversation() -> ConversationHandler[OverlegContext]:
    def button(callback: object, pattern: str) -> CallbackQueryHandler[OverlegContext, object]:
        return CallbackQueryHandler(guarded(callback, is_coordinator), pattern=pattern)  # type: ignore[arg-type]

    return conversation(
        draft="newsletter_correction",
        command="nieuwsbrief-correctie",  # its stored name; it is not a command
        entry_points=[button(correct_pressed, rf"^{CORRECT_PREFIX}\d+$")],
        states={
            TEXT: [
                MessageHandler(_TEXT, correction_typed),
                MessageHandler(~f.COMMAND, text_expected),
            ],
            CONFIRM: [
                button(correction_confirmed, f"^{SEND_CORRECTION}$"),
                button(correction_aborted, f"^{ABORT_CORRECTION}$"),
            ],
        },
    )


def withdraw_button_handlers() -> list[CallbackQueryHandler[OverlegContext, None]]:
    return [
        CallbackQueryHandler(
            guarded(withdraw_pressed, is_coordinator), pattern=rf"^{WITHDRAW_PREFIX}\d+$"
        ),
        CallbackQueryHandler(
            guarded(withdraw_answered, is_coordinator),
            pattern=rf"^({WITHDRAW_YES}\d+|{WITHDRAW_NO})$",
        ),
    ]
