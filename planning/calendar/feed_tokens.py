"""Personal calendar feed links: one secret token per member, kept only as its SHA-256.

The token is ``secrets.token_urlsafe(32)`` (256 random bits) and is shown to the member once,
when it is made; the database holds its hash, so a copy of the database opens no feed. A new
token replaces the member's old one in the same row, so the old link stops at once. Only an
active member's token opens a feed, and only one made since the member's status last changed:
a member who leaves or blocks the bot loses the link for good, also when they come back.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from planning.calendar.listings import MyCalendar, my_calendar
from planning.clock import Clock
from planning.membership.lookups import known_member
from planning.membership.tables import MemberRow
from planning.tables import Base, UtcDateTime


class FeedTokenRow(Base):
    """A member's feed token, as its hash; at most one per member."""

    __tablename__ = "feed_tokens"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


def token_hash(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


async def has_feed_token(session: AsyncSession, telegram_user_id: int) -> bool:
    """Whether this member was given a feed link before."""
    member = await known_member(session, telegram_user_id)
    if member is None:
        return False
    return await session.get(FeedTokenRow, member.id) is not None


async def new_feed_token(session: AsyncSession, clock: Clock, telegram_user_id: int) -> str | None:
    """A fresh token for this active member, replacing any earlier one; None for others."""
    member = await session.scalar(
        select(MemberRow).where(MemberRow.telegram_user_id == telegram_user_id)
    )
    if member is None or not member.is_active:
        return None
    token = secrets.token_urlsafe(32)
    row = await session.get(FeedTokenRow, member.id)
    if row is None:
        row = FeedTokenRow(member_id=member.id)
        session.add(row)
    row.token_hash = token_hash(token)
    row.created_at = clock.now()
    await session.commit()
    return token


async def calendar_for_token(session: AsyncSession, clock: Clock, token: str) -> MyCalendar | None:
    """The calendar of the active member whose token this is; None for any other token."""
    query = select(MemberRow.telegram_user_id).join(
        FeedTokenRow, FeedTokenRow.member_id == MemberRow.id
    )
    user_id = await session.scalar(
        query.where(
            FeedTokenRow.token_hash == token_hash(token),
            # A link made before the member last left or blocked the bot stays dead after
            # they come back: they ask a new one.
            FeedTokenRow.created_at >= MemberRow.status_changed_at,
        )
    )
    if user_id is None:
        return None
    return await my_calendar(session, clock, user_id)
