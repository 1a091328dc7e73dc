"""What /instellingen shows: the member's current settings above the buttons that change them,
the button labels, and why a pause date is refused.

Every text comes from the catalogue in HTML parse mode; lines are built once and joined, so a
value is escaped exactly once. Button labels are plain text (Telegram shows them as they are).
"""

from __future__ import annotations

from berichten.texts.dates import long_date
from planning import catalogue
from planning.preferences.rules import MySettings, OverlegChoice, PauseProblem


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
