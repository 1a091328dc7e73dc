"""What a corrected agenda says changed: points added and gone, another order, a new kind, or
nothing; short enough to head the agenda in one message."""

from __future__ import annotations

from berichten.texts.agenda_items import CHANGES_LIMIT, changes_lines, published_agenda
from berichten.texts.html import TEXT_LIMIT, telegram_length
from planning.agenda_items.changes import (
    AgendaChange,
    AgendaEntry,
    ChangeKind,
    changes,
    from_json,
    snapshot,
    to_json,
)
from planning.agenda_items.publication import AgendaDraft
from planning.agenda_items.tables import AgendaItemKind
from planning.calendar.model import FixedItems
from tests.support.agenda_item_views import AO, agenda_item

DISCUSSION, DECISION = AgendaItemKind.DISCUSSION, AgendaItemKind.DECISION


def entries(*ids: int, first: int = 3) -> list[AgendaEntry]:
    """Items ``ids`` ("Punt <id>") numbered from ``first`` (after two opening fixed items)."""
    return [AgendaEntry(i, f"Punt {i}", DISCUSSION, n) for n, i in enumerate(ids, start=first)]


def lines(previous: list[AgendaEntry], current: list[AgendaEntry]) -> list[str]:
    return changes_lines(changes(previous, current), 2)[1:]


def test_an_added_point_is_named_with_its_new_number() -> None:
    assert lines(entries(1, 2), entries(1, 2, 3)) == ["• punt 5 toegevoegd: Punt 3"]


def test_a_point_gone_is_named_with_the_number_it_had() -> None:
    assert lines(entries(1, 2, 3), entries(1, 3)) == ["• punt 4 vervallen: Punt 2"]


def test_numbers_shifting_is_no_change_of_order_but_a_swap_is() -> None:
    assert lines(entries(1, 2, 3), entries(4, 1, 2, 3)) == ["• punt 3 toegevoegd: Punt 4"]
    assert lines(entries(1, 2, 3), entries(2, 1, 3)) == ["• volgorde gewijzigd"]


def test_several_changes_read_added_removed_kind_order() -> None:
    previous = entries(1, 2, 3, 4)
    current = [*entries(4, 3), AgendaEntry(1, "Punt 1", DECISION, 5), *entries(9, first=6)]

    assert lines(previous, current) == [
        "• punt 6 toegevoegd: Punt 9",
        "• punt 4 vervallen: Punt 2",
        "• punt 5 nu ter besluitvorming: Punt 1",
        "• volgorde gewijzigd",
    ]


def test_nothing_changed_says_so() -> None:
    assert changes(entries(1, 2), entries(1, 2)) == []
    assert changes_lines([], 3) == [
        "<b>Nieuwe versie van de agenda (versie 3)</b>. Er is niets gewijzigd ten opzichte van "
        "de vorige versie."
    ]


def test_a_long_list_of_changes_is_shortened() -> None:
    many = [AgendaChange(ChangeKind.ADDED, n, "x" * 200) for n in range(1, 41)]

    shortened = changes_lines(many, 2)

    assert telegram_length("\n".join(shortened)) < CHANGES_LIMIT
    shown = len([line for line in shortened if " toegevoegd: " in line])
    assert 1 < shown < 40
    assert shortened[-1] == f"… en nog {40 - shown} wijzigingen"


def test_a_snapshot_keeps_the_items_with_their_numbers_and_survives_storage() -> None:
    items = (agenda_item(7), agenda_item(8, kind=DECISION))
    draft = AgendaDraft(AO, items, 0, fixed=FixedItems.from_list(("Opening", "Rondvraag")))

    taken = snapshot(draft.numbered())

    assert taken == (
        AgendaEntry(7, "Punt 7", DISCUSSION, 2),
        AgendaEntry(8, "Punt 8", DECISION, 3),
    )
    assert from_json(to_json(taken)) == taken


def test_a_new_version_is_headed_by_its_changes_and_fits() -> None:
    items = tuple(agenda_item(n, title=f"Punt {n} " + "x" * 190) for n in range(1, 30))
    previous = tuple(entries(*range(31, 60)))  # all different: 29 added, 29 removed
    draft = AgendaDraft(
        AO, items, 1, fixed=FixedItems.from_list(("Opening", "Rondvraag")), previous=previous
    )

    parts = published_agenda(draft)

    assert parts[0].startswith("<b>Nieuwe versie van de agenda (versie 2)</b>. Gewijzigd")
    assert "\n• punt 2 toegevoegd: Punt 1 x" in parts[0]
    assert "wijzigingen\n\n<b>Agenda: Ambtelijk overleg</b>" in parts[0]
    assert all(telegram_length(part) <= TEXT_LIMIT for part in parts)


def test_the_agenda_shows_fixed_items_kinds_and_items_held_over() -> None:
    items = (
        agenda_item(1, kind=DECISION),
        agenda_item(2, held_over=True, submitter_organisation=""),
    )
    draft = AgendaDraft(
        AO, items, 0, fixed=FixedItems.from_list(("Opening", "Verslag", "Rondvraag"))
    )

    [agenda] = published_agenda(draft)

    assert agenda.endswith(
        "\n\n1. Opening\n2. Verslag\n"
        "3. Punt 1 <i>(Gemeente Gouda)</i> – ter besluitvorming\n"
        "4. Punt 2 <i>(Fatima)</i> – ter bespreking, aangehouden\n"
        "5. Rondvraag"
    )
