"""The plan file's shape as pydantic models: one class per kind of entry, Dutch keys as aliases.

The models check what one value or one entry can say about itself: types, dates, months
(``JJJJ-MM``), times (``UU:MM``), the time zone, the RRULE, the version, no unknown keys. What
needs the whole file (codes that must exist, cycles in ``afgeleid_van``, an overleg without any
meetings) is :mod:`planning.plan.consistency`'s job. Custom checks raise
:class:`PydanticCustomError` with a ``plan_*`` type that :mod:`planning.plan.check` turns into
Dutch.

Decisions the header of ``jaarplan-2011.yaml`` leaves open:

- **herhaling** takes the header's two forms. As text, ``herhaling: "FREQ=WEEKLY;INTERVAL=3"``,
  the overleg's first ``bijeenkomst`` is the start: its ``datum`` is the rule's DTSTART and its
  ``tijd``, ``eind`` and ``locatie`` hold for the whole series; it is the series' first meeting,
  not a meeting besides it (:mod:`planning.plan.consistency` checks that it has a day on the
  rule and nothing a series cannot carry). As a mapping, ``{regel: ..., begin: 2011-01-10,
  tijd: "10:00", eind: "12:00", locatie: ...}``, with ``tijd``, ``eind`` and ``locatie``
  optional and ``begin`` the DTSTART. Either way ``regel`` is one RRULE without DTSTART (an
  optional ``RRULE:`` prefix is allowed); ``UNTIL`` may be a date (that day included), a local
  date-time or a UTC one (``...Z``). ``COUNT`` and ``UNTIL`` together are an error.
- An overleg has ``bijeenkomsten``, ``herhaling`` or both, or else ``afgeleid_van`` alone.
  ``bijeenkomsten: []`` counts as having them (none known yet). The other ``bijeenkomsten`` of
  an overleg with a herhaling are meetings besides the series.
- **trekker** may be left out of a derived overleg (``afgeleid_van``), which then has its
  parent's; every other overleg needs one (:mod:`planning.plan.consistency` says so).
- ``agendapunten`` is ``ja`` or ``nee`` (YAML's true/false work too); absent means ``nee``.
- A number where text is expected (``naam: 2011``) is read as that text, and a quoted whole
  number where days are expected (``oproep_dagen_vooraf: "21"``, ``dagen_ervoor: "14"``) as
  that number, the same for every count of days.
- ``vaste_punten`` is a list (the last of two or more closes the agenda, the others open it) or
  ``{begin: [...], eind: [...]}``, each item a clean line of at most
  :data:`planning.calendar.model.AGENDA_TITLE_LIMIT` characters, as an agenda item's title.
  ``oproep_dagen_vooraf`` is at most :data:`CALL_DAYS_LIMIT`; ``beoordelaars`` is one group
  code. :mod:`planning.plan.consistency` refuses a fixed item given twice, and the three keys
  on an overleg without ``agendapunten: ja``, where they would do nothing.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrule, rrulestr
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from planning.calendar.model import AGENDA_TITLE_LIMIT, YearMonth
from planning.incidents.templates import unknown_placeholders
from planning.typed_text import clean_line

CLOCK = re.compile(r"([01]?\d|2[0-3]):[0-5]\d")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_UTC_UNTIL = re.compile(r"(UNTIL=\d{8}T\d{6})Z", re.IGNORECASE)
ORGANISATION_KINDS = ("coordinatie", "gemeente", "rijk", "koepel")
# The two forms of ``herhaling``. Pydantic puts the form's tag in an error's location, after
# ``herhaling``; :mod:`planning.plan.check` takes it out again, as the file has no such key.
RULE_TEXT = "regel-als-tekst"
RULE_MAPPING = "regel-als-object"
# The two forms of ``vaste_punten``, taken out of an error's location the same way.
FIXED_LIST = "punten-als-lijst"
FIXED_MAPPING = "punten-als-object"
CALL_DAYS_LIMIT = 365  # oproep_dagen_vooraf: a call more than a year ahead is a typo


def _day(value: Any) -> Any:
    """A date, or ISO text for one; no datetimes, and no numbers read as Unix time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("plan_date", "invalid date {value}", {"value": value})


def _clock(value: str) -> str:
    if not CLOCK.fullmatch(value):
        raise PydanticCustomError("plan_time", "invalid time {value}", {"value": value})
    return value


def _month(value: str) -> str:
    try:
        YearMonth.parse(value)
    except ValueError:
        raise PydanticCustomError("plan_month", "invalid month {value}", {"value": value}) from None
    return value


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError("plan_zone", "unknown zone {value}", {"value": value}) from None
    return value


def _version(value: int) -> int:
    if value != 1:
        raise PydanticCustomError("plan_version", "version must be 1", {"value": value})
    return value


def _kind(value: str) -> str:
    if value not in ORGANISATION_KINDS:
        raise PydanticCustomError("plan_kind", "unknown kind {value}", {"value": value})
    return value


def _rule(value: str) -> str:
    """One RRULE that python-dateutil accepts, as :mod:`planning.calendar.recurrence` expands it.

    That expansion runs on naive wall-clock time and turns a UTC ``UNTIL`` (``...Z``) into local
    time first, so the ``Z`` is dropped here too before parsing. dateutil only warns about
    ``COUNT`` with ``UNTIL``, which RFC 5545 forbids; here it is an error.
    """
    error = PydanticCustomError("plan_rrule", "invalid rule {value}", {"value": value})
    if "DTSTART" in value.upper() or "\n" in value:
        raise error
    local = _UTC_UNTIL.sub(r"\1", value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = rrulestr(local, dtstart=datetime(2000, 1, 1))  # noqa: DTZ001 - wall clock
    except (ValueError, TypeError, Warning):
        raise error from None
    if not isinstance(parsed, rrule):
        raise error
    return value


def _recurrence_form(value: Any) -> str:
    return RULE_TEXT if isinstance(value, str) else RULE_MAPPING


def is_valid_rule(value: str) -> bool:
    """Whether ``value`` is a ``regel`` the models accept (for the checks between entries)."""
    try:
        _rule(value)
    except PydanticCustomError:
        return False
    return True


def _yes_no(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if value in ("ja", "nee"):
        return value == "ja"
    raise PydanticCustomError("plan_yes_no", "ja or nee", {"value": value})


def _typed_line(value: str) -> str:
    kept = clean_line(value)
    if not kept:
        raise PydanticCustomError("string_too_short", "blank")
    return kept


def _placeholders(value: str) -> str:
    """A template text whose braces are all known placeholders (``{plaats}``, ...)."""
    unknown = unknown_placeholders(value)
    if unknown and unknown[0] in "{}":
        raise PydanticCustomError("plan_brace", "stray brace {value}", {"value": unknown[0]})
    if unknown:
        raise PydanticCustomError(
            "plan_placeholder", "unknown placeholder {value}", {"value": unknown[0]}
        )
    return value


def _quoted(value: Any) -> Any:
    """A phone number as text: YAML reads ``030-1234567`` as text, but ``0301234567`` as a
    number (octal, even), losing the leading zero; so a number is refused, to be quoted."""
    if isinstance(value, str):
        return value
    raise PydanticCustomError("plan_phone", "quote the number {value}", {"value": value})


def _one_group(value: Any) -> Any:
    """``beoordelaars`` names one group: a list is refused as such, a blank code as empty."""
    if isinstance(value, list):
        raise PydanticCustomError("plan_one_group", "one group code", {"value": value})
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("string_too_short", "blank")
    return value


def _empty_item(value: Any) -> Any:
    """A fixed item left empty (``- `` in a list) is empty, not "not text"."""
    return "" if value is None else value


def _fixed_form(value: Any) -> str:
    return FIXED_MAPPING if isinstance(value, dict) else FIXED_LIST


def _bare_date(value: Any) -> Any:
    """A meeting written as just its date is the same as ``{datum: ...}``."""
    return value if isinstance(value, dict) else {"datum": value}


Day = Annotated[date, BeforeValidator(_day)]
# The patterns are for editors only; the validators give the Dutch problem.
TimeOfDay = Annotated[
    str,
    AfterValidator(_clock),
    Field(examples=["10:00"], json_schema_extra={"pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$"}),
]
Month = Annotated[
    str,
    AfterValidator(_month),
    Field(examples=["2011-10"], json_schema_extra={"pattern": "^[0-9]{4}-(0[1-9]|1[0-2])$"}),
]
Code = Annotated[str, Field(min_length=1)]
# Names and descriptions are shown to members: controls and bidi characters go, and a blank
# one is as short as an empty one (planning.typed_text).
Text = Annotated[str, Field(min_length=1), AfterValidator(_typed_line)]
Days = Annotated[int, Field(ge=0)]
CallDays = Annotated[int, Field(ge=0, le=CALL_DAYS_LIMIT)]
GroupCode = Annotated[Code, BeforeValidator(_one_group)]
# A fixed item is a point of the agenda, held to an agenda item's title.
FixedItem = Annotated[Text, Field(max_length=AGENDA_TITLE_LIMIT), BeforeValidator(_empty_item)]
# A text of an incident template: a clean line whose only braces are known placeholders, short
# enough that a whole template still fits one Telegram message with room for what is typed.
TEMPLATE_TEXT_LIMIT = 1000
TEMPLATE_NAME_LIMIT = 200  # the column's width
TemplateText = Annotated[Text, Field(max_length=TEMPLATE_TEXT_LIMIT), AfterValidator(_placeholders)]
YesNo = Annotated[
    bool,
    BeforeValidator(_yes_no),
    WithJsonSchema({"enum": ["ja", "nee", True, False]}),
]


def parse_clock(text: str) -> time:
    """``"9:30"`` or ``"09:30"`` as a time; the text has passed :data:`Clock`."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


class FileModel(BaseModel):
    """Common settings: unknown keys are errors; fields are filled by Dutch key or by name."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, coerce_numbers_to_str=True)


class OrganisationModel(FileModel):
    code: Code
    name: Text = Field(alias="naam")
    kind: Annotated[str, AfterValidator(_kind)] = Field(
        alias="soort", json_schema_extra={"enum": list(ORGANISATION_KINDS)}
    )
    # piketnummer: the on-call contact to call when nobody there acknowledges an incident.
    on_call: Annotated[Text, BeforeValidator(_quoted)] | None = Field(
        default=None, alias="piketnummer"
    )


class GroupModel(FileModel):
    code: Code
    name: Text = Field(alias="naam")


class MeetingModel(FileModel):
    """One ``bijeenkomsten`` entry; a bare date in the file becomes ``{datum: ...}``."""

    day: Day | None = Field(default=None, alias="datum")
    month: Month | None = Field(default=None, alias="maand")
    start: TimeOfDay | None = Field(default=None, alias="tijd")
    end: TimeOfDay | None = Field(default=None, alias="eind")
    location: str | None = Field(default=None, alias="locatie")
    title: str | None = Field(default=None, alias="titel")
    theme: str | None = Field(default=None, alias="thema")
    participants: list[Code] | None = Field(default=None, alias="deelnemers")


MeetingOrDate = Annotated[
    MeetingModel, BeforeValidator(_bare_date, json_schema_input_type=date | MeetingModel)
]


class DerivationModel(FileModel):
    parent: Code = Field(alias="overleg")
    days_before: Days = Field(alias="dagen_ervoor")


Rule = Annotated[
    str, AfterValidator(_rule), Field(examples=["FREQ=WEEKLY;INTERVAL=3;UNTIL=20110701"])
]


class RecurrenceModel(FileModel):
    rule: Rule = Field(alias="regel")
    begin: Day
    start: TimeOfDay | None = Field(default=None, alias="tijd")
    end: TimeOfDay | None = Field(default=None, alias="eind")
    location: str | None = Field(default=None, alias="locatie")


Recurrence = Annotated[
    Annotated[Rule, Tag(RULE_TEXT)] | Annotated[RecurrenceModel, Tag(RULE_MAPPING)],
    Discriminator(_recurrence_form),
]


class FixedItemsModel(FileModel):
    """``vaste_punten: {begin: [...], eind: [...]}``: the items before and after the submitted
    ones, each list optional."""

    opening: list[FixedItem] = Field(default_factory=list, alias="begin")
    closing: list[FixedItem] = Field(default_factory=list, alias="eind")


FixedItems = Annotated[
    Annotated[list[FixedItem], Tag(FIXED_LIST)] | Annotated[FixedItemsModel, Tag(FIXED_MAPPING)],
    Discriminator(_fixed_form),
]


class OverlegModel(FileModel):
    code: Code
    name: Text = Field(alias="naam")
    purpose: str = Field(default="", alias="doel")
    trekker: Code | None = None  # a derived overleg's is its parent's
    participants: list[Code] = Field(alias="deelnemers")
    accepts_agenda_items: YesNo = Field(default=False, alias="agendapunten")
    meetings: list[MeetingOrDate] | None = Field(default=None, alias="bijeenkomsten")
    derived: DerivationModel | None = Field(default=None, alias="afgeleid_van")
    closes_agenda_of: Code | None = Field(default=None, alias="sluit_agenda_van")
    recurrence: Recurrence | None = Field(default=None, alias="herhaling")
    # The agenda cycle (issue 15): when the call for items goes out, counted back from the
    # agenda's closing; the fixed items opening and closing the agenda; the group whose members
    # review the items besides the coordinators.
    call_days_before: CallDays | None = Field(default=None, alias="oproep_dagen_vooraf")
    fixed_items: FixedItems = Field(default_factory=list, alias="vaste_punten")
    reviewers: GroupCode | None = Field(default=None, alias="beoordelaars")


class MilestoneModel(FileModel):
    day: Day | None = Field(default=None, alias="datum")
    month: Month | None = Field(default=None, alias="maand")
    description: Text = Field(alias="omschrijving")


class ProductModel(FileModel):
    name: Text = Field(alias="naam")
    owner: Code = Field(alias="verantwoordelijk")
    involved: list[Code] = Field(default_factory=list, alias="betrokken")
    milestones: list[MilestoneModel] = Field(default_factory=list, alias="mijlpalen")


class ReminderRuleModel(FileModel):
    target: Code = Field(alias="voor")
    days_before: list[Days] = Field(alias="dagen_vooraf")
    at: TimeOfDay = Field(alias="om")
    audience: Code = Field(alias="aan")


class IncidentTemplateModel(FileModel):
    """One ``incidentsjablonen`` entry (:mod:`planning.incidents.templates`)."""

    code: Code
    name: Annotated[Text, Field(max_length=TEMPLATE_NAME_LIMIT)] = Field(alias="naam")
    spokesperson: TemplateText = Field(alias="woordvoerder")
    core_message: TemplateText = Field(alias="kernboodschap")
    dos: list[TemplateText] = Field(default_factory=list, alias="doen")
    donts: list[TemplateText] = Field(default_factory=list, alias="niet_doen")
    call: TemplateText = Field(alias="bellen")


class PlanFileModel(FileModel):
    """The whole file."""

    version: Annotated[int, AfterValidator(_version)] = Field(alias="versie")
    name: Text = Field(alias="naam")
    zone: Annotated[str, AfterValidator(_zone)] = Field(alias="tijdzone")
    organisations: list[OrganisationModel] = Field(default_factory=list, alias="organisaties")
    groups: list[GroupModel] = Field(default_factory=list, alias="groepen")
    overleggen: list[OverlegModel] = Field(default_factory=list)
    products: list[ProductModel] = Field(default_factory=list, alias="producten")
    reminders: list[ReminderRuleModel] = Field(default_factory=list, alias="herinneringen")
    incident_templates: list[IncidentTemplateModel] = Field(
        default_factory=list, alias="incidentsjablonen"
    )
