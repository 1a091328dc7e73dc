"""Checks a handler makes before doing coordinators' work."""

from __future__ import annotations

from telegram import Update

from bot.context import OverlegContext
from planning import catalogue


async def ensure_coordinator(update: Update, context: OverlegContext) -> bool:
    """True for a coordinator; anyone else is told, politely, that this is not for them."""
    if context.member is not None and context.member.is_coordinator:
        return True
    assert update.effective_message is not None
    await update.effective_message.reply_text(catalogue.html("refused.not_a_coordinator"))
    return False


async def is_coordinator(_update: Update, context: OverlegContext) -> bool:
    """The guard of coordinators' buttons (:func:`bot.button_guards.guarded`): the presser is a
    coordinator now."""
    return context.member is not None and context.member.is_coordinator
