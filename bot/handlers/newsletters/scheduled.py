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

from collections.abc import Callable, Coroutine, Sequence
from typing import Any, Literal
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
# The two conversations that change an issue not started, by their draft's name.
Change = Literal["newsletter_move", "newsletter_rewrite"]


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
    opened = await _opened(update, context, "newsletter_move")
    if opened is None:
        return ConversationHandler.END
    example = await prompts.example_moment(context)
    text = catalogue.html("newsletter.ask_new_moment", title=opened.title, example=example)
    assert update.effective_user is not None
    await context.bot.send_message(update.effective_user.id, text)
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
    opened = await _opened(update, context, "newsletter_rewrite")
    if opened is None:
        return ConversationHandler.END
    text = catalogue.html("newsletter.ask_new_text", title=opened.title)
    assert update.effective_user is not None
    await context.bot.send_message(update.effective_user.id, text)
    return TEXT


async def _opened(
    update: Update, context: OverlegContext, draft: Change
) -> IssueDecisionDraft | None:
    """The press's issue as the conversation's draft, if it has not started; else the polite
    stale answer and None."""
    query = update.callback_query
    assert query is not None
    found = await context.bot_data.db.run(stored_issue, last_number(query.data))
    if found is None or found.status not in WAITING:
        await refuse_press(query)
        return None
    await query.answer()
    opened = IssueDecisionDraft(found.id, found.issue.title)
    setattr(context.user_state, draft, opened)
    return opened


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
    return _change(
        "newsletter_move",
        MOVE_PREFIX,
        move_pressed,
        MOMENT,
        new_moment_typed,
        "newsletter.move_interrupted",
    )


def rewrite_conversation() -> ConversationHandler[OverlegContext]:
    return _change(
        "newsletter_rewrite",
        REWRITE_PREFIX,
        rewrite_pressed,
        TEXT,
        new_text_typed,
        "newsletter.rewrite_interrupted",
    )


def _change(
    draft: Change,
    prefix: str,
    pressed: Callable[[Update, OverlegContext], Coroutine[Any, Any, int]],
    state: int,
    typed: Callable[[Update, OverlegContext], Coroutine[Any, Any, int]],
    interrupted_key: str,
) -> ConversationHandler[OverlegContext]:
    """A conversation that changes an issue not started: a press, then one typed answer."""

    def interrupted(context: OverlegContext, _state: object) -> str:
        found: IssueDecisionDraft | None = getattr(context.user_state, draft)
        setattr(context.user_state, draft, None)
        title = found.title if found is not None else ""
        return catalogue.html(interrupted_key, title=title)

    return conversation(
        draft=draft,
        command="ingepland",
        interrupted=interrupted,
        entry_points=[
            CallbackQueryHandler(guarded(pressed, is_coordinator), pattern=rf"^{prefix}\d+$")
        ],
        states={state: [MessageHandler(f.TEXT & ~f.COMMAND, typed)]},
    )
