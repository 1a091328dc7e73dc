"""The buttons under a meeting reminder: "Zet in agenda", "Ik kan niet", "Stop voor dit overleg".

The callback data (made in :mod:`berichten.reminders.queue`) holds the meeting's calendar key or,
for "Stop", the overleg's code: no state lives in memory, so a reminder from weeks ago still
works after restarts. The answers come as new messages, and the reminder itself stays as it was
(it is the member's record of the meeting). The member is answered before the outbox is
refreshed (:func:`bot.outbox_job.refresh_outbox_soon`): the answer does not depend on it.

Guards (:mod:`bot.button_guards`): "Zet in agenda" and "Ik kan niet" only for a participant of
that meeting now, "Stop" only for an overleg /instellingen offers the presser now.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from berichten.absences import meeting_calendar_file, tell_trekker
from berichten.reminders.queue import ADD_TO_CALENDAR, CANNOT_COME, STOP_OVERLEG
from bot.button_guards import guarded, pressed
from bot.context import OverlegContext
from bot.outbox_job import refresh_outbox_soon
from planning import catalogue
from planning.absences.services import AbsenceOutcome, AbsenceReport, takes_part
from planning.preferences.services import may_mute, set_muted

MEETING_PATTERN = rf"^({ADD_TO_CALENDAR}|{CANNOT_COME})."
OVERLEG_PATTERN = rf"^{STOP_OVERLEG}."
ICS_FILE_NAME = "overleg.ics"


def reminder_button_handlers() -> list[CallbackQueryHandler[OverlegContext, None]]:
    return [
        CallbackQueryHandler(guarded(reminder_button, meeting_participant), MEETING_PATTERN),
        CallbackQueryHandler(guarded(reminder_button, overleg_participant), OVERLEG_PATTERN),
    ]


async def meeting_participant(update: Update, context: OverlegContext) -> bool:
    user_id, data = pressed(update)
    key = data.removeprefix(ADD_TO_CALENDAR).removeprefix(CANNOT_COME)
    services = context.bot_data
    return await services.db.run(takes_part, services.clock, user_id, key)


async def overleg_participant(update: Update, context: OverlegContext) -> bool:
    user_id, data = pressed(update)
    services = context.bot_data
    code = data.removeprefix(STOP_OVERLEG)
    return await services.db.run(may_mute, services.clock, user_id, code)


async def reminder_button(update: Update, context: OverlegContext) -> None:
    """Dispatch on the button's prefix; each branch is one use case."""
    query = update.callback_query
    assert query is not None and query.data is not None
    await query.answer()
    data = query.data
    if data.startswith(ADD_TO_CALENDAR):
        await _add_to_calendar(query.from_user.id, data.removeprefix(ADD_TO_CALENDAR), context)
    elif data.startswith(CANNOT_COME):
        await _cannot_come(query.from_user.id, data.removeprefix(CANNOT_COME), context)
    else:
        await _stop(query.from_user.id, data.removeprefix(STOP_OVERLEG), context)


async def _add_to_calendar(user_id: int, entry_key: str, context: OverlegContext) -> None:
    services = context.bot_data
    found = await services.db.run(meeting_calendar_file, services.clock, entry_key)
    if found is None:
        await context.bot.send_message(user_id, catalogue.html("reminder.meeting_gone"))
        return
    await context.bot.send_document(
        user_id,
        document=found.content,
        filename=ICS_FILE_NAME,
        caption=catalogue.html("reminder.ics_caption", title=found.title),
    )


_ABSENCE_ANSWERS = {
    AbsenceOutcome.ALREADY: "absence.already",
    AbsenceOutcome.GONE: "reminder.meeting_gone",
    AbsenceOutcome.OVER: "absence.over",
    AbsenceOutcome.NOT_A_MEMBER: "preferences.not_a_member",
}


async def _cannot_come(user_id: int, entry_key: str, context: OverlegContext) -> None:
    services = context.bot_data
    report = await services.db.run(tell_trekker, services.clock, user_id, entry_key)
    trekker = report.meeting.trekker_name if report.meeting is not None else ""
    await context.bot.send_message(user_id, catalogue.html(_answer(report), trekker=trekker))
    if report.tell:  # notes were queued: they go out now, not at the next wake
        refresh_outbox_soon(context.application, member=user_id)


def _answer(report: AbsenceReport) -> str:
    """What the member is told: for a new absence, exactly who was told, or that nobody else
    needed to be."""
    if report.outcome is not AbsenceOutcome.REPORTED:
        return _ABSENCE_ANSWERS[report.outcome]
    if report.told_trekker and report.told_coordinators:
        return "absence.told_both"
    if report.told_trekker:
        return "absence.told_trekker"
    if report.told_coordinators:
        return "absence.told_coordinators"
    return "absence.told_nobody"


async def _stop(user_id: int, overleg_code: str, context: OverlegContext) -> None:
    services = context.bot_data
    settings = await services.db.run(set_muted, services.clock, user_id, overleg_code, True)
    if settings is None:
        await context.bot.send_message(user_id, catalogue.html("preferences.not_a_member"))
        return
    names = [choice.name for choice in settings.overleggen if choice.code == overleg_code]
    await context.bot.send_message(
        user_id, catalogue.html("reminder.stopped", name=names[0] if names else overleg_code)
    )
    # The overleg's pending reminders are withdrawn by this refresh, or by the job's next wake,
    # which queues before it delivers.
    refresh_outbox_soon(context.application, member=user_id)
