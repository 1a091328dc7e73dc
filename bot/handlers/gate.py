"""The gate every update passes first (handler group -1).

It decides who may talk to the bot before any feature handler runs, so no feature can forget:
strangers are refused politely (nothing about them is stored), members who left are told how to
return, and in group chats the bot answers commands only with a pointer to a private chat,
never with members' data. Who may pass is decided by :func:`planning.membership.services.admit`.

A pressed button's data is checked first, before any lookup: only data the bot signed for this
very person passes (:mod:`bot.button_data`), and the handlers see it without its signature.
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot.button_data import Signer, button_key, set_signer
from bot.buttons import refuse_press
from bot.commands import publish_coordinator_menu
from bot.context import OverlegContext
from bot.outbox_job import refresh_outbox_soon
from bot.ptb_internals import replace_callback_data
from planning import catalogue
from planning.membership.services import Verdict, admit

_PASS = {Verdict.MEMBER, Verdict.ADMIN_REGISTERED, Verdict.MAY_START}


async def gate(update: Update, context: OverlegContext) -> None:
    """Load the member behind the update, or answer and stop for anyone who may not pass."""
    chat, user = update.effective_chat, update.effective_user
    if update.edited_message is not None:
        # Editing an old /start or /afmelden must not run it again.
        raise ApplicationHandlerStop
    if update.my_chat_member is not None or chat is None or user is None:
        return
    if chat.type != Chat.PRIVATE:
        await _answer_in_group(update, context)
        raise ApplicationHandlerStop
    signer = Signer(button_key(context.bot.token), user.id)
    set_signer(signer)  # keyboards made while handling this update are for this person
    query = update.callback_query
    if query is not None:
        data = signer.verify(query.data or "")
        if data is None:  # not a button the bot showed this person
            await refuse_press(query)
            raise ApplicationHandlerStop
        replace_callback_data(query, data)
    services = context.bot_data
    admission = await services.db.run(
        admit,
        services.clock,
        telegram_user_id=user.id,
        name=user.full_name,
        username=user.username,
        admins=services.settings.admins,
        starting=_is_start(update),
    )
    context.member = admission.member
    if admission.verdict == Verdict.ADMIN_REGISTERED:
        await publish_coordinator_menu(context.bot, user.id)
        refresh_outbox_soon(context.application, member=user.id)
    if admission.verdict in _PASS:
        return
    await _refuse(update, admission.verdict.value)
    raise ApplicationHandlerStop


def _is_start(update: Update) -> bool:
    """Whether the update is a /start (or /start@bot) command; any text is safe here, also one
    of only whitespace, which has no first word."""
    message = update.message
    words = message.text.split(maxsplit=1) if message is not None and message.text else []
    return bool(words) and words[0].split("@")[0] == "/start"


async def _refuse(update: Update, reason: str) -> None:
    if update.callback_query is not None:
        # Alerts are plain text of at most 200 characters, hence their own short texts.
        await update.callback_query.answer(catalogue.plain(f"alert.{reason}"), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(catalogue.html(f"refused.{reason}"))


async def _answer_in_group(update: Update, context: OverlegContext) -> None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return  # the bot does not read along with a group's conversation
    command = message.text.split()[0]
    if "@" in command and command.split("@", 1)[1].lower() != context.bot.username.lower():
        return  # addressed to another bot in the same group
    await message.reply_text(catalogue.html("group.private_only", username=context.bot.username))
