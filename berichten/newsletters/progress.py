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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
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
    """The figures of the issue's latest operation, now."""
    operation = issue.operation
    prefix = {
        IssueOperation.SEND: copies_prefix(issue.id),
        IssueOperation.CORRECT: edits_prefix(issue.id, issue.version),
        IssueOperation.WITHDRAW: deletes_prefix(issue.id),
    }[operation]
    rows = await _rows(session, prefix)
    counted = Figures(operation)
    failed: dict[int, str] = {}
    now = clock.now()
    for member, states in _by_member(rows).items():
        counted.total += 1
        errors = [error for status, _due, error in states if status in _FAILED]
        if errors:
            failed[member] = reason_of(errors[0])
        elif any(_busy(status, due, now) for status, due, _error in states):
            counted.busy += 1
        elif any(status == OutboxStatus.PENDING for status, _due, _error in states):
            counted.waiting += 1
        else:
            counted.done += 1
    counted.failed = Counter(failed.values())
    counted.unreachable = await _names(session, failed)
    if operation is not IssueOperation.SEND:
        counted.untouched = await _untouched(session, issue, set(_by_member(rows)))
    return counted


_FAILED = (OutboxStatus.FAILED, OutboxStatus.SKIPPED)
Row = tuple[int, str, datetime, str | None]  # recipient, status, due, last error


def _busy(status: str, due: datetime, now: datetime) -> bool:
    return status == OutboxStatus.SENDING or (status == OutboxStatus.PENDING and due <= now)


async def _rows(session: AsyncSession, prefix: str) -> list[Row]:
    result = await session.execute(
        select(
            OutboxMessageRow.recipient,
            OutboxMessageRow.status,
            OutboxMessageRow.due_at,
            OutboxMessageRow.last_error,
        ).where(
            OutboxMessageRow.key.startswith(prefix, autoescape=True),
            or_(
                OutboxMessageRow.last_error.is_(None),
                OutboxMessageRow.last_error != NOT_DELIVERED,
            ),
        )
    )
    return [(recipient, status, due, error) for recipient, status, due, error in result]


def _by_member(rows: Iterable[Row]) -> dict[int, list[tuple[str, datetime, str | None]]]:
    members: dict[int, list[tuple[str, datetime, str | None]]] = {}
    for recipient, status, due, error in rows:
        members.setdefault(recipient, []).append((status, due, error))
    return members


async def _untouched(session: AsyncSession, issue: SentIssue, counted: set[int]) -> int:
    """Members with no row of the operation whose copies were still queued: correcting, they
    get the corrected text; withdrawing, they were stopped."""
    wanted = WITHDRAWN if issue.operation is IssueOperation.WITHDRAW else None
    members = set()
    for recipient, status, _due, error in await _rows(session, copies_prefix(issue.id)):
        if recipient in counted:
            continue
        stopped = status == OutboxStatus.SKIPPED and error == wanted
        if stopped or (wanted is None and status == OutboxStatus.PENDING):
            members.add(recipient)
    return len(members)


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


async def progress(session: AsyncSession, clock: Clock) -> list[Progress]:
    """What the progress message of each issue with something left to deliver should show.

    An issue whose operation has no rows yet (recorded, to be sent later) shows nothing yet.
    """
    shown: list[Progress] = []
    for issue in await unfinished(session):
        counted = await figures(session, clock, issue)
        if counted.total == 0 and counted.untouched == 0:
            continue
        text = texts.progress_text(issue.title, counted)
        shown.append(Progress(issue, text, counted.ended, counted.finished))
    return shown
