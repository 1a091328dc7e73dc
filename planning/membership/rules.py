"""Who a meeting or product concerns: the pure rule every audience is computed with."""

from __future__ import annotations

from collections.abc import Iterable

from planning.membership.tables import MemberRow

EVERYONE = "alle"  # the plan's group of all participants: every active member belongs to it


def in_audience(member: MemberRow, group_codes: Iterable[str]) -> bool:
    """Whether a meeting or product for ``group_codes`` concerns ``member``.

    The group ``alle`` includes every active member without a coordinator having to add it to
    each invite; other groups are as the invite said.
    """
    wanted = set(group_codes)
    return EVERYONE in wanted or any(group.code in wanted for group in member.groups)
