"""Wiring: the PTB ``Application`` with its handlers, services and start-up work.

Handler order matters (PTB runs the first matching handler per group): the gate in group -1
decides who may pass; in group 0 conversations come before plain commands, and the catch-alls
for unknown commands and free text come last.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from berichten.outbox.pacing import Pacer
from bot.buttons import StaleButtonError, refuse_press, stale_press
from bot.commands import publish_menus
from bot.context import CONTEXT_TYPES, BotData, OverlegContext
from bot.drafts import USER_DATA, UserData
from bot.handlers import reminder_buttons
from bot.handlers.agenda_items import after, documents, mine, review, review_buttons, submission
from bot.handlers.calendar import commands as calendar
from bot.handlers.gate import gate
from bot.handlers.incidents import acknowledgements, overview
from bot.handlers.incidents import approval as incident_approval
from bot.handlers.incidents import closing as incident_closing
from bot.handlers.incidents import compose as incident_compose
from bot.handlers.incidents import templates as incident_templates
from bot.handlers.incidents import updates as incident_updates
from bot.handlers.meeting_changes import commands as meeting_changes
from bot.handlers.membership import invites, members, registration
from bot.handlers.milestones import commands as milestones
from bot.handlers.newsletters import after_sending, archive, compose, kopij, scheduled
from bot.handlers.newsletters import approval as newsletter_approval
from bot.handlers.preferences import commands as preferences
from bot.logs import database_trouble, telegram_trouble
from bot.network_watch import NetworkWatch, WatchedRequest
from bot.outbox_job import start_outbox
from bot.persistence import DatabasePersistence
from bot.rate_limiter import PacedRequests
from bot.settings import Settings
from bot.update_order import ChatOrder
from planning import catalogue
from planning.clock import Clock, SystemClock
from planning.db import Database
from planning.membership.lookups import active_coordinators
from planning.membership.services import promote_admins, set_blocked

log = logging.getLogger(__name__)

OverlegApplication = Application[Any, OverlegContext, Any, Any, BotData, Any]


def build_application(
    settings: Settings,
    database: Database,
    clock: Clock | None = None,
    *,
    outbox_job: bool = True,
    network: NetworkWatch | None = None,
) -> OverlegApplication:
    """The bot, talking to ``settings.bot_api_url``: Telegram, self-hosted, or a stand-in.

    Every Bot API request reports to ``network`` (a new watch unless given), which logs when
    Telegram stops answering and when it answers again; the pool sizes are PTB's defaults.
    """
    watch = network or NetworkWatch(settings.bot_api_url)
    # One pacer for everything the bot sends: the outbox's sends and the replies to members.
    pacer = Pacer(
        per_second=settings.messages_per_second, chat_interval=settings.chat_interval_seconds
    )
    application: OverlegApplication = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .request(WatchedRequest(watch, connection_pool_size=256))
        .get_updates_request(WatchedRequest(watch, connection_pool_size=1))
        .base_url(settings.bot_api_url)
        .base_file_url(settings.file_url)
        .context_types(CONTEXT_TYPES)
        .persistence(DatabasePersistence(database, USER_DATA, blank=UserData(), clock=clock))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.timezone))
        .rate_limiter(PacedRequests(pacer))
        .concurrent_updates(ChatOrder())
        .post_init(_post_init)
        .build()
    )
    services = application.bot_data
    services.configured, services.database = settings, database
    services.clock = clock or SystemClock()
    services.outbox_job = outbox_job
    services.pacer = pacer
    _add_handlers(application)
    return application


def _add_handlers(application: OverlegApplication) -> None:
    application.add_handler(TypeHandler(Update, gate), group=-1)
    application.add_handler(
        ChatMemberHandler(registration.chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    private = filters.ChatType.PRIVATE
    application.add_handler(invites.invite_conversation())
    application.add_handler(meeting_changes.meeting_change_conversation())
    application.add_handler(milestones.milestone_conversation())
    application.add_handler(submission.agenda_item_conversation())
    application.add_handler(documents.attach_conversation())
    application.add_handler(review.publish_conversation())
    application.add_handler(review_buttons.decline_conversation())
    application.add_handler(preferences.pause_date_conversation())
    application.add_handler(kopij.kopij_conversation())
    application.add_handler(kopij.decline_conversation())
    application.add_handler(compose.newsletter_conversation())
    application.add_handler(newsletter_approval.reject_conversation())
    application.add_handler(scheduled.move_conversation())
    application.add_handler(scheduled.rewrite_conversation())
    application.add_handler(incident_compose.incident_conversation())
    application.add_handler(incident_updates.update_conversation())
    application.add_handler(incident_templates.template_conversation())
    application.add_handler(after_sending.correction_conversation())
    application.add_handler(CommandHandler("start", registration.start, filters=private))
    application.add_handler(CommandHandler("help", registration.help_command, filters=private))
    application.add_handler(CommandHandler("mijngegevens", registration.my_data, filters=private))
    application.add_handler(CommandHandler("afmelden", registration.ask_leave, filters=private))
    application.add_handler(CommandHandler("leden", members.members_command, filters=private))
    application.add_handler(CommandHandler("annuleren", invites.nothing_to_cancel))
    application.add_handler(registration.leave_button_handler())
    application.add_handler(CommandHandler("agenda", calendar.agenda, filters=private))
    application.add_handler(CommandHandler("deadlines", calendar.deadlines, filters=private))
    application.add_handler(CommandHandler("volgende", calendar.next_thing, filters=private))
    application.add_handler(
        CallbackQueryHandler(calendar.agenda_button, pattern=calendar.CALLBACK_PATTERN)
    )
    application.add_handler(
        CommandHandler("instellingen", preferences.settings_command, filters=private)
    )
    application.add_handler(preferences.settings_button_handler())
    application.add_handler(CommandHandler("mijnpunten", mine.my_items_command, filters=private))
    application.add_handler(mine.withdraw_button_handler())
    application.add_handler(CommandHandler("punten", review.waiting_command, filters=private))
    for handler in review_buttons.review_button_handlers():
        application.add_handler(handler)
    application.add_handler(CommandHandler("afgehandeld", after.after_command, filters=private))
    application.add_handler(after.after_button_handler())
    application.add_handler(documents.view_button_handler())
    application.add_handler(kopij.decision_button_handler())
    application.add_handler(newsletter_approval.approve_button_handler())
    application.add_handler(scheduled.cancel_button_handler())
    application.add_handler(CommandHandler("ingepland", scheduled.waiting_command, filters=private))
    application.add_handler(CommandHandler("mijnnieuws", kopij.my_kopij_command, filters=private))
    application.add_handler(
        CommandHandler("nieuwsbrieven", archive.archive_command, filters=private)
    )
    application.add_handler(archive.archive_button_handler())
    application.add_handler(acknowledgements.acknowledgement_button_handler())
    for handler in incident_approval.approval_handlers():
        application.add_handler(handler)
    application.add_handler(incident_closing.close_button_handler())
    application.add_handler(
        CommandHandler("incidenten", overview.incidents_command, filters=private)
    )
    application.add_handler(
        CommandHandler("sjablonen", incident_templates.templates_command, filters=private)
    )
    application.add_handler(incident_templates.show_button_handler())
    for handler in after_sending.withdraw_button_handlers():
        application.add_handler(handler)
    for handler in reminder_buttons.reminder_button_handlers():
        application.add_handler(handler)
    application.add_handler(CallbackQueryHandler(stale_press))
    application.add_handler(MessageHandler(filters.COMMAND & private, registration.unknown_command))
    application.add_handler(MessageHandler(private & ~filters.COMMAND, registration.not_understood))
    application.add_error_handler(_on_error)


def freeze_startup_heap() -> None:
    """Keep the objects made at start-up (modules, settings, the Application) out of every
    later garbage collection.

    They live as long as the bot. A full collection walks every object, and with these it
    stalls the event loop long enough that sends are lost for good at Telegram's 30/s
    (docs/decisions/pacing.md). ``gc.freeze`` is CPython's tool for exactly this; collecting
    first frees what start-up left behind instead of freezing it.
    """
    gc.collect()
    gc.freeze()


async def _post_init(application: OverlegApplication) -> None:
    services = application.bot_data
    await services.db.run(promote_admins, services.settings.admins)
    coordinators = await services.db.run(active_coordinators)
    await publish_menus(application.bot, [member.telegram_user_id for member in coordinators])
    await start_outbox(application)


async def _on_error(update: object, context: OverlegContext) -> None:
    """Log the failure and tell the member something went wrong, rather than staying silent.

    A 403 means the member blocked the bot before Telegram told us with ``my_chat_member``;
    it is recorded the same way, and answering would only fail again.

    Expected trouble has no traceback. Telegram unreachable, busy or polled twice (a failed
    ``getUpdates`` comes here without an update) is logged by the network watch (bot/logs.py)
    once when it begins and once when it ends, and an answer would fail too. An unreachable
    database is one line per update it stopped. Anything else is a bug and keeps its traceback.
    """
    error = context.error
    if isinstance(error, StaleButtonError) and isinstance(update, Update):
        if update.callback_query is not None:  # a value the message no longer offers
            await refuse_press(update.callback_query)
        return
    if isinstance(error, Forbidden) and isinstance(update, Update):
        if update.effective_user is not None:
            services = context.bot_data
            try:
                await services.db.run(
                    set_blocked, services.clock, update.effective_user.id, blocked=True
                )
            except Exception as failure:
                if (problem := database_trouble(failure)) is None:
                    raise
                log.warning(catalogue.plain("run.database_trouble", problem=problem))
        return
    if isinstance(error, RetryAfter) and isinstance(update, Update):
        log.warning(catalogue.plain("run.flood_wait", problem=error.message))
        return
    if error is not None and telegram_trouble(error):
        log.debug("Telegram trouble while handling an update: %s", error)
        return
    if (problem := database_trouble(error)) is not None:
        log.warning(catalogue.plain("run.database_trouble", problem=problem))
    else:
        log.error("error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(catalogue.html("error.unexpected"))
        except Exception:  # the failure may well be Telegram itself; logging it once is enough
            log.debug("could not tell the member about the error", exc_info=True)


@asynccontextmanager
async def polling(
    application: OverlegApplication, *, poll_timeout: int = 10
) -> AsyncIterator[OverlegApplication]:
    """Run the bot with long polling inside the caller's event loop, as ``run_polling`` would.

    ``run_polling`` owns the loop and blocks; the sandbox and the chat tests need the bot and
    the stand-in server in one loop, so they use this, which does the same steps in order.
    """
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
    )
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
