"""EventBridge event patterns, checked against their grammar before any deploy.

A pattern is a mapping of event fields. A field's value is a mapping (a nested field, as in
``detail``) or a non-empty list of what matches: plain values (text, numbers, true, false,
null) or one-key filter objects (``prefix``, ``suffix``, ``anything-but``, ``numeric``,
``exists``, ``equals-ignore-case``, ``wildcard``, ``cidr``). ``$or`` takes a list of patterns.
The top level names fields of the event envelope only: another name never matches.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    elif isinstance(item, list):
        yield f"{where}: a list inside a list matches nothing; flatten it"


def _example(value: Any) -> str:
    return "value" if isinstance(value, (list, dict)) or value is None else str(value)
