"""An agenda item's draft as stored between steps: the kind goes along, and a draft stored
before kinds were asked still loads (without one; "Indienen" then asks it)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.drafts import USER_DATA, AgendaItemDraft, UserData
from planning.agenda_items.rules import OpenMeeting
from planning.agenda_items.tables import AgendaItemKind
from planning.calendar.expand import entries
from tests.support.plans import AMSTERDAM, jaarplan_2011


def _draft(kind: AgendaItemKind | None) -> UserData:
    [ao] = [
        entry
        for entry in entries(jaarplan_2011(), date(2011, 3, 22), date(2011, 3, 22))
        if entry.overleg == "ao"
    ]
    meeting = OpenMeeting(ao, datetime(2011, 3, 7, 23, tzinfo=UTC), None, AMSTERDAM)
    return UserData(agenda_item=AgendaItemDraft([meeting], meeting, "Cijfers 2010", None, kind))


def test_the_kind_is_stored_with_the_draft() -> None:
    stored = USER_DATA.dump_json(_draft(AgendaItemKind.DECISION))

    loaded = USER_DATA.validate_json(stored)

    assert loaded.agenda_item is not None
    assert loaded.agenda_item.kind is AgendaItemKind.DECISION


def test_a_draft_stored_before_kinds_were_asked_loads_without_one() -> None:
    data = json.loads(USER_DATA.dump_json(_draft(None)))
    del data["agenda_item"]["kind"]  # as a draft from before the change was written

    loaded = USER_DATA.validate_json(json.dumps(data))

    assert loaded.agenda_item is not None
    assert (loaded.agenda_item.title, loaded.agenda_item.kind) == ("Cijfers 2010", None)
