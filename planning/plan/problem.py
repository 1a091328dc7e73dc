"""One thing wrong with a plan file, told the way compilers and linters do: ``FILE:LINE: ...``.

Editors and terminals turn ``FILE:LINE:`` into a link to the spot, so a coordinator fixing the
year plan jumps straight to it. The ``field`` names the value with the file's own Dutch keys as a
dotted path with 1-based positions in brackets, e.g. ``overleggen[2].bijeenkomsten[3].datum`` is
the ``datum`` of the third meeting of the second overleg: people count from one, and the same
numbers appear in the provisional meeting uids (``ao-3``). A problem about the file as a whole
(a YAML syntax error, an encoding or size problem) has the field ``yaml``; those also give the
column, as ``FILE:LINE:COLUMN: yaml: ...``, because the line alone does not show the spot.
"""

from __future__ import annotations

from dataclasses import dataclass

Path = tuple[str | int, ...]
"""Where a value sits in the parsed file: mapping keys and 0-based list indices."""

SYNTAX_FIELD = "yaml"


@dataclass(frozen=True, order=True)
class Problem:
    """One problem; sorting orders them as they appear in the file."""

    file: str
    line: int
    field: str
    message: str
    column: int | None = None  # 1-based, like the line; only for problems of the YAML itself

    def __str__(self) -> str:
        place = f"{self.line}:{self.column}" if self.column is not None else str(self.line)
        return f"{self.file}:{place}: {self.field}: {self.message}"


def field_name(path: Path) -> str:
    """The dotted Dutch path of ``path``, with 1-based positions: ``overleggen[2].code``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text or SYNTAX_FIELD
