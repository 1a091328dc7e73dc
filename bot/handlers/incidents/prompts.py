"""What /incident shows while composing: the templates, the questions, the audience and the
question before sending. The incident message itself comes from :mod:`berichten.texts.incidents`."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.drafts import IncidentDraft
from bot.handlers.audience import AudienceButtons
from bot.handlers.audience import audience_keyboard as shared_keyboard
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.incidents.services import IncidentError

TEMPLATE_PREFIX, EMPTY = "in:t:", "in:empty"
AUDIENCE = AudienceButtons("in:all", "in:g:", "in:o:", "in:ad")
SEND, ABORT = "in:send", "in:no"


def templates_keyboard(draft: IncidentDraft) -> InlineKeyboardMarkup:
    choices = [
        (template.name, f"{TEMPLATE_PREFIX}{index}")
        for index, template in enumerate(draft.templates)
    ]
    choices.append((catalogue.plain("incident.button.empty"), EMPTY))
    return inline_keyboard(choices, per_row=1)


def question(placeholder: str) -> str:
    """The question for ``{plaats}``, ``{datum}`` or ``{wat}``."""
    return catalogue.html(f"incident.ask.{placeholder}")


def audience_text(members: int) -> str:
    return "\n\n".join(
        [
            catalogue.html("incident.audience.heading"),
            catalogue.html("incident.audience.count", n=members),
        ]
    )


def audience_keyboard(draft: IncidentDraft) -> InlineKeyboardMarkup:
    return shared_keyboard(draft, AUDIENCE)


def confirm_keyboard() -> InlineKeyboardMarkup:
    return inline_keyboard(
        [
            (catalogue.plain("incident.button.send"), SEND),
            (catalogue.plain("meeting_change.abort_button"), ABORT),
        ],
        per_row=1,
    )


def problem(refused: IncidentError) -> str:
    return catalogue.html(f"incident.problem.{refused.problem}")
