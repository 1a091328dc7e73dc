"""The messages behind a reminder's buttons: the meeting's ``.ics`` file and "Ik kan niet".

The note to the trekker's side goes through the outbox like everything the bot sends on its
own initiative: paced, retried, and keyed ``absence|<meeting>|<member>|<recipient>``, so even a
repeated press that slipped past the stored absence could not send a note twice. It expires when
the meeting begins. The bot wakes the outbox right after the press.
"""

from __future__ import annotations

from dataclasses import dataclass

from berichten.ics import calendar_file
from berichten.outbox import NewMessage, enqueue
from berichten.outbox_tables import Priority
from berichten.preference_texts import absence_note
from planning.clock import Clock
from planning.db import Database
from planning.reminder_actions import AbsenceOutcome, AbsenceReport, find_meeting, report_absence

ABSENCE_KIND = "absence"


@dataclass(frozen=True)
class MeetingFile:
    content: bytes
    title: str


async def meeting_calendar_file(db: Database, clock: Clock, entry_key: str) -> MeetingFile | None:
    """A one-event ``.ics`` for the meeting as the plan now has it; None when it is gone.

    Its UID is the one the full /agenda feed uses, so importing both gives one event.
    """
    found = await find_meeting(db, clock, entry_key)
    if found is None:
        return None
    content = calendar_file([found.entry], found.zone, found.plan_name, clock.now())
    return MeetingFile(content, found.entry.title)


async def tell_trekker(
    db: Database, clock: Clock, telegram_user_id: int, entry_key: str
) -> AbsenceReport:
    """Record the absence and queue one note per person on the trekker's side."""
    report = await report_absence(db, clock, telegram_user_id, entry_key)
    if report.outcome is not AbsenceOutcome.REPORTED:
        return report
    assert report.meeting is not None and report.member is not None
    meeting, member = report.meeting, report.member
    text = absence_note(member, meeting.entry)
    now = clock.now()
    await enqueue(
        db,
        clock,
        [
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
        ],
    )
    return report
