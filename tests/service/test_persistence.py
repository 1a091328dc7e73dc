"""Drafts and conversation states in the database: what one bot process stored, the next one
finds; what it cannot read, it drops with a warning instead of failing to start.

Each "restart" is a new :class:`DatabasePersistence` on the same database, called the way PTB
calls it: loads at start-up, then the changes of a run handed over at once.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from pydantic import TypeAdapter
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.persistence import DatabasePersistence, JsonCodec
from bot.persistence_tables import UserDataRow
from planning.clock import FixedClock
from planning.db import Database

ANNE, BERT = 1001, 1002
AGENDAPUNT = "agendapunt"
TITLE, EXPLANATION = 1, 2


@dataclass(frozen=True)
class Meeting:
    key: str
    day: date
    participants: tuple[str, ...] = ()


@dataclass
class Draft:
    meetings: list[Meeting]
    meeting: Meeting | None = None
    title: str = ""


@dataclass
class Notes:
    """Stands in for the bot's UserData: one optional draft per conversation."""

    agenda_item: Draft | None = None
    groups: list[str] = field(default_factory=list)


@dataclass
class OldNotes:
    """Notes as an older release wrote them: a draft that no longer reads."""

    agenda_item: str | None = None


AO = Meeting("ao@2011-01-18", date(2011, 1, 18), ("petit-comite", "contactpersonen"))


def _persistence(database: Database, clock: FixedClock) -> DatabasePersistence[Notes]:
    return DatabasePersistence(database, TypeAdapter(Notes), clock=clock)


async def _start(persistence: DatabasePersistence[Notes]) -> dict[int, Notes]:
    """What PTB's ``Application.initialize`` asks for."""
    return await persistence.get_user_data()


async def test_a_half_finished_draft_and_its_step_survive_a_restart(
    database: Database, clock: FixedClock
) -> None:
    before = _persistence(database, clock)
    assert await _start(before) == {}
    assert await before.get_conversations(AGENDAPUNT) == {}
    anne = Notes(Draft([AO], meeting=AO, title="Wegwerkzaamheden"))
    bert = Notes(Draft([AO]), groups=["contactpersonen"])
    # One run of PTB's update_persistence: every change at once.
    await asyncio.gather(
        before.update_user_data(ANNE, Notes(Draft([AO]))),
        before.update_user_data(BERT, bert),
        before.update_conversation(AGENDAPUNT, (ANNE, ANNE), TITLE),
        before.update_conversation(AGENDAPUNT, (BERT, BERT), TITLE),
    )
    await asyncio.gather(  # the next run: Anne typed her title
        before.update_user_data(ANNE, anne),
        before.update_conversation(AGENDAPUNT, (ANNE, ANNE), EXPLANATION),
    )
    await before.flush()

    after = _persistence(database, clock)
    assert await _start(after) == {ANNE: anne, BERT: bert}
    assert await after.get_conversations(AGENDAPUNT) == {
        (ANNE, ANNE): EXPLANATION,
        (BERT, BERT): TITLE,
    }
    assert await after.get_conversations("mijlpaal") == {}


async def test_an_ended_conversation_does_not_come_back(
    database: Database, clock: FixedClock
) -> None:
    before = _persistence(database, clock)
    await _start(before)
    await before.get_conversations(AGENDAPUNT)
    await before.update_conversation(AGENDAPUNT, (ANNE, ANNE), TITLE)
    await before.update_conversation(AGENDAPUNT, (BERT, BERT), TITLE)
    await before.update_conversation(AGENDAPUNT, (ANNE, ANNE), None)  # submitted or cancelled

    after = _persistence(database, clock)
    await _start(after)
    assert await after.get_conversations(AGENDAPUNT) == {(BERT, BERT): TITLE}


async def test_dropped_user_data_is_gone_after_a_restart(
    database: Database, clock: FixedClock
) -> None:
    before = _persistence(database, clock)
    await _start(before)
    await before.update_user_data(ANNE, Notes(Draft([AO])))
    await before.update_user_data(BERT, Notes(groups=["petit-comite"]))
    await before.drop_user_data(ANNE)  # e.g. Anne left: her draft is not kept

    assert await _start(_persistence(database, clock)) == {BERT: Notes(groups=["petit-comite"])}


async def test_a_draft_an_upgrade_cannot_read_is_dropped_with_one_warning(
    database: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    old_release = DatabasePersistence(database, TypeAdapter(OldNotes), clock=clock)
    await old_release.get_user_data()
    await old_release.get_conversations(AGENDAPUNT)
    await asyncio.gather(
        old_release.update_user_data(ANNE, OldNotes("Wegwerkzaamheden")),
        old_release.update_user_data(BERT, OldNotes(None)),  # reads the same in both
        old_release.update_conversation(AGENDAPUNT, (ANNE, ANNE), EXPLANATION),
        old_release.update_conversation(AGENDAPUNT, (BERT, BERT), TITLE),
    )

    caplog.set_level(logging.WARNING, logger="bot.persistence")
    new_release = _persistence(database, clock)
    assert await _start(new_release) == {BERT: Notes()}
    # Anne starts afresh: no conversation is left waiting for the rest of her old draft.
    assert await new_release.get_conversations(AGENDAPUNT) == {(BERT, BERT): TITLE}
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING
    assert f"user {ANNE} cannot be decoded" in warning.getMessage()
    assert "1 conversation state" in warning.getMessage()

    caplog.clear()
    assert await _start(_persistence(database, clock)) == {BERT: Notes()}
    assert caplog.records == []  # dropped once, not warned about at every start


async def test_a_draft_that_cannot_be_stored_gives_a_fresh_start_not_an_older_draft(
    database: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    before = _persistence(database, clock)
    await _start(before)
    await before.update_user_data(ANNE, Notes(Draft([AO], title="Eerste versie")))
    caplog.set_level(logging.WARNING, logger="bot.persistence")
    broken = Notes(Draft([AO], title=42))  # type: ignore[arg-type]
    await before.update_user_data(ANNE, broken)  # no exception: a warning
    assert [record.levelno for record in caplog.records] == [logging.WARNING]

    assert await _start(_persistence(database, clock)) == {}


async def test_a_draft_saved_while_the_database_was_away_is_stored_once_it_is_back(
    database: Database, clock: FixedClock
) -> None:
    before = _persistence(database, clock)
    await _start(before)
    await _rename(database, "user_data", "user_data_away")
    with pytest.raises(DBAPIError):  # PTB hands this to the error handlers
        await before.update_user_data(ANNE, Notes(Draft([AO])))
    await _rename(database, "user_data_away", "user_data")
    await before.update_user_data(BERT, Notes(groups=["petit-comite"]))  # the next run

    assert await _start(_persistence(database, clock)) == {
        ANNE: Notes(Draft([AO])),
        BERT: Notes(groups=["petit-comite"]),
    }


async def _rename(database: Database, table: str, new_name: str) -> None:
    async with database.engine.begin() as connection:
        await connection.execute(text(f"ALTER TABLE {table} RENAME TO {new_name}"))


async def test_nothing_is_kept_for_someone_with_no_draft_open(
    database: Database, clock: FixedClock
) -> None:
    before = DatabasePersistence(database, TypeAdapter(Notes), blank=Notes(), clock=clock)
    await _start(before)
    await before.update_user_data(ANNE, Notes(Draft([AO])))
    await before.update_user_data(BERT, Notes())  # asked for /agenda: nothing to keep
    await before.update_user_data(ANNE, Notes())  # submitted: her draft is gone

    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(UserDataRow)) == 0


async def test_unchanged_data_is_not_written_again(database: Database, clock: FixedClock) -> None:
    before = _persistence(database, clock)
    await _start(before)
    await before.update_user_data(ANNE, Notes(Draft([AO])))
    written_at = clock.now()
    clock.advance(timedelta(hours=1))
    await before.update_user_data(ANNE, Notes(Draft([AO])))  # every update marks the user
    async with database.transaction() as session:
        stored = await session.scalar(select(UserDataRow.updated_at))
    assert stored == written_at


def test_an_adapter_whose_classes_pydantic_cannot_find_is_refused_at_once() -> None:
    @dataclass
    class Hidden:
        draft: Unknown | None = None  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(TypeError, match="not fully defined"):
        JsonCodec.of(TypeAdapter(Hidden))
