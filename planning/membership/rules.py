"""Who a meeting or product concerns: the pure rule every audience is computed with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

EVERYONE = "alle"  # the plan's group of all participants: every active member belongs to it


class InGroups(Protocol):
    """A member as the audience rule sees them: the codes of their groups."""

    @property
    def group_codes(self) -> frozenset[str]: ...


def in_audience(member: InGroups, group_codes: Iterable[str]) -> bool:
    """Whether a meeting or product for ``group_codes`` concerns ``member``.

    The group ``alle`` includes every active member without a coordinator having to add it to
    each invite; other groups are as the invite said.
    """
    wanted = set(group_codes)
    return EVERYONE in wanted or not member.group_codes.isdisjoint(wanted)
