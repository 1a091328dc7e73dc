"""Typed context for handlers: the services and the member behind the update.

PTB's ``contexttypesbot`` example: a custom context class and ``bot_data`` class replace
``bot_data["x"]`` look-ups plus casts. ``member`` is filled once per update by the gate in
:mod:`bot.handlers.gate` (PTB shares one context object across handler groups of an update).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from berichten.outbox.pacing import Pacer
from bot.drafts import UserData
from bot.handlers.membership.wrong_codes import WrongCodes
from bot.rate_limiter import Pacing
from bot.settings import Settings
from planning.clock import Clock, SystemClock
from planning.db import Database
from planning.membership.tables import MemberRow


@dataclass
class BotData:
    """Application-wide services, set once by :func:`bot.app.build_application`."""

    configured: Settings | None = None
    database: Database | None = None
    clock: Clock = field(default_factory=SystemClock)
    pacer: Pacer = field(default_factory=Pacer)  # shared by every delivery run: one bot, one limit
    # False only in tests of other features, which must not be interrupted by reminders.
    outbox_job: bool = True
    queue_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # A refresh asked for and not begun yet: more requests meanwhile join it.
    refresh_waiting: bool = False
    # Whom that refresh is for; None: everyone.
    refresh_members: frozenset[int] | None = None
    # When the command line last changed the plan or the members, as the bot last saw it.
    seen_change: datetime | None = None
    # The outbox job's wake is running: it sets the next wake itself when it ends.
    waking: bool = False
    # The latest refresh asked for by a handler, so a test can wait for it.
    refresh: asyncio.Task[None] | None = None
    # Who sent wrong invite codes lately; in memory, since nothing about strangers is stored.
    wrong_codes: WrongCodes = field(default_factory=WrongCodes)
    # The newsletters' progress messages: shown by one task at a time, and when each was last
    # edited (bot/newsletter_progress.py).
    progress_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    progress_shown: dict[int, datetime] = field(default_factory=dict)
    progress_quiet: dict[int, datetime] = field(default_factory=dict)  # issue: look again then
    # One pass over the incidents' status messages at a time (the job, a wake, a press).
    status_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def settings(self) -> Settings:
        if self.configured is None:
            raise RuntimeError("the application was built without settings")
        return self.configured

    @property
    def db(self) -> Database:
        if self.database is None:
            raise RuntimeError("the application was built without a database")
        return self.database


class OverlegContext(CallbackContext[ExtBot[Pacing], UserData, dict[Any, Any], BotData]):
    """The context every handler receives."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.member: MemberRow | None = None

    @property
    def user_state(self) -> UserData:
        """The user's data; only updates without a user (channel posts) lack it."""
        if self.user_data is None:
            raise RuntimeError("this update has no user")
        return self.user_data


CONTEXT_TYPES = ContextTypes(context=OverlegContext, bot_data=BotData, user_data=UserData)
