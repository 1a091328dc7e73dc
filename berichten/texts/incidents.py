"""The incident message in Dutch HTML, as every recipient gets it (and the preview shows it).

A template's texts come from the plan file and the placeholder values from the coordinator's
typing: both are plain text and escaped here (:func:`planning.catalogue.html`). A message typed
from empty is Telegram HTML as the coordinator formatted it (PTB's ``text_html``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from berichten.texts.dates import short_moment
from berichten.texts.html import TEXT_LIMIT, pack, telegram_length
from planning import catalogue
from planning.incidents.overview import Figures, OrganisationFigures
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


def overview_block(found: Figures, zone: ZoneInfo) -> str:
    """One incident in /incidenten: open or closed, when, by whom, to how many; per
    organisation who read it, who not yet, who could not be reached; then the coverage."""
    incident = found.incident
    state = "closed" if incident.closed else "open"
    lines = [
        catalogue.html(
            f"incident.overview.{state}",
            title=incident.title,
            when=short_moment(incident.sent_at, zone),
        ),
        catalogue.html(
            "incident.overview.sent",
            n=len(incident.recipients),
            by=incident.sent_by or catalogue.plain("incident.overview.left"),
        ),
    ]
    lines += [_organisation_line(organisation) for organisation in _addressed(found)]
    lines.append(
        catalogue.html(
            "incident.overview.covered",
            n=len(found.covered),
            total=len(found.covered) + len(found.uncovered),
            names=_names(tuple(found.covered)),
        )
    )
    lines.append(catalogue.html("incident.overview.nobody", names=_names(tuple(found.uncovered))))
    return "\n".join(lines)


def _organisation_line(organisation: OrganisationFigures) -> str:
    """``• Gemeente Utrecht: gelezen 1 (Koen de Boer), nog niet 1 (Iris Visser)``: only the
    parts with people in them."""
    parts = [
        catalogue.plain(key, n=len(names), names=_names(names))
        for key, names in (
            ("incident.overview.read", organisation.read),
            ("incident.overview.not_yet", organisation.not_yet),
            ("incident.overview.unreachable", organisation.unreachable),
        )
        if names
    ]
    return catalogue.html(
        "incident.overview.organisation", name=organisation.name, parts=", ".join(parts)
    )


def _addressed(found: Figures) -> list[OrganisationFigures]:
    """The organisations the incident went to (those without recipients are in the coverage)."""
    return [o for o in found.organisations if o.read or o.not_yet or o.unreachable]


def _names(names: tuple[str | None, ...]) -> str:
    """``Fatima El Amrani, Koen de Boer``; a member who left by that; ``-`` for nobody."""
    shown = [name or catalogue.plain("incident.overview.left") for name in names]
    return ", ".join(shown) if shown else "-"


def urgent(text: str) -> str:
    """The urgent copy of an escalation round: a line on top of the message as sent."""
    return "\n\n".join([catalogue.html("incident.urgent"), text])


def report(title: str, uncovered: list[OrganisationFigures]) -> list[str]:
    """The coordinator's report after the second round: per organisation still uncovered, its
    piketnummer and its recipients; in as few messages as fit."""
    lines = [catalogue.html("incident.report.heading", title=title)]
    for organisation in uncovered:
        people = organisation.not_yet + organisation.unreachable
        lines.append(
            catalogue.html(
                "incident.report.organisation",
                name=organisation.name,
                on_call=organisation.on_call or catalogue.plain("incident.report.no_on_call"),
                names=_names(people) if people else catalogue.plain("incident.report.nobody"),
            )
        )
    return pack(lines)


def status(found: Figures, state: str) -> str:
    """The coordinator's status message: what was sent to how many, read / not yet /
    unreachable per organisation, the coverage and where escalation stands. Cut politely at
    Telegram's limit, whole organisations at a time (/incidenten shows them all)."""
    incident = found.incident
    if incident.closed:
        head = catalogue.html("incident.status.closed", title=incident.title)
    else:
        head = catalogue.html("incident.sent", title=incident.title, n=len(incident.recipients))
    organisations = [_organisation_line(organisation) for organisation in _addressed(found)]
    tail = [
        catalogue.html(
            "incident.overview.covered",
            n=len(found.covered),
            total=len(found.covered) + len(found.uncovered),
            names=_names(tuple(found.covered)),
        ),
        catalogue.html("incident.overview.nobody", names=_names(tuple(found.uncovered))),
        state,
    ]
    whole = "\n".join([head, *organisations, *tail])
    if telegram_length(whole) <= TEXT_LIMIT:
        return whole
    cut = catalogue.html("incident.status.cut", n=len(organisations))
    room = TEXT_LIMIT - telegram_length("\n".join([head, cut, *tail])) - 1
    shown: list[str] = []
    for line in organisations:
        if telegram_length(line) + 1 > room:
            break
        shown.append(line)
        room -= telegram_length(line) + 1
    cut = catalogue.html("incident.status.cut", n=len(organisations) - len(shown))
    return "\n".join([head, *shown, cut, *tail])


def update(title: str, text_html: str) -> str:
    """A follow-up as members get it, as a reply to their copy: a heading and the text as
    formatted."""
    return "\n\n".join([catalogue.html("incident.update.heading", title=title), text_html])
