"""/instellingen: a member's settings on one message, changed with buttons in place.

Every button carries the whole choice (``pf:h:9``, ``pf:m:ao``), so no state lives in memory and
buttons keep working after a restart; each press stores the change, redraws the message from
the database and then brings the outbox in line (``refresh_outbox_soon``, after the redraw: the
settings shown come from the database, not the outbox), so a reminder muted or moved a minute
before it was due is withdrawn or moved in time; the job queues before it delivers. Only "pause
until a date" needs a typed answer: a small conversation, ended by the date or by /annuleren.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.button_guards import guarded, pressed
from bot.buttons import StaleButtonError, redraw
from bot.context import OverlegContext
from bot.conversations import conversation
from bot.handlers.preferences import prompts
from bot.keyboards import inline_keyboard
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.calendar.when_input import WhenInputError, read_when
from planning.preferences.rules import HOURS, PAUSE_WEEKS, MySettings, PauseError
from planning.preferences.services import (
    lift_pause,
    may_mute,
    my_settings,
    pause_until,
    pause_weeks,
    set_digest,
    set_hour,
    set_muted,
)

PREFIX = "pf:"
HOME, HOUR_MENU, PAUSE_MENU, PAUSE_DATE = "pf:home", "pf:hour", "pf:pause", "pf:p:date"
MUTE, UNMUTE, HOUR, PLAN_HOUR = "pf:m:", "pf:u:", "pf:h:", "pf:h:plan"
DIGEST_ON, DIGEST_OFF, PAUSE_FOR, LIFT = "pf:d:1", "pf:d:0", "pf:p:", "pf:p:lift"
# Everything but the typed-date entry, which belongs to the conversation below.
CALLBACK_PATTERN = r"^pf:(?!p:date$)"
TYPING_DATE = 0


async def settings_command(update: Update, context: OverlegContext) -> None:
    """/instellingen: show the current settings with the buttons that change them."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.bot_data
    settings = await services.db.run(my_settings, services.clock, user.id)
    if settings is None:
        await message.reply_text(catalogue.html("preferences.not_a_member"))
        return
    await message.reply_text(prompts.settings_text(settings), reply_markup=_home_keyboard(settings))


async def settings_button(update: Update, context: OverlegContext) -> None:
    """A press on a settings button: change one thing (or open a sub-menu), redraw in place."""
    query = update.callback_query
    assert query is not None and query.data is not None
    services, data, user_id = context.bot_data, query.data, query.from_user.id
    db, clock = services.db, services.clock
    changed = True
    if data.startswith(MUTE) or data.startswith(UNMUTE):
        settings = await db.run(set_muted, clock, user_id, data[len(MUTE) :], data.startswith(MUTE))
    elif data == PLAN_HOUR or (data.startswith(HOUR) and data[len(HOUR) :].isdigit()):
        hour = None if data == PLAN_HOUR else int(data[len(HOUR) :])
        if hour is not None and hour not in HOURS:
            raise StaleButtonError(data)
        settings = await db.run(set_hour, clock, user_id, hour)
    elif data in (DIGEST_ON, DIGEST_OFF):
        settings = await db.run(set_digest, clock, user_id, data == DIGEST_ON)
    elif data == LIFT:
        settings = await db.run(lift_pause, clock, user_id)
    elif data.startswith(PAUSE_FOR) and data[len(PAUSE_FOR) :].isdigit():
        weeks = int(data[len(PAUSE_FOR) :])
        if weeks not in PAUSE_WEEKS:
            raise StaleButtonError(data)
        settings = await db.run(pause_weeks, clock, user_id, weeks)
    else:  # HOME and the sub-menus only show
        settings, changed = await db.run(my_settings, clock, user_id), False
    if settings is None:
        await query.answer()
        await query.edit_message_text(catalogue.html("preferences.not_a_member"))
        return
    await query.answer(catalogue.plain("preferences.saved") if changed else None)
    if data == HOUR_MENU:
        await redraw(query, prompts.settings_text(settings), _hour_keyboard())
    elif data == PAUSE_MENU:
        await redraw(query, prompts.settings_text(settings), _pause_keyboard(settings))
    else:
        await redraw(query, prompts.settings_text(settings), _home_keyboard(settings))
    if changed:  # a wish concerns this member's messages alone
        refresh_outbox_soon(context.application, member=query.from_user.id)


async def ask_date(update: Update, context: OverlegContext) -> int:
    """The "Tot een datum" button: ask for the day messages should come again."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    await query.edit_message_text(catalogue.html("preferences.ask_date"))
    return TYPING_DATE


async def pause_date_typed(update: Update, context: OverlegContext) -> int:
    """A typed day: pause until then, or say why not and ask again."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    services = context.bot_data
    today = services.clock.now().astimezone(services.settings.timezone).date()
    try:
        typed = read_when(message.text, today, allow_time=False)
        assert typed.day is not None  # allow_month is off: read_when gives a day or raises
        settings = await services.db.run(pause_until, services.clock, user.id, typed.day)
    except WhenInputError:
        await message.reply_text(catalogue.html("preferences.date_unreadable"))
        return TYPING_DATE
    except PauseError as error:
        await message.reply_text(prompts.pause_problem_text(error.problem))
        return TYPING_DATE
    if settings is None:
        await message.reply_text(catalogue.html("preferences.not_a_member"))
        return ConversationHandler.END
    await message.reply_text(prompts.settings_text(settings), reply_markup=_home_keyboard(settings))
    refresh_outbox_soon(context.application, member=user.id)
    return ConversationHandler.END


def pause_date_conversation() -> ConversationHandler[OverlegContext]:
    return conversation(
        draft=None,
        command="instellingen",  # the date is asked from a button under /instellingen
        entry_points=[CallbackQueryHandler(ask_date, pattern=f"^{PAUSE_DATE}$")],
        states={
            TYPING_DATE: [
                MessageHandler(
                    filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
                    pause_date_typed,
                )
            ]
        },
        allow_reentry=True,
    )


def settings_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(guarded(settings_button, overleg_offered), pattern=CALLBACK_PATTERN)


async def overleg_offered(update: Update, context: OverlegContext) -> bool:
    """The guard: a mute switch only for an overleg /instellingen offers the presser now; the
    other buttons change only the presser's own wishes, to values their handler checks."""
    user_id, data = pressed(update)
    if not data.startswith((MUTE, UNMUTE)):
        return True
    services = context.bot_data
    return await services.db.run(may_mute, services.clock, user_id, data[len(MUTE) :])


def _rows(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    buttons = [inline_keyboard(row, per_row=len(row)).inline_keyboard[0] for row in rows if row]
    return InlineKeyboardMarkup(buttons)


def _home_keyboard(settings: MySettings) -> InlineKeyboardMarkup:
    rows = [
        [(prompts.mute_label(choice), f"{UNMUTE if choice.muted else MUTE}{choice.code}")]
        for choice in settings.overleggen
    ]
    digest = (
        (catalogue.plain("preferences.button.digest_off"), DIGEST_OFF)
        if settings.preferences.digest
        else (catalogue.plain("preferences.button.digest_on"), DIGEST_ON)
    )
    rows.append([(catalogue.plain("preferences.button.hour"), HOUR_MENU), digest])
    pause = [(catalogue.plain("preferences.button.pause"), PAUSE_MENU)]
    if settings.paused:
        pause.append((catalogue.plain("preferences.button.lift"), LIFT))
    rows.append(pause)
    return _rows(rows)


def _hour_keyboard() -> InlineKeyboardMarkup:
    hours = [(prompts.hour_label(hour), f"{HOUR}{hour}") for hour in HOURS]
    rows = [hours[i : i + 5] for i in range(0, len(hours), 5)]
    rows.append(
        [
            (catalogue.plain("preferences.button.plan_hour"), PLAN_HOUR),
            (catalogue.plain("preferences.button.back"), HOME),
        ]
    )
    return _rows(rows)


def _pause_keyboard(settings: MySettings) -> InlineKeyboardMarkup:
    weeks = [(prompts.weeks_label(n), f"{PAUSE_FOR}{n}") for n in PAUSE_WEEKS]
    rows = [weeks, [(catalogue.plain("preferences.button.until_date"), PAUSE_DATE)]]
    last = [(catalogue.plain("preferences.button.back"), HOME)]
    if settings.paused:
        last.insert(0, (catalogue.plain("preferences.button.lift"), LIFT))
    rows.append(last)
    return _rows(rows)
