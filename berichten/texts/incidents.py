"""The incident message in Dutch HTML, as every recipient gets it (and the preview shows it).

A template's texts come from the plan file and the placeholder values from the coordinator's
typing: both are plain text and escaped here (:func:`planning.catalogue.html`). A message typed
from empty is Telegram HTML as the coordinator formatted it (PTB's ``text_html``).
"""

from __future__ import annotations

from planning import catalogue
from planning.incidents.templates import IncidentTemplate


def heading(title: str) -> str:
    return catalogue.html("incident.message.heading", title=title)


def from_template(title: str, template: IncidentTemplate) -> str:
    """The message of a filled-in template: heading, core message, spokesperson, do's and
    don'ts, whom to call, and what the buttons are for."""
    blocks = [
        heading(title),
        catalogue.html("incident.message.core", text=template.core_message),
        catalogue.html("incident.message.spokesperson", text=template.spokesperson),
    ]
    if template.dos:
        blocks.append(_bullets("incident.message.dos", template.dos))
    if template.donts:
        blocks.append(_bullets("incident.message.donts", template.donts))
    blocks.append(catalogue.html("incident.message.call", text=template.call))
    blocks.append(catalogue.html("incident.message.acknowledge"))
    return "\n\n".join(blocks)


def from_text(title: str, text_html: str) -> str:
    """The message typed from empty: heading, the text as formatted, what the buttons are for."""
    return "\n\n".join([heading(title), text_html, catalogue.html("incident.message.acknowledge")])


def _bullets(key: str, lines: tuple[str, ...]) -> str:
    items = [catalogue.html("incident.message.bullet", text=line) for line in lines]
    return "\n".join([catalogue.html(key), *items])
