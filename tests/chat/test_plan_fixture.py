"""The example plan in a running bot's database, as chat tests of the calendar start from."""

from __future__ import annotations

from planning.plan.store import load_plan
from tests.support.chat import Chat


async def test_the_example_plan_is_imported_with_the_chat_networks_members_kept(
    planned_chat: Chat,
) -> None:
    plan = await planned_chat.database.run(load_plan)

    assert plan is not None
    assert [o.code for o in plan.overleggen] == ["bo", "ao", "pc", "kwg", "ts"]
    assert len([m for m in plan.meetings if m.overleg == "ao"]) == 5
