"""Pages of a list a member leafs through with "Vorige" and "Volgende" (/agenda,
/nieuwsbrieven): which page, how many there are, and what is on it.

Page numbers count from 0 and are clamped to the pages there are, so a button from a list that
got shorter meanwhile shows the last page rather than nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page; ``number`` counts from 0, ``count`` is at least 1."""

    items: tuple[Item, ...]
    number: int
    count: int
    total: int  # items on all pages
    size: int

    @property
    def first_position(self) -> int:
        """The position (from 1) of the page's first item in the whole list."""
        return self.number * self.size + 1

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.count - 1


def page_bounds(total: int, number: int, size: int) -> tuple[int, int]:
    """(the page number clamped to the pages there are, how many pages there are)."""
    count = max(1, -(-total // size))
    return min(max(number, 0), count - 1), count


def paginate(items: Sequence[Item], number: int, size: int) -> Page[Item]:
    """The page ``number`` (clamped) of ``items``."""
    number, count = page_bounds(len(items), number, size)
    shown = tuple(items[number * size : (number + 1) * size])
    return Page(shown, number, count, len(items), size)
