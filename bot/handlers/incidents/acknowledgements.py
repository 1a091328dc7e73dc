"""The buttons under every recipient's copy of an incident: "Gelezen" and "Ik neem contact op".

A press is recorded once per recipient (:func:`planning.incidents.services.acknowledge`, with
its audit line); a second press is thanked and counted once; a press on a closed incident is
answered politely and records nothing. A press by someone who did not get the incident (a
forged press, or a member since gone) gets the usual refusal. The data carries the incident's
id (``inc:r:7``), so the buttons work after a restart.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from berichten.incidents.sending import CONTACTING_PREFIX, READ_PREFIX
from bot.button_guards import pressed
from bot.buttons import last_number, refuse_press
from bot.context import OverlegContext
from planning import catalogue
from planning.incidents.services import Acknowledged, Answer, acknowledge

PATTERN = rf"^({READ_PREFIX}|{CONTACTING_PREFIX})\d+$"


def acknowledgement_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(acknowledgement_pressed, pattern=PATTERN)


async def acknowledgement_pressed(update: Update, context: OverlegContext) -> None:
    """Record the answer once, then thank the presser (or refuse, or say it is closed)."""
    user_id, data = pressed(update)
    query = update.callback_query
    assert query is not None
    answer = Answer.READ if data.startswith(READ_PREFIX) else Answer.CONTACTING
    services = context.bot_data
    outcome = await services.db.run(acknowledge, services.clock, last_number(data), user_id, answer)
    if outcome is Acknowledged.NOT_RECIPIENT:
        await refuse_press(query)
        return
    if outcome is Acknowledged.RECORDED:
        await query.answer(catalogue.plain(f"incident.ack.{answer}"))
    else:
        await query.answer(catalogue.plain(f"incident.ack.{outcome}"), show_alert=True)
