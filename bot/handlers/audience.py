"""The audience picker that /nieuwsbrief and /incident share: "Iedereen", groups and
organisations as toggles, redrawn with the number of members they reach.

Each conversation keeps its own draft and its own button prefixes (``nb:`` and ``in:``), so a
press is routed to the conversation it belongs to; the buttons, their marks and what a press
changes are the same (docs/decisions/newsletters.md, "The audience").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from telegram import CallbackQuery, InlineKeyboardMarkup

from bot.buttons import chosen, redraw
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.db import Database
from planning.newsletters.issues import Audience, Choice, count_members


class AudienceDraft(Protocol):
    """What a draft holds of its audience: what was offered and what is chosen (codes)."""

    everyone: bool
    groups: list[Choice]
    organisations: list[Choice]
    chosen_groups: list[str]
    chosen_organisations: list[str]


@dataclass(frozen=True)
class AudienceButtons:
    """One conversation's callback data for the picker."""

    everyone: str
    group_prefix: str
    organisation_prefix: str
    done: str

    @property
    def toggle_pattern(self) -> str:
        """The presses :func:`toggle` takes."""
        return rf"^({self.everyone}|({self.group_prefix}|{self.organisation_prefix})\d+)$"


def marked(label: str, chosen: bool) -> str:
    """A toggle's label, with the mark when it is chosen."""
    return catalogue.plain("newsletter.chosen", label=label) if chosen else label


def audience_keyboard(draft: AudienceDraft, buttons: AudienceButtons) -> InlineKeyboardMarkup:
    choices = [
        (marked(catalogue.plain("newsletter.button.everyone"), draft.everyone), buttons.everyone)
    ]
    choices += [
        (marked(group.name, group.code in draft.chosen_groups), f"{buttons.group_prefix}{index}")
        for index, group in enumerate(draft.groups)
    ]
    choices += [
        (
            marked(organisation.name, organisation.code in draft.chosen_organisations),
            f"{buttons.organisation_prefix}{index}",
        )
        for index, organisation in enumerate(draft.organisations)
    ]
    choices.append((catalogue.plain("newsletter.button.next"), buttons.done))
    return inline_keyboard(choices, per_row=2)


async def toggled(
    query: CallbackQuery,
    draft: AudienceDraft,
    buttons: AudienceButtons,
    database: Database,
    audience_of: Callable[[], Audience],
    text: Callable[[int], str],
) -> None:
    """ "Iedereen", a group or an organisation pressed: chosen or not, and the picker redrawn
    with the number of members the audience now reaches (``text``). A group or organisation
    chosen means not everyone; a press past the list is stale (:func:`bot.buttons.chosen`)."""
    data = query.data or ""
    if data == buttons.everyone:
        draft.everyone = not draft.everyone
    else:
        is_group = data.startswith(buttons.group_prefix)
        codes = draft.chosen_groups if is_group else draft.chosen_organisations
        code = chosen(query, draft.groups if is_group else draft.organisations).code
        if code in codes:
            codes.remove(code)
        else:
            codes.append(code)
        draft.everyone = False
    members = await database.run(count_members, audience_of())
    await redraw(query, text(members), audience_keyboard(draft, buttons))
