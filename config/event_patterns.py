"""EventBridge event patterns, checked against their grammar before any deploy.

A pattern is a mapping of event fields. A field's value is a mapping (a nested field, as in
``detail``) or a non-empty list of what matches: plain values (text, numbers, true, false,
null) or one-key filter objects (``prefix``, ``suffix``, ``anything-but``, ``numeric``,
``exists``, ``equals-ignore-case``, ``wildcard``, ``cidr``), each with the value EventBridge
takes (``numeric: ['>=', 10]`` compares with numbers, ``exists`` takes true or false, a
``wildcard`` has no ``**``, a ``cidr`` is a block). ``$or`` takes a list of patterns.
The top level names fields of the event envelope only: another name never matches.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from typing import Any

# botocore's events model: EventPattern is at most 4096 characters.
EVENT_PATTERN_MAX = 4096
ENVELOPE_FIELDS = (
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
)
FILTERS = ("prefix", "suffix", "anything-but", "numeric", "exists", "equals-ignore-case", "wildcard", "cidr")
OR = "$or"


def event_pattern_problem(pattern: dict[str, Any]) -> str | None:
    """The first reason ``pattern`` is not a valid event pattern, or None."""
    if not pattern:
        return "an event pattern needs at least one field, e.g. source: [my.app]"
    for key in pattern:
        if key != OR and key not in ENVELOPE_FIELDS:
            return f"{key!r} is not a field of an event; the top level takes: {', '.join(ENVELOPE_FIELDS)}"
    return next(_problems(pattern, ()), None)


def _problems(pattern: dict[str, Any], path: tuple[str, ...]) -> Iterator[str]:
    for key, value in pattern.items():
        where = ".".join((*path, str(key)))
        if key == OR:
            if not isinstance(value, list) or len(value) < 2 or not all(isinstance(v, dict) for v in value):
                yield f"{where}: $or takes a list of two or more patterns"
                continue
            for alternative in value:
                yield from _problems(alternative, path)
        elif isinstance(value, dict):
            if not value:
                yield f"{where}: an empty mapping matches nothing; give its fields or remove it"
            yield from _problems(value, (*path, str(key)))
        elif not isinstance(value, list) or not value:
            yield f"{where}: give a non-empty list of values, e.g. [{_example(value)}]"
        else:
            for item in value:
                yield from _item_problems(where, item)


def _item_problems(where: str, item: Any) -> Iterator[str]:
    if isinstance(item, dict):
        if len(item) != 1 or next(iter(item)) not in FILTERS:
            yield f"{where}: a filter is one of {', '.join(FILTERS)}, e.g. {{prefix: incoming/}}"
            return
        [(name, value)] = item.items()
        problem = _FILTER_VALUE[name](value)
        if problem:
            yield f"{where}: {name} {problem}"
    elif isinstance(item, list):
        yield f"{where}: a list inside a list matches nothing; flatten it"


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else f"takes text, not {value!r}"


def _text_or_ignoring_case(value: Any) -> str | None:
    if isinstance(value, dict) and list(value) == ["equals-ignore-case"]:
        return _text(value["equals-ignore-case"])
    return None if isinstance(value, str) else f"takes text or {{equals-ignore-case: text}}, not {value!r}"


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _numeric(value: Any) -> str | None:
    if not isinstance(value, list) or len(value) not in (2, 4):
        return f"takes [operator, number] or two of them, e.g. ['>=', 10, '<', 20]; not {value!r}"
    for operator, number in zip(value[::2], value[1::2], strict=True):
        if operator not in NUMERIC_OPERATORS:
            return f"operators are {', '.join(NUMERIC_OPERATORS)}, not {operator!r}"
        if not _is_number(number):
            return f"compares with numbers: {number!r} is not one (write 10, not '10')"
    return None


def _exists(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"takes true or false, not {value!r}"


def _wildcard(value: Any) -> str | None:
    if not isinstance(value, str):
        return f"takes text, not {value!r}"
    return f"{value!r} has consecutive wildcards (**), which EventBridge refuses" if "**" in value else None


def _cidr(value: Any) -> str | None:
    try:
        ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        return f"takes an IPv4 or IPv6 block such as 10.0.0.0/24, not {value!r}"
    return None


def _anything_but(value: Any) -> str | None:
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("prefix", "suffix", "wildcard", "equals-ignore-case"):
            [(name, inner)] = value.items()
            problem = _FILTER_VALUE[name](inner)
            return f"{name} {problem}" if problem else None
        return f"takes values, or one of prefix, suffix, wildcard, equals-ignore-case; not {value!r}"
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) or _is_number(v) for v in values):
        return f"takes a value or a non-empty list of texts or numbers, not {value!r}"
    return None


NUMERIC_OPERATORS = ("<", "<=", "=", ">", ">=")
_FILTER_VALUE: dict[str, Callable[[Any], str | None]] = {
    "prefix": _text_or_ignoring_case,
    "suffix": _text_or_ignoring_case,
    "anything-but": _anything_but,
    "numeric": _numeric,
    "exists": _exists,
    "equals-ignore-case": _text,
    "wildcard": _wildcard,
    "cidr": _cidr,
}


def _example(value: Any) -> str:
    return "value" if isinstance(value, (list, dict)) or value is None else str(value)
