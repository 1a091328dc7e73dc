"""/nieuwsbrief: a coordinator composes a newsletter, sees it as members will, tests it and
sends it.

A conversation: a title; the text as typed, Telegram's formatting kept (``text_html``); a photo
or document, or /geen; the kopij set aside for the newsletter, each to include or not (skipped
when there is none); the audience (everyone, or groups and organisations, with the number of
members it reaches); then the preview, exactly the messages members will get, with "Nu versturen",
"Inplannen" (then a moment typed in the plan's zone), two tests and "Afbreken" under the
question after it. With ``OVERLEGBOT_NEWSLETTER_APPROVAL`` on, either records the issue awaiting
a second coordinator's approval (:mod:`berichten.newsletters.approval`) instead.

The draft is the coordinator's own (two coordinators each have theirs) and survives a restart
(:mod:`bot.persistence`). Every button is a coordinator's (``guarded(..., is_coordinator)``),
and the services check the role again in the transaction that sends: a coordinator who lost
the role halfway sends nothing. "Nu versturen" records the issue under the draft's key once,
however often it is pressed (:func:`planning.newsletters.issues.record_issue`); a press that
finds it sent, or the presser no longer a coordinator, ends the conversation with the reason.
"""

from __future__ import annotations

from uuid import uuid4

from telegram import CallbackQuery, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from berichten.newsletters.approval import submit_for_approval
from berichten.newsletters.issues import preview, send_test
from berichten.newsletters.schedule import schedule_issue, send_issue
from berichten.texts.dates import long_moment
from bot.button_guards import guarded
from bot.buttons import answered, chosen, redraw
from bot.context import OverlegContext
from bot.conversations import aborter, conversation
from bot.drafts import NewsletterDraft
from bot.handlers.access import ensure_coordinator, is_coordinator
from bot.handlers.audience import toggled
from bot.handlers.newsletters import prompts
from bot.outbox_job import refresh_outbox_soon
from bot.telegram_sender import send_as_message
from bot.uploads import uploaded_media
from planning import catalogue
from planning.newsletters.issues import (
    IssueError,
    IssueProblem,
    audience_choices,
    checked_text,
    checked_title,
    count_members,
    set_aside,
)
from planning.newsletters.moments import typed_moment
from planning.plan.store import plan_zone

TITLE, TEXT, MEDIA, KOPIJ, AUDIENCE, CONFIRM, MOMENT = range(7)
_TEXT = f.TEXT & ~f.COMMAND
_MEDIA = f.PHOTO | f.Document.ALL
_OTHER = ~f.COMMAND & ~_TEXT & ~_MEDIA


async def start_newsletter(update: Update, context: OverlegContext) -> int:
    """/nieuwsbrief: a new draft, asking its title; coordinators only."""
    assert update.effective_message is not None
    if not await ensure_coordinator(update, context):
        return ConversationHandler.END
    context.user_state.newsletter = NewsletterDraft(key=uuid4().hex)
    await update.effective_message.reply_text(catalogue.html("newsletter.ask_title"))
    return TITLE


async def title_typed(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context)
    try:
        draft.title = checked_title(message.text or "")
    except IssueError as refused:
        await message.reply_text(prompts.problem(refused))
        return TITLE
    await message.reply_text(catalogue.html("newsletter.ask_text"))
    return TEXT


async def text_typed(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context)
    try:
        draft.text = checked_text(message.text_html or "", message.text or "")
    except IssueError as refused:
        await message.reply_text(prompts.problem(refused))
        return TEXT
    await message.reply_text(catalogue.html("newsletter.ask_media"))
    return MEDIA


async def text_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("newsletter.text_expected"))
    return TEXT


async def media_sent(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context)
    media = uploaded_media(message)
    assert media is not None  # the filter took a photo or a document
    draft.media_kind, draft.media_file_id = media.kind.value, media.file_id
    return await _offer_kopij(message, context, draft)


async def no_media(update: Update, context: OverlegContext) -> int:
    message, draft = _typed(update, context)
    return await _offer_kopij(message, context, draft)


async def media_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("newsletter.media_expected"))
    return MEDIA


async def _offer_kopij(message: Message, context: OverlegContext, draft: NewsletterDraft) -> int:
    draft.offered = await context.bot_data.db.run(set_aside)
    draft.included = [item.id for item in draft.offered if item.id in draft.included]
    if not draft.offered:
        return await _ask_audience(message, context, draft)
    await message.reply_text(prompts.kopij_text(draft), reply_markup=prompts.kopij_keyboard(draft))
    return KOPIJ


async def kopij_toggled(update: Update, context: OverlegContext) -> int:
    query, draft = await answered(update, context.user_state.newsletter)
    item = chosen(query, draft.offered)
    if item.id in draft.included:
        draft.included.remove(item.id)
    else:
        draft.included.append(item.id)
    await redraw(query, prompts.kopij_text(draft), prompts.kopij_keyboard(draft))
    return KOPIJ


async def kopij_done(update: Update, context: OverlegContext) -> int:
    query, draft = await answered(update, context.user_state.newsletter)
    message = await _without_buttons(query)
    return await _ask_audience(message, context, draft)


async def _ask_audience(message: Message, context: OverlegContext, draft: NewsletterDraft) -> int:
    draft.groups, draft.organisations = await context.bot_data.db.run(audience_choices)
    members = await context.bot_data.db.run(count_members, draft.issue().audience)
    await message.reply_text(
        prompts.audience_text(members), reply_markup=prompts.audience_keyboard(draft)
    )
    return AUDIENCE


async def audience_toggled(update: Update, context: OverlegContext) -> int:
    """ "Iedereen", a group or an organisation: chosen or not; a group or organisation chosen
    means not everyone."""
    query, draft = await answered(update, context.user_state.newsletter)
    db = context.bot_data.db
    await toggled(
        query, draft, prompts.AUDIENCE, db, lambda: draft.issue().audience, prompts.audience_text
    )
    return AUDIENCE


async def audience_done(update: Update, context: OverlegContext) -> int:
    """ "Verder": the preview, exactly as members get it, and the question under it."""
    query = update.callback_query
    draft = context.user_state.newsletter
    assert query is not None and draft is not None
    if not draft.issue().audience.chosen:
        await query.answer(catalogue.plain("newsletter.problem.no_audience"), show_alert=True)
        return AUDIENCE
    await query.answer()
    await _without_buttons(query)
    return await _show_preview(query.from_user.id, context, draft)


async def _show_preview(chat: int, context: OverlegContext, draft: NewsletterDraft) -> int:
    """Send the issue's messages as members will get them, then the question; an item chosen
    that another issue took meanwhile is dropped from the draft, and the coordinator told."""
    services = context.bot_data
    shown = await services.db.run(preview, services.clock, draft.issue())
    kopij_gone = shown.kopij_ids != draft.issue().kopij_ids
    draft.included = list(shown.kopij_ids)
    for part in shown.parts:
        await send_as_message(context.bot, chat, part.text, None, part.media)
    await context.bot.send_message(
        chat,
        prompts.confirm_text(shown.members, kopij_gone),
        reply_markup=prompts.confirm_keyboard(),
    )
    return CONFIRM


async def test_pressed(update: Update, context: OverlegContext) -> int:
    """ "Test aan mij" / "Test aan alle coördinatoren": through the outbox, nothing recorded."""
    query, draft = await answered(update, context.user_state.newsletter)
    services = context.bot_data
    draft.tests += 1
    try:
        count = await services.db.run(
            send_test,
            services.clock,
            query.from_user.id,
            query.from_user.full_name,
            draft.issue(),
            all_coordinators=query.data == prompts.TEST_ALL,
            number=draft.tests,
        )
    except IssueError as refused:
        await context.bot.send_message(query.from_user.id, prompts.problem(refused))
        return CONFIRM
    await context.bot.send_message(
        query.from_user.id, catalogue.html("newsletter.test_sent", n=count)
    )
    refresh_outbox_soon(context.application)
    return CONFIRM


async def send_pressed(update: Update, context: OverlegContext) -> int:
    """ "Nu versturen": record the issue once and queue it for its audience, in one unit; with
    approval on, ask the other coordinators instead."""
    query, draft = await answered(update, context.user_state.newsletter)
    services = context.bot_data
    assert query.message is not None
    progress = (query.message.chat.id, query.message.message_id)  # shows how the sending goes
    # Held until this answer is drawn, so the first progress edit cannot come before it.
    async with services.progress_lock:
        try:
            if services.settings.newsletter_approval:
                _issue_id, asked = await services.db.run(
                    submit_for_approval, services.clock, query.from_user.id, draft.issue(), None
                )
                answer = catalogue.html("newsletter.awaiting", title=draft.title, n=asked)
            else:
                _issue_id, members = await services.db.run(
                    send_issue, services.clock, query.from_user.id, draft.issue(), progress
                )
                answer = catalogue.html("newsletter.sent", title=draft.title, n=members)
        except IssueError as refused:
            return await _refused(query, context, draft, refused)
        context.user_state.newsletter = None
        try:
            await redraw(query, answer, None)
        finally:  # recorded and queued: it goes out now, whether or not the answer arrived
            refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def schedule_pressed(update: Update, context: OverlegContext) -> int:
    """ "Inplannen": ask the moment, typed in the plan's zone."""
    query, _draft = await answered(update, context.user_state.newsletter)
    await _without_buttons(query)
    example = await prompts.example_moment(context)
    await context.bot.send_message(
        query.from_user.id, catalogue.html("newsletter.ask_moment", example=example)
    )
    return MOMENT


async def moment_typed(update: Update, context: OverlegContext) -> int:
    """The moment: record the issue scheduled for it (or awaiting approval, with approval on)."""
    message, draft = _typed(update, context)
    services = context.bot_data
    zone = await services.db.run(plan_zone)
    try:
        send_at = typed_moment(message.text or "", zone, services.clock.now())
        if services.settings.newsletter_approval:
            _issue_id, asked = await services.db.run(
                submit_for_approval, services.clock, message.chat_id, draft.issue(), send_at
            )
            answer = catalogue.html("newsletter.awaiting", title=draft.title, n=asked)
        else:
            await services.db.run(
                schedule_issue, services.clock, message.chat_id, draft.issue(), send_at
            )
            answer = catalogue.html(
                "newsletter.scheduled", title=draft.title, moment=long_moment(send_at, zone)
            )
    except IssueError as refused:
        if refused.problem is IssueProblem.NO_APPROVER:  # nothing recorded: the draft stays
            await message.reply_text(catalogue.html("newsletter.problem.no_approver_scheduled"))
            return await _show_preview(message.chat_id, context, draft)
        await message.reply_text(prompts.problem(refused))
        if refused.problem is IssueProblem.KOPIJ_TAKEN:  # another issue took an item: show anew
            return await _show_preview(message.chat_id, context, draft)
        if refused.problem in prompts.MOMENT_PROBLEMS:
            return MOMENT
        context.user_state.newsletter = None
        return ConversationHandler.END
    context.user_state.newsletter = None
    await message.reply_text(answer)
    refresh_outbox_soon(context.application)
    return ConversationHandler.END


async def _refused(
    query: CallbackQuery, context: OverlegContext, draft: NewsletterDraft, refused: IssueError
) -> int:
    await redraw(query, prompts.problem(refused), None)
    if refused.problem is IssueProblem.KOPIJ_TAKEN:  # another issue took an item: show anew
        return await _show_preview(query.from_user.id, context, draft)
    if refused.problem is IssueProblem.NO_APPROVER:  # nothing recorded: the draft stays
        return await _show_preview(query.from_user.id, context, draft)
    context.user_state.newsletter = None
    return ConversationHandler.END


def newsletter_conversation() -> ConversationHandler[OverlegContext]:
    def button(callback: object, pattern: str) -> CallbackQueryHandler[OverlegContext, object]:
        return CallbackQueryHandler(guarded(callback, is_coordinator), pattern=pattern)  # type: ignore[arg-type]

    return conversation(
        draft="newsletter",
        entry_points=[CommandHandler("nieuwsbrief", start_newsletter, filters=f.ChatType.PRIVATE)],
        states={
            TITLE: [MessageHandler(_TEXT, title_typed)],
            TEXT: [MessageHandler(_TEXT, text_typed), MessageHandler(~f.COMMAND, text_expected)],
            MEDIA: [
                MessageHandler(_MEDIA, media_sent),
                CommandHandler("geen", no_media),
                MessageHandler(~f.COMMAND, media_expected),
            ],
            KOPIJ: [
                button(kopij_toggled, rf"^{prompts.KOPIJ_PREFIX}\d+$"),
                button(kopij_done, f"^{prompts.KOPIJ_DONE}$"),
            ],
            AUDIENCE: [
                button(
                    audience_toggled,
                    prompts.AUDIENCE.toggle_pattern,
                ),
                button(audience_done, f"^{prompts.AUDIENCE.done}$"),
            ],
            CONFIRM: [
                button(send_pressed, f"^{prompts.SEND}$"),
                button(schedule_pressed, f"^{prompts.SCHEDULE}$"),
                button(test_pressed, f"^({prompts.TEST_ME}|{prompts.TEST_ALL})$"),
                button(aborter("newsletter"), f"^{prompts.ABORT}$"),
            ],
            MOMENT: [MessageHandler(_TEXT, moment_typed)],
        },
    )


async def _without_buttons(query: CallbackQuery) -> Message:
    """The message under the pressed button, its choices made: the same text, no buttons."""
    assert isinstance(query.message, Message)
    await redraw(query, query.message.text_html, None)
    return query.message


def _typed(update: Update, context: OverlegContext) -> tuple[Message, NewsletterDraft]:
    message, draft = update.effective_message, context.user_state.newsletter
    assert message is not None and draft is not None
    return message, draft
