"""Copilot durations: Go ``time.ParseDuration`` strings (``90s``, ``1h30m``, ``250ms``).

Copilot's documentation also writes days (``4d``); they are accepted as 24 hours.
"""

from __future__ import annotations

import re
from decimal import Decimal

_UNIT_SECONDS = {
    "ns": Decimal("1e-9"),
    "us": Decimal("1e-6"),
    "µs": Decimal("1e-6"),
    "ms": Decimal("1e-3"),
    "s": Decimal(1),
    "m": Decimal(60),
    "h": Decimal(3600),
    "d": Decimal(86400),
}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d)")


class DurationError(ValueError):
    """Not a duration; the message says what one looks like."""


def parse_duration(text: str) -> Decimal:
    """Seconds in ``text`` (exact, as a Decimal). ``0`` alone is zero, as in Go."""
    if text == "0":
        return Decimal(0)
    position, total = 0, Decimal(0)
    while position < len(text):
        match = _PART.match(text, position)
        if match is None:
            raise DurationError(
                f"{text!r} is not a duration; use a number and a unit (ms, s, m, h), e.g. 30s or 1h30m"
            )
        total += Decimal(match[1]) * _UNIT_SECONDS[match[2]]
        position = match.end()
    if not text:
        raise DurationError("an empty duration; use e.g. 30s or 1h30m")
    return total


def whole_seconds(text: str) -> int:
    """``text`` in whole seconds; ``DurationError`` if it has a fraction of a second."""
    seconds = parse_duration(text)
    if seconds != seconds.to_integral_value():
        raise DurationError(f"{text!r} is not a whole number of seconds")
    return int(seconds)
