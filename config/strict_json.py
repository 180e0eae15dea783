"""JSON as RFC 8259 defines it, for documents the deployer sends to AWS.

Python's ``json`` reads more: ``NaN``, ``Infinity`` and ``-Infinity``, a number past a
double's range (``1e999``) as infinity, and it recurses once per level of nesting, so a deeply
nested document raises ``RecursionError``. AWS takes none of those values.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

MAX_DEPTH = 64  # task definitions and workflow inputs are a few levels deep
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)  # strings skipped: their brackets are text


class StrictJsonError(ValueError):
    """The text is JSON to Python but not to AWS; the message says what is wrong."""


def strict_loads(text: str) -> Any:
    """``text`` parsed as JSON. ``StrictJsonError`` for NaN, Infinity, a number past a double's
    range or of more digits than Python converts, and nesting deeper than ``MAX_DEPTH`` (64)
    levels; ``json.JSONDecodeError`` for a syntax error, as ``json.loads`` raises it."""
    _check_depth(text)
    return json.loads(text, parse_constant=_no_constant, parse_float=_finite, parse_int=_integer)


def _check_depth(text: str) -> None:
    depth = 0
    for token in _TOKEN.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise StrictJsonError(
                    f"nesting is deeper than {MAX_DEPTH} levels (at character {token.start()})"
                )
        elif bracket in "]}":
            depth -= 1


def _no_constant(name: str) -> Any:
    raise StrictJsonError(f"JSON has no NaN or Infinity (got {name})")


def _finite(literal: str) -> float:
    value = float(literal)
    if math.isinf(value):
        raise StrictJsonError(f"JSON has no NaN or Infinity: {literal[:40]} is past a double's range")
    return value


def _integer(literal: str) -> int:
    limit = sys.get_int_max_str_digits()
    if len(literal.lstrip("-")) > limit:
        raise StrictJsonError(f"a number has more than {limit} digits")
    return int(literal)
