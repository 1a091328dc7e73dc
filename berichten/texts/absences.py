"""The note to the trekker's side when a member presses "Ik kan niet" under a reminder.

Built from the catalogue in HTML parse mode, so every value is escaped exactly once.
"""

from __future__ import annotations

from berichten.texts.dates import describe_when
from berichten.texts.names import in_brackets
from planning import catalogue
from planning.calendar.expand import CalendarEntry
from planning.membership.tables import MemberRow


def absence_note(member: MemberRow, meeting: CalendarEntry) -> str:
    """To the trekker's side: who cannot come to which meeting."""
    organisation = member.organisation.name if member.organisation is not None else ""
    return catalogue.html(
        "absence.note",
        name=member.name,
        organisation=in_brackets(organisation),
        title=meeting.title,
        when=describe_when(meeting.when),
    )
