"""Closing an incident from its status message: "Afsluiten", then "Ja, afsluiten" or "Nee".

Coordinators only (any coordinator, not only the sender: whoever is on duty). "Ja, afsluiten"
closes it once (:func:`berichten.incidents.closing.close_incident`): the closing line goes to
every recipient through the outbox, escalation stops, and the copies are unpinned after the
next wake. A second press, or another coordinator's, is told it was closed already.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from berichten.incidents.closing import close_incident
from bot.button_guards import guarded, pressed
from bot.buttons import last_number, redraw
from bot.context import OverlegContext
from bot.handlers.access import is_coordinator
from bot.incident_status import (
    CLOSE_NO_PREFIX,
    CLOSE_PREFIX,
    CLOSE_YES_PREFIX,
    confirm_close_keyboard,
    show_status_soon,
)
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.incidents.services import IncidentError, incident_title

PATTERN = rf"^({CLOSE_PREFIX}|{CLOSE_YES_PREFIX}|{CLOSE_NO_PREFIX})\d+$"


def close_button_handler() -> CallbackQueryHandler[OverlegContext, None]:
    return CallbackQueryHandler(guarded(close_pressed, is_coordinator), pattern=PATTERN)


async def close_pressed(update: Update, context: OverlegContext) -> None:
    user_id, data = pressed(update)
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    incident_id = last_number(data)
    if data.startswith(CLOSE_PREFIX):
        # The question is a message of its own: the status above it keeps being edited.
        await query.answer()
        title = await context.bot_data.db.run(incident_title, incident_id)
        await context.bot.send_message(
            user_id,
            catalogue.html("incident.close_question", title=title or ""),
            reply_markup=confirm_close_keyboard(incident_id),
        )
        return
    if data.startswith(CLOSE_NO_PREFIX):
        await query.answer()
        await redraw(query, catalogue.html("incident.close_kept"), None)
        return
    services = context.bot_data
    try:
        title, members = await services.db.run(close_incident, services.clock, user_id, incident_id)
    except IncidentError as refused:
        await query.answer(catalogue.plain(f"incident.problem.{refused.problem}"), show_alert=True)
        show_status_soon(context.application)
        return
    try:
        closed = catalogue.plain("incident.closed", title=title, n=members)
        await query.answer(closed)
        await redraw(query, catalogue.html("incident.closed", title=title, n=members), None)
    finally:  # closed and queued: the closing lines go out whether or not the answer arrived
        refresh_outbox_soon(context.application)
        show_status_soon(context.application)
