"""Validation and decoding of Bot API calls against the published reference (api.json).

The stand-in is only useful if it refuses what Telegram refuses: a bot that passes a
misspelled parameter or a wrongly typed value must fail in the tests, not in production.
All knowledge about parameter names and types therefore comes from api.json rather than
from hand-written tables that could drift from the real API.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["FilePart", "Spec", "SpecError", "load_spec"]

_DISCRIMINATOR = re.compile(r'(?:must be |always ")([a-z_]+)')
_MAX_DEPTH = 12


@dataclass(frozen=True)
class FilePart:
    """An uploaded multipart file, kept apart from plain values so "InputFile" can be checked."""

    field_name: str
    file_name: str
    content_type: str
    content: bytes = dataclasses.field(repr=False)


class SpecError(ValueError):
    """A call that does not match the reference; the message names method and parameter."""


class Spec:
    """The methods and types of one Bot API version, with decoding by declared type."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = str(data.get("version", "unknown"))
        self.methods: dict[str, dict[str, Any]] = data["methods"]
        self.types: dict[str, dict[str, Any]] = data["types"]
        # Telegram treats method names case-insensitively; remember the canonical spelling.
        self._by_lower = {name.lower(): name for name in self.methods}

    def canonical_method(self, name: str) -> str | None:
        """Resolve a URL method name to its api.json spelling, or None if it does not exist."""
        return self._by_lower.get(name.lower())

    def decode_params(
        self, method: str, raw: dict[str, Any], files: dict[str, FilePart]
    ) -> dict[str, Any]:
        """Turn wire values into typed Python values, raising SpecError on any mismatch.

        Form values arrive as strings (PTB JSON-encodes everything that is not a string);
        JSON bodies arrive already typed. Both are accepted, so each value is decoded by
        the type api.json declares for it rather than by guessing from its content.
        """
        fields = {f["name"]: f for f in self.methods[method].get("fields", [])}
        unknown = sorted(set(raw) - set(fields))
        # Multipart parts referenced as "attach://name" are not parameters in their own right.
        attached = {
            v.removeprefix("attach://")
            for v in raw.values()
            if isinstance(v, str) and v.startswith("attach://")
        }
        unknown += sorted(set(files) - set(fields) - attached - set(raw))
        if unknown:
            raise SpecError(f"{method}: unknown parameter {', '.join(map(repr, unknown))}")
        decoded: dict[str, Any] = {}
        for name, field in fields.items():
            if name in raw:
                decoded[name] = self._decode_top(method, name, field["types"], raw[name], files)
            elif name in files:
                decoded[name] = self._decode_top(method, name, field["types"], files[name], files)
            elif field["required"]:
                raise SpecError(f"{method}: required parameter {name!r} is missing")
        return decoded

    def _decode_top(
        self, method: str, name: str, types: list[str], value: Any, files: dict[str, FilePart]
    ) -> Any:
        where = f"{method}: parameter {name!r}"
        if isinstance(value, FilePart):
            if "InputFile" in types:
                return value
            raise SpecError(f"{where} is a file upload but must be {' or '.join(types)}")
        if "InputFile" in types and isinstance(value, str) and value.startswith("attach://"):
            part = files.get(value.removeprefix("attach://"))
            if part is None:
                raise SpecError(f"{where} refers to missing upload {value!r}")
            return part
        if isinstance(value, str) and not _is_string_typed(types):
            value = _parse_wire_string(where, types, value)
        return self.check_value(where, types, value, 0)

    def check_value(self, where: str, types: list[str], value: Any, depth: int) -> Any:
        """Check an already parsed value against a union of api.json type names.

        Returns the value, with "Integer or String" numerals converted, because that is
        how Telegram itself interprets a chat_id given as text.
        """
        if depth > _MAX_DEPTH:
            raise SpecError(f"{where} is nested too deeply")
        problems: list[str] = []
        for type_name in types:
            try:
                return self._check_one(where, type_name, value, depth)
            except SpecError as exc:
                problems.append(str(exc))
        if len(problems) == 1:
            raise SpecError(problems[0])
        raise SpecError(f"{where} matches none of {' / '.join(types)}: {problems[0]}")

    def _check_one(self, where: str, type_name: str, value: Any, depth: int) -> Any:
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise SpecError(f"{where} must be a JSON array ({type_name})")
            inner = type_name.removeprefix("Array of ")
            return [
                self.check_value(f"{where}[{i}]", [inner], item, depth + 1)
                for i, item in enumerate(value)
            ]
        if type_name == "Integer":
            if isinstance(value, bool) or not isinstance(value, int):
                raise SpecError(f"{where} must be an Integer, got {value!r}")
            return value
        if type_name == "Float":
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SpecError(f"{where} must be a Float, got {value!r}")
            return value
        if type_name == "Boolean":
            if not isinstance(value, bool):
                raise SpecError(f"{where} must be a Boolean, got {value!r}")
            return value
        if type_name == "String":
            if not isinstance(value, str):
                raise SpecError(f"{where} must be a String, got {value!r}")
            return value
        if type_name == "InputFile":
            if not isinstance(value, FilePart):
                raise SpecError(f"{where} must be an uploaded file")
            return value
        return self._check_object(where, type_name, value, depth)

    def _check_object(self, where: str, type_name: str, value: Any, depth: int) -> Any:
        spec_type = self.types.get(type_name)
        if spec_type is None:
            raise SpecError(f"{where}: api.json has no type {type_name!r}")
        if not isinstance(value, dict):
            raise SpecError(f"{where} must be a JSON object ({type_name})")
        subtypes: list[str] = spec_type.get("subtypes", [])
        if subtypes:
            return self.check_value(where, self._candidates(subtypes, value), value, depth + 1)
        fields = {f["name"]: f for f in spec_type.get("fields", [])}
        unknown = sorted(set(value) - set(fields))
        if unknown:
            raise SpecError(
                f"{where}: unknown field {', '.join(map(repr, unknown))} in {type_name}"
            )
        checked: dict[str, Any] = {}
        for name, field in fields.items():
            if name in value:
                checked[name] = self.check_value(
                    f"{where}.{name}", field["types"], value[name], depth + 1
                )
            elif field["required"]:
                raise SpecError(f"{where}: {type_name} requires field {name!r}")
        return checked

    def _candidates(self, subtypes: list[str], value: dict[str, Any]) -> list[str]:
        """Narrow an abstract type to the subtypes whose "type" discriminator fits the value."""
        tag = value.get("type", value.get("status", value.get("source")))
        matching: list[str] = []
        for sub in subtypes:
            for field in self.types[sub].get("fields", []):
                if field["name"] in ("type", "status", "source"):
                    found = _DISCRIMINATOR.search(field["description"])
                    if found and found.group(1) == tag:
                        matching.append(sub)
        return matching or subtypes


def _is_string_typed(types: list[str]) -> bool:
    """Whether a wire string must be taken literally (a text "123" stays a text)."""
    return types == ["String"] or types == ["InputFile", "String"]


def _parse_wire_string(where: str, types: list[str], value: str) -> Any:
    """Decode a form-encoded string by its declared type instead of by its look."""
    if types == ["Integer", "String"]:
        try:
            return int(value)
        except ValueError:
            return value
    if types == ["Integer"]:
        try:
            return int(value)
        except ValueError:
            raise SpecError(f"{where} must be an Integer, got {value!r}") from None
    if types == ["Float"]:
        try:
            return float(value)
        except ValueError:
            raise SpecError(f"{where} must be a Float, got {value!r}") from None
    if types == ["Boolean"]:
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise SpecError(f"{where} must be a Boolean, got {value!r}")
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        raise SpecError(f"{where} must be JSON-serialized {' or '.join(types)}") from None


@cache
def load_spec() -> Spec:
    """Load api.json once per process; it is a package resource so it works when installed."""
    text = resources.files("bot.standin").joinpath("api.json").read_text(encoding="utf-8")
    return Spec(json.loads(text))
