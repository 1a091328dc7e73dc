"""What each member wishes to receive (/instellingen): reading and changing the stored wishes.

Service functions take the session and never commit; :meth:`planning.db.Database.run` commits.
The pure rules that apply the wishes are in :mod:`planning.preferences.rules`: the reminder queue
(:mod:`berichten.reminders.queue`) asks :func:`~planning.preferences.rules.reminder_moment` per
member and reminder. A member without a stored row has the defaults: every reminder, at the
plan's time, no digest, no pause.

Decisions:

- **Muting an overleg** stops its *meeting* reminders only. Milestones belong to products, not
  to an overleg, and a ``fix_date`` reminder asks the trekker to do something (fix a day), so
  neither is muted. The weekly digest leaves muted overleggen out too.
- **The hour** (07-20 local) replaces the time of day of a reminder's moment, on the same day.
  If that would put it at or after the meeting's start (a same-day reminder at 09:00 for a
  10:00 meeting, with 20:00 chosen), the rule's own moment is kept: a reminder after the
  meeting is useless. ``None`` means the plan's ``om``.
- **The weekly digest** replaces single meeting and milestone reminders (not ``fix_date``, see
  above). It is due on Monday at the member's hour, or at
  :data:`~planning.preferences.rules.DIGEST_HOUR`, and lists the meetings and deadlines of that
  week (Monday-Sunday) that concern the member. Month-precision meetings are left out (their
  day is not known yet).
- **A pause** is stored as the first day on which messages come again (``resume_on``). Every
  reminder or digest whose moment falls before that day is not queued and not sent later:
  skipped silently, since a reminder after a holiday for a meeting during it helps nobody. The
  day stays stored after the pause ends, so reminders from the pause are not found again by the
  queue's look-back and sent late. Lifting a pause sets it to today. A question about an
  overdue milestone is the exception: it is held until the first working day after the pause,
  since the milestone still needs an answer (:mod:`planning.milestones.overdue`). News that does
  not expire (kopij passed on, a newsletter) is held as well: it is due at
  :data:`RESUME_HOUR` on the day the pause ends (:func:`reachable_at`).
- A change takes effect at the next run of the queue; the bot runs it right after answering
  the member (``refresh_outbox_soon``), and the outbox job runs it before every delivery.
  Reminders already sent are not touched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from planning.clock import Clock
from planning.membership.lookups import active_member
from planning.membership.rules import in_audience
from planning.membership.tables import MemberRow
from planning.plan.store import DEFAULT_ZONE, load_plan, plan_today, plan_zone
from planning.preferences.rules import (
    HOURS,
    MySettings,
    OverlegChoice,
    Preferences,
    at_hour,
    check_resume_on,
)
from planning.preferences.tables import MemberPreferenceRow, MutedOverlegRow

# --- reading, for the queue ---------------------------------------------------------------


async def preferences_by_member(
    session: AsyncSession, only: Collection[int] | None = None
) -> dict[int, Preferences]:
    """Every stored wish (or only those of the members ``only``), by Telegram user id; members
    missing here have :data:`~planning.preferences.rules.DEFAULTS`."""
    wishes = select(MemberRow.telegram_user_id, MemberPreferenceRow).join(
        MemberPreferenceRow, MemberPreferenceRow.member_id == MemberRow.id
    )
    mutes = select(MemberRow.telegram_user_id, MutedOverlegRow.overleg_code).join(
        MutedOverlegRow, MutedOverlegRow.member_id == MemberRow.id
    )
    if only is not None:
        wishes = wishes.where(MemberRow.telegram_user_id.in_(list(only)))
        mutes = mutes.where(MemberRow.telegram_user_id.in_(list(only)))
    muted: dict[int, set[str]] = {}
    for user_id, code in await session.execute(mutes):
        muted.setdefault(user_id, set()).add(code)
    found = {
        user_id: _preferences(row, muted.pop(user_id, set()))
        for user_id, row in await session.execute(wishes)
    }
    for user_id, codes in muted.items():
        found[user_id] = Preferences(muted=frozenset(codes))
    return found


async def paused_on(session: AsyncSession, telegram_user_ids: Iterable[int], day: date) -> set[int]:
    """Which of these members are paused on ``day`` (in the plan's zone)."""
    wanted = list(telegram_user_ids)
    if not wanted:
        return set()
    found = await session.scalars(
        select(MemberRow.telegram_user_id)
        .join(MemberPreferenceRow, MemberPreferenceRow.member_id == MemberRow.id)
        .where(MemberRow.telegram_user_id.in_(wanted), MemberPreferenceRow.resume_on > day)
    )
    return set(found)


# News that does not expire reaches a member on pause at this hour of the day the pause ends.
RESUME_HOUR = 9


async def reachable_at(
    session: AsyncSession, now: datetime, telegram_user_ids: Iterable[int]
) -> dict[int, datetime]:
    """When each of these members may get news that does not expire: ``now``, or for a member
    on pause :data:`RESUME_HOUR` on the day the pause ends (in the plan's zone)."""
    wanted = list(telegram_user_ids)
    wishes = await preferences_by_member(session, wanted)
    zone = await plan_zone(session)
    today = now.astimezone(zone).date()
    moments = dict.fromkeys(wanted, now)
    for user_id, wish in wishes.items():
        if wish.resume_on is not None and today < wish.resume_on:
            moments[user_id] = max(now, at_hour(wish.resume_on, RESUME_HOUR, zone))
    return moments


def _preferences(row: MemberPreferenceRow, muted: set[str]) -> Preferences:
    return Preferences(
        muted=frozenset(muted), hour=row.reminder_hour, digest=row.digest, resume_on=row.resume_on
    )


# --- the settings screen --------------------------------------------------------------------


async def my_settings(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> MySettings | None:
    """What /instellingen shows; None for someone who is not an active member."""
    member = await active_member(session, telegram_user_id)
    if member is None:
        return None
    row = await session.get(MemberPreferenceRow, member.id)
    muted = set(
        await session.scalars(
            select(MutedOverlegRow.overleg_code).where(MutedOverlegRow.member_id == member.id)
        )
    )
    wishes = Preferences(muted=frozenset(muted)) if row is None else _preferences(row, muted)
    plan = await load_plan(session)
    zone = plan.zone if plan is not None else DEFAULT_ZONE
    choices: list[OverlegChoice] = []
    for overleg in plan.overleggen if plan is not None else ():
        if in_audience(member, overleg.participants) or overleg.code in muted:
            choices.append(OverlegChoice(overleg.code, overleg.name, overleg.code in muted))
    return MySettings(wishes, tuple(choices), clock.now().astimezone(zone).date(), zone)


async def may_mute(session: AsyncSession, clock: Clock, telegram_user_id: int, code: str) -> bool:
    """Whether ``code`` is an overleg /instellingen offers this member to mute or unmute now:
    one of the plan's, that concerns them or that they muted before."""
    settings = await my_settings(session, clock, telegram_user_id)
    return settings is not None and any(choice.code == code for choice in settings.overleggen)


async def set_muted(
    session: AsyncSession, clock: Clock, telegram_user_id: int, overleg_code: str, muted: bool
) -> MySettings | None:
    """Mute or unmute one overleg's meeting reminders (idempotent)."""

    async def change(member: MemberRow, _row: MemberPreferenceRow) -> None:
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
    return await _change(session, clock, telegram_user_id, change)


async def set_hour(
    session: AsyncSession, clock: Clock, telegram_user_id: int, hour: int | None
) -> MySettings | None:
    """Choose the hour of reminders (one of :data:`~planning.preferences.rules.HOURS`), or None
    for the plan's time."""
    if hour is not None and hour not in HOURS:
        raise ValueError(f"hour must be one of {HOURS[0]}-{HOURS[-1]}")
    return await _set(
        session, clock, telegram_user_id, lambda row: setattr(row, "reminder_hour", hour)
    )


async def set_digest(
    session: AsyncSession, clock: Clock, telegram_user_id: int, digest: bool
) -> MySettings | None:
    """Choose the weekly digest instead of single meeting and milestone reminders, or not."""
    return await _set(session, clock, telegram_user_id, lambda row: setattr(row, "digest", digest))


async def pause_weeks(
    session: AsyncSession, clock: Clock, telegram_user_id: int, weeks: int
) -> MySettings | None:
    """Pause for whole weeks from today: messages come again on the same weekday."""
    today = await plan_today(session, clock)
    return await pause_until(session, clock, telegram_user_id, today + timedelta(weeks=weeks))


async def pause_until(
    session: AsyncSession, clock: Clock, telegram_user_id: int, resume_on: date
) -> MySettings | None:
    """Pause until ``resume_on``, the first day messages come again; raises
    :class:`~planning.preferences.rules.PauseError` for a day that is not after today or more
    than a year away."""
    check_resume_on(resume_on, await plan_today(session, clock))
    return await _set(
        session, clock, telegram_user_id, lambda row: setattr(row, "resume_on", resume_on)
    )


async def lift_pause(
    session: AsyncSession, clock: Clock, telegram_user_id: int
) -> MySettings | None:
    """End a pause now: messages from today on come again (see the module's decisions)."""
    today = await plan_today(session, clock)

    def lift(row: MemberPreferenceRow) -> None:
        if row.resume_on is not None and row.resume_on > today:
            row.resume_on = today

    return await _set(session, clock, telegram_user_id, lift)


async def _set(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    apply: Callable[[MemberPreferenceRow], None],
) -> MySettings | None:
    async def change(_member: MemberRow, row: MemberPreferenceRow) -> None:
        apply(row)

    return await _change(session, clock, telegram_user_id, change)


async def _change(
    session: AsyncSession,
    clock: Clock,
    telegram_user_id: int,
    change: Callable[[MemberRow, MemberPreferenceRow], Awaitable[None]],
) -> MySettings | None:
    """Apply ``change`` to the member's row (made on first use); the settings as they are now."""
    member = await active_member(session, telegram_user_id)
    if member is None:
        return None
    row = await session.get(MemberPreferenceRow, member.id)
    if row is None:
        row = MemberPreferenceRow(member_id=member.id, digest=False, updated_at=clock.now())
        session.add(row)
    await change(member, row)
    row.updated_at = clock.now()
    return await my_settings(session, clock, telegram_user_id)
