"""How the sending, correcting or withdrawing of an issue goes, read from the outbox.

The figures come from the outbox rows of the operation, not from the delivery run that sends
them: they survive a restart, and hold however the operation started (a coordinator's press or a
job). Members are counted, not messages: an issue in three messages counts once per member.

A member is, for the operation:

- **failed** when one of their rows failed or was skipped (blocked the bot, left, refused by
  Telegram, a delete after 48 hours), with the reason;
- **busy** while a row is being sent or is due;
- **waiting** while a row waits for a moment ahead: a member on pause gets the issue when it
  ends, and is neither delivered nor failed until then;
- **done** when every row was delivered.

The operation has ended when no member is busy (the report then shows the outcome), and is
finished when no member waits either. Rows of an edit or delete whose copy was never delivered
(:data:`berichten.outbox.operations.NOT_DELIVERED`) concern nobody and are not counted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from berichten.newsletters.corrections import (
    WITHDRAWN,
    copies_prefix,
    deletes_prefix,
    edits_prefix,
)
from berichten.outbox.operations import NOT_DELIVERED, TOO_OLD
from berichten.outbox.tables import OutboxMessageRow, OutboxStatus
from berichten.texts import newsletter_progress as texts
from planning.clock import Clock
from planning.membership.tables import MemberRow, OrganisationRow
from planning.newsletters.after_sending import IssueOperation, SentIssue, unfinished

# Telegram's reasons (and the outbox's own) as the report names them, by the first that occurs
# in the recorded reason; anything else is "refused by Telegram".
REASONS = (
    ("blocked", ("blocked",)),
    ("left", ("not an active member",)),
    ("chat_not_found", ("chat not found",)),
    ("deactivated", ("deactivated",)),
    ("too_old", (TOO_OLD,)),
    ("message_gone", ("message to edit not found", "message can't be deleted")),
    ("unreachable", ("gave up after",)),
    ("withdrawn", (WITHDRAWN,)),
)


def reason_of(error: str | None) -> str:
    """The report's name (a catalogue key's end) for a recorded reason."""
    lowered = (error or "").lower()
    for name, signs in REASONS:
        if any(sign.lower() in lowered for sign in signs):
            return name
    return "refused"


@dataclass
class Figures:
    """Members by where they stand in one operation on an issue (see the module)."""

    operation: IssueOperation
    total: int = 0
    done: int = 0
    busy: int = 0
    waiting: int = 0
    failed: Counter[str] = field(default_factory=Counter)  # reason -> members
    # Correcting: copies not delivered yet, which get the corrected text. Withdrawing: copies
    # stopped before they were delivered.
    untouched: int = 0
    unreachable: list[str] = field(default_factory=list)  # failed members' names, sorted

    @property
    def ended(self) -> bool:
        return self.busy == 0

    @property
    def finished(self) -> bool:
        return self.busy == 0 and self.waiting == 0


@dataclass(frozen=True)
class Progress:
    """What an issue's progress message should show now."""

    issue: SentIssue
    text: str  # Telegram HTML, within 4,096 characters
    ended: bool
    finished: bool


async def figures(session: AsyncSession, clock: Clock, issue: SentIssue) -> Figures:
    """The figures of the issue's latest operation, now.

    Counted by the database, a row per member and then one row in all, so the bot's event loop
    (which paces the sending meanwhile) reads a handful of numbers, not a row per message."""
    operation = issue.operation
    prefix = {
        IssueOperation.SEND: copies_prefix(issue.id),
        IssueOperation.CORRECT: edits_prefix(issue.id, issue.version),
        IssueOperation.WITHDRAW: deletes_prefix(issue.id),
    }[operation]
    row = OutboxMessageRow
    now = clock.now()
    ours = _ours(prefix)

    def rows_that(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    members = (
        select(
            rows_that(row.status.in_(_FAILED)).label("failed"),
            rows_that(
                (row.status == OutboxStatus.SENDING)
                | ((row.status == OutboxStatus.PENDING) & (row.due_at <= now))
            ).label("busy"),
            rows_that(row.status == OutboxStatus.PENDING).label("pending"),
        )
        .where(ours)
        .group_by(row.recipient)
        .subquery()
    )
    failed, busy, pending = members.c.failed > 0, members.c.busy > 0, members.c.pending > 0
    total, done, busy_members, waiting = (
        await session.execute(
            select(
                func.count(),
                rows_that(~failed & ~busy & ~pending),
                rows_that(~failed & busy),
                rows_that(~failed & ~busy & pending),
            ).select_from(members)
        )
    ).one()
    counted = Figures(operation, total, done or 0, busy_members or 0, waiting or 0)
    reasons: dict[int, str] = {}
    for recipient, error in await session.execute(
        select(row.recipient, row.last_error).where(ours, row.status.in_(_FAILED)).order_by(row.id)
    ):
        reasons.setdefault(recipient, reason_of(error))
    counted.failed = Counter(reasons.values())
    counted.unreachable = await _names(session, reasons)
    if operation is not IssueOperation.SEND:
        counted.untouched = await _untouched(session, issue, prefix)
    return counted


_FAILED = (OutboxStatus.FAILED, OutboxStatus.SKIPPED)


def _ours(prefix: str) -> ColumnElement[bool]:
    """The operation's rows, but for an edit or delete whose copy was never delivered."""
    row = OutboxMessageRow
    return row.key.startswith(prefix, autoescape=True) & or_(
        row.last_error.is_(None), row.last_error != NOT_DELIVERED
    )


async def _untouched(session: AsyncSession, issue: SentIssue, prefix: str) -> int:
    """Members without a row of the operation whose copies were still queued: correcting, they
    get the corrected text; withdrawing, they were stopped."""
    row = OutboxMessageRow
    queued: ColumnElement[bool]
    if issue.operation is IssueOperation.WITHDRAW:
        queued = (row.status == OutboxStatus.SKIPPED) & (row.last_error == WITHDRAWN)
    else:
        queued = row.status == OutboxStatus.PENDING
    counted = select(row.recipient).where(_ours(prefix))
    found = await session.scalar(
        select(func.count(row.recipient.distinct())).where(
            row.key.startswith(copies_prefix(issue.id), autoescape=True),
            queued,
            row.recipient.not_in(counted),
        )
    )
    return int(found or 0)


async def _names(session: AsyncSession, members: dict[int, str]) -> list[str]:
    """The members' names with their organisation, sorted (escaped by the text that shows them)."""
    if not members:
        return []
    found = await session.execute(
        select(MemberRow.telegram_user_id, MemberRow.name, OrganisationRow.name)
        .outerjoin(OrganisationRow, MemberRow.organisation_id == OrganisationRow.id)
        .where(MemberRow.telegram_user_id.in_(list(members)))
    )
    named = {user: texts.member_name(name, organisation) for user, name, organisation in found}
    return sorted(named.get(member, texts.member_name(None, None)) for member in members)


async def progress(
    session: AsyncSession, clock: Clock, skip: Collection[int] = ()
) -> list[Progress]:
    """What the progress message of each issue with something left to deliver (but those in
    ``skip``) should show.

    An issue whose operation has no rows yet (recorded, to be sent later) shows nothing yet.
    """
    shown: list[Progress] = []
    for issue in await unfinished(session):
        if issue.id in skip:
            continue
        counted = await figures(session, clock, issue)
        if counted.total == 0 and counted.untouched == 0:
            continue
        text = texts.progress_text(issue.title, counted)
        shown.append(Progress(issue, text, counted.ended, counted.finished))
    return shown
