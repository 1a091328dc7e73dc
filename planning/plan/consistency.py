"""Checks that need the whole plan file: codes that must exist, duplicates, cycles, meetings.

They run on the parsed data rather than on the models, so that one pass reports every problem:
an overleg with an impossible date still has its unknown trekker and its cycle reported. Each
check looks only at values of the right type and leaves wrong types to the models' problems.

A ``herhaling`` written as text starts at the overleg's first ``bijeenkomst``
(:mod:`planning.plan.model`), so that meeting must exist, have a day on which the rule meets,
and say nothing a whole series cannot carry (a title, a theme, its own participants).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planning import catalogue
from planning.calendar.model import PRODUCTS, Audience, Recurrence
from planning.calendar.recurrence import is_occurrence
from planning.plan.model import CLOCK, is_valid_rule, parse_clock
from planning.plan.problem import Path
from planning.typed_text import clean_line

Finding = tuple[Path, str]
"""Where (a path, which need not exist in the file) and what (a Dutch message)."""

Fields = dict[str, Any]


@dataclass(frozen=True)
class _Known:
    """Every code a reference may name."""

    organisations: set[str]
    groups: set[str]
    overleggen: set[str]
    zone: ZoneInfo  # the plan's, or UTC while it has none that works


def find_inconsistencies(data: Any, line: Callable[[Path], int]) -> list[Finding]:
    """Everything wrong between entries of ``data`` (the parsed file); ``line`` places a path."""
    if not isinstance(data, dict):
        return []
    findings = list(_duplicates(data, line))
    known = _Known(
        set(_codes(data, "organisaties", "code")),
        set(_codes(data, "groepen", "code")),
        set(_codes(data, "overleggen", "code")),
        _zone(data),
    )
    overleggen = list(_entries(data, "overleggen"))
    for i, overleg in overleggen:
        findings += _overleg(("overleggen", i), overleg, known)
    findings += _cycles(overleggen)
    for i, product in _entries(data, "producten"):
        findings += _product(("producten", i), product, known)
    for i, reminder in _entries(data, "herinneringen"):
        findings += _reminder(("herinneringen", i), reminder, known)
    return findings


def _list(entry: Fields, key: str) -> list[Any]:
    value = entry.get(key)
    return value if isinstance(value, list) else []


def _text(entry: Fields, key: str) -> str | None:
    value = entry.get(key)
    return value if isinstance(value, str) else None


def _mapping(entry: Fields, key: str) -> Fields | None:
    value = entry.get(key)
    return value if isinstance(value, dict) else None


def _has(entry: Fields, key: str) -> bool:
    """Whether ``key`` is given; ``key:`` without a value counts as absent, as in the models."""
    return entry.get(key) is not None


def _zone(data: Fields) -> ZoneInfo:
    name = _text(data, "tijdzone")
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _entries(data: Fields, key: str) -> Iterator[tuple[int, Fields]]:
    """The mappings in list ``key`` with their positions (anything else is the models' care)."""
    for i, item in enumerate(_list(data, key)):
        if isinstance(item, dict):
            yield i, item


def _codes(data: Fields, section: str, key: str) -> Iterator[str]:
    for _, entry in _entries(data, section):
        code = _text(entry, key)
        if code is not None:
            yield code


def _duplicates(data: Fields, line: Callable[[Path], int]) -> Iterator[Finding]:
    for section, key in (
        ("organisaties", "code"),
        ("groepen", "code"),
        ("overleggen", "code"),
        ("producten", "naam"),
        ("incidentsjablonen", "code"),
    ):
        first_seen: dict[str, Path] = {}
        for i, entry in _entries(data, section):
            value = _text(entry, key)
            if value is None:
                continue
            path: Path = (section, i, key)
            first = line(first_seen.setdefault(value, path))
            if first_seen[value] == path:
                continue
            if key == "code":
                yield path, catalogue.plain("plan.problem.duplicate_code", code=value, line=first)
            else:
                yield path, catalogue.plain("plan.problem.duplicate_name", name=value, line=first)


def _groups(path: Path, entry: Fields, key: str, known: _Known) -> Iterator[Finding]:
    for j, code in enumerate(_list(entry, key)):
        if isinstance(code, str) and code not in known.groups:
            yield (*path, key, j), catalogue.plain("plan.problem.unknown_group", code=code)


def _organisation(path: Path, entry: Fields, key: str, known: _Known) -> Iterator[Finding]:
    code = _text(entry, key)
    if code is not None and code not in known.organisations:
        yield (*path, key), catalogue.plain("plan.problem.unknown_organisation", code=code)


def _overleg_ref(path: Path, entry: Fields, key: str, known: _Known) -> Iterator[Finding]:
    code = _text(entry, key)
    if code is not None and code not in known.overleggen:
        yield (*path, key), catalogue.plain("plan.problem.unknown_overleg", code=code)


def _overleg(path: Path, overleg: Fields, known: _Known) -> Iterator[Finding]:
    if not _has(overleg, "trekker") and not _has(overleg, "afgeleid_van"):
        yield (*path, "trekker"), catalogue.plain("plan.problem.missing")
    yield from _organisation(path, overleg, "trekker", known)
    yield from _groups(path, overleg, "deelnemers", known)
    derived = _mapping(overleg, "afgeleid_van")
    if _has(overleg, "afgeleid_van"):
        if _has(overleg, "bijeenkomsten") or _has(overleg, "herhaling"):
            yield (*path, "afgeleid_van"), catalogue.plain("plan.problem.derived_and_listed")
        if derived is not None:
            yield from _overleg_ref((*path, "afgeleid_van"), derived, "overleg", known)
    elif not (_has(overleg, "bijeenkomsten") or _has(overleg, "herhaling")):
        yield path, catalogue.plain("plan.problem.no_meetings")
    yield from _overleg_ref(path, overleg, "sluit_agenda_van", known)
    reviewers = _text(overleg, "beoordelaars")
    if reviewers is not None and reviewers.strip() and reviewers not in known.groups:
        yield (*path, "beoordelaars"), catalogue.plain("plan.problem.unknown_group", code=reviewers)
    yield from _agenda_cycle(path, overleg)
    for k, meeting in _entries(overleg, "bijeenkomsten"):
        yield from _meeting((*path, "bijeenkomsten", k), meeting, known)
    recurrence = _mapping(overleg, "herhaling")
    if recurrence is not None:
        yield from _times((*path, "herhaling"), recurrence)
    rule = _text(overleg, "herhaling")
    if rule is not None:
        yield from _rule_start(path, overleg, rule, known.zone)


_AGENDA_CYCLE_KEYS = ("oproep_dagen_vooraf", "vaste_punten", "beoordelaars")


def _agenda_cycle(path: Path, overleg: Fields) -> Iterator[Finding]:
    """The agenda cycle's keys do nothing without ``agendapunten: ja``; a fixed item is on the
    agenda once (the same after :func:`clean_line`, in any case)."""
    if overleg.get("agendapunten") not in (True, "ja"):
        for key in _AGENDA_CYCLE_KEYS:
            if overleg.get(key) not in (None, [], {}):
                yield (*path, key), catalogue.plain("plan.problem.needs_agenda_items")
    fixed = overleg.get("vaste_punten")
    places: list[tuple[Path, Any]] = []
    if isinstance(fixed, list):
        places = [((*path, "vaste_punten", j), item) for j, item in enumerate(fixed)]
    elif isinstance(fixed, dict):
        for end in ("begin", "eind"):
            items = _list(fixed, end)
            places += [((*path, "vaste_punten", end, j), item) for j, item in enumerate(items)]
    seen: set[str] = set()
    for place, item in places:
        name = clean_line(item).casefold() if isinstance(item, str) else ""
        if name in seen:
            yield place, catalogue.plain("plan.problem.duplicate_fixed_item", item=clean_line(item))
        elif name:
            seen.add(name)


def _rule_start(path: Path, overleg: Fields, rule: str, zone: ZoneInfo) -> Iterator[Finding]:
    """The first meeting of an overleg whose ``herhaling`` is text: the series' start."""
    meetings = _list(overleg, "bijeenkomsten")
    if not meetings:
        yield (*path, "herhaling"), catalogue.plain("plan.problem.rule_without_start")
        return
    first_path: Path = (*path, "bijeenkomsten", 0)
    first = meetings[0]
    if isinstance(first, dict):
        for key in ("titel", "thema", "deelnemers"):
            if _has(first, key):
                message = catalogue.plain("plan.problem.rule_start_detail", key=key)
                yield (*first_path, key), message
        if _has(first, "maand") and not _has(first, "datum"):
            yield (*first_path, "maand"), catalogue.plain("plan.problem.rule_start_month")
        day_path, day, start = (
            (*first_path, "datum"),
            _day(first.get("datum")),
            _clock(first, "tijd"),
        )
    else:
        day_path, day, start = first_path, _day(first), None
    if day is None or not is_valid_rule(rule):
        return  # the models report a malformed day or rule
    series = Recurrence(rule, day, parse_clock(start) if start else None)
    if not is_occurrence(series, zone, day):
        message = catalogue.plain("plan.problem.rule_start_not_on_rule", day=day.isoformat())
        yield day_path, message


def _day(value: Any) -> date | None:
    """A well-formed day: a date as YAML reads one, or its ISO text."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _meeting(path: Path, meeting: Fields, known: _Known) -> Iterator[Finding]:
    yield from _day_or_month(path, meeting)
    if _has(meeting, "maand") and not _has(meeting, "datum") and _has(meeting, "tijd"):
        yield (*path, "tijd"), catalogue.plain("plan.problem.time_without_day")
    yield from _times(path, meeting)
    yield from _groups(path, meeting, "deelnemers", known)


def _day_or_month(path: Path, entry: Fields) -> Iterator[Finding]:
    if not _has(entry, "datum") and not _has(entry, "maand"):
        yield path, catalogue.plain("plan.problem.no_day_or_month")
    elif _has(entry, "datum") and _has(entry, "maand"):
        yield (*path, "maand"), catalogue.plain("plan.problem.day_and_month")


def _times(path: Path, entry: Fields) -> Iterator[Finding]:
    """An end needs a start and must come after it; malformed times are the models' problem."""
    start, end = _clock(entry, "tijd"), _clock(entry, "eind")
    if not _has(entry, "eind"):
        return
    if not _has(entry, "tijd"):
        yield (*path, "eind"), catalogue.plain("plan.problem.end_without_start")
    elif start is not None and end is not None and _minutes(end) <= _minutes(start):
        message = catalogue.plain("plan.problem.end_before_start", end=end, start=start)
        yield (*path, "eind"), message


def _clock(entry: Fields, key: str) -> str | None:
    """The time under ``key`` if it is a well-formed ``UU:MM``."""
    text = _text(entry, key)
    return text if text is not None and CLOCK.fullmatch(text) else None


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _cycles(overleggen: list[tuple[int, Fields]]) -> Iterator[Finding]:
    """Each overleg whose ``afgeleid_van`` chain comes back to itself, with the loop shown."""
    parents: dict[str, str] = {}
    for _, overleg in overleggen:
        code, derived = _text(overleg, "code"), _mapping(overleg, "afgeleid_van")
        parent = _text(derived, "overleg") if derived is not None else None
        if code is not None and parent is not None:
            parents.setdefault(code, parent)
    for i, overleg in overleggen:
        code = _text(overleg, "code")
        if code is None:
            continue
        chain = [code]
        while chain[-1] in parents and len(chain) <= len(parents):
            chain.append(parents[chain[-1]])
            if chain[-1] == code:
                message = catalogue.plain("plan.problem.derivation_cycle", chain=" → ".join(chain))
                yield ("overleggen", i, "afgeleid_van", "overleg"), message
                break


def _product(path: Path, product: Fields, known: _Known) -> Iterator[Finding]:
    yield from _organisation(path, product, "verantwoordelijk", known)
    yield from _groups(path, product, "betrokken", known)
    for k, milestone in _entries(product, "mijlpalen"):
        yield from _day_or_month((*path, "mijlpalen", k), milestone)


def _reminder(path: Path, reminder: Fields, known: _Known) -> Iterator[Finding]:
    if reminder.get("voor") != PRODUCTS:
        yield from _overleg_ref(path, reminder, "voor", known)
    audience = _text(reminder, "aan")
    audiences = {member.value for member in Audience}
    if audience is not None and audience not in audiences and audience not in known.groups:
        yield (*path, "aan"), catalogue.plain("plan.problem.unknown_audience", code=audience)
