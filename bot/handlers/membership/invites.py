"""Coordinators in chat: /uitnodigen (a button conversation that makes invite links) and /leden.

The conversation keeps its draft in the coordinator's typed ``user_data``; /annuleren drops it,
and a coordinator who wanders off to another command can come back and press the remaining
buttons, since the state lives on until it is finished or cancelled. Callback data carries ids,
never codes or names, so it stays far below Telegram's 64-byte limit.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from berichten.texts.html import pack
from berichten.texts.membership import invite_link
from bot.buttons import StaleButtonError, answered, last_field, last_number
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.drafts import InviteDraft
from bot.handlers.access import ensure_coordinator
from bot.handlers.membership import prompts
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.membership.lookups import (
    group_by_id,
    list_groups,
    list_organisations,
    organisation_by_id,
)
from planning.membership.services import create_invites
from planning.membership.tables import Role

ROLE, ORGANISATION, GROUPS, COUNT = range(4)
COUNTS = (1, 5, 10, 25)


async def start_invite(update: Update, context: OverlegContext) -> int:
    """/uitnodigen: begin a new draft by asking for the role."""
    message = update.effective_message
    assert message is not None
    if not await ensure_coordinator(update, context):
        return ConversationHandler.END
    if not await context.bot_data.db.run(list_organisations):
        await message.reply_text(catalogue.html("invite.no_organisations"))
        return ConversationHandler.END
    context.user_state.invite = InviteDraft()
    keyboard = inline_keyboard(
        [(prompts.role_name(role).capitalize(), f"inv:role:{role.value}") for role in Role]
    )
    await message.reply_text(catalogue.html("invite.ask_role"), reply_markup=keyboard)
    return ROLE


async def choose_role(update: Update, context: OverlegContext) -> int:
    """The role is known; ask for the organisation."""
    query, draft = await answered(update, context.user_state.invite)
    role = last_field(query.data)
    if role not in {choice.value for choice in Role}:
        raise StaleButtonError(query.data)
    draft.role = Role(role)
    organisations = await context.bot_data.db.run(list_organisations)
    keyboard = inline_keyboard([(org.name, f"inv:org:{org.id}") for org in organisations])
    await query.edit_message_text(catalogue.html("invite.ask_organisation"), reply_markup=keyboard)
    return ORGANISATION


async def choose_organisation(update: Update, context: OverlegContext) -> int:
    """The organisation is known; ask for groups."""
    query, draft = await answered(update, context.user_state.invite)
    chosen = await context.bot_data.db.run(organisation_by_id, last_number(query.data))
    if chosen is None:  # removed from the plan while the coordinator was choosing
        await query.edit_message_text(catalogue.html("conversation.expired"))
        return ConversationHandler.END
    draft.organisation_code = chosen.code
    await _show_groups(update, context, draft)
    return GROUPS


async def toggle_group(update: Update, context: OverlegContext) -> int:
    """Switch one group on or off and redraw the buttons with check marks."""
    query, draft = await answered(update, context.user_state.invite)
    group = await context.bot_data.db.run(group_by_id, last_number(query.data))
    if group is not None and group.code in draft.group_codes:
        draft.group_codes.remove(group.code)
    elif group is not None:
        draft.group_codes.append(group.code)
    await _show_groups(update, context, draft)
    return GROUPS


async def groups_done(update: Update, context: OverlegContext) -> int:
    """Groups are chosen; ask how many links."""
    query, _draft = await answered(update, context.user_state.invite)
    keyboard = inline_keyboard([(str(count), f"inv:n:{count}") for count in COUNTS], per_row=4)
    await query.edit_message_text(catalogue.html("invite.ask_count"), reply_markup=keyboard)
    return COUNT


async def choose_count(update: Update, context: OverlegContext) -> int:
    """Make the invites and show one link per line."""
    query, draft = await answered(update, context.user_state.invite)
    services = context.bot_data
    invites = await services.db.run(
        create_invites,
        services.clock,
        role=draft.role or Role.LID,
        organisation_code=draft.organisation_code,
        group_codes=draft.group_codes,
        count=last_number(query.data),
        created_by=query.from_user.id,
    )
    context.user_state.invite = None
    summary = prompts.invite_summary(invites, services.settings.timezone)
    await query.edit_message_text(summary)
    links = [invite_link(context.bot.username, invite) for invite in invites]
    for text in pack(links):
        await context.bot.send_message(query.from_user.id, text)
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, context: OverlegContext) -> None:
    """/annuleren outside any conversation: drops an agenda item kept when another conversation
    interrupted /agendapunt, closes an unanswered /afmelden question (the member stays), or says
    there is nothing to cancel."""
    assert update.effective_message is not None
    if context.user_data is not None and context.user_state.leave_question is not None:
        context.user_state.leave_question = None
        await update.effective_message.reply_text(catalogue.html("leave.kept"))
        return
    kept = context.user_state.agenda_item if context.user_data is not None else None
    if kept is not None:
        context.user_state.agenda_item = None
        # Its own answer: "nothing stored" would read as if the item had never been kept.
        answer = catalogue.html("agenda_item.chat.kept_dropped", title=kept.title)
        await update.effective_message.reply_text(answer)
        return
    await update.effective_message.reply_text(catalogue.html("conversation.nothing_to_cancel"))


def invite_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft="invite",
        entry_points=[CommandHandler("uitnodigen", start_invite)],
        states={
            ROLE: [CallbackQueryHandler(choose_role, pattern=r"^inv:role:")],
            ORGANISATION: [CallbackQueryHandler(choose_organisation, pattern=r"^inv:org:\d+$")],
            GROUPS: [
                CallbackQueryHandler(toggle_group, pattern=r"^inv:grp:\d+$"),
                CallbackQueryHandler(groups_done, pattern=r"^inv:done$"),
            ],
            COUNT: [CallbackQueryHandler(choose_count, pattern=r"^inv:n:\d+$")],
        },
        # A coordinator may issue other commands in between and then continue with the buttons.
        allow_reentry=True,
    )


async def _show_groups(update: Update, context: OverlegContext, draft: InviteDraft) -> None:
    query = update.callback_query
    assert query is not None
    groups = await context.bot_data.db.run(list_groups)
    choices = [
        (("✅ " if group.code in draft.group_codes else "") + group.name, f"inv:grp:{group.id}")
        for group in groups
    ]
    choices.append((catalogue.plain("invite.done_button"), "inv:done"))
    await query.edit_message_text(
        catalogue.html("invite.ask_groups"), reply_markup=inline_keyboard(choices)
    )
