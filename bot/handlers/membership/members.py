"""/leden: the coordinators' overview of who is registered."""

from __future__ import annotations

from telegram import Update

from berichten.texts.html import pack
from bot.context import OverlegContext
from bot.handlers.access import ensure_coordinator
from bot.handlers.membership import prompts
from planning.membership.lookups import list_members


async def members_command(update: Update, context: OverlegContext) -> None:
    """/leden: who is registered, for coordinators only, split under Telegram's limit."""
    message = update.effective_message
    assert message is not None
    if not await ensure_coordinator(update, context):
        return
    members = await context.bot_data.db.run(list_members)
    for text in pack(prompts.member_list(members)):
        await message.reply_text(text)
