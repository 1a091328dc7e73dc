"""The messages behind a reminder's buttons: the meeting's ``.ics`` file and "Ik kan niet".

The note to the trekker's side goes through the outbox like everything the bot sends on its
own initiative: paced, retried, and keyed ``absence|<meeting>|<member>|<recipient>``. It is
queued in the unit of work that stores the absence, so a crash leaves both or neither, and it
expires when the meeting begins (a meeting without a time: never). The bot wakes the outbox
right after the press.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.ics import calendar_file
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts.absences import absence_note
from planning.absences.services import (
    AbsenceOutcome,
    AbsenceReport,
    find_meeting,
    report_absence,
)
from planning.clock import Clock

ABSENCE_KIND = "absence"


@dataclass(frozen=True)
class MeetingFile:
    content: bytes
    title: str


async def meeting_calendar_file(
    session: AsyncSession, clock: Clock, entry_key: str
) -> MeetingFile | None:
    """A one-event ``.ics`` for the meeting as the plan now has it; None when it is gone.

    Its UID is the one the full /agenda feed uses, so importing both gives one event.
    """
    found = await find_meeting(session, clock, entry_key)
    if found is None:
        return None
    content = calendar_file([found.entry], found.zone, found.plan_name, clock.now())
    return MeetingFile(content, found.entry.title)


async def tell_trekker(
    session: AsyncSession, clock: Clock, telegram_user_id: int, entry_key: str
) -> AbsenceReport:
    """Record the absence and queue one note per person on the trekker's side (the report's
    ``tell``); a later press tells nobody, not even a coordinator who registered since."""
    report = await report_absence(session, clock, telegram_user_id, entry_key)
    if report.outcome is not AbsenceOutcome.REPORTED:
        return report
    assert report.meeting is not None and report.member is not None
    meeting, member = report.meeting, report.member
    text = absence_note(member, meeting.entry)
    now = clock.now()
    notes = [
        NewMessage(
            key=f"{ABSENCE_KIND}|{entry_key}|{member.telegram_user_id}|{recipient}",
            kind=ABSENCE_KIND,
            recipient=recipient,
            text=text,
            due_at=now,
            priority=Priority.REMINDER,
            expires_at=meeting.entry.start(meeting.zone),
        )
        for recipient in report.tell
    ]
    await enqueue(session, now, notes)
    return report
