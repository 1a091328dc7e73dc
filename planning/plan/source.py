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

**A hostile or broken file** is refused before it costs anything, each time with one problem
at ``FILE:LINE:COLUMN`` in Dutch:

- more than :data:`MAX_PLAN_BYTES` (the example plan is 8 kB);
- bytes that are not UTF-8 (a Word file, a Latin-1 export), or a NUL byte (a binary file),
  named by byte offset; a UTF-8 byte order mark is allowed;
- anchors and aliases (``&naam``, ``*naam``): the plan never needs them, and expanding them is
  how a 1 kB "billion laughs" file asks for gigabytes. They are refused at the first anchor,
  while composing, before anything is expanded;
- nesting deeper than :data:`MAX_DEPTH` (the plan needs six levels);
- a YAML syntax error: PyYAML's English problem is mapped to a Dutch catalogue text
  (``plan.yaml.*``); one not in the table gets a general Dutch sentence, never the English.

**Commas in flow mappings.** A flow mapping splits at commas, so the year plan's
``{code: rijk, naam: Ministeries van BZK, J&V en VWS}`` parses as ``naam: Ministeries van BZK``
plus a key ``J&V en VWS`` without a value. The authors clearly meant one name, and the file must
import unchanged, so: in a flow mapping, a plain-scalar key that has no ``:`` after it (its value
is an empty null node without any source text) and follows another entry with only a comma in
between, continues that entry's plain text value; the two are joined with ``", "``. Anywhere else
such a key stays a key, and the model reports it as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from planning import catalogue
from planning.plan.problem import SYNTAX_FIELD, Path, Problem, field_name

MAX_PLAN_BYTES = 5_000_000
"""The largest plan file read; a year plan is a few kB, so this only stops mistakes and abuse."""
MAX_DEPTH = 20
"""The deepest nesting of lists and mappings accepted; the plan file needs six."""

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_NUMBERS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_BOM = b"\xef\xbb\xbf"

# PyYAML's (and libyaml's) problem texts, in the order they are tried, with the catalogue key
# of the Dutch text and whether the context mark (where the trouble began, such as an opening
# quote) places it better than the problem mark (where the parser noticed).
_SYNTAX: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (re.compile(r"mapping values are not allowed here"), "plan.yaml.colon_in_value", False),
    (re.compile(r"could not find expected ':'"), "plan.yaml.missing_colon", True),
    (re.compile(r"found character '\\t'|found a tab character"), "plan.yaml.tab", False),
    (
        re.compile(r"found character (?P<char>.+) that cannot start any token"),
        "plan.yaml.bad_character",
        False,
    ),
    (
        re.compile(r"did not find expected key|expected <block end>, but found"),
        "plan.yaml.indentation",
        False,
    ),
    (re.compile(r"sequence entries are not allowed here"), "plan.yaml.dash", False),
    (re.compile(r"found unknown escape character (?P<char>.+)"), "plan.yaml.escape", False),
    (re.compile(r"expected escape sequence of"), "plan.yaml.escape_hex", False),
    (re.compile(r"found unexpected end of stream"), "plan.yaml.unclosed_quote", True),
    (re.compile(r"found unexpected document separator"), "plan.yaml.unclosed_quote", True),
    (re.compile(r"expected ',' or '\]'"), "plan.yaml.flow_sequence", False),
    (re.compile(r"expected ',' or '\}'"), "plan.yaml.flow_mapping", False),
    (re.compile(r"expected the node content"), "plan.yaml.no_value", False),
    (re.compile(r"but found another document"), "plan.yaml.two_documents", False),
)


@dataclass
class Source:
    """The file's data (None when it is not YAML) and where each value came from."""

    data: Any
    node_lines: dict[Path, int] = field(default_factory=dict)
    key_lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # A value YAML read as other than text (``0301234567``, octal), as the author wrote it.
    written: dict[Path, str] = field(default_factory=dict)

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


def read_source(content: str | bytes, file_name: str) -> Source:
    """Parse ``content`` (the file's bytes, or text already decoded); a file that cannot be
    read as YAML gets one problem, at the line and column where it goes wrong."""
    if isinstance(content, bytes):
        text, problem = _decode(content, file_name)
        if problem is not None:
            return Source(None, problems=[problem])
    else:
        text = content.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=_PlanLoader)
    except _Refused as refused:
        return Source(None, problems=[_at(file_name, refused.mark, catalogue.plain(refused.key))])
    except yaml.MarkedYAMLError as error:
        return Source(None, problems=[_syntax_problem(error, file_name)])
    except yaml.reader.ReaderError as error:
        return Source(None, problems=[_control_character(error, text, file_name)])
    except yaml.YAMLError:
        message = catalogue.plain("plan.problem.yaml_syntax")
        return Source(None, problems=[Problem(file_name, 1, SYNTAX_FIELD, message, 1)])
    if root is None:
        return Source({}, node_lines={(): 1})
    builder = _Builder(text, file_name)
    data = builder.build(root, ())
    return Source(data, builder.node_lines, builder.key_lines, builder.problems, builder.written)


def _decode(content: bytes, file_name: str) -> tuple[str, Problem | None]:
    """The text of ``content``, or the problem that it is too large, binary or not UTF-8."""
    if len(content) > MAX_PLAN_BYTES:
        message = catalogue.plain("plan.yaml.too_large", limit=MAX_PLAN_BYTES // 1_000_000)
        return "", Problem(file_name, 1, SYNTAX_FIELD, message, 1)
    start = len(_BOM) if content.startswith(_BOM) else 0  # offsets stay the file's own
    nul = content.find(b"\0", start)
    if nul >= 0:
        message = catalogue.plain("plan.yaml.binary", offset=nul)
        return "", _at_byte(file_name, content, start, nul, message)
    try:
        return content[start:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        offset = start + error.start
        message = catalogue.plain(
            "plan.yaml.bad_encoding", byte=f"0x{content[offset]:02x}", offset=offset
        )
        return "", _at_byte(file_name, content, start, offset, message)


def _at_byte(file_name: str, content: bytes, start: int, offset: int, message: str) -> Problem:
    """At the line of byte ``offset``, and its column in bytes (the text after ``start``)."""
    line = content.count(b"\n", 0, offset) + 1
    column = offset - max(content.rfind(b"\n", 0, offset) + 1, start) + 1
    return Problem(file_name, line, SYNTAX_FIELD, message, column)


def _at(file_name: str, mark: yaml.Mark, message: str) -> Problem:
    return Problem(file_name, mark.line + 1, SYNTAX_FIELD, message, mark.column + 1)


def _syntax_problem(error: yaml.MarkedYAMLError, file_name: str) -> Problem:
    """PyYAML's English problem as one Dutch line at the most telling of its two marks."""
    problem = error.problem or ""
    for pattern, key, at_context in _SYNTAX:
        match = pattern.search(problem) or pattern.search(error.context or "")
        if match is None:
            continue
        mark = (error.context_mark if at_context else None) or error.problem_mark
        mark = mark or error.context_mark
        # PyYAML quotes the character as Python does ('@'); the Dutch texts quote it their way.
        values: dict[str, str] = {
            name: value.strip("'\"") for name, value in match.groupdict().items()
        }
        if error.context_mark is not None:  # where the list or object began, for the texts
            values["line"] = str(error.context_mark.line + 1)
        message = catalogue.plain(key, n=None, **values)
        if mark is None:
            return Problem(file_name, 1, SYNTAX_FIELD, message, 1)
        return _at(file_name, mark, message)
    mark = error.problem_mark or error.context_mark
    message = catalogue.plain("plan.problem.yaml_syntax")
    if mark is None:
        return Problem(file_name, 1, SYNTAX_FIELD, message, 1)
    return _at(file_name, mark, message)


def _control_character(error: yaml.reader.ReaderError, text: str, file_name: str) -> Problem:
    """A character YAML does not allow in a text file (a control character), where it is."""
    position = error.position
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(error.character)
    message = catalogue.plain("plan.yaml.control_character", code=f"U+{code:04X}")
    return Problem(file_name, line, SYNTAX_FIELD, message, column)


class _Refused(Exception):  # noqa: N818 - a refusal the reader turns into a problem
    """Something the plan file may not contain, found while composing, at ``mark``."""

    def __init__(self, mark: yaml.Mark, key: str) -> None:
        super().__init__(key)
        self.mark = mark
        self.key = key


class _PlanLoader(yaml.SafeLoader):
    """The safe loader, refusing anchors, aliases and deep nesting as it composes each node.

    Refusing the first anchor, before its node is composed, means an alias is never followed:
    nothing is expanded, whatever the file asks for.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        mark = event.start_mark
        if isinstance(event, AliasEvent):
            raise _Refused(mark, "plan.yaml.alias")
        if isinstance(event, NodeEvent) and event.anchor is not None:
            raise _Refused(mark, "plan.yaml.anchor")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise _Refused(mark, "plan.yaml.too_deep")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Builder:
    """Walks the node tree once, building the data and the line map side by side."""

    def __init__(self, text: str, file_name: str) -> None:
        self.text = text
        self.file_name = file_name
        self.node_lines: dict[Path, int] = {}
        self.key_lines: dict[Path, int] = {}
        self.problems: list[Problem] = []
        self.written: dict[Path, str] = {}
        self.constructor = yaml.SafeLoader("")

    def build(self, node: Node, path: Path) -> Any:
        # No alias reaches here (the loader refused them), so the tree is a tree: no loops.
        self.node_lines[path] = node.start_mark.line + 1
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, MappingNode)
        return self._mapping(node, path)

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
            value = self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            # A tag no safe constructor knows (``!nummer``, ``!!python/object``), or bad data
            # under ``!!binary``: the author wrote something the plan cannot mean.
            self._problem(path, catalogue.plain("plan.problem.yaml_value", tag=node.tag))
            return node.value
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # A value its (resolved or written) tag cannot construct: 2011-02-30, ``!!int
            # abc``, ``!!bool misschien``, an integer of 5,000 digits. As text, the model
            # says what is wrong with it where it is used.
            return node.value
        if not isinstance(value, str):
            self.written[path] = node.value
        return value

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
