"""The approval question's buttons (``OVERLEGBOT_NEWSLETTER_APPROVAL=true``): "Goedkeuren" and
"Afwijzen", which asks an optional reason (/geen: none) for the composer.

Both are coordinators' buttons (``guarded(..., is_coordinator)``); the service checks the role
again, and that the presser did not make the issue as it stands, in the decision's transaction.
The first decision on a revision stands: a later press, or one on a question for an earlier
revision, gets the polite stale answer, as a forged press does. Pressing one's own: a Dutch
alert saying another coordinator decides.
"""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.newsletters.approval import (
    APPROVE_PREFIX,
    REJECT_PREFIX,
    Decided,
    approve_and_notify,
    reject_and_notify,
)
from berichten.texts.dates import long_moment
from bot.button_guards import guarded
from bot.buttons import StaleButtonError, last_field, redraw, refuse_press
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import IssueDecisionDraft
from bot.handlers.access import is_coordinator
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.newsletters.issues import IssueError, IssueProblem
from planning.newsletters.lifecycle import stored_issue
from planning.newsletters.tables import IssueStatus
from planning.plan.store import plan_zone

REASON = 0
_PATTERN = r"\d{1,18}\.\d{1,9}"


def issue_and_revision(data: str | None) -> tuple[int, int]:
    """``(7, 2)`` from ``nbg:y:7.2``."""
    issue, _, revision = last_field(data).partition(".")
    if not (issue.isdecimal() and revision.isdecimal()):
        raise StaleButtonError(data)
    return int(issue), int(revision)


async def approve_pressed(update: Update, context: OverlegContext) -> None:
    query = update.callback_query
    assert query is not None
    issue_id, revision = issue_and_revision(query.data)
    services = context.bot_data
    assert query.message is not None
    progress = (query.message.chat.id, query.message.message_id)  # if it starts now
    # Held until this answer is drawn, so the first progress edit cannot come before it.
    async with services.progress_lock:
        try:
            decided = await services.db.run(
                approve_and_notify, services.clock, query.from_user.id, issue_id, revision, progress
            )
        except IssueError as refused:
            await _refused(query, refused)
            return
        await query.answer()
        try:
            await redraw(query, await _approved_text(context, decided), None)
        finally:  # approved: it goes out, and its asker hears it, whether or not this arrived
            refresh_outbox_soon(context.application)


async def _approved_text(context: OverlegContext, decided: Decided) -> str:
    title = decided.issue.issue.title
    if decided.started is not None:
        return catalogue.html("newsletter.approved_here.now", title=title, n=decided.started)
    assert decided.issue.send_at is not None
    moment = long_moment(decided.issue.send_at, await context.bot_data.db.run(plan_zone))
    return catalogue.html("newsletter.approved_here.later", title=title, moment=moment)


async def reject_pressed(update: Update, context: OverlegContext) -> int:
    """ "Afwijzen": ask an optional reason before rejecting."""
    query = update.callback_query
    assert query is not None
    issue_id, revision = issue_and_revision(query.data)
    services = context.bot_data
    found = await services.db.run(stored_issue, issue_id)
    if found is None or found.status is not IssueStatus.AWAITING_APPROVAL:
        await refuse_press(query)
        return ConversationHandler.END
    if found.revision != revision:
        await refuse_press(query)
        return ConversationHandler.END
    if found.changed_by == query.from_user.id:
        await _refused(query, IssueError(IssueProblem.OWN_ISSUE))
        return ConversationHandler.END
    await query.answer()
    context.user_state.newsletter_reject = IssueDecisionDraft(issue_id, found.issue.title, revision)
    await context.bot.send_message(
        query.from_user.id,
        catalogue.html("newsletter.ask_reject_reason", title=found.issue.title),
    )
    return REASON


async def reason_typed(update: Update, context: OverlegContext) -> int:
    message = update.effective_message
    assert message is not None
    return await _reject(update, context, message.text)


async def no_reason(update: Update, context: OverlegContext) -> int:
    return await _reject(update, context, None)


async def _reject(update: Update, context: OverlegContext, reason: str | None) -> int:
    message, draft = update.effective_message, context.user_state.newsletter_reject
    assert isinstance(message, Message) and draft is not None
    context.user_state.newsletter_reject = None
    services = context.bot_data
    try:
        await services.db.run(
            reject_and_notify,
            services.clock,
            message.chat_id,
            draft.issue_id,
            draft.revision,
            reason,
        )
    except IssueError as refused:
        await message.reply_text(catalogue.html(f"newsletter.problem.{refused.problem}"))
        return ConversationHandler.END
    await message.reply_text(catalogue.html("newsletter.rejected_here", title=draft.title))
    refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def _refused(query: CallbackQuery, refused: IssueError) -> None:
    """One's own issue: say so; anything else (decided, changed, started, no longer a
    coordinator): the polite stale answer."""
    if refused.problem is IssueProblem.OWN_ISSUE:
        await query.answer(catalogue.plain("newsletter.problem.own_issue"), show_alert=True)
    else:
        await refuse_press(query)


def approve_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(
        guarded(approve_pressed, is_coordinator), pattern=rf"^{APPROVE_PREFIX}{_PATTERN}$"
    )


def reject_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="newsletter_reject",
        command="nieuwsbrief-afwijzen",  # its stored name; it is not a command
        interrupted=_interrupted,
        entry_points=[
            CallbackQueryHandler(
                guarded(reject_pressed, is_coordinator), pattern=rf"^{REJECT_PREFIX}{_PATTERN}$"
            )
        ],
        states={
            REASON: [
                MessageHandler(f.TEXT & ~f.COMMAND, reason_typed),
                CommandHandler("geen", no_reason),
            ]
        },
    )


def _interrupted(context: OverlegContext, _state: object) -> str:
    draft = context.user_state.newsletter_reject
    context.user_state.newsletter_reject = None
    title = draft.title if draft is not None else ""
    return catalogue.html("newsletter.reject_interrupted", title=title)
