"""What changed between two versions of a published agenda.

Every publication stores what it held (``AgendaPublicationRow.items``): per accepted item its
id, title, kind and number as published. The next version compares its own items with that
snapshot: items added (with their new number), items gone (with the number they had), items
whose kind changed, and whether the items both versions hold stand in another order. Numbers
shifting because an item came or went is not a change of order. Pure functions, no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from planning.agenda_items.tables import AgendaItemKind
from planning.agenda_items.views import AgendaItemView


@dataclass(frozen=True)
class AgendaEntry:
    """One accepted item as a version of the agenda held it."""

    id: int
    title: str
    kind: AgendaItemKind
    number: int


class ChangeKind(enum.StrEnum):
    """What happened to a point between two versions."""

    ADDED = "added"  # punt N toegevoegd
    REMOVED = "removed"  # punt N vervallen
    KIND = "kind"  # punt N nu ter besluitvorming
    REORDERED = "reordered"  # volgorde gewijzigd


@dataclass(frozen=True)
class AgendaChange:
    """One line of a new version's list of changes; ``number`` and ``title`` are the point's
    (the new number, or the old one of a removed point), empty for a change of order."""

    what: ChangeKind
    number: int = 0
    title: str = ""
    kind: AgendaItemKind | None = None  # the new kind, for KIND


def snapshot(points: Iterable[tuple[int, str | AgendaItemView]]) -> tuple[AgendaEntry, ...]:
    """The accepted items of a numbered agenda (``AgendaDraft.numbered()``), fixed items left
    out: they are the same in every version."""
    return tuple(
        AgendaEntry(point.id, point.title, point.kind, number)
        for number, point in points
        if not isinstance(point, str)
    )


def to_json(entries: Iterable[AgendaEntry]) -> list[dict[str, object]]:
    """``entries`` as stored in ``AgendaPublicationRow.items``."""
    return [
        {"id": e.id, "title": e.title, "kind": str(e.kind), "number": e.number} for e in entries
    ]


def from_json(rows: Sequence[dict[str, object]]) -> tuple[AgendaEntry, ...]:
    """A stored snapshot back as entries; an unknown kind counts as ter bespreking."""
    kinds = {str(kind): kind for kind in AgendaItemKind}
    return tuple(
        AgendaEntry(
            id=int(str(row["id"])),
            title=str(row.get("title", "")),
            kind=kinds.get(str(row.get("kind")), AgendaItemKind.DISCUSSION),
            number=int(str(row.get("number", 0))),
        )
        for row in rows
    )


def changes(previous: Sequence[AgendaEntry], current: Sequence[AgendaEntry]) -> list[AgendaChange]:
    """The changes from ``previous`` to ``current``: added points by number, then removed ones
    by their old number, then changed kinds, then "volgorde gewijzigd" when the points both
    hold stand in another order. Empty when nothing changed."""
    before = {entry.id: entry for entry in previous}
    after = {entry.id: entry for entry in current}
    found = [
        AgendaChange(ChangeKind.ADDED, entry.number, entry.title)
        for entry in current
        if entry.id not in before
    ]
    found += [
        AgendaChange(ChangeKind.REMOVED, entry.number, entry.title)
        for entry in previous
        if entry.id not in after
    ]
    found += [
        AgendaChange(ChangeKind.KIND, entry.number, entry.title, entry.kind)
        for entry in current
        if entry.id in before and before[entry.id].kind != entry.kind
    ]
    common_before = [entry.id for entry in previous if entry.id in after]
    common_after = [entry.id for entry in current if entry.id in before]
    if common_before != common_after:
        found.append(AgendaChange(ChangeKind.REORDERED))
    return found
