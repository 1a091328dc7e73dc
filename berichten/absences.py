"""The messages behind a reminder's buttons: the meeting's ``.ics`` file and "Ik kan niet".

The note to the trekker's side goes through the outbox like everything the bot sends on its
own initiative: paced, retried, and keyed ``absence|<meeting>|<member>|<recipient>``, so even a
repeated press that slipped past the stored absence could not send a note twice. It expires when
the meeting begins. The bot wakes the outbox right after the press.

Storing the absence (:func:`planning.absences.services.report_absence`) and queueing the notes
are two transactions, so a crash in between would leave an absence that nobody heard of, and
every later press would answer "already passed on". Rather than one transaction, a press that
finds the absence stored queues the notes again when none of them is in the outbox (queueing is
idempotent by key, and all notes of a press are queued in one transaction, so one found means
all were). One transaction would need either ``planning`` to write outbox rows (it must not
import ``berichten``) or this module to write the absence table itself, taking the "once per
member and meeting" rule out of the use case that owns it. The member whose press crashed got
no answer either, so pressing again is what they do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from berichten.ics import calendar_file
from berichten.outbox.store import NewMessage, enqueue, known_keys
from berichten.outbox.tables import Priority
from berichten.texts.preferences import absence_note
from planning.absences.services import (
    AbsenceOutcome,
    AbsenceReport,
    find_meeting,
    report_absence,
    trekker_side,
)
from planning.clock import Clock
from planning.db import Database

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
    """Record the absence and queue one note per person on the trekker's side.

    The answer's ``tell`` is whom this press told: the trekker's side on the first press, and on
    a later one only if the first press's notes were lost (see the module's docstring); else
    nobody, not even a coordinator who registered since.
    """
    report = await report_absence(db, clock, telegram_user_id, entry_key)
    if report.outcome not in (AbsenceOutcome.REPORTED, AbsenceOutcome.ALREADY):
        return report
    assert report.meeting is not None and report.member is not None
    meeting, member = report.meeting, report.member
    if report.outcome is AbsenceOutcome.ALREADY:
        today = clock.now().astimezone(meeting.zone).date()
        tell = await trekker_side(db, meeting.entry, member.telegram_user_id, today)
        if await known_keys(db, (_note_key(entry_key, member.telegram_user_id, r) for r in tell)):
            return report
        report = replace(report, tell=tell)
    text = absence_note(member, meeting.entry)
    now = clock.now()
    await enqueue(
        db,
        clock,
        [
            NewMessage(
                key=_note_key(entry_key, member.telegram_user_id, recipient),
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


def _note_key(entry_key: str, absent: int, recipient: int) -> str:
    return f"{ABSENCE_KIND}|{entry_key}|{absent}|{recipient}"
