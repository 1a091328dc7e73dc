"""Documents (stukken) with agenda items: sent while submitting, added later with "Stuk
toevoegen", and sent to a reviewer with "Stukken bekijken".

Decisions:

- In /agendapunt a document sent at the explanation question or the summary goes into the draft
  (:func:`in_draft`) and is stored with the item at "Indienen", in the same unit of work. At the
  explanation the member is told and asked on; at the summary the summary comes again, with the
  document listed. A photo, video, voice message or sticker is refused in Dutch: only documents
  are kept. A caption is not read (the explanation is typed as its own step).
- "Stuk toevoegen" (``ai:d:<id>``) sits under the answer after "Indienen" and under each own
  item in /mijnpunten that may still take one. A press asks for the file; the next document is
  attached and the conversation ends (the answer offers the button again). /annuleren stops it.
  The service checks it is the member's own item, waiting or on the agenda, of a meeting that is
  not over or cancelled, below the limit (:mod:`planning.agenda_items.attachments`).
- "Stukken bekijken" (``ap:d:<id>``) sits under the reviewers' notice and /punten for an item
  with documents; a press sends them to the presser, if the service counts them as a reviewer.
  Sent as replies (paced like every reply), not through the outbox: the presser waits for them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from berichten.agenda_items import DOCUMENTS_PREFIX
from berichten.texts.agenda_documents import document_name, review_caption
from berichten.texts.agenda_items import button_title
from bot.buttons import last_number, refuse_press
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import AgendaItemDraft, AttachDraft
from bot.keyboards import inline_keyboard
from bot.uploads import uploaded_document
from planning import catalogue
from planning.agenda_items.attachments import (
    ATTACHABLE,
    attach_documents,
    attachable_item,
    documents_for_review,
)
from planning.agenda_items.documents import (
    DOCUMENT_LIMIT,
    DocumentError,
    DocumentRefusal,
    with_document,
)
from planning.agenda_items.rules import AgendaItemError
from planning.agenda_items.views import AgendaItemView

ATTACH_PREFIX = "ai:d:"
WAITING = 0
DOCUMENT = filters.Document.ALL & ~filters.ANIMATION
# What a member may send instead of a document: refused with the reason.
NOT_A_DOCUMENT = (
    filters.PHOTO
    | filters.VIDEO
    | filters.ANIMATION
    | filters.AUDIO
    | filters.VOICE
    | filters.VIDEO_NOTE
    | filters.Sticker.ALL
    | filters.CONTACT
    | filters.LOCATION
)
Summarise = Callable[[Message, AgendaItemDraft], Awaitable[int]]


def refusal_text(reason: DocumentRefusal) -> str:
    return catalogue.html(f"agenda_item.document.refused.{reason}", limit=DOCUMENT_LIMIT)


# ---------------------------------------------------------------------------- in /agendapunt


def in_draft(
    state: int, summarise: Summarise | None = None
) -> list[BaseHandler[Update, OverlegContext, int]]:
    """The handlers for a document (or other media) sent in /agendapunt's ``state``; with
    ``summarise`` the summary is shown again after a document, else the member is asked on."""

    async def document_sent(update: Update, context: OverlegContext) -> int:
        message, draft = update.effective_message, context.user_state.agenda_item
        assert message is not None and draft is not None
        document = uploaded_document(message)
        assert document is not None  # the filter let only documents through
        try:
            documents = with_document(draft.documents, document)
        except DocumentError as refused:
            await message.reply_text(refusal_text(refused.reason))
            return state
        if len(documents) == len(draft.documents):
            await message.reply_text(
                catalogue.html("agenda_item.document.already", name=document_name(document))
            )
            return state
        draft.documents = documents
        if summarise is not None:
            return await summarise(message, draft)
        await message.reply_text(
            catalogue.html(
                "agenda_item.document.in_draft",
                name=document_name(document),
                count=len(documents),
                limit=DOCUMENT_LIMIT,
            )
        )
        return state

    async def not_a_document(update: Update, _context: OverlegContext) -> int:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            catalogue.html("agenda_item.document.not_a_document")
        )
        return state

    return [MessageHandler(DOCUMENT, document_sent), MessageHandler(NOT_A_DOCUMENT, not_a_document)]


# ---------------------------------------------------------------------------- "Stuk toevoegen"


def attach_choices(items: Sequence[AgendaItemView]) -> list[tuple[str, str]]:
    """A "Stuk toevoegen" button for each item that may still take a document (the service
    checks again on the press)."""
    return [
        (
            catalogue.plain("agenda_item.document.add_button", title=button_title(item.title)),
            f"{ATTACH_PREFIX}{item.id}",
        )
        for item in items
        if item.status in ATTACHABLE
        and not item.meeting_cancelled
        and len(item.documents) < DOCUMENT_LIMIT
    ]


def attach_keyboard(item: AgendaItemView) -> InlineKeyboardMarkup | None:
    """ "Stuk toevoegen" under one item (the answer after "Indienen" or after attaching)."""
    if not attach_choices([item]):
        return None
    label = catalogue.plain("agenda_item.document.add_one_button")
    return inline_keyboard([(label, f"{ATTACH_PREFIX}{item.id}")])


async def ask_document(update: Update, context: OverlegContext) -> int:
    """ "Stuk toevoegen": if the item may take one, ask for the file."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    services = context.bot_data
    try:
        item = await services.db.run(
            attachable_item, services.clock, query.from_user.id, last_number(query.data)
        )
    except DocumentError as refused:
        await context.bot.send_message(query.from_user.id, refusal_text(refused.reason))
        return ConversationHandler.END
    context.user_state.agenda_item_document = AttachDraft(item.id, item.title)
    await context.bot.send_message(
        query.from_user.id, catalogue.html("agenda_item.document.ask", title=item.title)
    )
    return WAITING


async def attach_sent(update: Update, context: OverlegContext) -> int:
    """The document: attach it, say so, offer to add another."""
    message, draft = update.effective_message, context.user_state.agenda_item_document
    assert message is not None and draft is not None and message.from_user is not None
    document = uploaded_document(message)
    assert document is not None
    services = context.bot_data
    context.user_state.agenda_item_document = None
    try:
        attached = await services.db.run(
            attach_documents, services.clock, message.from_user.id, draft.item_id, [document]
        )
    except DocumentError as refused:
        await message.reply_text(refusal_text(refused.reason))
        return ConversationHandler.END
    key = "agenda_item.document.added" if attached.added else "agenda_item.document.already"
    text = catalogue.html(
        key,
        name=document_name(document),
        title=attached.item.title,
        count=len(attached.item.documents),
        limit=DOCUMENT_LIMIT,
    )
    await message.reply_text(text, reply_markup=attach_keyboard(attached.item))
    return ConversationHandler.END


async def not_attached(update: Update, _context: OverlegContext) -> int:
    """Anything but a document while the file is awaited: say what is wanted, and wait."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("agenda_item.document.not_a_document"))
    return WAITING


def attach_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="agenda_item_document",
        command="agendapunt-stuk",  # its stored name; it is not a command
        interrupted=_interrupted,
        cancelled=_cancelled,
        entry_points=[CallbackQueryHandler(ask_document, pattern=rf"^{ATTACH_PREFIX}\d+$")],
        states={
            WAITING: [
                MessageHandler(DOCUMENT, attach_sent),
                MessageHandler(~filters.COMMAND, not_attached),
            ]
        },
        allow_reentry=True,
    )


def _interrupted(context: OverlegContext, _state: object) -> str:
    draft = context.user_state.agenda_item_document
    context.user_state.agenda_item_document = None
    return catalogue.html("agenda_item.document.stopped", title=draft.title if draft else "")


def _cancelled(context: OverlegContext) -> str:
    draft = context.user_state.agenda_item_document
    return catalogue.html("agenda_item.document.stopped", title=draft.title if draft else "")


# ---------------------------------------------------------------------------- "Stukken bekijken"


async def view_documents(update: Update, context: OverlegContext) -> None:
    """ "Stukken bekijken": send the item's documents to the reviewer who pressed."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services = context.bot_data
    user_id = query.from_user.id
    try:
        title, documents = await services.db.run(
            documents_for_review, user_id, last_number(query.data)
        )
    except AgendaItemError:  # not a reviewer (any more), or the item is gone
        await refuse_press(query)
        return
    await query.answer()
    if not documents:
        await context.bot.send_message(
            user_id, catalogue.html("agenda_item.document.none", title=title)
        )
    for document in documents:
        await context.bot.send_document(user_id, document.file_id, caption=review_caption(title))


def view_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(view_documents, pattern=rf"^{DOCUMENTS_PREFIX}\d+$")
