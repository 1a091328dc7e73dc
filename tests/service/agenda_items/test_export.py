"""``overlegbot agenda export``: the secretary's agenda of a meeting, as Markdown or as a Word file,
for any meeting with accepted items whatever today is; without a good key, the meetings to
choose from, in Dutch, exit 2.

The AO of 22 March 2011 (the example plan with its fixed items Opening, Verslag vorige
vergadering and Rondvraag) gets three accepted items: one ter besluitvorming with a document
and a title that Markdown would read as formatting, one held over, one ter informatie.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from bot.migrate import upgrade
from planning.agenda_items.after import finish, toggle_dealt_with
from planning.agenda_items.publication import record_publication
from planning.agenda_items.rules import next_meeting
from planning.agenda_items.services import open_meetings, review, submit
from planning.agenda_items.tables import AgendaItemDocumentRow, AgendaItemKind, AgendaItemRow
from planning.clock import FixedClock
from planning.db import Database
from planning.membership.tables import Role
from planning.plan.store import import_plan, load_plan
from tests.support.network import join
from tests.support.plans import agenda_cycle_plan_text, plan_of

FATIMA, KOEN, YOUSSEF, ANNE = 501, 502, 503, 601
MOMENT = datetime(2011, 1, 12, 9, 0, tzinfo=UTC)
TRICKY = "*Jaarplan* 2011 # [concept] <b>"
EXPECTED_MARKDOWN = """\
# Agenda: Ambtelijk overleg

Datum: dinsdag 22 maart 2011

## Agendapunten

1. Opening
2. Verslag vorige vergadering
3. **\\*Jaarplan\\* 2011 \\# \\[concept\\] \\<b\\>**\\
   ter besluitvorming · ingediend door Fatima El Amrani (Gemeente Gouda)\\
   Graag vaststellen.\\
   1\\. Begroting
4. **Monitor**\\
   ter bespreking (aangehouden) · ingediend door Koen de Boer (Gemeente Utrecht)
5. **\\- Rapportage**\\
   ter informatie · ingediend door Youssef Amrani (Gemeente Den Haag)
6. Rondvraag

## Stukken

- Punt 3: jaarplan\\_2011.pdf
"""


@pytest.fixture
def ao_keys(clean_environment: Path) -> tuple[str, str]:
    """A migrated database in the working folder, the March AO with its three items; its key
    and that of the June AO. Not async: the CLI runs its own event loop."""
    return asyncio.run(_agenda(Database(f"sqlite:///{clean_environment / 'overlegbot.db'}")))


@pytest.fixture
def ao_key(ao_keys: tuple[str, str]) -> str:
    return ao_keys[0]


async def _agenda(database: Database) -> tuple[str, str]:
    clock = FixedClock(MOMENT)
    try:
        await upgrade(database)
        await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
        await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima El Amrani")
        await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen de Boer")
        await join(database, clock, YOUSSEF, "den-haag", "contactpersonen", name="Youssef Amrani")
        await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
        [meeting] = await database.run(open_meetings, clock, FATIMA)
        key = meeting.entry.key
        items = [
            (FATIMA, TRICKY, "Graag vaststellen.\n\n1. Begroting", AgendaItemKind.DECISION),
            (KOEN, "Monitor", None, AgendaItemKind.DISCUSSION),
            (YOUSSEF, "- Rapportage", None, AgendaItemKind.INFORMATION),
        ]
        for member, title, explanation, kind in items:
            item = await database.run(submit, clock, member, key, title, explanation)
            await database.run(review, clock, ANNE, item.id, accept=True)
            await database.run(_describe, item.id, kind, title == "Monitor")
        plan = await database.run(load_plan)
        assert plan is not None
        june = next_meeting(plan, meeting.entry, clock.now())
        assert june is not None
    finally:
        await database.dispose()
    return key, june.key


async def _describe(
    session: AsyncSession, item_id: int, kind: AgendaItemKind, held_over: bool
) -> None:
    """What the submission conversation, the documents and the rollover store (other parts of
    issue 15), straight into the item's row."""
    row = await session.get(AgendaItemRow, item_id)
    assert row is not None
    row.kind, row.held_over = kind, held_over
    if kind is AgendaItemKind.DECISION:
        session.add(
            AgendaItemDocumentRow(
                item_id=item_id,
                file_id="BQAC-jaarplan",
                file_unique_id="u-jaarplan",
                file_name="jaarplan_2011.pdf",
                mime_type="application/pdf",
                file_size=1000,
                added_by=row.submitted_by,
                added_at=MOMENT,
            )
        )


def test_markdown_goes_to_stdout_with_kinds_submitters_and_documents(
    ao_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda", "export", "--meeting", ao_key]) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert out == EXPECTED_MARKDOWN


def test_markdown_to_a_file(
    ao_key: str, clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["agenda", "export", "--meeting", ao_key, "--format", "md", "--output", "ao.md"]
    assert main(argv) == 0

    assert capsys.readouterr().out == "De agenda staat in ao.md.\n"
    assert (clean_environment / "ao.md").read_text(encoding="utf-8") == EXPECTED_MARKDOWN


def test_word_file_holds_the_points_in_order(
    ao_key: str, clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda", "export", "--meeting", ao_key, "--format", "docx"]) == 0

    written = "agenda-ambtelijk-overleg-2011-03-22.docx"
    assert capsys.readouterr().out == f"De agenda staat in {written}.\n"
    document = Document(str(clean_environment / written))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[:2] == ["Agenda: Ambtelijk overleg", "Datum: dinsdag 22 maart 2011"]
    assert texts[-1] == "Punt 3: jaarplan_2011.pdf"
    [table] = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows == [
        ["Nr.", "Punt", "Soort", "Ingediend door"],
        ["1.", "Opening", "", ""],
        ["2.", "Verslag vorige vergadering", "", ""],
        [
            "3.",
            f"{TRICKY}\nGraag vaststellen.\n1. Begroting",
            "ter besluitvorming",
            "Fatima El Amrani (Gemeente Gouda)",
        ],
        ["4.", "Monitor", "ter bespreking (aangehouden)", "Koen de Boer (Gemeente Utrecht)"],
        ["5.", "- Rapportage", "ter informatie", "Youssef Amrani (Gemeente Den Haag)"],
        ["6.", "Rondvraag", "", ""],
    ]


def test_word_file_to_a_named_file_or_stdout(
    ao_key: str, clean_environment: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    argv = ["agenda", "export", "--meeting", ao_key, "--format", "docx"]
    assert main([*argv, "--output", "ao.docx"]) == 0
    assert capsysbinary.readouterr().out == b"De agenda staat in ao.docx.\n"
    assert main([*argv, "--output", "-"]) == 0

    for content in (capsysbinary.readouterr().out, (clean_environment / "ao.docx").read_bytes()):
        document = Document(BytesIO(content))
        assert document.tables[0].rows[3].cells[1].text.startswith(TRICKY)


def test_the_output_name_chooses_the_format_and_a_contradiction_is_refused(
    ao_key: str, clean_environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A secretary who writes --output agenda.docx gets a Word file, not Markdown under a
    Word name; asking md for a .docx is one Dutch line and writes nothing."""
    assert main(["agenda", "export", "--meeting", ao_key, "--output", "agenda.docx"]) == 0
    assert capsys.readouterr().out == "De agenda staat in agenda.docx.\n"
    assert Document(str(clean_environment / "agenda.docx")).tables[0].rows[1].cells[1].text == (
        "Opening"
    )

    argv = ["agenda", "export", "--meeting", ao_key, "--format", "md", "--output", "ander.docx"]
    assert main(argv) == 2
    assert capsys.readouterr().err == (
        "overlegbot: ander.docx is geen naam voor een bestand in het formaat md; kies een naam "
        "die daarbij past, of laat --format weg\n"
    )
    assert not (clean_environment / "ander.docx").exists()


def test_without_a_meeting_the_meetings_with_items_are_listed(
    ao_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda", "export"]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "overlegbot: geef met --meeting de vergadering: haar sleutel, of code en dag zoals "
        "ao@2011-03-22.",
        "Vergaderingen met punten op de agenda (sleutel, korte naam, vergadering, aantal punten):",
        f"  {ao_key}  ao@2011-03-22  Ambtelijk overleg van dinsdag 22 maart 2011 (3 punten)",
    ]


def test_an_unknown_key_lists_the_meetings(ao_key: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agenda", "export", "--meeting", "ao-99", "--format", "docx"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("overlegbot: er is geen vergadering met sleutel of naam ao-99.\n")
    assert f"  {ao_key}  ao@2011-03-22  Ambtelijk overleg van dinsdag 22 maart 2011" in err
    assert "Traceback" not in err
    assert not list(Path().glob("*.docx"))


def test_a_meeting_without_accepted_items_says_so(
    ao_keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    ao_key, june = ao_keys

    assert main(["agenda", "export", "--meeting", june]) == 2

    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "overlegbot: er staan geen punten op de agenda van Ambtelijk overleg van dinsdag "
        f"21 juni 2011 ({june}), dus er valt niets te exporteren."
    )
    assert f"  {ao_key}  " in err


def test_the_meeting_by_its_code_and_day(ao_key: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agenda", "export", "--meeting", "AO@2011-03-22"]) == 0
    assert capsys.readouterr().out == EXPECTED_MARKDOWN

    assert main(["agenda", "export", "--meeting", "ao@2011-03-23"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("overlegbot: er is geen vergadering met sleutel of naam ao@2011-03-23.")
    assert f"  {ao_key}  ao@2011-03-22  " in err


def test_the_word_file_is_in_dutch(ao_key: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["agenda", "export", "--meeting", ao_key, "--format", "docx", "--output", "-"]) == 0

    document = Document(BytesIO(capsysbinary.readouterr().out))
    languages = {element.get(qn("w:val")) for element in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"nl-NL"}


AFTER = datetime(2011, 3, 23, 10, 0, tzinfo=UTC)
EXPECTED_AFTER = """\
1. Opening
2. Verslag vorige vergadering
3. **Jaarplan 2011**\\
   ter besluitvorming (afgehandeld) · ingediend door Fatima El Amrani (Gemeente Gouda)
4. **Monitor**\\
   ter bespreking (aangehouden) · ingediend door Koen de Boer (Gemeente Utrecht)
5. Rondvraag
"""


@pytest.fixture
def after_keys(clean_environment: Path) -> tuple[str, str]:
    """The March AO published with two items, then, the day after, one marked dealt with and
    the other held over to June by "Klaar" (/afgehandeld's services)."""
    database = Database(f"sqlite:///{clean_environment / 'overlegbot.db'}")
    return asyncio.run(_after_the_meeting(database))


async def _after_the_meeting(database: Database) -> tuple[str, str]:
    clock = FixedClock(MOMENT)
    try:
        await upgrade(database)
        await database.run(import_plan, clock, plan_of(agenda_cycle_plan_text()))
        await join(database, clock, FATIMA, "gouda", "contactpersonen", name="Fatima El Amrani")
        await join(database, clock, KOEN, "utrecht", "contactpersonen", name="Koen de Boer")
        await join(database, clock, ANNE, "coordinatie", role=Role.COORDINATOR, name="Anne")
        [meeting] = await database.run(open_meetings, clock, FATIMA)
        key = meeting.entry.key
        ids = []
        for member, title, kind in [
            (FATIMA, "Jaarplan 2011", AgendaItemKind.DECISION),
            (KOEN, "Monitor", AgendaItemKind.DISCUSSION),
        ]:
            item = await database.run(submit, clock, member, key, title, None)
            await database.run(review, clock, ANNE, item.id, accept=True)
            await database.run(_describe, item.id, kind, False)
            ids.append(item.id)
        await database.run(record_publication, clock, ANNE, key)
        later = FixedClock(AFTER)
        await database.run(toggle_dealt_with, later, ANNE, ids[0])
        rollover = await database.run(finish, later, ANNE, ids[0])
        assert rollover.next is not None
        assert [item.id for item in rollover.items] == [ids[1]]
    finally:
        await database.dispose()
    return key, rollover.next.key


def test_after_the_meeting_the_published_agenda_with_what_became_of_each_item(
    after_keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    march, june = after_keys

    assert main(["agenda", "export", "--meeting", march]) == 0

    out = capsys.readouterr().out
    assert out.split("## Agendapunten\n\n")[1].split("\n\n")[0] + "\n" == EXPECTED_AFTER
    assert main(["agenda", "export"]) == 2
    assert capsys.readouterr().err.splitlines()[2:] == [
        f"  {march}  ao@2011-03-22  Ambtelijk overleg van dinsdag 22 maart 2011 (2 punten)",
        f"  {june}  ao@2011-06-21  Ambtelijk overleg van dinsdag 21 juni 2011 (1 punt)",
    ]


def test_after_the_meeting_the_word_file_too(
    after_keys: tuple[str, str], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    march, _ = after_keys

    assert main(["agenda", "export", "--meeting", march, "--format", "docx", "--output", "-"]) == 0

    document = Document(BytesIO(capsysbinary.readouterr().out))
    rows = [[cell.text for cell in row.cells][1:3] for row in document.tables[0].rows]
    assert rows[3:5] == [
        ["Jaarplan 2011", "ter besluitvorming (afgehandeld)"],
        ["Monitor", "ter bespreking (aangehouden)"],
    ]


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs a folder where no file can be made")
def test_a_folder_that_takes_no_files_is_not_called_missing(
    ao_key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["agenda", "export", "--meeting", ao_key, "--output", "/proc/a.docx"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("overlegbot: ") and "/proc/a.docx" in err
    assert "bestaat niet" not in err
    assert len(err.splitlines()) == 1
