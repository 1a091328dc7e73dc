"""Registering, looking at one's own data, signing off, and noticing a member blocked the bot."""

from __future__ import annotations

from telegram import ChatMember, Update
from telegram.ext import CallbackQueryHandler

from bot.button_guards import guarded
from bot.commands import help_text, publish_coordinator_menu, withdraw_coordinator_menu
from bot.context import OverlegContext
from bot.handlers.membership import prompts
from bot.handlers.membership.wrong_codes import Attempt
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.agenda_items.reviewing import reviews_any
from planning.membership.services import (
    MembershipError,
    MembershipRefusal,
    leave,
    redeem_invite,
    set_blocked,
)

LEAVE_YES = "leave:yes"
LEAVE_NO = "leave:no"
# Refusals that count as a wrong code (bot.handlers.membership.wrong_codes).
WRONG_CODE = {
    MembershipRefusal.UNKNOWN_CODE,
    MembershipRefusal.USED_CODE,
    MembershipRefusal.EXPIRED_CODE,
}


async def start(update: Update, context: OverlegContext) -> None:
    """/start [code]: register with an invite code, or greet a member who is already in."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    member = context.member
    if not context.args:
        admin = user.id in context.bot_data.settings.admins
        await message.reply_text(prompts.greeting(member, admin=admin))
        return
    services = context.bot_data
    attempt = services.wrong_codes.attempt(user.id, services.clock.now())
    if attempt is Attempt.IGNORE:
        return  # slowed down, and told so this minute already
    if attempt is Attempt.SLOW_DOWN:
        await message.reply_text(catalogue.html("refused.slow_down"))
        return
    try:
        registration = await services.db.run(
            redeem_invite,
            services.clock,
            code=context.args[0],
            telegram_user_id=user.id,
            name=user.full_name,
            username=user.username,
        )
    except MembershipError as refusal:
        if refusal.reason in WRONG_CODE:
            services.wrong_codes.wrong(user.id, services.clock.now())
        name = member.name if member is not None else user.full_name
        await message.reply_text(catalogue.html(f"refused.{refusal.reason}", name=name))
        return
    services.wrong_codes.right(user.id)
    await message.reply_text(prompts.welcome(registration))
    # Their reminders of the coming days are queued now, not at the job's next wake.
    refresh_outbox_soon(context.application, member=user.id)
    if registration.member.is_coordinator:
        await publish_coordinator_menu(context.bot, user.id)


async def help_command(update: Update, context: OverlegContext) -> None:
    """/help: exactly the commands this member may use."""
    assert update.effective_message is not None and context.member is not None
    member = context.member
    reviewer = not member.is_coordinator and await context.bot_data.db.run(
        reviews_any, member.telegram_user_id
    )
    text = help_text(coordinator=member.is_coordinator, reviewer=reviewer)
    await update.effective_message.reply_text(text)


async def my_data(update: Update, context: OverlegContext) -> None:
    """/mijngegevens: everything the bot stores about the member."""
    assert update.effective_message is not None and context.member is not None
    text = prompts.my_data(context.member, context.bot_data.settings.timezone)
    await update.effective_message.reply_text(text)


async def ask_leave(update: Update, context: OverlegContext) -> None:
    """/afmelden: ask for confirmation first; leaving erases name and groups. Only this question's
    buttons answer it, and only once (:func:`open_leave_question`)."""
    assert update.effective_message is not None
    keyboard = inline_keyboard(
        [(catalogue.plain("leave.yes"), LEAVE_YES), (catalogue.plain("leave.no"), LEAVE_NO)]
    )
    question = await update.effective_message.reply_text(
        catalogue.html("leave.confirm"), reply_markup=keyboard
    )
    context.user_state.leave_question = question.message_id


async def open_leave_question(update: Update, context: OverlegContext) -> bool:
    """The guard of "Ja, afmelden" and "Nee": the presser's latest /afmelden question, still
    unanswered (not answered, not cancelled with /annuleren)."""
    query = update.callback_query
    assert query is not None
    asked = context.user_state.leave_question if context.user_data is not None else None
    return query.message is not None and asked == query.message.message_id


def leave_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(
        guarded(confirm_leave, open_leave_question), pattern=f"^({LEAVE_YES}|{LEAVE_NO})$"
    )


async def confirm_leave(update: Update, context: OverlegContext) -> None:
    """The member's answer to the /afmelden question; the question's buttons are removed."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.user_state.leave_question = None
    if query.data != LEAVE_YES:
        await query.edit_message_text(catalogue.html("leave.kept"))
        return
    services = context.bot_data
    member = await services.db.run(leave, services.clock, query.from_user.id)
    # Their drafts go too: nothing typed in a conversation outlives the membership.
    context.application.drop_user_data(query.from_user.id)
    await query.edit_message_text(catalogue.html("leave.done"))
    refresh_outbox_soon(context.application, member=query.from_user.id)  # nothing more for them
    if member.is_coordinator:
        await withdraw_coordinator_menu(context.bot, query.from_user.id)


async def chat_member_changed(update: Update, context: OverlegContext) -> None:
    """A member blocked or unblocked the bot in their private chat; remember it."""
    change = update.my_chat_member
    assert change is not None
    if change.chat.type != change.chat.PRIVATE:
        return
    blocked = change.new_chat_member.status == ChatMember.BANNED
    services = context.bot_data
    await services.db.run(set_blocked, services.clock, change.from_user.id, blocked)
    if blocked:  # whatever they had typed can never be finished: the bot cannot write to them
        context.application.drop_user_data(change.from_user.id)
    refresh_outbox_soon(context.application, member=change.from_user.id)


async def unknown_command(update: Update, _context: OverlegContext) -> None:
    """A command the bot does not have, from a member."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("unknown_command"))


async def not_understood(update: Update, _context: OverlegContext) -> None:
    """Free text from a member that no conversation is waiting for."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("not_understood"))
