"""/ingepland: the newsletters that have not started (scheduled, or awaiting approval), each to
move ("Verplaatsen", then a new moment typed in the plan's zone), give a new text ("Tekst
wijzigen", then the text, formatting kept) or cancel ("Annuleren").

Coordinators only; any of them may change or cancel any issue until it starts. The buttons carry
the issue's id (``nbi:m:<id>``, ``nbi:t:<id>``, ``nbi:x:<id>``), so they work after a restart,
and are guarded ``is_coordinator``; the service checks that the issue has not started in the
change's transaction, and an issue started, cancelled or gone gets the polite stale answer.
With approval on, a changed issue awaits approval again (:mod:`berichten.newsletters.approval`).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.newsletters.approval import move_issue, rewrite_issue
from berichten.newsletters.schedule import cancel_issue
from berichten.texts import newsletters as texts
from berichten.texts.dates import long_moment
from bot.button_guards import guarded
from bot.buttons import last_number, redraw, refuse_press
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import IssueDecisionDraft
from bot.handlers.access import ensure_coordinator, is_coordinator
from bot.handlers.newsletters import prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.newsletters.issues import IssueError, checked_text
from planning.newsletters.lifecycle import WAITING, StoredIssue, stored_issue, waiting_issues
from planning.newsletters.moments import typed_moment
from planning.newsletters.tables import IssueStatus
from planning.plan.store import plan_zone

MOVE_PREFIX, REWRITE_PREFIX, CANCEL_PREFIX = "nbi:m:", "nbi:t:", "nbi:x:"
MOMENT, TEXT = 0, 1


async def waiting_command(update: Update, context: OverlegContext) -> None:
    assert update.effective_message is not None
    if not await ensure_coordinator(update, context):
        return
    text, keyboard = await _listing(context)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def cancel_pressed(update: Update, context: OverlegContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.bot_data
    try:
        cancelled = await services.db.run(
            cancel_issue, services.clock, query.from_user.id, last_number(query.data)
        )
    except IssueError:
        await refuse_press(query)
        return
    await query.answer()
    try:
        text, keyboard = await _listing(context)
        done = catalogue.html("newsletter.cancelled_here", title=cancelled.issue.title)
        await redraw(query, f"{done}\n\n{text}", keyboard)
    finally:  # the composer may be told
        refresh_outbox_soon(context.application)


async def move_pressed(update: Update, context: OverlegContext) -> int:
    """ "Verplaatsen": ask the new moment."""
    query = update.callback_query
    assert query is not None
    found = await context.bot_data.db.run(stored_issue, last_number(query.data))
    if found is None or found.status not in WAITING:
        await refuse_press(query)
        return ConversationHandler.END
    await query.answer()
    context.user_state.newsletter_move = IssueDecisionDraft(found.id, found.issue.title)
    example = await prompts.example_moment(context)
    await context.bot.send_message(
        query.from_user.id,
        catalogue.html("newsletter.ask_new_moment", title=found.issue.title, example=example),
    )
    return MOMENT


async def new_moment_typed(update: Update, context: OverlegContext) -> int:
    message, draft = update.effective_message, context.user_state.newsletter_move
    assert isinstance(message, Message) and draft is not None
    services = context.bot_data
    zone = await services.db.run(plan_zone)
    approval = services.settings.newsletter_approval
    try:
        send_at = typed_moment(message.text or "", zone, services.clock.now())
        moved, _asked = await services.db.run(
            move_issue,
            services.clock,
            message.chat_id,
            draft.issue_id,
            send_at,
            approval=approval,
        )
    except IssueError as refused:
        await message.reply_text(prompts.problem(refused))
        if refused.problem in prompts.MOMENT_PROBLEMS:
            return MOMENT
        context.user_state.newsletter_move = None
        return ConversationHandler.END
    context.user_state.newsletter_move = None
    key = "newsletter.moved_awaiting" if approval else "newsletter.moved"
    await message.reply_text(
        catalogue.html(key, title=moved.issue.title, moment=long_moment(send_at, zone))
    )
    refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def rewrite_pressed(update: Update, context: OverlegContext) -> int:
    """ "Tekst wijzigen": ask the new text."""
    query = update.callback_query
    assert query is not None
    found = await context.bot_data.db.run(stored_issue, last_number(query.data))
    if found is None or found.status not in WAITING:
        await refuse_press(query)
        return ConversationHandler.END
    await query.answer()
    context.user_state.newsletter_rewrite = IssueDecisionDraft(found.id, found.issue.title)
    await context.bot.send_message(
        query.from_user.id, catalogue.html("newsletter.ask_new_text", title=found.issue.title)
    )
    return TEXT


async def new_text_typed(update: Update, context: OverlegContext) -> int:
    message, draft = update.effective_message, context.user_state.newsletter_rewrite
    assert isinstance(message, Message) and draft is not None
    services = context.bot_data
    approval = services.settings.newsletter_approval
    try:
        text = checked_text(message.text_html or "", message.text or "")
        changed, _asked = await services.db.run(
            rewrite_issue, services.clock, message.chat_id, draft.issue_id, text, approval=approval
        )
    except IssueError as refused:
        await message.reply_text(prompts.problem(refused))
        if refused.problem in prompts.TEXT_PROBLEMS:
            return TEXT
        context.user_state.newsletter_rewrite = None
        return ConversationHandler.END
    context.user_state.newsletter_rewrite = None
    key = "newsletter.rewritten_awaiting" if approval else "newsletter.rewritten"
    await message.reply_text(catalogue.html(key, title=changed.issue.title))
    refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def _listing(context: OverlegContext) -> tuple[str, InlineKeyboardMarkup | None]:
    services = context.bot_data
    issues = await services.db.run(waiting_issues)
    if not issues:
        return catalogue.html("newsletter.waiting.none"), None
    zone = await services.db.run(plan_zone)
    return _listing_text(issues, zone), _keyboard(issues)


def _listing_text(issues: Sequence[StoredIssue], zone: ZoneInfo) -> str:
    lines = [catalogue.html("newsletter.waiting.heading")]
    for number, issue in enumerate(issues, start=1):
        when = texts.when_text(issue.send_at, zone)
        if issue.status is IssueStatus.AWAITING_APPROVAL:
            when = catalogue.plain("newsletter.waiting.awaiting", when=when)
        lines.append(
            catalogue.html(
                "newsletter.waiting.line", number=number, title=issue.issue.title, when=when
            )
        )
    return "\n".join(lines)


def _keyboard(issues: Sequence[StoredIssue]) -> InlineKeyboardMarkup:
    choices = []
    for number, issue in enumerate(issues, start=1):
        choices += [
            (catalogue.plain("newsletter.button.move", number=number), f"{MOVE_PREFIX}{issue.id}"),
            (
                catalogue.plain("newsletter.button.rewrite", number=number),
                f"{REWRITE_PREFIX}{issue.id}",
            ),
            (
                catalogue.plain("newsletter.button.cancel", number=number),
                f"{CANCEL_PREFIX}{issue.id}",
            ),
        ]
    return inline_keyboard(choices, per_row=3)


def cancel_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(
        guarded(cancel_pressed, is_coordinator), pattern=rf"^{CANCEL_PREFIX}\d+$"
    )


def move_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="newsletter_move",
        command="ingepland",
        interrupted=_interrupted,
        entry_points=[
            CallbackQueryHandler(
                guarded(move_pressed, is_coordinator), pattern=rf"^{MOVE_PREFIX}\d+$"
            )
        ],
        states={MOMENT: [MessageHandler(f.TEXT & ~f.COMMAND, new_moment_typed)]},
    )


def rewrite_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="newsletter_rewrite",
        command="ingepland",
        interrupted=_rewrite_interrupted,
        entry_points=[
            CallbackQueryHandler(
                guarded(rewrite_pressed, is_coordinator), pattern=rf"^{REWRITE_PREFIX}\d+$"
            )
        ],
        states={TEXT: [MessageHandler(f.TEXT & ~f.COMMAND, new_text_typed)]},
    )


def _rewrite_interrupted(context: OverlegContext, _state: object) -> str:
    draft = context.user_state.newsletter_rewrite
    context.user_state.newsletter_rewrite = None
    title = draft.title if draft is not None else ""
    return catalogue.html("newsletter.rewrite_interrupted", title=title)


def _interrupted(context: OverlegContext, _state: object) -> str:
    draft = context.user_state.newsletter_move
    context.user_state.newsletter_move = None
    title = draft.title if draft is not None else ""
    return catalogue.html("newsletter.move_interrupted", title=title)
