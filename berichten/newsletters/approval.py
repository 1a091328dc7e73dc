"""Four eyes (``OVERLEGBOT_NEWSLETTER_APPROVAL=true``): asking other coordinators to approve an
issue, their decision, and moving an issue (which asks again).

An issue submitted or moved with approval on awaits approval. Every active coordinator but the
one who made it as it stands gets, through the outbox, a line saying it is for approval, the
issue exactly as members will get it, and a question with "Goedkeuren" and "Afwijzen"; the
buttons carry the issue's id and revision (``nbg:y:<id>.<rev>``), so a button shown for an
earlier revision no longer counts. The first decision stands
(:mod:`planning.newsletters.lifecycle`); whoever asked hears it through the outbox. An issue
approved whose moment has come starts in the approval's unit of work, and the approver's
question becomes its progress message.

Keys: ``newsletter_approval:<id>.<rev>|<coordinator>|part-<n>`` (and ``|question``),
``newsletter_decision:<id>.<rev>|<member>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.newsletters.issues import Part, issue_parts, messages_of
from berichten.newsletters.schedule import audit_detail, start_issue
from berichten.outbox.store import Buttons, NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import newsletters as texts
from planning import catalogue
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.membership.lookups import active_coordinators, find_member
from planning.newsletters.after_sending import ProgressMessage
from planning.newsletters.issues import (
    Issue,
    IssueError,
    IssueProblem,
    count_members,
    record_issue,
)
from planning.newsletters.lifecycle import (
    StoredIssue,
    approve,
    move,
    reject,
    rewrite,
    stored_issue,
)
from planning.newsletters.tables import IssueStatus
from planning.plan.store import plan_zone

APPROVAL_KIND = "newsletter_approval"
DECISION_KIND = "newsletter_decision"
# Callback data of the question's buttons, followed by ``<id>.<revision>`` (handled in bot/).
APPROVE_PREFIX, REJECT_PREFIX = "nbg:y:", "nbg:n:"


@dataclass(frozen=True)
class Decided:
    """An approval or rejection as the deciding coordinator is shown it."""

    issue: StoredIssue
    started: int | None  # members it was queued for now; None: not started (later, rejected)


def approval_buttons(issue_id: int, revision: int) -> Buttons:
    data = f"{issue_id}.{revision}"
    return [
        [
            (catalogue.plain("newsletter.button.approve"), f"{APPROVE_PREFIX}{data}"),
            (catalogue.plain("newsletter.button.reject"), f"{REJECT_PREFIX}{data}"),
        ]
    ]


async def submit_for_approval(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue: Issue,
    send_at: datetime | None,
) -> tuple[int, int]:
    """Record ``issue`` awaiting approval (at ``send_at``, or at once when approved) and ask
    the other coordinators; return its id and how many were asked. Raise :class:`IssueError`
    (:data:`IssueProblem.NO_APPROVER` when nobody else could approve: nothing is recorded)."""
    recorded = await record_issue(
        session,
        clock,
        coordinator_id,
        issue,
        status=IssueStatus.AWAITING_APPROVAL,
        send_at=send_at,
    )
    asked = await request_approval(session, clock, recorded.id)
    await record(
        session,
        AuditAction.NEWSLETTER_SUBMITTED,
        coordinator_id,
        Subject.newsletter(recorded.id),
        at=clock.now(),
        count=asked,
        detail=await audit_detail(session, issue.title, send_at),
    )
    return recorded.id, asked


async def move_issue(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    send_at: datetime,
    *,
    approval: bool,
) -> tuple[StoredIssue, int]:
    """Move an issue that has not started to ``send_at``; with ``approval``, it awaits approval
    again and the other coordinators are asked. Return it and how many were asked."""
    stored = await move(session, coordinator_id, issue_id, send_at, approval=approval)
    return await _changed(session, clock, coordinator_id, stored, approval, send_at)


async def rewrite_issue(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    text: str,
    *,
    approval: bool,
) -> tuple[StoredIssue, int]:
    """Give an issue that has not started a new text, as :func:`move_issue` moves it."""
    stored = await rewrite(session, coordinator_id, issue_id, text, approval=approval)
    return await _changed(session, clock, coordinator_id, stored, approval, stored.send_at)


async def _changed(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    stored: StoredIssue,
    approval: bool,
    send_at: datetime | None,
) -> tuple[StoredIssue, int]:
    """The other coordinators asked again (``approval``), and the change in the audit."""
    asked = await request_approval(session, clock, stored.id) if approval else 0
    await record(
        session,
        AuditAction.NEWSLETTER_CHANGED,
        coordinator_id,
        Subject.newsletter(stored.id),
        at=clock.now(),
        count=asked if approval else None,
        detail=await audit_detail(session, stored.issue.title, send_at),
    )
    return stored, asked


async def request_approval(session: AsyncSession, clock: Clock, issue_id: int) -> int:
    """Queue the issue and the question for every active coordinator but the one who made it
    as it stands; return how many. None: raise :data:`IssueProblem.NO_APPROVER`."""
    stored = await stored_issue(session, issue_id)
    assert stored is not None
    approvers = [
        c.telegram_user_id
        for c in await active_coordinators(session)
        if c.telegram_user_id is not None and c.telegram_user_id != stored.changed_by
    ]
    if not approvers:
        raise IssueError(IssueProblem.NO_APPROVER)
    asker = await find_member(session, stored.changed_by)
    name = asker.name if asker is not None else ""
    zone = await plan_zone(session)
    members = await count_members(session, stored.issue.audience)
    now = clock.now()
    parts = [Part(texts.approval_notice(name)), *issue_parts(stored.issue, stored.kopij)]
    question = texts.approval_question(
        name, stored.issue.title, texts.when_text(stored.send_at, zone), members
    )
    key = f"{APPROVAL_KIND}:{issue_id}.{stored.revision}"
    messages: list[NewMessage] = []
    for approver in approvers:
        messages += messages_of(key, APPROVAL_KIND, approver, now, parts, Priority.REMINDER)
        messages.append(
            NewMessage(
                key=f"{key}|{approver}|question",
                kind=APPROVAL_KIND,
                recipient=approver,
                text=question,
                due_at=now,
                priority=Priority.REMINDER,
                buttons=approval_buttons(issue_id, stored.revision),
            )
        )
    await enqueue(session, now, messages)
    return len(approvers)


async def approve_and_notify(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    revision: int,
    progress: ProgressMessage | None = None,
) -> Decided:
    """Approve (:func:`planning.newsletters.lifecycle.approve`), start it when its moment has
    come, and tell whoever asked; one unit of work. An issue started now shows its progress in
    ``progress``: the approver's question, which they pressed."""
    stored = await approve(session, clock, coordinator_id, issue_id, revision)
    assert stored.send_at is not None  # approving sets the moment
    await record(
        session,
        AuditAction.NEWSLETTER_APPROVED,
        coordinator_id,
        Subject.newsletter(issue_id),
        at=clock.now(),
        detail=await audit_detail(session, stored.issue.title, stored.send_at),
    )
    started = None
    if stored.send_at <= clock.now():
        started = await start_issue(session, clock, issue_id, coordinator_id, progress)
    zone = await plan_zone(session)
    text = texts.approved_notice(
        await _name(session, coordinator_id), stored.issue.title, stored.send_at, zone, started
    )
    await _tell(session, clock, stored, text)
    return Decided(stored, started)


async def reject_and_notify(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue_id: int,
    revision: int,
    reason: str | None,
) -> Decided:
    """Reject (:func:`planning.newsletters.lifecycle.reject`) and tell whoever asked, with the
    reason; one unit of work."""
    stored = await reject(session, clock, coordinator_id, issue_id, revision, reason)
    await record(
        session,
        AuditAction.NEWSLETTER_REJECTED,
        coordinator_id,
        Subject.newsletter(issue_id),
        at=clock.now(),
        detail=stored.reason or stored.issue.title,
    )
    text = texts.rejected_notice(
        await _name(session, coordinator_id), stored.issue.title, stored.reason
    )
    await _tell(session, clock, stored, text)
    return Decided(stored, None)


async def _name(session: AsyncSession, telegram_user_id: int) -> str:
    member = await find_member(session, telegram_user_id)
    return member.name if member is not None else ""


async def _tell(session: AsyncSession, clock: Clock, stored: StoredIssue, text: str) -> None:
    now = clock.now()
    notice = NewMessage(
        key=f"{DECISION_KIND}:{stored.id}.{stored.revision}|{stored.changed_by}",
        kind=DECISION_KIND,
        recipient=stored.changed_by,
        text=text,
        due_at=now,
        priority=Priority.REMINDER,
    )
    await enqueue(session, now, [notice])
