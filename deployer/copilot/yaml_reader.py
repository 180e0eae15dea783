"""Manifests read the way Copilot reads them: YAML 1.2 (Go's yaml.v3), not PyYAML's 1.1.

The differences matter: in YAML 1.1 the key ``on:`` of a Scheduled Job is the boolean True and
``yes``/``off`` are booleans; yaml.v3 reads them as strings. Keys are always strings here, a
plain scalar is typed by the YAML 1.2 core schema, and the values of string maps
(``variables``, ``labels``, build ``args``, log ``destination``) keep their literal text, as Go
decodes ``SSL: True`` into the string ``"True"``. Repeated keys are errors, and every value
keeps its line number for error messages.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from config.yaml_source import MAX_VALUES, Loc, StrictLoader, YamlSyntaxError

MAX_DIGITS = 20  # Go's yaml.v3 decodes integers of 64 bits at most: 20 digits
STRING_MAPS = frozenset({"variables", "labels", "args", "destination"})
_NULL = re.compile(r"^(~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(
    r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"
)


class ManifestSyntaxError(ValueError):
    """Not valid YAML, a key is repeated, nesting is deeper than 64 levels or a number longer than
    ``MAX_DIGITS``; the message names the line."""


def read_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """The document in ``text`` and the 1-based line of every value's path."""
    try:
        node = yaml.compose(text, Loader=StrictLoader)  # nesting bounded: _build recurses per level
    except YamlSyntaxError as error:
        raise ManifestSyntaxError(str(error)) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise ManifestSyntaxError(f"{where}{getattr(error, 'problem', None) or error}") from None
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    return _Builder(lines).build(node, ()), lines


class _Builder:
    """Builds the document from the composed nodes, following each alias where it is used,
    within the spec reader's ``MAX_VALUES`` budget (an alias bomb is refused, not expanded)."""

    def __init__(self, lines: dict[Loc, int]) -> None:
        self.lines = lines
        self.built = 0

    def build(self, node: yaml.Node, loc: Loc, string_map: bool = False) -> Any:
        """``string_map``: ``node`` is a map of strings, whose scalar values keep their text."""
        self.built += 1
        if self.built > MAX_VALUES:
            raise ManifestSyntaxError(
                f"line {node.start_mark.line + 1}: the manifest's aliases expand it to more than "
                f"{MAX_VALUES} values; write the values out or use fewer nested aliases"
            )
        self.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, string_map)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return _scalar(node, literal=False)

    def _mapping(self, node: yaml.MappingNode, loc: Loc, string_map: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *anchor`, as yaml.v3 merges it
                for source in value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                    merged = {**self._merge_source(source, loc, string_map), **merged}
                continue
            key = str(key_node.value)
            if key in result:
                raise ManifestSyntaxError(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
            self.lines[(*loc, key)] = key_node.start_mark.line + 1
            if isinstance(value_node, yaml.ScalarNode):
                result[key] = _scalar(value_node, literal=string_map)
            else:
                result[key] = self.build(value_node, (*loc, key), string_map=key in STRING_MAPS)
        return {**merged, **result}

    def _merge_source(self, source: yaml.Node, loc: Loc, string_map: bool) -> Any:
        """A ``<<`` source, built within the budget; its lines are the anchor's, not recorded."""
        lines, self.lines = self.lines, {}
        try:
            return self.build(source, loc, string_map)
        finally:
            self.lines = lines


def _scalar(node: yaml.ScalarNode, literal: bool) -> Any:
    text = str(node.value)
    if node.style in ("'", '"', "|", ">"):
        return text
    if _NULL.match(text):
        return None
    if literal:
        return text
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        digits = len(text.lstrip("+-"))
        if digits > MAX_DIGITS:  # Python's int() raises ValueError past 4300 digits
            raise ManifestSyntaxError(
                f"line {node.start_mark.line + 1}: a number of {digits} digits; Copilot reads "
                f"numbers of at most {MAX_DIGITS} digits"
            )
        return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
    if _FLOAT.match(text):
        special = text.lstrip("+-").lower()
        if special in (".inf", ".nan"):
            return float(("-" if text.startswith("-") else "") + special[1:])
        return float(text)
    return text
