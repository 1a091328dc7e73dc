"""What a plan import changed, in Dutch, one line per change, for the coordinator at the CLI."""

from __future__ import annotations

from collections.abc import Iterable

from berichten.dates import describe_when
from planning import catalogue
from planning.calendar.model import When
from planning.calendar.reconcile import Change


def change_lines(changes: Iterable[Change]) -> list[str]:
    """One line per change; the single line "Geen wijzigingen." when there are none."""
    lines = [change_line(change) for change in changes]
    return lines or [catalogue.plain("plan.change.none")]


def change_line(change: Change) -> str:
    return catalogue.plain(
        f"plan.change.{change.kind.value}",
        subject=change.subject,
        context=change.context,
        old=_when(change.old),
        new=_when(change.new),
    )


def _when(when: When | None) -> str:
    return describe_when(when) if when is not None else ""
