"""The one catalogue of everything a person reads, in Dutch.

The texts live in a gettext catalogue (``planning/locale/nl.po``) with stable keys as message
ids, so a translator or editor changes wording without touching code. Babel reads it and
compiles it in memory for Python's :mod:`gettext`, which picks plural forms by the catalogue's
``Plural-Forms`` header (``msgid_plural``, ``msgstr[0]``, ``msgstr[1]``). It sits in
``planning`` because that is the package every other one may import (docs/decisions/texts.md).
Placeholders use ``str.format`` names; :func:`html` escapes the values for Telegram's HTML parse
mode, while :func:`plain` is for the terminal and for values already escaped.
"""

from __future__ import annotations

import gettext
import html as html_lib
from functools import cache
from importlib import resources
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


@cache
def _catalogue() -> Catalog:
    with resources.files("planning").joinpath("locale/nl.po").open("rb") as po_file:
        return read_po(po_file, locale="nl")


@cache
def _translations() -> gettext.GNUTranslations:
    compiled = BytesIO()
    write_mo(compiled, _catalogue())
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@cache
def entries() -> dict[str, tuple[str, ...]]:
    """Every key with its Dutch text: one form, or one per plural form."""
    found: dict[str, tuple[str, ...]] = {}
    for message in _catalogue():
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        found[str(key)] = tuple(str(form) for form in forms)
    return found


def is_plural(key: str) -> bool:
    """Whether ``key`` has plural forms (and so needs ``n``)."""
    return len(entries()[key]) > 1


def _text(key: str, n: int | None) -> str:
    if key not in entries():
        raise KeyError(key)
    if n is None or not is_plural(key):
        return _translations().gettext(key)
    return _translations().ngettext(key, key, n)


def plain(key: str, /, *, n: int | None = None, **values: object) -> str:
    """The text for ``key`` with ``values`` filled in as they are; for a key with plural
    forms, ``n`` picks the form and fills ``{n}``."""
    if n is not None:
        values["n"] = n
    return _text(key, n).format(**values)


def html(key: str, /, *, n: int | None = None, **values: object) -> str:
    """The text for ``key`` with ``values`` escaped for Telegram's HTML parse mode; ``n`` as
    in :func:`plain`."""
    if n is not None:
        values["n"] = n
    escaped = {name: html_lib.escape(str(value), quote=False) for name, value in values.items()}
    return _text(key, n).format(**escaped)
