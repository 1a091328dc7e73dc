"""What each member wishes to receive (/instellingen), and the pure rules that apply it.

The reminder queue (:mod:`berichten.reminders.queue`) asks :func:`reminder_moment` per member and
reminder; the settings screen calls the use cases below, each in its own transaction. A member
without a stored row has the defaults: every reminder, at the plan's time, no digest, no pause.

Decisions:

- **Muting an overleg** stops its *meeting* reminders only. Milestones belong to products, not
  to an overleg, and a ``fix_date`` reminder asks the trekker to do something (fix a day), so
  neither is muted. The weekly digest leaves muted overleggen out too.
- **The hour** (07-20 local) replaces the time of day of a reminder's moment, on the same day.
  If that would put it at or after the meeting's start (a same-day reminder at 09:00 for a
  10:00 meeting, with 20:00 chosen), the rule's own moment is kept: a reminder after the
  meeting is useless. ``None`` means the plan's ``om``.
- **The weekly digest** replaces single meeting and milestone reminders (not ``fix_date``, see
  above). It is due on Monday at the member's hour, or at :data:`DIGEST_HOUR`, and lists the
  meetings and deadlines of that week (Monday-Sunday) that concern the member. Month-precision
  meetings are left out (their day is not known yet).
- **A pause** is stored as the first day on which messages come again (``resume_on``). Every
  reminder or digest whose moment falls before that day is not queued and not sent later:
  skipped silently, since a reminder after a holiday for a meeting during it helps nobody. The
  day stays stored after the pause ends, so reminders from the pause are not found again by the
  queue's look-back and sent late. Lifting a pause sets it to today. A question about an
  overdue milestone is the exception: it is held until the first working day after the pause,
  since the milestone still needs an answer (:mod:`planning.milestones.overdue`).
- A change takes effect at the next run of the queue; the bot runs it right after answering
  the member (``refresh_outbox_soon``), and the outbox job runs it before every delivery.
  Reminders already sent are not touched.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.calendar.reminders import Reminder
from planning.clock import Clock
from planning.db import Database
from planning.membership.services import find_member, in_audience
from planning.membership.tables import MemberRow, MemberStatus
from planning.plan.store import load_plan
from planning.plan.tables import PlanInfoRow
from planning.preferences.tables import MemberPreferenceRow, MutedOverlegRow

HOURS = tuple(range(7, 21))
DIGEST_HOUR = 8
PAUSE_WEEKS = (1, 2, 3)
LONGEST_PAUSE = timedelta(days=366)
DEFAULT_ZONE = ZoneInfo("Europe/Amsterdam")  # before a plan is imported
DIGEST_KINDS = ("meeting", "milestone")  # the single reminders a digest replaces


@dataclass(frozen=True)
class Preferences:
    """One member's wishes; the defaults are what a member without settings gets."""

    muted: frozenset[str] = frozenset()
    hour: int | None = None
    digest: bool = False
    resume_on: date | None = None

    def paused_on(self, today: date) -> bool:
        return self.resume_on is not None and today < self.resume_on

    def before_resume(self, moment: datetime, zone: ZoneInfo) -> bool:
        """Whether ``moment`` falls in the pause (before the day messages come again)."""
        return self.resume_on is not None and moment.astimezone(zone).date() < self.resume_on


DEFAULTS = Preferences()


def reminder_moment(
    wishes: Preferences, reminder: Reminder, meeting_start: datetime | None, zone: ZoneInfo
) -> datetime | None:
    """When this member gets ``reminder`` (aware UTC), or None when not at all."""
    if reminder.kind == "meeting" and reminder.overleg in wishes.muted:
        return None
    if wishes.digest and reminder.kind in DIGEST_KINDS:
        return None
    moment = reminder.at
    if wishes.hour is not None:
        moved = at_hour(moment.astimezone(zone).date(), wishes.hour, zone)
        if meeting_start is None or moved < meeting_start:
            moment = moved
    if wishes.before_resume(moment, zone):
        return None
    return moment


def digest_moment(wishes: Preferences, monday: date, zone: ZoneInfo) -> datetime | None:
    """When the digest of the week starting ``monday`` is due, or None during a pause."""
    moment = at_hour(monday, wishes.hour if wishes.hour is not None else DIGEST_HOUR, zone)
    return None if wishes.before_resume(moment, zone) else moment


def at_hour(day: date, hour: int, zone: ZoneInfo) -> datetime:
    # Hours 07-20 never fall in a DST gap or overlap, so the local reading is unambiguous.
    return datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)


@dataclass(frozen=True)
class OverlegChoice:
    code: str
    name: str
    muted: bool


@dataclass(frozen=True)
class MySettings:
    """What /instellingen shows: the wishes, and the overleggen that may be muted."""

    preferences: Preferences
    overleggen: tuple[OverlegChoice, ...]
    today: date
    zone: ZoneInfo = field(default=DEFAULT_ZONE)

    @property
    def paused(self) -> bool:
        return self.preferences.paused_on(self.today)


class PauseProblem(enum.StrEnum):
    NOT_AFTER_TODAY = "not_after_today"
    TOO_FAR = "too_far"


class PauseError(ValueError):
    def __init__(self, problem: PauseProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


# --- reading, for the queue ---------------------------------------------------------------


async def preferences_by_member(db: Database) -> dict[int, Preferences]:
    """Every stored wish, by Telegram user id; members missing here have :data:`DEFAULTS`."""
    async with db.session() as session:
        rows = (
            await session.execute(
                select(MemberRow.telegram_user_id, MemberPreferenceRow).join(
                    MemberPreferenceRow, MemberPreferenceRow.member_id == MemberRow.id
                )
            )
        ).all()
        mutes = (
            await session.execute(
                select(MemberRow.telegram_user_id, MutedOverlegRow.overleg_code).join(
                    MutedOverlegRow, MutedOverlegRow.member_id == MemberRow.id
                )
            )
        ).all()
    muted: dict[int, set[str]] = {}
    for user_id, code in mutes:
        muted.setdefault(user_id, set()).add(code)
    found = {user_id: _preferences(row, muted.pop(user_id, set())) for user_id, row in rows}
    for user_id, codes in muted.items():
        found[user_id] = Preferences(muted=frozenset(codes))
    return found


async def digest_readers(db: Database) -> Sequence[MemberRow]:
    """The active members who chose the weekly digest."""
    async with db.session() as session:
        query = (
            select(MemberRow)
            .join(MemberPreferenceRow, MemberPreferenceRow.member_id == MemberRow.id)
            .where(MemberPreferenceRow.digest.is_(True), MemberRow.status == MemberStatus.ACTIVE)
            .order_by(MemberRow.id)
        )
        return (await session.scalars(query)).all()


async def paused_on(db: Database, telegram_user_ids: Iterable[int], day: date) -> set[int]:
    """Which of these members are paused on ``day`` (in the plan's zone)."""
    wanted = list(telegram_user_ids)
    if not wanted:
        return set()
    async with db.session() as session:
        found = await session.scalars(
            select(MemberRow.telegram_user_id)
            .join(MemberPreferenceRow, MemberPreferenceRow.member_id == MemberRow.id)
            .where(MemberRow.telegram_user_id.in_(wanted), MemberPreferenceRow.resume_on > day)
        )
        return set(found)


def _preferences(row: MemberPreferenceRow, muted: set[str]) -> Preferences:
    return Preferences(
        muted=frozenset(muted), hour=row.reminder_hour, digest=row.digest, resume_on=row.resume_on
    )


# --- the settings screen --------------------------------------------------------------------


async def my_settings(db: Database, clock: Clock, telegram_user_id: int) -> MySettings | None:
    """What /instellingen shows; None for someone who is not an active member."""
    member = await find_member(db, telegram_user_id)
    if member is None or not member.is_active:
        return None
    async with db.session() as session:
        row = await session.get(MemberPreferenceRow, member.id)
        muted = set(
            await session.scalars(
                select(MutedOverlegRow.overleg_code).where(MutedOverlegRow.member_id == member.id)
            )
        )
    wishes = Preferences(muted=frozenset(muted)) if row is None else _preferences(row, muted)
    plan = await load_plan(db)
    zone = plan.zone if plan is not None else DEFAULT_ZONE
    choices: list[OverlegChoice] = []
    for overleg in plan.overleggen if plan is not None else ():
        if in_audience(member, overleg.participants) or overleg.code in muted:
            choices.append(OverlegChoice(overleg.code, overleg.name, overleg.code in muted))
    return MySettings(wishes, tuple(choices), clock.now().astimezone(zone).date(), zone)


async def set_muted(
    db: Database, clock: Clock, telegram_user_id: int, overleg_code: str, muted: bool
) -> MySettings | None:
    """Mute or unmute one overleg's meeting reminders (idempotent)."""

    async def change(session: AsyncSession, member: MemberRow, _row: MemberPreferenceRow) -> None:
        await session.execute(
            delete(MutedOverlegRow).where(
                MutedOverlegRow.member_id == member.id, MutedOverlegRow.overleg_code == overleg_code
            )
        )
        if muted:
            session.add(
                MutedOverlegRow(member_id=member.id, overleg_code=overleg_code, muted_at=now)
            )

    now = clock.now()
    return await _change(db, clock, telegram_user_id, change)


async def set_hour(
    db: Database, clock: Clock, telegram_user_id: int, hour: int | None
) -> MySettings | None:
    """Choose the hour of reminders (one of :data:`HOURS`), or None for the plan's time."""
    if hour is not None and hour not in HOURS:
        raise ValueError(f"hour must be one of {HOURS[0]}-{HOURS[-1]}")
    return await _set(db, clock, telegram_user_id, lambda row: setattr(row, "reminder_hour", hour))


async def set_digest(
    db: Database, clock: Clock, telegram_user_id: int, digest: bool
) -> MySettings | None:
    return await _set(db, clock, telegram_user_id, lambda row: setattr(row, "digest", digest))


async def pause_weeks(
    db: Database, clock: Clock, telegram_user_id: int, weeks: int
) -> MySettings | None:
    """Pause for whole weeks from today: messages come again on the same weekday."""
    today = (await _today(db, clock))[0]
    return await pause_until(db, clock, telegram_user_id, today + timedelta(weeks=weeks))


async def pause_until(
    db: Database, clock: Clock, telegram_user_id: int, resume_on: date
) -> MySettings | None:
    """Pause until ``resume_on``, the first day messages come again; raises :class:`PauseError`
    for a day that is not after today or more than a year away."""
    today = (await _today(db, clock))[0]
    if resume_on <= today:
        raise PauseError(PauseProblem.NOT_AFTER_TODAY)
    if resume_on - today > LONGEST_PAUSE:
        raise PauseError(PauseProblem.TOO_FAR)
    return await _set(db, clock, telegram_user_id, lambda row: setattr(row, "resume_on", resume_on))


async def lift_pause(db: Database, clock: Clock, telegram_user_id: int) -> MySettings | None:
    """End a pause now: messages from today on come again (see the module's decisions)."""
    today = (await _today(db, clock))[0]

    def lift(row: MemberPreferenceRow) -> None:
        if row.resume_on is not None and row.resume_on > today:
            row.resume_on = today

    return await _set(db, clock, telegram_user_id, lift)


async def _today(db: Database, clock: Clock) -> tuple[date, ZoneInfo]:
    async with db.session() as session:
        name = await session.scalar(select(PlanInfoRow.timezone))
    zone = ZoneInfo(name) if name else DEFAULT_ZONE
    return clock.now().astimezone(zone).date(), zone


async def _set(
    db: Database, clock: Clock, telegram_user_id: int, apply: Callable[[MemberPreferenceRow], None]
) -> MySettings | None:
    async def change(_session: AsyncSession, _member: MemberRow, row: MemberPreferenceRow) -> None:
        apply(row)

    return await _change(db, clock, telegram_user_id, change)


async def _change(
    db: Database,
    clock: Clock,
    telegram_user_id: int,
    change: Callable[[AsyncSession, MemberRow, MemberPreferenceRow], Awaitable[None]],
) -> MySettings | None:
    """Apply ``change`` to the member's row (made on first use) in one transaction."""
    async with db.session() as session:
        member = await session.scalar(
            select(MemberRow).where(MemberRow.telegram_user_id == telegram_user_id)
        )
        if member is None or not member.is_active:
            return None
        row = await session.get(MemberPreferenceRow, member.id)
        if row is None:
            row = MemberPreferenceRow(member_id=member.id, digest=False, updated_at=clock.now())
            session.add(row)
        await change(session, member, row)
        row.updated_at = clock.now()
        await session.commit()
    return await my_settings(db, clock, telegram_user_id)
