"""The coordinator's progress message of a newsletter, kept up to date in place.

A repeating job (every :data:`PROGRESS_EVERY`) and the end of every outbox wake ask
:func:`berichten.newsletters.progress.progress` what each issue's message should show, and edit
it when that changed: a running count at most once every :data:`PROGRESS_EVERY` (Telegram
allows a message to be edited often, but each edit counts against the chat's one a second, and
a count changing every second is no use to a reader), the report at the end at once. The
edits are ordinary requests of the Application's bot, so the rate limiter paces them with
everything else the bot sends (bot/rate_limiter.py).

The message is the one stored on the issue: the confirmation the coordinator pressed ("Nu
versturen", or the approver's "Goedkeuren" when the approval starts it). A scheduled issue
started by the outbox job gets a new message to the coordinator who scheduled it (or moved it
last), and one whose message is gone (the coordinator deleted it) a new one too. Under it:
"Corrigeren" and "Intrekken", until the issue is withdrawn. What was shown is stored on the
issue, so after a restart only a change is edited again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from berichten.newsletters.progress import Progress, progress
from bot.button_data import Signer, button_key, signing_for
from bot.context import BotData, OverlegContext
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.newsletters.after_sending import record_progress

log = logging.getLogger(__name__)

JOB_NAME = "newsletter_progress"
PROGRESS_EVERY = timedelta(seconds=5)
# An issue that has ended but for members on pause is looked at this often: its report changes
# only when a pause ends, and counting it every 5 s for days would cost for nothing.
WAITING_EVERY = timedelta(minutes=10)
UNREACHABLE_EVERY = timedelta(minutes=1)
CORRECT_PREFIX, WITHDRAW_PREFIX = "nbx:c:", "nbx:w:"


def report_keyboard(issue_id: int) -> InlineKeyboardMarkup:
    """ "Corrigeren" and "Intrekken" for one issue (signed for the chat being answered)."""
    return inline_keyboard(
        [
            (catalogue.plain("newsletter.button.correct"), f"{CORRECT_PREFIX}{issue_id}"),
            (catalogue.plain("newsletter.button.withdraw"), f"{WITHDRAW_PREFIX}{issue_id}"),
        ],
        per_row=2,
    )


def start_progress_job(application: Application) -> None:  # type: ignore[type-arg]
    """Look at the progress of every issue being delivered every :data:`PROGRESS_EVERY`."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _job,
        PROGRESS_EVERY,
        name=JOB_NAME,
        job_kwargs={"id": JOB_NAME, "replace_existing": True},
    )


async def _job(context: OverlegContext) -> None:
    await show_progress(context.application)


async def show_progress(application: Application) -> None:  # type: ignore[type-arg]
    """Bring every progress message in line with the outbox (see the module)."""
    services: BotData = application.bot_data
    async with services.progress_lock:  # the job and a wake at once would send one twice
        now = services.clock.now()
        quiet = {issue for issue, until in services.progress_quiet.items() if until > now}
        try:
            shown = await services.db.run(progress, services.clock, quiet)
        except Exception:
            log.exception("could not read the newsletters' progress; trying again later")
            return
        for update in shown:
            await _show(application, services, update)


async def _show(application: Application, services: BotData, update: Progress) -> None:  # type: ignore[type-arg]
    issue = update.issue
    now = services.clock.now()
    changed = update.text != issue.progress_text or issue.progress_message_id is None
    if changed and not update.ended:
        last = services.progress_shown.get(issue.id)
        if last is not None and now - last < PROGRESS_EVERY:
            return
    chat = issue.progress_chat_id or issue.scheduled_by
    message_id = issue.progress_message_id
    if changed:
        with signing_for(Signer(button_key(application.bot.token), chat)):
            markup = None if issue.withdrawn else report_keyboard(issue.id)
        message_id = await _put(application, chat, message_id, update.text, markup)
        services.progress_shown[issue.id] = now
        if message_id is None:  # the coordinator cannot be reached now: not every 5 s
            services.progress_quiet[issue.id] = now + UNREACHABLE_EVERY
    if update.ended and not update.finished:
        services.progress_quiet[issue.id] = now + WAITING_EVERY
    done_at = now if update.finished else None
    if message_id is not None and (changed or done_at is not None):
        await services.db.run(record_progress, issue, (chat, message_id), update.text, done_at)


async def _put(
    application: Application,  # type: ignore[type-arg]
    chat: int,
    message_id: int | None,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> int | None:
    """Edit the progress message, or send it when there is none (or it is gone); its id, or
    None when the coordinator cannot be reached."""
    bot = application.bot
    try:
        if message_id is not None:
            try:
                await bot.edit_message_text(text, chat, message_id, reply_markup=markup)
                return message_id
            except BadRequest as error:
                if "message to edit not found" not in error.message.lower():
                    raise
        sent = await bot.send_message(chat, text, reply_markup=markup)
        return int(sent.message_id)
    except Forbidden:
        log.info("the coordinator %s blocked the bot; their newsletter report is not shown", chat)
        return message_id
    except TelegramError as error:
        log.warning("could not show a newsletter's progress to %s: %s", chat, error)
        return None
