"""Starting a newsletter issue, now or at its moment, and cancelling one before it starts.

An issue starts once: :func:`planning.newsletters.lifecycle.claim_start` moves it from
scheduled to sent by a conditional UPDATE, and in the same unit of work its audience is
computed (as it is then: members who joined meanwhile get it, those who left do not) and every
member's copy queued, at newsletter priority and without expiry, keyed
``newsletter:<id>|<member>|part-<n>``; a member on pause gets it when the pause ends. The sender
of each item of kopij in it is told it goes out now (``kopij_included:<item>|<sender>``).
A crash before the commit leaves the issue scheduled and nothing queued; after it, everything
queued: the next run starts it, or finds it started. Outbox keys are unique besides.

The outbox job starts what is due on every wake (:func:`start_due`, from
:mod:`bot.outbox_job`), and wakes for the next issue's moment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from berichten.newsletters.issues import ISSUE_KIND, issue_parts, messages_of
from berichten.outbox.store import NewMessage, enqueue
from berichten.outbox.tables import Priority
from berichten.texts import newsletters as texts
from planning import catalogue
from planning.audit.services import Subject, record
from planning.audit.tables import AuditAction
from planning.clock import Clock
from planning.db import Database
from planning.membership.lookups import find_member
from planning.membership.recipients import recipients
from planning.newsletters.after_sending import ProgressMessage, set_progress_message
from planning.newsletters.issues import Issue, audience_members, record_issue
from planning.newsletters.lifecycle import (
    StoredIssue,
    cancel,
    claim_start,
    due_issues,
    set_recipients,
    stored_issue,
)
from planning.newsletters.tables import IssueStatus
from planning.plan.store import plan_zone
from planning.preferences.services import reachable_at

INCLUDED_KIND = "kopij_included"  # to a sender: their item goes out in this issue
CANCELLED_KIND = "newsletter_cancelled"  # to the composer, when another cancelled it


async def send_issue(
    session: AsyncSession,
    clock: Clock,
    coordinator_id: int,
    issue: Issue,
    progress: ProgressMessage | None = None,
) -> tuple[int, int]:
    """Record ``issue`` (once per draft: :func:`~planning.newsletters.issues.record_issue`) and
    start it now; return its id and how many members. One unit of work: nothing is recorded as
    sent that is not queued, nothing queued that is not recorded. ``progress`` is the
    coordinator's message that is to show how the sending goes."""
    recorded = await record_issue(
        session, clock, coordinator_id, issue, status=IssueStatus.SCHEDULED, send_at=clock.now()
    )
    started = await start_issue(session, clock, recorded.id, coordinator_id, progress)
    assert started is not None  # recorded in this unit of work, for now
    return recorded.id, started


async def schedule_issue(
    session: AsyncSession, clock: Clock, coordinator_id: int, issue: Issue, send_at: datetime
) -> int:
    """Record ``issue`` to start at ``send_at``; return its id."""
    recorded = await record_issue(
        session, clock, coordinator_id, issue, status=IssueStatus.SCHEDULED, send_at=send_at
    )
    await record(
        session,
        AuditAction.NEWSLETTER_SCHEDULED,
        coordinator_id,
        Subject.newsletter(recorded.id),
        at=clock.now(),
        detail=await audit_detail(session, issue.title, send_at),
    )
    return recorded.id


async def audit_detail(session: AsyncSession, title: str, send_at: datetime | None) -> str:
    """The audit log's detail of a planned issue: its title and moment, in the plan's zone with
    its abbreviation, as the coordinator typed it and as the log shows its own moments."""
    if send_at is None:
        return title
    moment = send_at.astimezone(await plan_zone(session))
    return f"{title} ({moment:%Y-%m-%d %H:%M %Z})"


async def start_issue(
    session: AsyncSession,
    clock: Clock,
    issue_id: int,
    actor: int | None = None,
    progress: ProgressMessage | None = None,
) -> int | None:
    """Start a scheduled issue whose moment has come: queue it for its audience as it is now;
    return how many members, or None when it is not (any more) to start. The audit log records
    it sent by ``actor`` (the coordinator who sent or approved it now; None: the bot, at the
    issue's moment). ``progress`` is the message that is to show how the sending goes (the
    confirmation pressed); without one, the bot sends one to the coordinator who scheduled it
    (:mod:`bot.newsletter_progress`)."""
    if not await claim_start(session, clock, issue_id):
        return None
    if progress is not None:
        await set_progress_message(session, issue_id, progress)
    stored = await stored_issue(session, issue_id)
    assert stored is not None
    now = clock.now()
    everyone = await recipients(session)
    members = [m.telegram_user_id for m in audience_members(everyone, stored.issue.audience)]
    moments = await reachable_at(session, now, members)
    parts = issue_parts(stored.issue, stored.kopij)
    key = f"{ISSUE_KIND}:{issue_id}"
    messages = [
        message
        for member in members
        for message in messages_of(key, ISSUE_KIND, member, moments[member], parts)
    ]
    messages += [
        NewMessage(
            key=f"{INCLUDED_KIND}:{item.id}|{item.sent_by}",
            kind=INCLUDED_KIND,
            recipient=item.sent_by,
            text=texts.included_notice(item, stored.issue.title),
            due_at=now,
            priority=Priority.REMINDER,
        )
        for item in stored.kopij
    ]
    await record(
        session,
        AuditAction.NEWSLETTER_SENT,
        actor,
        Subject.newsletter(issue_id),
        at=now,
        count=len(members),
        detail=stored.issue.title,
    )
    await enqueue(session, now, messages)
    await set_recipients(session, issue_id, len(members))
    return len(members)


async def start_due(database: Database, clock: Clock) -> int:
    """Start every scheduled issue whose moment has come, each in its own unit of work; return
    how many started."""
    started = 0
    for issue_id in await database.run(due_issues, clock.now()):
        if await database.run(start_issue, clock, issue_id) is not None:
            started += 1
    return started


async def cancel_issue(
    session: AsyncSession, clock: Clock, coordinator_id: int, issue_id: int
) -> StoredIssue:
    """Cancel an issue that has not started (:func:`planning.newsletters.lifecycle.cancel`); its
    composer hears of it when it was someone else."""
    stored = await cancel(session, clock, coordinator_id, issue_id)
    await record(
        session,
        AuditAction.NEWSLETTER_CANCELLED,
        coordinator_id,
        Subject.newsletter(issue_id),
        at=clock.now(),
        detail=stored.issue.title,
    )
    if stored.sent_by != coordinator_id:
        canceller = await find_member(session, coordinator_id)
        now = clock.now()
        text = catalogue.html(
            "newsletter.cancelled_notice",
            coordinator=canceller.name if canceller is not None else "",
            title=stored.issue.title,
        )
        notice = NewMessage(
            key=f"{CANCELLED_KIND}:{issue_id}|{stored.sent_by}",
            kind=CANCELLED_KIND,
            recipient=stored.sent_by,
            text=text,
            due_at=now,
            priority=Priority.REMINDER,
        )
        await enqueue(session, now, [notice])
    return stored
