"""The one catalogue of everything a person reads, in Dutch.

The texts live in a gettext catalogue (``planning/locale/nl.po``) with stable keys as message
ids, read with Babel, so a translator or editor changes wording without touching code. It sits in
``planning`` because that is the package every other one may import. Placeholders use
``str.format`` names; :func:`html` escapes the values for Telegram's HTML parse mode, while
:func:`plain` is for the terminal.
"""

from __future__ import annotations

import html as html_lib
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po


@cache
def entries() -> dict[str, str]:
    """Every key with its Dutch text."""
    with resources.files("planning").joinpath("locale/nl.po").open("rb") as po_file:
        catalogue = read_po(po_file, locale="nl")
    return {str(message.id): str(message.string) for message in catalogue if message.id}


def plain(key: str, /, **values: object) -> str:
    """The text for ``key`` with ``values`` filled in as they are."""
    return entries()[key].format(**values)


def html(key: str, /, **values: object) -> str:
    """The text for ``key`` with ``values`` escaped for Telegram's HTML parse mode."""
    escaped = {name: html_lib.escape(str(value), quote=False) for name, value in values.items()}
    return entries()[key].format(**escaped)
