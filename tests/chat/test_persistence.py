"""The database persistence in a small PTB bot: a conversation begun before a restart goes on.

Each bot here is a small PTB Application with :class:`DatabasePersistence` and one persistent
conversation (/notitie: title, then text), run over HTTP against the stand-in. A restart is the
first Application stopped (updater, ``stop``, then ``shutdown``, which hands the last changes
to the persistence) and a second one, with a new persistence on the same database, started;
that is all a chat test of the real bot needs once it is wired.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter
from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.persistence import DatabasePersistence
from bot.ptb_internals import end_conversation
from bot.standin import StandinServer
from planning.db import Database

ANNE = 1001
TITLE, TEXT = range(2)


@dataclass
class Notes:
    title: str | None = None


Context = CallbackContext[ExtBot[None], Notes, dict[Any, Any], dict[Any, Any]]
NotesBot = Application[Any, Context, Any, Any, Any, Any]


async def test_a_conversation_goes_on_after_a_restart(
    server: StandinServer, database: Database
) -> None:
    server.add_user(ANNE, "Anne")
    async with _running(_bot(server, database)):
        assert await _say(server, "/notitie") == "Titel?"
        assert await _say(server, "Wegwerkzaamheden") == "Tekst?"

    async with _running(_bot(server, database)):
        assert await _say(server, "Graag op de agenda") == "Wegwerkzaamheden: Graag op de agenda"
        assert await _say(server, "Nog iets") == "Geen notitie open."


async def test_a_conversation_ended_from_outside_stays_ended_after_a_restart(
    server: StandinServer, database: Database
) -> None:
    server.add_user(ANNE, "Anne")
    async with _running(_bot(server, database)):
        assert await _say(server, "/notitie") == "Titel?"
        assert await _say(server, "/stoppen") == "Gestopt."

    async with _running(_bot(server, database)):
        assert await _say(server, "Wegwerkzaamheden") == "Geen notitie open."


@asynccontextmanager
async def _running(application: NotesBot) -> AsyncIterator[None]:
    """Poll as ``bot.app.polling`` does; leaving stops it the way a restart does."""
    await application.initialize()  # loads the stored drafts and conversation states
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    await application.start()
    try:
        yield
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()  # hands the last changes to the persistence


async def _say(server: StandinServer, text: str) -> str | None:
    server.send_message(ANNE, text)
    return (await server.next_message(ANNE)).text


def _bot(server: StandinServer, database: Database) -> NotesBot:
    application = (
        ApplicationBuilder()
        .token(server.token)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
        .context_types(ContextTypes(user_data=Notes))
        .persistence(DatabasePersistence(database, TypeAdapter(Notes)))
        .build()
    )
    notes = ConversationHandler(
        entry_points=[CommandHandler("notitie", _ask_title)],
        states={
            TITLE: [MessageHandler(filters.TEXT & ~filters.COMMAND, _ask_text)],
            TEXT: [MessageHandler(filters.TEXT & ~filters.COMMAND, _done)],
        },
        fallbacks=[],
        name="notitie",
        persistent=True,
    )

    async def stop(update: Update, _context: Context) -> None:
        """As another conversation's start does: end this one from outside."""
        assert update.effective_message is not None
        if end_conversation(notes, update) is not None:
            await update.effective_message.reply_text("Gestopt.")

    application.add_handler(notes)
    application.add_handler(CommandHandler("stoppen", stop))
    application.add_handler(MessageHandler(filters.TEXT, _nothing_open))
    return application


async def _ask_title(update: Update, context: Context) -> int:
    assert update.effective_message is not None and context.user_data is not None
    context.user_data.title = None
    await update.effective_message.reply_text("Titel?")
    return TITLE


async def _ask_text(update: Update, context: Context) -> int:
    assert update.effective_message is not None and context.user_data is not None
    context.user_data.title = update.effective_message.text
    await update.effective_message.reply_text("Tekst?")
    return TEXT


async def _done(update: Update, context: Context) -> int:
    assert update.effective_message is not None and context.user_data is not None
    await update.effective_message.reply_text(
        f"{context.user_data.title}: {update.effective_message.text}"
    )
    context.user_data.title = None
    return ConversationHandler.END


async def _nothing_open(update: Update, _context: Context) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Geen notitie open.")
