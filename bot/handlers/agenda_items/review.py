"""Reviewers see the agenda items waiting for them (/punten) and coordinators publish a
meeting's agenda (/publiceer).

The review buttons under each item of /punten, and what a press does, are in
:mod:`bot.handlers.agenda_items.review_buttons`.

Decisions:

- /punten sends the overview per meeting first, then each waiting item as its own message with
  the buttons, so a press can show its outcome in place. At most :data:`SHOWN` items at a time
  (the rest with the next /punten): these replies are sent directly, not paced by the outbox,
  and Telegram answers a longer burst to one chat with 429 (about one message a second).
- /punten is for the coordinators (every waiting item) and for the members of an overleg's
  ``beoordelaars`` (that overleg's items); anyone else gets a polite refusal, as members who are
  not coordinators do for /publiceer and its buttons. The services refuse them as well.
- /publiceer is a short conversation: the meeting (buttons with an index into the listed
  meetings, skipped when only one has accepted items), a preview of exactly what members will
  get (a long agenda in several messages, as they get it), then "Versturen" or "Afbreken"
  under the last, with a row of "Punt N omhoog" / "Punt N omlaag" per accepted item
  (``pub:u:<id>``, ``pub:d:<id>``). A move is stored at once and the agenda is read back from
  the database and redrawn in place (a preview of several messages is sent again below), so
  the draft never holds a stale order, also after a restart. "Versturen" sends only the order
  the coordinator saw: changed meanwhile (another coordinator), the new order is shown
  instead. Publishing queues the agenda for every participant and refreshes the outbox, so it
  goes out at once; the coordinator then gets the agenda as a Word file
  (:mod:`berichten.agenda_export`).
- A press is answered (redrawn) before the outbox is refreshed: that takes seconds at 10,000
  members, and PTB handles one update at a time (:func:`bot.outbox_job.refresh_outbox_soon`).
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, filters

from berichten.agenda_export import agenda_word_file
from berichten.agenda_items import publish_agenda
from berichten.texts.agenda_items import review_item
from bot.buttons import answered, chosen, last_number, redraw
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import PublishDraft
from bot.handlers.access import ensure_coordinator
from bot.handlers.agenda_items import prompts
from bot.handlers.agenda_items.review_buttons import review_keyboard
from bot.handlers.meeting_changes.prompts import meeting_button
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.agenda_items.order import move_item
from planning.agenda_items.publication import (
    AgendaChangedError,
    AgendaDraft,
    publishable_meetings,
)
from planning.agenda_items.reviewing import items_to_review
from planning.agenda_items.rules import (
    AgendaItemError,
)

SHOWN = 5  # items with buttons per /punten; a reviewer works through them in turns
CHOOSE, CONFIRM = range(2)
MEETING_PREFIX = "pub:m:"
SEND, ABORT = "pub:ok", "pub:no"
UP_PREFIX, DOWN_PREFIX = "pub:u:", "pub:d:"
MOVE_PATTERN = rf"^({UP_PREFIX}|{DOWN_PREFIX})\d+$"
# Items with move buttons: two buttons each, well under the keyboard Telegram still shows.
MOVABLE = 40


# ---------------------------------------------------------------------------- /punten


async def waiting_command(update: Update, context: OverlegContext) -> None:
    """/punten: the items waiting for this reviewer, each with the review buttons."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    try:
        items = await services.db.run(items_to_review, services.clock, user.id)
    except AgendaItemError:  # neither a coordinator nor one of any overleg's beoordelaars
        await message.reply_text(catalogue.html("agenda_item.review.refused.punten"))
        return
    await message.reply_text(prompts.review_list(items))
    for item in items[:SHOWN]:
        await message.reply_text(review_item(item), reply_markup=review_keyboard(item))
    if len(items) > SHOWN:
        await message.reply_text(catalogue.html("agenda_item.chat.more_to_review", shown=SHOWN))


# ---------------------------------------------------------------------------- /publiceer


async def start_publish(update: Update, context: OverlegContext) -> int:
    """/publiceer: the meetings with accepted items, or straight to the preview for one."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    if not await ensure_coordinator(update, context):
        return ConversationHandler.END
    services = context.bot_data
    drafts = await services.db.run(publishable_meetings, services.clock, user.id)
    if not drafts:
        context.user_state.publish = None
        await message.reply_text(catalogue.html("agenda_item.chat.nothing_to_publish"))
        return ConversationHandler.END
    draft = context.user_state.publish = PublishDraft(drafts)
    if len(drafts) == 1:
        draft.chosen = drafts[0]
        for part, keyboard in _preview(draft.chosen):
            await message.reply_text(part, reply_markup=keyboard)
        return CONFIRM
    choices = [
        (meeting_button(agenda.meeting), f"{MEETING_PREFIX}{index}")
        for index, agenda in enumerate(drafts)
    ]
    await message.reply_text(
        catalogue.html("agenda_item.chat.choose_publish"),
        reply_markup=inline_keyboard(choices, per_row=1),
    )
    return CHOOSE


async def choose_publish(update: Update, context: OverlegContext) -> int:
    """The meeting is chosen: show its agenda as the participants will get it."""
    query, draft = await answered(update, context.user_state.publish)
    draft.chosen = chosen(query, draft.drafts)
    [(first, keyboard), *rest] = _preview(draft.chosen)
    await query.edit_message_text(first, reply_markup=keyboard)
    for part, keyboard in rest:  # /publiceer is for private chats: the chat is the user's
        await context.bot.send_message(query.from_user.id, part, reply_markup=keyboard)
    return CONFIRM


async def move(update: Update, context: OverlegContext) -> int:
    """ "Punt N omhoog/omlaag": store the move, show the agenda as it now stands."""
    query, draft = await answered(update, context.user_state.publish)
    assert draft.chosen is not None
    services = context.bot_data
    try:
        draft.chosen = await services.db.run(
            move_item,
            services.clock,
            query.from_user.id,
            draft.chosen.meeting.key,
            last_number(query.data),
            (query.data or "").startswith(UP_PREFIX),
        )
    except AgendaItemError as refused:  # the meeting began, or the item left the agenda
        context.user_state.publish = None
        await redraw(query, prompts.refusal_text(refused.reason), None)
        return ConversationHandler.END
    draft.moved = True
    await _show_again(query, context, draft.chosen)
    return CONFIRM


async def abort(update: Update, context: OverlegContext) -> int:
    """ "Afbreken": nothing is sent; a new order was stored with each move and stays, so say
    so rather than "er is niets opgeslagen"."""
    query, draft = await answered(update, context.user_state.publish)
    context.user_state.publish = None
    key = "agenda_item.order.aborted_kept" if draft.moved else "conversation.cancelled"
    await query.edit_message_text(catalogue.html(key))
    return ConversationHandler.END


async def send(update: Update, context: OverlegContext) -> int:
    """The "Versturen" button: record the publication, queue it for every participant."""
    query, draft = await answered(update, context.user_state.publish)
    assert draft.chosen is not None
    services = context.bot_data
    try:
        publication = await services.db.run(
            publish_agenda,
            services.clock,
            query.from_user.id,
            draft.chosen.meeting.key,
            [item.id for item in draft.chosen.items],
        )
    except AgendaChangedError as changed:  # reordered by someone else since it was shown
        draft.chosen = changed.draft
        await _show_again(query, context, changed.draft, changed=True)
        return CONFIRM
    except AgendaItemError as refused:  # the meeting began or was cancelled meanwhile
        context.user_state.publish = None
        await query.edit_message_text(prompts.refusal_text(refused.reason))
        return ConversationHandler.END
    context.user_state.publish = None
    try:
        await query.edit_message_text(prompts.published_text(publication))
    finally:  # the agenda is recorded: it goes out now, whether or not the answer arrived
        refresh_outbox_soon(context.application)
    await _send_word_file(context, query.from_user.id, publication.meeting.key)
    return ConversationHandler.END


async def _send_word_file(context: OverlegContext, chat_id: int, meeting_key: str) -> None:
    """The agenda just published as a Word file for the coordinator (for the secretary), as
    ``overlegbot agenda export`` writes it."""
    services = context.bot_data
    try:
        agenda = await services.db.run(agenda_word_file, services.clock, meeting_key)
    except AgendaItemError:  # its last item was withdrawn in this very moment: nothing to send
        return
    await context.bot.send_document(
        chat_id,
        document=agenda.content,
        filename=agenda.file_name,
        caption=catalogue.html("agenda_item.export.chat_caption"),
    )


def publish_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="publish",
        entry_points=[CommandHandler("publiceer", start_publish, filters=filters.ChatType.PRIVATE)],
        states={
            CHOOSE: [CallbackQueryHandler(choose_publish, pattern=rf"^{MEETING_PREFIX}\d+$")],
            CONFIRM: [
                CallbackQueryHandler(send, pattern=f"^{SEND}$"),
                CallbackQueryHandler(move, pattern=MOVE_PATTERN),
                # "Afbreken" under the preview: nothing is sent.
                CallbackQueryHandler(abort, pattern=f"^{ABORT}$"),
            ],
        },
        allow_reentry=True,
    )


# ---------------------------------------------------------------------------- helpers


def _preview(
    draft: AgendaDraft, changed: bool = False
) -> list[tuple[str, InlineKeyboardMarkup | None]]:
    """The preview's messages; the move buttons, "Versturen" and "Afbreken" under the last, so
    they come after the whole agenda (and a press redraws that one)."""
    parts = prompts.publish_preview(draft, changed)
    last = len(parts) - 1
    return [(part, _send_keyboard(draft) if i == last else None) for i, part in enumerate(parts)]


async def _show_again(
    query: CallbackQuery, context: OverlegContext, draft: AgendaDraft, changed: bool = False
) -> None:
    """The preview redrawn in place; one of several messages cannot be, so the pressed one
    says so and the whole preview follows."""
    parts = _preview(draft, changed)
    if len(parts) == 1:
        await redraw(query, *parts[0])
        return
    await redraw(query, catalogue.html("agenda_item.order.shown_below"), None)
    for part, keyboard in parts:  # /publiceer is for private chats: the chat is the user's
        await context.bot.send_message(query.from_user.id, part, reply_markup=keyboard)


def _send_keyboard(draft: AgendaDraft) -> InlineKeyboardMarkup:
    """A row per accepted item to move it (the first only down, the last only up), then
    "Versturen" and "Afbreken"."""
    points = [(n, item) for n, item in draft.numbered() if not isinstance(item, str)]
    rows = []
    if len(points) > 1:
        for index, (number, item) in enumerate(points[:MOVABLE]):
            row = []
            if index > 0:
                label = catalogue.plain("agenda_item.order.up_button", number=number)
                row.append((label, f"{UP_PREFIX}{item.id}"))
            if index < len(points) - 1:
                label = catalogue.plain("agenda_item.order.down_button", number=number)
                row.append((label, f"{DOWN_PREFIX}{item.id}"))
            rows.append(inline_keyboard(row, per_row=2).inline_keyboard[0])
    final = [
        (catalogue.plain("agenda_item.chat.send_button"), SEND),
        (catalogue.plain("meeting_change.abort_button"), ABORT),
    ]
    return InlineKeyboardMarkup([*rows, *inline_keyboard(final).inline_keyboard])
