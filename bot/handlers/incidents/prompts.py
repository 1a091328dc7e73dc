"""What /incident shows while composing: the templates, the questions, the audience and the
question before sending. The incident message itself comes from :mod:`berichten.texts.incidents`."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.drafts import IncidentDraft
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.incidents.services import IncidentError

TEMPLATE_PREFIX, EMPTY = "in:t:", "in:empty"
EVERYONE, GROUP_PREFIX, ORGANISATION_PREFIX, AUDIENCE_DONE = "in:all", "in:g:", "in:o:", "in:ad"
SEND, ABORT = "in:send", "in:no"


def _mark(label: str, chosen: bool) -> str:
    return catalogue.plain("newsletter.chosen", label=label) if chosen else label


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
    choices = [(_mark(catalogue.plain("newsletter.button.everyone"), draft.everyone), EVERYONE)]
    choices += [
        (_mark(group.name, group.code in draft.chosen_groups), f"{GROUP_PREFIX}{index}")
        for index, group in enumerate(draft.groups)
    ]
    choices += [
        (
            _mark(organisation.name, organisation.code in draft.chosen_organisations),
            f"{ORGANISATION_PREFIX}{index}",
        )
        for index, organisation in enumerate(draft.organisations)
    ]
    choices.append((catalogue.plain("newsletter.button.next"), AUDIENCE_DONE))
    return inline_keyboard(choices, per_row=2)


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
