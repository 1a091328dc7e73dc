"""The buttons under every recipient's copy of an incident: "Gelezen" and "Ik neem contact op".

A press is recorded once per recipient (:func:`planning.incidents.services.acknowledge`, with
its audit line) and marked under the message (``✅ Gelezen``); a second press counts once; a
press on a closed incident is answered politely and records nothing. A press by someone who did
not get the incident (a forged press, or a member since gone) gets the usual refusal. The data
carries the incident's id (``inc:r:7``), so the buttons work after a restart.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from berichten.incidents.sending import CONTACTING_PREFIX, READ_PREFIX, buttons
from bot.button_guards import pressed
from bot.buttons import last_number, redraw, refuse_press
from bot.context import OverlegContext
from bot.incident_status import show_status_soon
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.incidents.services import Acknowledged, Answer, acknowledge

PATTERN = rf"^({READ_PREFIX}|{CONTACTING_PREFIX})\d+$"


def acknowledgement_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(acknowledgement_pressed, pattern=PATTERN)


async def acknowledgement_pressed(update: Update, context: OverlegContext) -> None:
    """Record the answer once, thank the presser and mark it (or refuse, or say it is closed)."""
    user_id, data = pressed(update)
    query = update.callback_query
    assert query is not None
    answer = Answer.READ if data.startswith(READ_PREFIX) else Answer.CONTACTING
    services = context.bot_data
    incident_id = last_number(data)
    done = await services.db.run(acknowledge, services.clock, incident_id, user_id, answer)
    if done.outcome is Acknowledged.NOT_RECIPIENT:
        await refuse_press(query)
        return
    if done.outcome is Acknowledged.CLOSED:
        await query.answer(catalogue.plain("incident.ack.closed"), show_alert=True)
        return
    if done.outcome is Acknowledged.RECORDED:
        await query.answer(catalogue.plain(f"incident.ack.{answer}"))
        show_status_soon(context.application)  # the coordinator's figures changed
    else:
        await query.answer(catalogue.plain("incident.ack.already"), show_alert=True)
    # The answers given are marked under the message; a second press changes nothing there,
    # and Telegram's "not modified" counts as done. The text is given again: PTB sends the
    # default parse_mode with editMessageReplyMarkup, which that method does not take.
    marked = buttons(incident_id, read=done.read, contacting=done.contacting)
    keyboard = inline_keyboard([choice for row in marked for choice in row], per_row=3)
    assert isinstance(query.message, Message)
    await redraw(query, query.message.text_html, keyboard)
