"""The deep link of an invite, which /uitnodigen sends and the CLI prints.

What the membership handlers show is in :mod:`bot.handlers.membership.prompts`.
"""

from __future__ import annotations

from planning.membership.tables import InviteRow


def invite_link(bot_username: str, invite: InviteRow) -> str:
    # Telegram's deep link: https://core.telegram.org/bots/features#deep-linking
    return f"https://t.me/{bot_username}?start={invite.code}"
