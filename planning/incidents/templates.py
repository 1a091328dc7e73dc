"""Incident templates: the fixed parts of the network's incident strategy, with placeholders.

A template (``incidentsjablonen:`` in the plan file) holds who speaks (*woordvoerder*), the core
message (*kernboodschap*), do's and don'ts and whom to call. Its texts may hold the placeholders
``{plaats}``, ``{datum}`` and ``{wat}``, filled in by ``/incident``'s conversation. Any other
``{...}``, or a brace that opens or closes nothing, is refused when the plan is checked, so a
coordinator never sends a message with a placeholder left in it.

Pure: no I/O. Filling replaces the known placeholders only, never through ``str.format``, so a
typed value with braces stays as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PLACEHOLDERS = ("plaats", "datum", "wat")
"""The placeholders a template may use, in the order the conversation asks for them."""

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class IncidentTemplate:
    """One ``incidentsjablonen`` entry; every text may hold :data:`PLACEHOLDERS`."""

    code: str
    name: str
    spokesperson: str  # woordvoerder
    core_message: str  # kernboodschap
    dos: tuple[str, ...] = ()  # doen
    donts: tuple[str, ...] = ()  # niet_doen
    call: str = ""  # bellen: whom to call

    def texts(self) -> tuple[str, ...]:
        """Every text of the template, in the order the message shows them."""
        return (self.spokesperson, self.core_message, *self.dos, *self.donts, self.call)

    def placeholders(self) -> list[str]:
        """The placeholders the template uses, in :data:`PLACEHOLDERS`' order."""
        used = {name for text in self.texts() for name in placeholders_in(text)}
        return [name for name in PLACEHOLDERS if name in used]

    def filled(self, values: Mapping[str, str]) -> IncidentTemplate:
        """The template with ``values`` in place of its placeholders."""
        return IncidentTemplate(
            self.code,
            self.name,
            fill(self.spokesperson, values),
            fill(self.core_message, values),
            tuple(fill(text, values) for text in self.dos),
            tuple(fill(text, values) for text in self.donts),
            fill(self.call, values),
        )


def placeholders_in(text: str) -> list[str]:
    """The names between braces in ``text``, as written (known or not)."""
    return [match.group(1) for match in _PLACEHOLDER.finditer(text)]


def unknown_placeholders(text: str) -> list[str]:
    """What in ``text`` is not a known placeholder (``{naam}``, or a lone brace), as written;
    empty when every brace belongs to one of :data:`PLACEHOLDERS`."""
    unknown = [f"{{{name}}}" for name in placeholders_in(text) if name not in PLACEHOLDERS]
    rest = _PLACEHOLDER.sub("", text)
    unknown += [brace for brace in rest if brace in "{}"]
    return unknown


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value (missing ones stay)."""

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    return _PLACEHOLDER.sub(value, text)


def by_code(templates: Iterable[IncidentTemplate], code: str) -> IncidentTemplate | None:
    """The template with ``code``, or None (a template dropped from the plan meanwhile)."""
    return next((template for template in templates if template.code == code), None)
