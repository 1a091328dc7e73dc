"""Names in a sentence: an organisation put between brackets after a person or an item.

Some names carry brackets of their own ("Coördinatie Samenwerkingsverband (gemeente Utrecht)",
"Ministerie van Binnenlandse Zaken en Koninkrijksrelaties (WWI)"). Put between brackets once
more they would read "Anne de Vries (Coördinatie Samenwerkingsverband (gemeente Utrecht))"; as
Dutch house style does, the inner brackets become a comma: "(Coördinatie Samenwerkingsverband,
gemeente Utrecht)".
"""

from __future__ import annotations

import re

_INNER = re.compile(r"\s*\(([^()]*)\)")


def in_brackets(name: str) -> str:
    """``name`` as it stands between brackets: its own brackets become a comma."""
    return _INNER.sub(r", \1", name).strip()
