"""The approval question's buttons (``OVERLEGBOT_INCIDENT_APPROVAL=true``): "Goedkeuren" sends
the incident as "Versturen" does with approval off; "Afwijzen" tells the composer (no reason
asked: speed matters).

Both are coordinators' buttons (``guarded(..., is_coordinator)``); the service checks the role
again, that the presser is not the composer, and that it still awaits approval, in the
decision's transaction. The first decision stands: a later press, and a forged one, get the
polite stale answer; pressing one's own gets a Dutch alert.
"""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import CallbackQueryHandler

from berichten.incidents.approval import (
    APPROVE_PREFIX,
    REJECT_PREFIX,
    approve_and_send,
    reject_and_tell,
)
from bot.button_guards import guarded
from bot.buttons import StaleButtonError, last_field, redraw, refuse_press
from bot.context import OverlegContext
from bot.handlers.access import is_coordinator
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.incidents.services import IncidentError, IncidentProblem


def _incident_id(data: str | None) -> int:
    field = last_field(data)
    if not field.isdecimal():
        raise StaleButtonError(data)
    return int(field)


async def approve_pressed(update: Update, context: OverlegContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.bot_data
    try:
        title, members = await services.db.run(
            approve_and_send, services.clock, query.from_user.id, _incident_id(query.data)
        )
    except IncidentError as refused:
        await _refused(query, refused)
        return
    await query.answer()
    try:
        await redraw(query, catalogue.html("incident.approved_here", title=title, n=members), None)
    finally:  # recorded and queued: it goes out now, whether or not the answer arrived
        refresh_outbox_soon(context.application)


async def reject_pressed(update: Update, context: OverlegContext) -> None:
    query = update.callback_query
    assert query is not None
    services = context.bot_data
    try:
        title = await services.db.run(
            reject_and_tell, services.clock, query.from_user.id, _incident_id(query.data)
        )
    except IncidentError as refused:
        await _refused(query, refused)
        return
    await query.answer()
    try:
        await redraw(query, catalogue.html("incident.rejected_here", title=title), None)
    finally:
        refresh_outbox_soon(context.application)


async def _refused(query: CallbackQuery, refused: IncidentError) -> None:
    """One's own: say so; with nobody in the audience now: say so; anything else (decided
    already, forged, no longer a coordinator): the polite stale answer."""
    if refused.problem in (IncidentProblem.OWN, IncidentProblem.NOBODY):
        key = f"incident.problem.{refused.problem}"
        await query.answer(catalogue.plain(key), show_alert=True)
    else:
        await refuse_press(query)


def approval_handlers() -> list[CallbackQueryHandler[OverlegContext, None]]:
    return [
        CallbackQueryHandler(guarded(callback, is_coordinator), pattern=rf"^{prefix}\d{{1,18}}$")
        for callback, prefix in ((approve_pressed, APPROVE_PREFIX), (reject_pressed, REJECT_PREFIX))
    ]
