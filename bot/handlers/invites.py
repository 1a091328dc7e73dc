"""Coordinators in chat: /uitnodigen (a button conversation that makes invite links) and /leden.

The conversation keeps its draft in the coordinator's typed ``user_data``; /annuleren drops it,
and a coordinator who wanders off to another command can come back and press the remaining
buttons, since the state lives on until it is finished or cancelled. Callback data carries ids,
never codes or names, so it stays far below Telegram's 64-byte limit.
"""

from __future__ import annotations

import warnings

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)
from telegram.warnings import PTBUserWarning

from berichten import member_texts
from berichten.chunks import chunk_lines
from bot.context import InviteDraft, OverlegContext
from planning import catalogue
from planning.membership import create_invites, list_groups, list_members, list_organisations
from planning.models import Role

ROLE, ORGANISATION, GROUPS, COUNT = range(4)
COUNTS = (1, 5, 10, 25)
_BUTTONS_PER_ROW = 2


async def members_command(update: Update, context: OverlegContext) -> None:
    """/leden: who is registered, for coordinators only."""
    message = update.effective_message
    assert message is not None
    if not await _is_coordinator(update, context):
        return
    members = await list_members(context.bot_data.db)
    for text in chunk_lines(member_texts.member_list(members)):
        await message.reply_text(text)


async def start_invite(update: Update, context: OverlegContext) -> int:
    """/uitnodigen: begin a new draft by asking for the role."""
    message = update.effective_message
    assert message is not None
    if not await _is_coordinator(update, context):
        return ConversationHandler.END
    if not await list_organisations(context.bot_data.db):
        await message.reply_text(catalogue.html("invite.no_organisations"))
        return ConversationHandler.END
    context.user_state.invite = InviteDraft()
    keyboard = _keyboard(
        [(member_texts.role_name(role), f"inv:role:{role.value}") for role in Role]
    )
    await message.reply_text(catalogue.html("invite.ask_role"), reply_markup=keyboard)
    return ROLE


async def choose_role(update: Update, context: OverlegContext) -> int:
    """The role is known; ask for the organisation."""
    query, draft = await _answered(update, context)
    draft.role = Role(_last(query.data)).value
    organisations = await list_organisations(context.bot_data.db)
    keyboard = _keyboard([(org.name, f"inv:org:{org.id}") for org in organisations])
    await query.edit_message_text(catalogue.html("invite.ask_organisation"), reply_markup=keyboard)
    return ORGANISATION


async def choose_organisation(update: Update, context: OverlegContext) -> int:
    """The organisation is known; ask for groups."""
    query, draft = await _answered(update, context)
    organisations = await list_organisations(context.bot_data.db)
    chosen = next(org for org in organisations if str(org.id) == _last(query.data))
    draft.organisation_code = chosen.code
    await _show_groups(update, context, draft)
    return GROUPS


async def toggle_group(update: Update, context: OverlegContext) -> int:
    """Switch one group on or off and redraw the buttons with check marks."""
    query, draft = await _answered(update, context)
    groups = await list_groups(context.bot_data.db)
    code = next(group.code for group in groups if str(group.id) == _last(query.data))
    if code in draft.group_codes:
        draft.group_codes.remove(code)
    else:
        draft.group_codes.append(code)
    await _show_groups(update, context, draft)
    return GROUPS


async def groups_done(update: Update, context: OverlegContext) -> int:
    """Groups are chosen; ask how many links."""
    query, _draft = await _answered(update, context)
    keyboard = _keyboard([(str(count), f"inv:n:{count}") for count in COUNTS], per_row=4)
    await query.edit_message_text(catalogue.html("invite.ask_count"), reply_markup=keyboard)
    return COUNT


async def choose_count(update: Update, context: OverlegContext) -> int:
    """Make the invites and show one link per line."""
    query, draft = await _answered(update, context)
    services = context.bot_data
    invites = await create_invites(
        services.db,
        services.clock,
        role=Role(draft.role),
        organisation_code=draft.organisation_code,
        group_codes=draft.group_codes,
        count=int(_last(query.data)),
        created_by=query.from_user.id,
    )
    context.user_state.invite = None
    summary = member_texts.invite_summary(invites, services.settings.zone)
    await query.edit_message_text(summary)
    links = [member_texts.invite_link(context.bot.username, invite) for invite in invites]
    for text in chunk_lines(links):
        await context.bot.send_message(query.from_user.id, text)
    return ConversationHandler.END


async def cancel(update: Update, context: OverlegContext) -> int:
    """/annuleren: drop the draft; nothing was stored yet."""
    assert update.effective_message is not None
    context.user_state.invite = None
    await update.effective_message.reply_text(catalogue.html("conversation.cancelled"))
    return ConversationHandler.END


async def nothing_to_cancel(update: Update, _context: OverlegContext) -> None:
    """/annuleren outside any conversation."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("conversation.nothing_to_cancel"))


async def stale_button(update: Update, _context: OverlegContext) -> None:
    """A button of a conversation that has already ended (or of a restarted bot)."""
    assert update.callback_query is not None
    await update.callback_query.answer(catalogue.plain("conversation.expired"), show_alert=True)


def invite_conversation() -> ConversationHandler[OverlegContext]:
    # PTB warns that with per_message=False button presses are tracked per chat and user, not
    # per message. That is what we want: one draft per coordinator, whichever message the
    # buttons sit under (PTB wiki, FAQ "What do the per_* settings in ConversationHandler do?").
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return _conversation()


def _conversation() -> ConversationHandler[OverlegContext]:
    return ConversationHandler(
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
        fallbacks=[CommandHandler("annuleren", cancel)],
        # A coordinator may issue other commands in between and then continue with the buttons.
        allow_reentry=True,
    )


async def _show_groups(update: Update, context: OverlegContext, draft: InviteDraft) -> None:
    query = update.callback_query
    assert query is not None
    groups = await list_groups(context.bot_data.db)
    choices = [
        (("✅ " if group.code in draft.group_codes else "") + group.name, f"inv:grp:{group.id}")
        for group in groups
    ]
    choices.append((catalogue.plain("invite.done_button"), "inv:done"))
    await query.edit_message_text(
        catalogue.html("invite.ask_groups"), reply_markup=_keyboard(choices)
    )


async def _answered(update: Update, context: OverlegContext) -> tuple[CallbackQuery, InviteDraft]:
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    draft = context.user_state.invite
    # The conversation's states exist only while a draft does: both are set and dropped together.
    assert draft is not None
    return query, draft


async def _is_coordinator(update: Update, context: OverlegContext) -> bool:
    if context.member is not None and context.member.is_coordinator:
        return True
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("refused.not_a_coordinator"))
    return False


def _keyboard(
    choices: list[tuple[str, str]], per_row: int = _BUTTONS_PER_ROW
) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text, callback_data=data) for text, data in choices]
    return InlineKeyboardMarkup([buttons[i : i + per_row] for i in range(0, len(buttons), per_row)])


def _last(data: str | None) -> str:
    assert data is not None
    return data.rsplit(":", 1)[1]
