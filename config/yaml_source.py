"""Strict, bounded YAML reading: every value keeps its line number, and hostile input is refused.

- A key repeated in one mapping is an error. Merge keys (``<<: *defaults``) work as YAML
  defines them: a key written in the mapping overrides the merged one.
- Aliases are followed once per use, so a document whose aliases expand to more than
  ``MAX_VALUES`` values (a "billion laughs" alias bomb) is refused before it is built.
- Nesting deeper than ``MAX_DEPTH`` levels, characters YAML does not allow, and control
  characters in a value (other than tab, newline and carriage return) are refused.
- Numbers are read as written, as YAML 1.2 reads them: ``10``, ``-3``, ``2.5``, ``1.5e+3``. The
  YAML 1.1 forms stay text: a leading zero (``010``, octal 8 to YAML 1.1), base 60 (``1:30``,
  90 to YAML 1.1), ``0x``/``0b`` and digit separators (``1_000``); a field that wants a number
  says so. An integer of more than ``MAX_DIGITS`` digits is refused.

Each refusal is a ``YamlSyntaxError`` naming the line (and the path, when it has one).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Loc = tuple[str | int, ...]

MAX_DEPTH = 64  # a spec is about 8 levels deep
MAX_VALUES = 100_000  # a 200-service spec has about 10 000
MAX_DIGITS = 100  # no spec number comes near; Python refuses to read more than 4300
MERGE_TAG = "tag:yaml.org,2002:merge"
INT_TAG, FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
_YAML12_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_YAML12_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


class YamlSyntaxError(ValueError):
    """The text is not valid YAML, repeats a key, or is refused; ``line`` is 1-based when
    known and ``loc`` is the path of the offending value when it has one."""

    def __init__(self, message: str, line: int | None = None, loc: Loc = ()) -> None:
        self.line = line
        self.loc = loc
        self.reason = message
        super().__init__(f"line {line}: {message}" if line else message)


class StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses nesting deeper than ``MAX_DEPTH`` (``YamlSyntaxError``)
    and a key repeated in one mapping, and reads numbers as YAML 1.2 does (module docstring)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise YamlSyntaxError(f"nesting is deeper than {MAX_DEPTH} levels", mark.line + 1)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:
                continue
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            try:
                repeated = key in seen
            except TypeError:
                raise YamlSyntaxError("a key must be a plain value, not a list or mapping", line) from None
            if repeated:
                raise YamlSyntaxError(f"duplicate key {key!r}", line)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_decimal(self, node: yaml.ScalarNode) -> int:
        """An integer as ``_YAML12_INT`` resolved it: decimal digits only (``_LineIndex`` has
        refused more than ``MAX_DIGITS`` of them, at their path, in values; this is for keys)."""
        value = str(self.construct_scalar(node))
        _check_digits(value, (), node.start_mark.line + 1)
        return int(value)


# YAML 1.1's number forms out, YAML 1.2's in (see the module docstring).
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (INT_TAG, FLOAT_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
StrictLoader.add_implicit_resolver(INT_TAG, _YAML12_INT, list("-+0123456789"))
StrictLoader.add_implicit_resolver(FLOAT_TAG, _YAML12_FLOAT, list("-+0123456789."))
StrictLoader.add_constructor(INT_TAG, StrictLoader.construct_decimal)


def parse_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse ``text``; return the data and a map from each value's path to its 1-based line."""
    loader: StrictLoader | None = None
    try:
        loader = StrictLoader(text)  # reads (and checks) every character
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        if node is not None:
            _LineIndex(lines).visit(node, ())
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        problem = error.problem or str(error)
        raise YamlSyntaxError(f"invalid YAML: {problem}", mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise YamlSyntaxError(
            f"character U+{error.character:04X} is not allowed in YAML; remove it", line
        ) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(f"invalid YAML: {error}") from None
    except RecursionError:
        raise YamlSyntaxError(f"nesting is deeper than {MAX_DEPTH} levels") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


class _LineIndex:
    """Walks the composed document, aliases included, within the ``MAX_VALUES`` budget."""

    def __init__(self, lines: dict[Loc, int]) -> None:
        self.lines = lines
        self.visited = 0

    def visit(self, node: yaml.Node, loc: Loc) -> None:
        self.visited += 1
        line = node.start_mark.line + 1
        if self.visited > MAX_VALUES:
            raise YamlSyntaxError(
                f"the document's aliases expand it to more than {MAX_VALUES} values; "
                "write the values out or use fewer nested aliases",
                line,
            )
        self.lines[loc] = line
        if isinstance(node, yaml.ScalarNode):
            self._check_characters(node.value, loc, line)
            if node.tag == INT_TAG:
                _check_digits(node.value, loc, line)
        elif isinstance(node, yaml.MappingNode):
            _check_unique_keys(node, loc)
            for key_node, value_node in _merged(node):
                key_line = key_node.start_mark.line + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlSyntaxError("a key must be a plain value, not a list or mapping", key_line)
                key = key_node.value
                self._check_characters(key, (*loc, key), key_line)
                self.visit(value_node, (*loc, key))
                self.lines[(*loc, key)] = key_line
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.visit(item, (*loc, index))

    @staticmethod
    def _check_characters(value: str, loc: Loc, line: int) -> None:
        found = _CONTROL.search(value)
        if found:
            raise YamlSyntaxError(
                f"control character U+{ord(found.group()):04X} in a value; "
                "only tab, newline and carriage return are allowed",
                line,
                loc,
            )
        half = _SURROGATE.search(value)
        if half:  # from an escape ("\ud800"): no JSON, template or AWS API takes one
            raise YamlSyntaxError(
                f"U+{ord(half.group()):04X} is half of a UTF-16 surrogate pair, not a character; "
                "write the character itself (or its \\U escape)",
                line,
                loc,
            )


def _check_digits(value: str, loc: Loc, line: int) -> None:
    digits = len(value.lstrip("+-"))
    if digits > MAX_DIGITS:
        raise YamlSyntaxError(f"a number of {digits} digits; no value here is that long", line, loc)


def _check_unique_keys(node: yaml.MappingNode, loc: Loc) -> None:
    seen: set[str] = set()
    for key_node, _ in node.value:
        if key_node.tag == MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
            continue
        if key_node.value in seen:
            raise YamlSyntaxError(
                f"duplicate key {key_node.value!r}; give each key once in a mapping",
                key_node.start_mark.line + 1,
                (*loc, key_node.value),
            )
        seen.add(key_node.value)


def _merged(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    """The mapping's pairs with merge keys resolved, in the order the constructor applies
    them (a later pair wins): the last merged mapping first, the pairs written here last."""
    merged: list[tuple[yaml.Node, yaml.Node]] = []
    own: list[tuple[yaml.Node, yaml.Node]] = []
    for key_node, value_node in node.value:
        if key_node.tag != MERGE_TAG:
            own.append((key_node, value_node))
            continue
        sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for source in reversed(sources):
            if isinstance(source, yaml.MappingNode):
                merged.extend(_merged(source))
    return merged + own
