"""/incidenten: the latest incidents and their answers per organisation, for coordinators."""

from __future__ import annotations

from telegram import Update

from berichten.incidents.overview import overview_messages
from bot.context import OverlegContext
from bot.handlers.access import ensure_coordinator


async def incidents_command(update: Update, context: OverlegContext) -> None:
    """/incidenten: open and past incidents, read / not yet / unreachable per organisation."""
    assert update.effective_message is not None
    if not await ensure_coordinator(update, context):
        return
    for text in await context.bot_data.db.run(overview_messages):
        await update.effective_message.reply_text(text)
