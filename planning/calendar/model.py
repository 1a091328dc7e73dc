"""The plan as data: what the plan file says and what the database holds, in one shape.

Both the plan file (:mod:`planning.plan`) and the database convert into these frozen
dataclasses, and the pure rules (:mod:`planning.calendar.expand`,
:mod:`planning.calendar.reminders`) work on them only, so the rules are tested without files or
I/O. Days and wall-clock times are local to the plan's zone; turning them into aware moments is
the rules' job (:meth:`When.start_in`), so a meeting at 10:00 stays at 10:00 across DST.
"""

from __future__ import annotations

import calendar as _calendar
import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from planning.incidents.templates import IncidentTemplate

# An agenda item's title, and so a fixed item's (vaste punt): both are points of one agenda.
AGENDA_TITLE_LIMIT = 200


class Precision(enum.StrEnum):
    """How much of a moment is known: a month (day still open), a day, or a day and time."""

    MONTH = "month"
    DAY = "day"
    TIME = "time"

    @property
    def rank(self) -> int:
        """Less known first: in a list, a month comes before a day, a day before a time."""
        return ("month", "day", "time").index(self.value)


@dataclass(frozen=True, order=True)
class YearMonth:
    """A month such as ``2011-10``; a deadline in a month means: by its last day."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} is not 1-12")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """``"2011-10"``; raises ValueError for anything else."""
        year, _, month = text.partition("-")
        if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
            raise ValueError(f"{text!r} is not a month like 2011-10")
        return cls(int(year), int(month))

    @classmethod
    def of(cls, day: date) -> YearMonth:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, _calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class When:
    """When something happens, as precisely as the plan knows it.

    Exactly one of ``day`` and ``month`` is set: a month means the day is not yet fixed.
    ``start`` and ``end`` are local wall-clock times and need a ``day``.
    """

    day: date | None = None
    month: YearMonth | None = None
    start: time | None = None
    end: time | None = None

    def __post_init__(self) -> None:
        if (self.day is None) == (self.month is None):
            raise ValueError("a When has either a day or a month")
        if self.day is None and (self.start is not None or self.end is not None):
            raise ValueError("a time needs a day")
        if self.end is not None and self.start is None:
            raise ValueError("an end time needs a start time")

    @property
    def precision(self) -> Precision:
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY if self.start is None else Precision.TIME

    @property
    def in_month(self) -> YearMonth:
        """The month it falls in, known at every precision."""
        if self.day is not None:
            return YearMonth.of(self.day)
        assert self.month is not None
        return self.month

    @property
    def latest_day(self) -> date:
        """The day by which it has happened: the day itself, or the month's last day."""
        return self.day if self.day is not None else self.in_month.last_day

    def start_in(self, zone: ZoneInfo) -> datetime | None:
        """The aware start moment, or None without a day and time."""
        if self.day is None or self.start is None:
            return None
        return datetime.combine(self.day, self.start, tzinfo=zone)

    def end_in(self, zone: ZoneInfo) -> datetime | None:
        if self.day is None or self.end is None:
            return None
        return datetime.combine(self.day, self.end, tzinfo=zone)


@dataclass(frozen=True)
class Organisation:
    code: str
    name: str
    kind: str  # coordinatie | gemeente | rijk | koepel
    on_call: str | None = None  # piketnummer: whom to call in an incident


@dataclass(frozen=True)
class Group:
    code: str
    name: str


@dataclass(frozen=True)
class Derivation:
    """``afgeleid_van``: a meeting ``days_before`` days before each meeting of ``parent``."""

    parent: str
    days_before: int


@dataclass(frozen=True)
class Recurrence:
    """``herhaling``: an RFC 5545 RRULE (without DTSTART) from ``begin`` on."""

    rule: str
    begin: date
    start: time | None = None
    end: time | None = None
    location: str | None = None


@dataclass(frozen=True)
class FixedItems:
    """An overleg's ``vaste_punten``: those opening its agenda, before the submitted items, and
    those closing it, after them (docs/decisions/agenda-items.md)."""

    opening: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()

    @classmethod
    def from_list(cls, items: Sequence[str]) -> FixedItems:
        """The list form, ``vaste_punten: [Opening, Verslag, Rondvraag]``: with two or more the
        last closes the agenda and the others open it; a single one opens it."""
        listed = tuple(items)
        return cls(listed[:-1], listed[-1:]) if len(listed) > 1 else cls(listed)

    def as_list(self) -> tuple[str, ...] | None:
        """The list form that gives this split, or None when only ``begin``/``eind`` can."""
        listed = (*self.opening, *self.closing)
        return listed if FixedItems.from_list(listed) == self else None

    def __bool__(self) -> bool:
        return bool(self.opening or self.closing)


NO_FIXED_ITEMS = FixedItems()


@dataclass(frozen=True)
class Overleg:
    """A consultation body (AO, petit comité, ...) and how its meetings come about."""

    code: str
    name: str
    purpose: str
    trekker: str  # organisation code
    participants: tuple[str, ...]  # group codes
    accepts_agenda_items: bool = False
    derived: Derivation | None = None
    closes_agenda_of: str | None = None
    recurrence: Recurrence | None = None
    call_days_before: int | None = None  # oproep_dagen_vooraf: the call for items
    fixed_items: FixedItems = NO_FIXED_ITEMS  # vaste_punten: opening and closing the agenda
    reviewers: str | None = None  # beoordelaars: a group reviewing besides the coordinators

    @property
    def opening_items(self) -> tuple[str, ...]:
        """The fixed items that open the agenda (:class:`FixedItems`)."""
        return self.fixed_items.opening

    @property
    def closing_items(self) -> tuple[str, ...]:
        """The fixed items that close the agenda (:class:`FixedItems`)."""
        return self.fixed_items.closing


@dataclass(frozen=True)
class Meeting:
    """One listed meeting of an overleg (not derived, not a recurrence occurrence).

    ``uid`` is its identity: the database keeps it across moves, so calendar programs update
    the event instead of adding one; a plan read from a file gets provisional uids.
    """

    uid: str
    overleg: str
    when: When
    title: str | None = None
    location: str | None = None
    theme: str | None = None
    participants: tuple[str, ...] | None = None  # replaces the overleg's when set
    sequence: int = 0  # rises with every change a calendar program must see
    cancelled: bool = False


@dataclass(frozen=True)
class OccurrenceChange:
    """A single occurrence of a recurring overleg moved (``moved_to``) or cancelled (None)."""

    overleg: str
    original_day: date
    moved_to: When | None
    sequence: int = 1


@dataclass(frozen=True)
class Milestone:
    uid: str
    description: str
    when: When  # a day, or a month meaning "by its last day"
    done: bool = False


@dataclass(frozen=True)
class Product:
    name: str
    owner: str  # organisation code (``verantwoordelijk``)
    involved: tuple[str, ...]  # group codes (``betrokken``)
    milestones: tuple[Milestone, ...] = ()


class Audience(enum.StrEnum):
    """Who a reminder rule addresses; any other value of ``aan`` is a group code."""

    PARTICIPANTS = "deelnemers"
    OWNER = "verantwoordelijk"
    INVOLVED = "betrokken"


PRODUCTS = "producten"  # the ``voor`` of a reminder rule about all products' milestones


@dataclass(frozen=True)
class ReminderRule:
    """``herinneringen``: remind ``audience`` ``days_before`` days before, at local ``at``."""

    target: str  # an overleg code, or PRODUCTS
    days_before: tuple[int, ...]
    at: time
    audience: str  # an Audience value or a group code


@dataclass(frozen=True)
class Plan:
    """Everything the plan holds. ``meetings`` lists explicit meetings only; derived and
    recurring ones are computed from ``overleggen`` by :mod:`planning.calendar.expand`."""

    name: str
    zone: ZoneInfo
    version: int = 1
    organisations: tuple[Organisation, ...] = ()
    groups: tuple[Group, ...] = ()
    overleggen: tuple[Overleg, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    occurrence_changes: tuple[OccurrenceChange, ...] = ()
    products: tuple[Product, ...] = ()
    reminders: tuple[ReminderRule, ...] = ()
    incident_templates: tuple[IncidentTemplate, ...] = ()

    @property
    def derivation_reach(self) -> timedelta:
        """How far a derived meeting can lie from its root: the sum of all derivation offsets.
        Expanding a range that much wider finds an AO's petit comité near its edge, and the AO
        a petit comité closes."""
        return timedelta(days=sum(abs(o.derived.days_before) for o in self.overleggen if o.derived))

    def overleg(self, code: str) -> Overleg:
        """The overleg with this code; a plan has a handful, so a scan is fine."""
        for overleg in self.overleggen:
            if overleg.code == code:
                return overleg
        raise KeyError(code)
