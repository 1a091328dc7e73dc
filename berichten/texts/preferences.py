"""What a member reads about their settings, in the weekly digest, and after a reminder button.

Every text comes from the catalogue in HTML parse mode; lines are built once and joined, so a
value is escaped exactly once. Button labels are plain text (Telegram shows them as they are).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from babel.dates import format_date

from berichten.texts.dates import describe_when, long_date
from berichten.texts.html import TEXT_LIMIT, telegram_length
from berichten.texts.reminders import Section, fit_each
from planning import catalogue
from planning.calendar.expand import CalendarEntry
from planning.membership.tables import MemberRow
from planning.preferences.rules import MySettings, OverlegChoice, PauseProblem

# --- /instellingen --------------------------------------------------------------------------


def settings_text(settings: MySettings) -> str:
    """The current settings, one line each, above the buttons that change them."""
    wishes = settings.preferences
    lines = [catalogue.html("preferences.header")]
    if wishes.hour is None:
        lines.append(catalogue.html("preferences.hour.plan"))
    else:
        lines.append(catalogue.html("preferences.hour.chosen", hour=f"{wishes.hour:02d}:00"))
    digest = "preferences.digest.on" if wishes.digest else "preferences.digest.off"
    lines.append(catalogue.html(digest))
    if settings.paused and wishes.resume_on is not None:
        lines.append(catalogue.html("preferences.paused", day=long_date(wishes.resume_on)))
    else:
        lines.append(catalogue.html("preferences.not_paused"))
    muted = [choice.name for choice in settings.overleggen if choice.muted]
    if muted:
        lines.append(catalogue.html("preferences.muted", names=", ".join(muted)))
    if settings.overleggen:
        lines += ["", catalogue.html("preferences.explain_mute")]
    return "\n".join(lines)


def mute_label(choice: OverlegChoice) -> str:
    key = "preferences.button.unmute" if choice.muted else "preferences.button.mute"
    return catalogue.plain(key, name=choice.name)


def hour_label(hour: int) -> str:
    return f"{hour:02d}:00"


def weeks_label(weeks: int) -> str:
    """``1 week``, ``2 weken``."""
    return catalogue.plain("preferences.button.weeks", n=weeks)


def pause_problem_text(problem: PauseProblem) -> str:
    if problem is PauseProblem.TOO_FAR:
        return catalogue.html("preferences.pause_too_far")
    return catalogue.html("preferences.pause_not_after_today")


# --- the weekly digest ----------------------------------------------------------------------


def digest_text(
    week: str,
    first: date,
    last: date,
    meetings: Sequence[CalendarEntry],
    deadlines: Sequence[CalendarEntry],
    sections: Mapping[str, Sequence[Section]] | None = None,
) -> str:
    """The digest of one week from ``first`` to ``last`` (inclusive); ``sections`` are the
    agenda sections under each meeting (by key), fitted together to the room the rest
    leaves."""
    lines = [
        catalogue.html(
            "digest.header",
            week=week.rsplit("W", 1)[-1].lstrip("0"),
            first=format_date(first, "d MMMM", locale="nl"),
            last=format_date(last, "d MMMM y", locale="nl"),
        )
    ]
    if meetings:
        lines += ["", catalogue.html("digest.meetings")]
        lines += [_meeting_line(entry) for entry in meetings]
    if deadlines:
        lines += ["", catalogue.html("digest.deadlines")]
        lines += [
            catalogue.html(
                "digest.deadline",
                when=long_date(entry.when.latest_day),
                product=entry.product or "",
                title=entry.title,
            )
            for entry in deadlines
        ]
    if not meetings and not deadlines:
        lines += ["", catalogue.html("digest.nothing")]
    lines += ["", catalogue.html("digest.footer")]
    if not sections or not any(sections.values()):
        return "\n".join(lines)
    return "\n".join(_with_sections(lines, meetings, sections))


def _with_sections(
    lines: list[str], meetings: Sequence[CalendarEntry], sections: Mapping[str, Sequence[Section]]
) -> list[str]:
    """``lines`` with each meeting's sections under its line, all within Telegram's limit."""
    # Each meeting after a section gets a blank line before it: one newline each.
    room = TEXT_LIMIT - telegram_length("\n".join(lines)) - len(meetings)
    order = [(m.key, section) for m in meetings for section in sections.get(m.key, ())]
    fitted = fit_each([section for _, section in order], room)
    under: dict[str, list[str]] = {}
    for (key, _), section_lines in zip(order, fitted, strict=True):
        under.setdefault(key, []).extend(section_lines)
    first_meeting = lines.index(catalogue.html("digest.meetings")) + 1
    result = lines[:first_meeting]
    for offset, meeting in enumerate(meetings):
        if offset and under.get(meetings[offset - 1].key):
            result.append("")
        result.append(lines[first_meeting + offset])
        result += under.get(meeting.key, [])
    return result + lines[first_meeting + len(meetings) :]


def _meeting_line(entry: CalendarEntry) -> str:
    line = catalogue.html("digest.meeting", when=describe_when(entry.when), title=entry.title)
    if entry.location:
        line += catalogue.html("digest.meeting_location", location=entry.location)
    return line


# --- the buttons under a reminder -----------------------------------------------------------


def absence_note(member: MemberRow, meeting: CalendarEntry) -> str:
    """To the trekker's side: who cannot come to which meeting."""
    organisation = member.organisation.name if member.organisation is not None else ""
    return catalogue.html(
        "absence.note",
        name=member.name,
        organisation=organisation,
        title=meeting.title,
        when=describe_when(meeting.when),
    )
