"""The plan file's YAML as plain Python data, with the line each value came from.

Checking a plan must say *where* a problem is, and PyYAML's ``safe_load`` forgets that. So the
text is composed into PyYAML's node tree (``yaml.compose`` with the ``SafeLoader``) and built
into dicts, lists and scalars here, recording for every path (mapping keys and 0-based list
indices, e.g. ``("overleggen", 1, "bijeenkomsten", 3)``) the 1-based line where its node starts
and, for a mapping entry, the line of its key. Building it ourselves also lets us:

- report a key that occurs twice in one mapping (``safe_load`` silently keeps the last);
- keep an impossible date such as ``2011-02-30`` as the text it is (PyYAML's timestamp
  constructor would raise), so the model reports it as an invalid date at its line;
- keep ``10:00`` as text: YAML 1.1 reads an unquoted ``10:00`` as the base-60 integer 600;
- take mapping keys as written, so ``ja:`` or ``on:`` stay names instead of booleans.

**Commas in flow mappings.** A flow mapping splits at commas, so the year plan's
``{code: rijk, naam: Ministeries van BZK, J&V en VWS}`` parses as ``naam: Ministeries van BZK``
plus a key ``J&V en VWS`` without a value. The authors clearly meant one name, and the file must
import unchanged, so: in a flow mapping, a plain-scalar key that has no ``:`` after it (its value
is an empty null node without any source text) and follows another entry with only a comma in
between, continues that entry's plain text value; the two are joined with ``", "``. Anywhere else
such a key stays a key, and the model reports it as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planning import catalogue
from planning.plan.problem import SYNTAX_FIELD, Path, Problem, field_name

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


@dataclass
class Source:
    """The file's data (None when it is not YAML) and where each value came from."""

    data: Any
    node_lines: dict[Path, int] = field(default_factory=dict)
    key_lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line(self, path: Path) -> int:
        """The line of ``path``: its key's line, else its node's, else its nearest ancestor's.

        A path need not exist: a missing field is reported at the mapping that lacks it.
        """
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            found = self.key_lines.get(prefix) or self.node_lines.get(prefix)
            if found is not None:
                return found
        return 1


def read_source(text: str, file_name: str) -> Source:
    """Parse ``text``; a syntax error becomes the one problem, at the line PyYAML names."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        detail = error.problem or error.context or ""
        message = catalogue.plain("plan.problem.yaml_syntax", detail=detail)
        return Source(None, problems=[Problem(file_name, line, SYNTAX_FIELD, message)])
    except yaml.YAMLError as error:
        message = catalogue.plain("plan.problem.yaml_syntax", detail=str(error))
        return Source(None, problems=[Problem(file_name, 1, SYNTAX_FIELD, message)])
    if root is None:
        return Source({}, node_lines={(): 1})
    builder = _Builder(text, file_name)
    data = builder.build(root, ())
    return Source(data, builder.node_lines, builder.key_lines, builder.problems)


class _Builder:
    """Walks the node tree once, building the data and the line map side by side."""

    def __init__(self, text: str, file_name: str) -> None:
        self.text = text
        self.file_name = file_name
        self.node_lines: dict[Path, int] = {}
        self.key_lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.active: set[int] = set()  # nodes being built: an alias to an ancestor is a loop

    def build(self, node: Node, path: Path) -> Any:
        self.node_lines[path] = node.start_mark.line + 1
        if id(node) in self.active:
            self._problem(path, catalogue.plain("plan.problem.recursive_alias"))
            return None
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        pairs = _join_flow_continuations(node, self.text) if node.flow_style else node.value
        result: dict[str, Any] = {}
        for key_node, value_node in pairs:
            if not isinstance(key_node, ScalarNode):
                line = key_node.start_mark.line + 1
                message = catalogue.plain("plan.problem.complex_key")
                self.problems.append(Problem(self.file_name, line, field_name(path), message))
                continue
            key: str = key_node.value
            key_path = (*path, key)
            key_line = key_node.start_mark.line + 1
            if key in result:
                first = self.key_lines[key_path]
                message = catalogue.plain("plan.problem.duplicate_key", key=key, line=first)
                self.problems.append(
                    Problem(self.file_name, key_line, field_name(key_path), message)
                )
                continue
            self.key_lines[key_path] = key_line
            result[key] = self.build(value_node, key_path)
        return result

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        if node.style is None and node.tag in _NUMBERS and ":" in node.value:
            return node.value  # a time such as 10:00, not YAML 1.1's base-60 number
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as error:
            if node.tag != _TIMESTAMP:  # an unknown !tag, or !!int on letters
                detail = getattr(error, "problem", None) or str(error)
                self._problem(path, catalogue.plain("plan.problem.yaml_value", detail=detail))
            return node.value  # e.g. 2011-02-30: the model says it is no date

    def _problem(self, path: Path, message: str) -> None:
        line = self.node_lines.get(path, 1)
        self.problems.append(Problem(self.file_name, line, field_name(path), message))


def _join_flow_continuations(node: MappingNode, text: str) -> list[tuple[Node, Node]]:
    """The flow mapping's entries with comma-split plain text values joined again."""
    pairs: list[tuple[Node, Node]] = []
    for key, value in node.value:
        if pairs and _is_continuation(pairs[-1][1], key, value, text):
            previous_key, previous = pairs[-1]
            joined = ScalarNode(
                _STR, f"{previous.value}, {key.value}", previous.start_mark, key.end_mark
            )
            pairs[-1] = (previous_key, joined)
        else:
            pairs.append((key, value))
    return pairs


def _is_continuation(previous: Node, key: Node, value: Node, text: str) -> bool:
    """Whether ``key`` is really more of ``previous``'s text after a comma (see above)."""
    return (
        isinstance(previous, ScalarNode)
        and previous.tag == _STR
        and previous.style is None
        and isinstance(key, ScalarNode)
        and key.style is None
        and isinstance(value, ScalarNode)
        and value.tag == _NULL
        and value.value == ""
        and value.start_mark.index == key.end_mark.index
        and text[previous.end_mark.index : key.start_mark.index].strip() == ","
    )
