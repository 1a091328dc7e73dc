"""The people and look-ups of the tests of overdue milestones' messages
(``tests/service/milestone_messages``), on the example plan.

Times: 09:00 in Amsterdam is 08:00 UTC in winter and 07:00 UTC from 27 March 2011.
"""

from __future__ import annotations

from datetime import UTC, datetime

from berichten.outbox.tables import OutboxMessageRow
from planning.db import Database
from tests.support.outbox import outbox_rows
from tests.support.plans import stored_plan

COORDINATOR = 601  # of the coordination team, which owns the Jaarplan
BZK = 602  # owns the Monitor
GOUDA = 603  # owns nothing
BZK_2 = 604  # a second member of BZK, not on holiday
SECOND = 605  # a second coordinator, in some tests
# The Monitor's start was due by Tuesday 31 May: asked Wednesday 1 June, on the coordinators'
# list Tuesday 7 June (five working days). 09:00 in Amsterdam is 07:00 UTC in summer.
WEDNESDAY_1_JUNE = datetime(2011, 6, 1, 7, 0, tzinfo=UTC)
TUESDAY_7_JUNE = datetime(2011, 6, 7, 7, 0, tzinfo=UTC)


async def milestone_uid(database: Database, product: str, title: str) -> str:
    """The uid of the product's milestone called ``title`` in the stored plan."""
    plan = await stored_plan(database)
    [uid] = [
        m.uid
        for p in plan.products
        if p.name == product
        for m in p.milestones
        if m.description == title
    ]
    return uid


async def questions_to(database: Database, uid: str, recipient: int) -> list[OutboxMessageRow]:
    """The questions about the milestone queued for ``recipient``."""
    return [
        row
        for row in await outbox_rows(database, "overdue")
        if row.recipient == recipient and row.key.startswith(f"overdue|{uid}|")
    ]
