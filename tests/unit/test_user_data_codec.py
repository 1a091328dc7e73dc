"""The drafts in :class:`UserData` survive JSON through pydantic, as the persistence stores them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.drafts import (
    USER_DATA,
    AgendaItemDraft,
    AttachDraft,
    InviteDraft,
    MeetingChangeDraft,
    MilestoneDraft,
    PublishDraft,
    UserData,
)
from bot.persistence import JsonCodec
from planning.agenda_items.changes import AgendaEntry
from planning.agenda_items.documents import NewDocument
from planning.agenda_items.publication import AgendaDraft
from planning.agenda_items.rules import OpenMeeting
from planning.agenda_items.tables import AgendaItemKind, AgendaItemStatus
from planning.agenda_items.views import AgendaItemView
from planning.calendar.expand import CalendarEntry
from planning.calendar.model import FixedItems, Overleg, When, YearMonth
from planning.meeting_changes.rules import FixDay, Move
from planning.membership.tables import Role
from planning.milestones.services import MilestoneView

CODEC = JsonCodec.of(USER_DATA)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
AO = CalendarEntry(
    kind="meeting",
    key="ao@2011-01-18",
    title="Ambtelijk overleg",
    when=When(day=date(2011, 1, 18), start=time(10), end=time(12)),
    overleg="ao",
    participants=("contactpersonen", "petit-comite"),
)
OPEN_AO = OpenMeeting(
    AO, closes_at=datetime(2011, 1, 11, 23, tzinfo=UTC), closer=None, zone=AMSTERDAM
)


def _round_trip(user_data: UserData) -> UserData:
    encoded = CODEC.encode(user_data)
    return CODEC.decode(encoded.decode() if isinstance(encoded, bytes) else encoded)


def test_every_draft_comes_back_as_it_was() -> None:
    item = AgendaItemView(
        id=7,
        meeting_key=AO.key,
        overleg_code="ao",
        title="Wegwerkzaamheden",
        explanation=None,
        status=AgendaItemStatus.ACCEPTED,
        submitted_by=1001,
        submitter_name="Anne",
        submitter_organisation="Gemeente Gouda",
        submitted_at=datetime(2011, 1, 5, 9, tzinfo=UTC),
        position=1,
    )
    drafts = UserData(
        invite=InviteDraft(Role.COORDINATOR, "gouda", ["petit-comite"]),
        meeting_change=MeetingChangeDraft(
            meetings=[AO],
            entry=AO,
            action="fix",
            overleggen=[Overleg("ao", "AO", "", "gouda", ("contactpersonen",))],
            request=FixDay(AO.key, date(2011, 1, 20), time(14)),
        ),
        milestone=MilestoneDraft(
            [
                MilestoneView(
                    "m1", "Jaarplan", "Gouda", "Concept", When(month=YearMonth(2011, 10)), False
                )
            ],
            new_when=When(day=date(2011, 11, 1)),
        ),
        agenda_item=AgendaItemDraft(
            [OPEN_AO], meeting=OPEN_AO, title="Wegwerkzaamheden", resume_at=2
        ),
        publish=PublishDraft(
            [
                AgendaDraft(
                    AO,
                    (item,),
                    published_versions=1,
                    fixed=FixedItems.from_list(("Opening", "Rondvraag")),
                    previous=(AgendaEntry(7, "Wegwerkzaamheden", AgendaItemKind.DECISION, 2),),
                )
            ]
        ),
    )

    back = _round_trip(drafts)

    assert back == drafts
    assert back.invite is not None and back.invite.role is Role.COORDINATOR
    assert (
        back.meeting_change is not None and type(back.meeting_change.request) is FixDay
    )  # not Move or Add
    assert back.agenda_item is not None and back.agenda_item.meetings[0].zone is AMSTERDAM
    assert (
        back.publish is not None
        and back.publish.drafts[0].items[0].status is AgendaItemStatus.ACCEPTED
    )
    assert back.publish.drafts[0].meeting.participants == ("contactpersonen", "petit-comite")


def test_a_move_is_not_read_back_as_a_cancel() -> None:
    move = Move(AO.key, When(day=date(2011, 1, 25), start=time(10)))
    back = _round_trip(UserData(meeting_change=MeetingChangeDraft([AO], request=move)))
    assert back.meeting_change is not None and back.meeting_change.request == move


def test_an_aware_datetime_keeps_its_moment_but_not_its_zone() -> None:
    """JSON has an offset, not a zone name: a local time would drift by an hour across DST."""
    before_dst = datetime(2011, 3, 26, 10, tzinfo=AMSTERDAM)
    meeting = OpenMeeting(AO, closes_at=before_dst, closer=None, zone=AMSTERDAM)

    back = _round_trip(UserData(agenda_item=AgendaItemDraft([meeting])))

    assert back.agenda_item is not None
    closes_at = back.agenda_item.meetings[0].closes_at
    assert closes_at == before_dst  # the same moment
    assert closes_at.utcoffset() == timedelta(hours=1) and closes_at.tzinfo != AMSTERDAM
    a_day_later = timedelta(days=1)  # Sunday 27 March: summer time
    assert (before_dst + a_day_later).hour == 10
    assert (closes_at + a_day_later).astimezone(AMSTERDAM).hour == 11


def test_a_value_of_the_wrong_type_is_refused_when_saved() -> None:
    with pytest.raises(ValueError, match="Expected `str`"):
        CODEC.encode(UserData(agenda_item=AgendaItemDraft([], title=42)))  # type: ignore[arg-type]


def test_a_draft_keeps_its_documents_and_one_from_before_documents_still_loads() -> None:
    notulen = NewDocument(
        "BQACAgQAAxkBAAI000001", "AgAD000001", "notulen.pdf", "application/pdf", 1
    )
    drafts = UserData(
        agenda_item=AgendaItemDraft([OPEN_AO], meeting=OPEN_AO, title="Oud", documents=[notulen]),
        agenda_item_document=AttachDraft(7, "Wegwerkzaamheden"),
    )
    assert _round_trip(drafts) == drafts

    encoded = CODEC.encode(UserData(agenda_item=AgendaItemDraft([OPEN_AO], title="Oud", step=3)))
    before = json.loads(encoded)
    del before["agenda_item"]["documents"], before["agenda_item_document"]

    back = CODEC.decode(json.dumps(before))

    assert back.agenda_item is not None
    assert (back.agenda_item.title, back.agenda_item.step, back.agenda_item.documents) == (
        "Oud",
        3,
        [],
    )
