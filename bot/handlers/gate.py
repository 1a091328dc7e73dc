"""The gate every update passes first (handler group -1).

It decides who may talk to the bot before any feature handler runs, so no feature can forget:
strangers are refused politely (nothing about them is stored), members who left are told how to
return, configured admins are registered as coordinators on first contact, and in group chats
the bot answers commands only with a pointer to a private chat, never with members' data.
"""

from __future__ import annotations

from telegram import Chat, Update
from telegram.ext import ApplicationHandlerStop

from bot.commands import publish_coordinator_menu
from bot.context import OverlegContext
from planning import catalogue
from planning.membership import find_member, register_admin
from planning.models import MemberStatus


async def gate(update: Update, context: OverlegContext) -> None:
    """Load the member behind the update, or answer and stop for anyone who may not pass."""
    chat, user = update.effective_chat, update.effective_user
    if update.my_chat_member is not None or chat is None or user is None:
        return
    if chat.type != Chat.PRIVATE:
        await _answer_in_group(update, context)
        raise ApplicationHandlerStop
    services = context.bot_data
    member = await find_member(services.db, user.id)
    if user.id in services.settings.admins and (member is None or not member.is_active):
        member = await register_admin(
            services.db,
            services.clock,
            telegram_user_id=user.id,
            name=user.full_name,
            username=user.username,
        )
        await publish_coordinator_menu(context.bot, user.id)
    context.member = member
    if member is not None and member.is_active:
        return
    if _is_start(update):
        return  # /start with an invite code is how a stranger or a leaver gets in
    left = member is not None and member.status == MemberStatus.LEFT
    await _refuse(update, "refused.left" if left else "refused.stranger")
    raise ApplicationHandlerStop


def _is_start(update: Update) -> bool:
    message = update.message
    return bool(message and message.text and message.text.split()[0].split("@")[0] == "/start")


async def _refuse(update: Update, key: str) -> None:
    if update.callback_query is not None:
        # Alerts are plain text of at most 200 characters.
        await update.callback_query.answer(catalogue.plain(key)[:200], show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(catalogue.html(key))


async def _answer_in_group(update: Update, context: OverlegContext) -> None:
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return  # the bot does not read along with a group's conversation
    command = message.text.split()[0]
    if "@" in command and command.split("@", 1)[1].lower() != context.bot.username.lower():
        return  # addressed to another bot in the same group
    await message.reply_text(catalogue.html("group.private_only", username=context.bot.username))
