"""An agenda item's kind in chat: the three buttons /agendapunt asks it with (``ai:k:<kind>``),
and reading a press."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.buttons import last_field
from bot.keyboards import inline_keyboard
from planning import catalogue
from planning.agenda_items.tables import AgendaItemKind

KIND_PREFIX = "ai:k:"
KIND_PATTERN = rf"^{KIND_PREFIX}({'|'.join(kind.value for kind in AgendaItemKind)})$"


def kinds_keyboard() -> InlineKeyboardMarkup:
    """Ter bespreking, Ter besluitvorming, Ter informatie: one a row."""
    choices = [
        (catalogue.plain(f"agenda_item.kind.button.{kind.value}"), f"{KIND_PREFIX}{kind.value}")
        for kind in AgendaItemKind
    ]
    return inline_keyboard(choices, per_row=1)


def pressed_kind(data: str | None) -> AgendaItemKind:
    """The kind a pressed button carries (the handler's pattern admits only the three)."""
    return AgendaItemKind(last_field(data))
