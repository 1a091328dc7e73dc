"""``overlegbot plan check``: every problem in a plan file, each at its line, in Dutch.

Three passes, all of which run so that one check lists everything to fix: reading the YAML
(:mod:`planning.plan.source`: size, encoding, syntax, anchors, duplicate keys), the models
(:mod:`planning.plan.model`: types, dates, times, unknown keys) and the checks between entries
(:mod:`planning.plan.consistency`). A file that cannot be read as YAML stops after the first
pass, as nothing after it can be read. Problems come out in file order; the ``field`` format
is described in :mod:`planning.plan.problem`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from planning import catalogue
from planning.plan.consistency import find_inconsistencies
from planning.plan.model import FIXED_LIST, FIXED_MAPPING, RULE_MAPPING, RULE_TEXT, PlanFileModel
from planning.plan.problem import Path, Problem, field_name
from planning.plan.source import Source, read_source


@dataclass(frozen=True)
class CheckResult:
    """The plan when the file has no problem at all, else None and the problems."""

    plan: PlanFileModel | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_plan(content: str | bytes, file_name: str) -> CheckResult:
    """Read and check a plan file, its bytes as read or its text; ``file_name`` is what the
    problems start with."""
    source = read_source(content, file_name)
    if source.data is None:
        return CheckResult(None, source.problems)
    problems = list(source.problems)
    plan: PlanFileModel | None = None
    try:
        plan = PlanFileModel.model_validate(source.data)
    except ValidationError as error:
        problems += [_problem(source, file_name, detail) for detail in error.errors()]
    for path, message in find_inconsistencies(source.data, source.line):
        problems.append(Problem(file_name, source.line(path), field_name(path), message))
    problems.sort(key=lambda problem: problem.line)  # stable: same line keeps pass order
    return CheckResult(None if problems else plan, problems)


def _problem(source: Source, file_name: str, error: ErrorDetails) -> Problem:
    path = _file_path(error["loc"])
    if error["type"] in _NOT_MAPPING and error["loc"][-1:] == (RULE_MAPPING,):
        message = catalogue.plain("plan.problem.recurrence_form")
    elif error["type"] == "plan_phone" and path in source.written:
        # Not the number YAML made of it (0301234567 is octal: 50674039), but what was typed.
        message = catalogue.plain("plan.problem.unquoted_number", value=source.written[path])
    else:
        message = problem_message(error)
    return Problem(file_name, source.line(path), field_name(path), message)


_NOT_MAPPING = ("model_type", "model_attributes_type", "dict_type")
# A key with two forms -> the tags pydantic puts after it in an error's location.
_FORMS = {"herhaling": (RULE_TEXT, RULE_MAPPING), "vaste_punten": (FIXED_LIST, FIXED_MAPPING)}


def _file_path(location: tuple[str | int, ...]) -> Path:
    """The error's location as the file's path: without the tag of a form (``herhaling`` as
    text or mapping, ``vaste_punten`` as list or mapping)."""
    return tuple(
        part
        for i, part in enumerate(location)
        if not (i > 0 and part in _FORMS.get(str(location[i - 1]), ()))
    )


def problem_message(error: ErrorDetails) -> str:
    """Dutch for one pydantic error: ours (``plan_*``) and the few the models can raise."""
    context: dict[str, Any] = dict(error.get("ctx") or {})
    value = context.get("value", error["input"])
    match error["type"]:
        case "missing":
            return catalogue.plain("plan.problem.missing")
        case "extra_forbidden":
            return catalogue.plain("plan.problem.unknown_key")
        case "plan_date":
            return catalogue.plain("plan.problem.bad_date", value=value)
        case "plan_time":
            return catalogue.plain("plan.problem.bad_time", value=value)
        case "plan_month":
            return catalogue.plain("plan.problem.bad_month", value=value)
        case "plan_zone":
            return catalogue.plain("plan.problem.unknown_zone", value=value)
        case "plan_version":
            return catalogue.plain("plan.problem.bad_version", value=value)
        case "plan_kind":
            return catalogue.plain("plan.problem.bad_kind", value=value)
        case "plan_yes_no":
            return catalogue.plain("plan.problem.bad_yes_no", value=value)
        case "plan_rrule":
            return catalogue.plain("plan.problem.bad_rrule", value=value)
        case "plan_placeholder":
            return catalogue.plain("plan.problem.unknown_placeholder", value=value)
        case "plan_brace":
            return catalogue.plain("plan.problem.stray_brace", value=value)
        case "plan_phone":
            return catalogue.plain("plan.problem.unquoted_number", value=value)
        case "greater_than_equal":
            return catalogue.plain("plan.problem.negative", value=value)
        case "less_than_equal":
            return catalogue.plain("plan.problem.too_many_days", value=value, limit=context["le"])
        case "plan_one_group":
            return catalogue.plain("plan.problem.one_group")
        case "string_too_short":
            return catalogue.plain("plan.problem.empty")
        case "string_too_long" | "too_long":
            return catalogue.plain("plan.problem.too_long", limit=context.get("max_length", ""))
        case "string_type":
            return catalogue.plain("plan.problem.not_text")
        case "int_type" | "int_parsing" | "int_from_float":
            return catalogue.plain("plan.problem.not_whole_number", value=value)
        case "list_type":
            return catalogue.plain("plan.problem.not_list")
        case "model_type" | "model_attributes_type" | "dict_type":  # _NOT_MAPPING
            return catalogue.plain("plan.problem.not_mapping")
        case _:
            return catalogue.plain("plan.problem.invalid", value=value)
