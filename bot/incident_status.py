"""The coordinator's status message of each incident, kept up to date in place; unpinning.

A repeating job (every :data:`STATUS_EVERY`), the end of every outbox wake and a press of an
incident's buttons ask :func:`berichten.incidents.status.statuses` what each message should
show, and edit it when that changed: at most once every :data:`STATUS_EVERY` by the bot's clock
(each edit counts against the chat's one a second, and a figure changing every second is no
use to a reader), the closed state at once. The edits are ordinary requests of the
Application's bot, so the rate limiter paces them with everything else the bot sends
(bot/rate_limiter.py). Under an open incident's message: "Vervolgbericht" and "Afsluiten".

The message is the confirmation the coordinator pressed; one that is gone (deleted, or never
stored: a crash right after sending) is sent anew to the coordinator who sent the incident. What
was shown and when is stored on the incident, so after a restart only a change is edited again.

After every wake the copies of closed incidents are unpinned
(:func:`berichten.incidents.closing.to_unpin`); a refusal is logged, never raised.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application

from berichten.incidents.closing import mark_unpinned, to_unpin
from berichten.incidents.status import Status, statuses
from bot.button_data import Signer, button_key, signing_for
from bot.context import BotData, OverlegContext
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.incidents.status_message import record_status

log = logging.getLogger(__name__)

JOB_NAME = "incident_status"
STATUS_EVERY = timedelta(seconds=5)
CLOSE_PREFIX, CLOSE_YES_PREFIX, CLOSE_NO_PREFIX = "inc:x:", "inc:xy:", "inc:xn:"
UPDATE_PREFIX = "inc:u:"


def escalate_every(services: BotData) -> timedelta:
    return timedelta(minutes=services.settings.incident_escalate_minutes)


def status_keyboard(incident_id: int) -> InlineKeyboardMarkup:
    """ "Vervolgbericht" and "Afsluiten" under an open incident's status message."""
    return inline_keyboard(
        [
            (catalogue.plain("incident.button.update"), f"{UPDATE_PREFIX}{incident_id}"),
            (catalogue.plain("incident.button.close"), f"{CLOSE_PREFIX}{incident_id}"),
        ],
        per_row=2,
    )


def confirm_close_keyboard(incident_id: int) -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            (catalogue.plain("incident.button.close_yes"), f"{CLOSE_YES_PREFIX}{incident_id}"),
            (catalogue.plain("incident.button.close_no"), f"{CLOSE_NO_PREFIX}{incident_id}"),
        ],
        per_row=2,
    )


def start_status_job(application: Application) -> None:  # type: ignore[type-arg]
    """Look at the open incidents' status every :data:`STATUS_EVERY`."""
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        _job, STATUS_EVERY, name=JOB_NAME, job_kwargs={"id": JOB_NAME, "replace_existing": True}
    )


async def _job(context: OverlegContext) -> None:
    await show_status(context.application)


def show_status_soon(application: Application) -> None:  # type: ignore[type-arg]
    """:func:`show_status` after the handler has answered."""
    if application.running:
        application.create_task(show_status(application), name="incident_status")


async def show_status(application: Application) -> None:  # type: ignore[type-arg]
    """Bring every status message in line (see the module)."""
    services: BotData = application.bot_data
    async with services.status_lock:  # the job and a wake at once would send one twice
        try:
            found = await services.db.run(statuses, escalate_every(services))
        except Exception:
            log.exception("could not read the incidents' status; trying again later")
            return
        for status in found:
            await _show(application, services, status)


async def _show(application: Application, services: BotData, status: Status) -> None:  # type: ignore[type-arg]
    now = services.clock.now()
    if status.text == status.shown and status.message_id is not None:
        return
    recent = status.shown_at is not None and now - status.shown_at < STATUS_EVERY
    if recent and not status.closed:
        return
    with signing_for(Signer(button_key(application.bot.token), status.chat_id)):
        markup = None if status.closed else status_keyboard(status.incident_id)
    message_id = await _put(application, status, markup)
    if message_id is not False:
        await services.db.run(
            record_status, status.incident_id, status.chat_id, message_id, status.text, now
        )


async def _put(
    application: Application,  # type: ignore[type-arg]
    status: Status,
    markup: InlineKeyboardMarkup | None,
) -> int | bool | None:
    """Edit the status message, or send it when there is none (or it is gone); its id (None:
    the coordinator blocked the bot, so it is not tried again), or False to try again later."""
    bot = application.bot
    chat = status.chat_id
    try:
        if status.message_id is not None:
            try:
                await bot.edit_message_text(
                    status.text, chat, status.message_id, reply_markup=markup
                )
                return status.message_id
            except BadRequest as error:
                if "message to edit not found" not in error.message.lower():
                    raise
        sent = await bot.send_message(chat, status.text, reply_markup=markup)
        return int(sent.message_id)
    except Forbidden:
        log.info("the coordinator %s blocked the bot; their incident status is not shown", chat)
        return status.message_id
    except TelegramError as error:
        log.warning("could not show an incident's status to %s: %s", chat, error)
        return False


async def unpin_closed(application: Application) -> None:  # type: ignore[type-arg]
    """Unpin every copy of the incidents closed since (see the module)."""
    services: BotData = application.bot_data
    for pinned in await services.db.run(to_unpin):
        for chat, message_id in pinned.messages:
            try:
                await application.bot.unpin_chat_message(chat, message_id)
            except TelegramError as error:
                log.info("could not unpin incident message %s in %s: %s", message_id, chat, error)
        await services.db.run(mark_unpinned, pinned.incident_id, services.clock.now())
