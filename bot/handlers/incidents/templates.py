"""/sjablonen: a coordinator changes an incident template in chat, one field at a time.

The command lists the templates, a button each (``sjb:s:<id>``); a template shows its fields,
a button each (``sjb:f:<id>.<field>``); pressing one asks the new text (the list fields one
item per line), checked exactly as ``plan check`` checks the file. A refused text is answered
with the Dutch reason and the step waits; a good one is saved with its audit line
(:mod:`planning.incidents.editing`). The buttons carry the row's id, so they work after a
restart, and are guarded ``is_coordinator``; a template an import replaced meanwhile gets the
polite stale answer. The draft (:class:`TemplateEditDraft`) survives a restart and
``/annuleren`` ends it. "Nieuw sjabloon" is not offered: a new template goes in the plan file.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler
from telegram.ext import filters as f

from bot.button_guards import guarded
from bot.buttons import StaleButtonError, last_field, last_number, redraw, refuse_press
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import TemplateEditDraft
from bot.handlers.access import ensure_coordinator, is_coordinator
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.incidents.editing import (
    FIELDS,
    LIST_FIELDS,
    StoredTemplate,
    TemplateError,
    TemplateTextError,
    change_template,
    stored_template,
    stored_templates,
)
from planning.incidents.templates import IncidentTemplate

SHOW_PREFIX, FIELD_PREFIX = "sjb:s:", "sjb:f:"
TEXT = 0
_SHOWN = 300  # characters of a text shown in the overview of a template
_ITEMS = 10  # list items shown there


async def templates_command(update: Update, context: OverlegContext) -> None:
    assert update.effective_message is not None
    if not await ensure_coordinator(update, context):
        return
    found = await context.bot_data.db.run(stored_templates)
    if not found:
        await update.effective_message.reply_text(catalogue.html("template.none"))
        return
    keyboard = inline_keyboard(
        [(stored.template.name[:60], f"{SHOW_PREFIX}{stored.id}") for stored in found], per_row=1
    )
    await update.effective_message.reply_text(
        catalogue.html("template.heading"), reply_markup=keyboard
    )


async def show_pressed(update: Update, context: OverlegContext) -> None:
    query = update.callback_query
    assert query is not None
    found = await context.bot_data.db.run(stored_template, last_number(query.data))
    if found is None:
        await refuse_press(query)
        return
    await query.answer()
    await redraw(query, template_text(found.template), fields_keyboard(found))


async def field_pressed(update: Update, context: OverlegContext) -> int:
    """A field's button: ask its new text."""
    query = update.callback_query
    assert query is not None
    template_id, field = _id_and_field(query.data)
    found = await context.bot_data.db.run(stored_template, template_id)
    if found is None:
        await refuse_press(query)
        return ConversationHandler.END
    await query.answer()
    template = found.template
    context.user_state.incident_template = TemplateEditDraft(
        found.id, template.code, template.name, field
    )
    key = "template.ask_list" if field in LIST_FIELDS else "template.ask"
    await context.bot.send_message(
        query.from_user.id,
        catalogue.html(key, field=field, name=template.name, current=_current(template, field)),
    )
    return TEXT


async def text_typed(update: Update, context: OverlegContext) -> int:
    message, draft = update.effective_message, context.user_state.incident_template
    assert isinstance(message, Message) and draft is not None
    services = context.bot_data
    try:
        changed = await services.db.run(
            change_template,
            services.clock,
            message.chat_id,
            draft.template_id,
            draft.code,
            draft.field,
            message.text or "",
        )
    except TemplateTextError as refused:
        await message.reply_text(catalogue.html("template.refused", reason=refused.reason))
        return TEXT
    except TemplateError:
        context.user_state.incident_template = None
        await message.reply_text(catalogue.html("template.gone", name=draft.name))
        return ConversationHandler.END
    context.user_state.incident_template = None
    saved = catalogue.html("template.saved", field=draft.field, name=changed.name)
    stored = StoredTemplate(draft.template_id, changed)
    await message.reply_text(
        f"{saved}\n\n{template_text(changed)}", reply_markup=fields_keyboard(stored)
    )
    return ConversationHandler.END


async def text_expected(update: Update, _context: OverlegContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("template.text_expected"))
    return TEXT


def template_text(template: IncidentTemplate) -> str:
    """The template's fields, each shortened to what a message can show."""
    lines = [catalogue.html("template.title", name=template.name, code=template.code)]
    singles = {
        "woordvoerder": template.spokesperson,
        "kernboodschap": template.core_message,
        "bellen": template.call,
    }
    for field in FIELDS:
        if field == "naam":
            continue
        if field in LIST_FIELDS:
            items = template.dos if field == "doen" else template.donts
            lines.append(catalogue.html("template.field", field=field, value=""))
            lines += [catalogue.html("template.item", item=_short(item)) for item in items[:_ITEMS]]
            if len(items) > _ITEMS:
                lines.append(catalogue.html("template.more_items", n=len(items) - _ITEMS))
        else:
            value = _short(singles[field])
            lines.append(catalogue.html("template.field", field=field, value=value))
    return "\n".join(lines)


def fields_keyboard(stored: StoredTemplate) -> InlineKeyboardMarkup:
    label = "template.button.field"
    return inline_keyboard(
        [
            (catalogue.plain(label, field=field), f"{FIELD_PREFIX}{stored.id}.{index}")
            for index, field in enumerate(FIELDS)
        ],
        per_row=2,
    )


def _id_and_field(data: str | None) -> tuple[int, str]:
    """``(7, "doen")`` from ``sjb:f:7.3``."""
    template_id, _, index = last_field(data).partition(".")
    if not (template_id.isdecimal() and index.isdecimal()) or int(index) >= len(FIELDS):
        raise StaleButtonError(data)
    return int(template_id), FIELDS[int(index)]


def _current(template: IncidentTemplate, field: str) -> str:
    values = {
        "naam": template.name,
        "woordvoerder": template.spokesperson,
        "kernboodschap": template.core_message,
        "doen": "\n".join(template.dos),
        "niet_doen": "\n".join(template.donts),
        "bellen": template.call,
    }
    return values[field][:3000] or catalogue.plain("template.empty")


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def show_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(
        guarded(show_pressed, is_coordinator), pattern=rf"^{SHOW_PREFIX}\d{{1,18}}$"
    )


def template_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="incident_template",
        command="sjablonen",
        interrupted=_interrupted,
        entry_points=[
            CallbackQueryHandler(
                guarded(field_pressed, is_coordinator),
                pattern=rf"^{FIELD_PREFIX}\d{{1,18}}\.\d{{1,2}}$",
            )
        ],
        states={
            TEXT: [
                MessageHandler(f.TEXT & ~f.COMMAND, text_typed),
                MessageHandler(~f.COMMAND & ~f.TEXT, text_expected),
            ]
        },
    )


def _interrupted(context: OverlegContext, _state: object) -> str:
    draft = context.user_state.incident_template
    context.user_state.incident_template = None
    name = draft.name if draft is not None else ""
    return catalogue.html("template.interrupted", name=name)
