"""The outbox's :class:`berichten.outbox.sender.Sender`, implemented with PTB's bot.

It maps PTB's exceptions onto the outcomes the sender loop knows. Order matters: PTB's
``BadRequest`` is a subclass of ``NetworkError``, so it is caught first.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Bot, Document, InlineKeyboardMarkup, Message, PhotoSize, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from berichten.incidents.sending import pins
from berichten.outbox.media import Media, MediaKind
from berichten.outbox.sender import (
    FloodWaitError,
    MessageRejectedError,
    RecipientBlockedError,
    TransientSendError,
)
from berichten.outbox.store import Buttons
from bot.button_data import Signer, button_key, signing_for
from bot.keyboards import inline_keyboard
from bot.rate_limiter import ALREADY_PACED, retry_seconds

log = logging.getLogger(__name__)
Result = TypeVar("Result")
# Asked to delete a message that is gone already (the member cleared the chat): done.
DELETED_ALREADY = "message to delete not found"


class TelegramSender:
    def __init__(self, bot: Bot, *, paid_broadcast: bool = False) -> None:
        self._bot = bot
        # Telegram charges Stars for paid broadcasts; only then may we exceed 30 messages/s.
        self._paid_broadcast = paid_broadcast or None
        # The sender loop holds a pacer slot for each send: the bot's rate limiter, which paces
        # replies with the same pacer, must not pace it again (bot/rate_limiter.py).
        self._extra: dict[str, Any] = {}
        if isinstance(bot, ExtBot) and bot.rate_limiter is not None:
            self._extra["rate_limit_args"] = ALREADY_PACED

    async def send(
        self, chat_id: int, text: str, buttons: Buttons | None, media: Media | None = None
    ) -> int:
        return await self.reply(chat_id, None, text, buttons, media)

    async def reply(
        self,
        chat_id: int,
        reply_to: int | None,
        text: str,
        buttons: Buttons | None,
        media: Media | None = None,
    ) -> int:
        """Send, as a reply to message ``reply_to`` when given (sent all the same when the
        member deleted that message: ``allow_sending_without_reply``)."""
        markup: InlineKeyboardMarkup | None = None
        if buttons:
            with signing_for(Signer(button_key(self._bot.token), chat_id)):
                markup = inline_keyboard([choice for row in buttons for choice in row], per_row=3)
        message = await self._outcome(lambda: self._send(chat_id, text, markup, media, reply_to))
        if pins(buttons):
            await self._pin(chat_id, message.message_id)
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, media: Media | None) -> None:
        """A new text, or caption of a photo or document; the same content again is done
        (the rate limiter takes Telegram's "message is not modified" as done)."""
        options = {"parse_mode": ParseMode.HTML, **self._extra}
        if media is None:
            edit = self._bot.edit_message_text(text, chat_id, message_id, **options)
        else:
            edit = self._bot.edit_message_caption(chat_id, message_id, caption=text, **options)
        await self._outcome(lambda: edit)

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Delete the message for everyone; one that is gone already is done."""
        delete = self._bot.delete_message(chat_id, message_id, **self._extra)
        try:
            await self._outcome(lambda: delete)
        except MessageRejectedError as error:
            if DELETED_ALREADY not in str(error).lower():
                raise

    @staticmethod
    async def _outcome(request: Callable[[], Awaitable[Result]]) -> Result:
        """The request's answer, PTB's exceptions mapped onto the sender loop's outcomes."""
        try:
            return await request()
        except RetryAfter as error:
            raise FloodWaitError(retry_seconds(error)) from error
        except Forbidden as error:
            raise RecipientBlockedError(error.message) from error
        except BadRequest as error:
            raise MessageRejectedError(error.message) from error
        except (TimedOut, NetworkError) as error:
            raise TransientSendError(error.message) from error

    async def _pin(self, chat_id: int, message_id: int) -> None:
        """Pin an incident in the member's chat, quietly. The message is sent whatever happens
        here: a refusal or a network error is logged, never raised (docs/decisions/incidents.md).
        """
        try:
            await self._bot.pin_chat_message(
                chat_id, message_id, disable_notification=True, **self._extra
            )
        except TelegramError as error:
            log.info("could not pin incident message %s in chat %s: %s", message_id, chat_id, error)

    async def _send(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        media: Media | None,
        reply_to: int | None = None,
    ) -> Message:
        options: dict[str, Any] = {"allow_paid_broadcast": self._paid_broadcast, **self._extra}
        if reply_to is not None:
            options["reply_parameters"] = ReplyParameters(
                reply_to, allow_sending_without_reply=True
            )
        return await send_as_message(self._bot, chat_id, text, markup, media, **options)


async def send_as_message(
    bot: Bot,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    media: Media | None = None,
    **options: Any,
) -> Message:
    """``text`` (Telegram HTML) as a message, or as the caption of ``media`` sent by its file id:
    how the outbox sends, and how a preview shows, one message. ``options`` go to PTB."""
    if media is None:
        return await bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup, **options
        )
    # As PTB's PhotoSize or Document, not a plain string: PTB uploads a local file whose name
    # equals a string it is given, and sends only an object's file_id.
    caption = text or None
    if media.kind is MediaKind.PHOTO:
        return await bot.send_photo(
            chat_id,
            PhotoSize(media.file_id, "", 0, 0),
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            **options,
        )
    return await bot.send_document(
        chat_id,
        Document(media.file_id, ""),
        caption=caption,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        **options,
    )
