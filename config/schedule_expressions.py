"""EventBridge Scheduler expressions and time zones, checked with their real grammar.

- ``cron(minutes hours day-of-month month day-of-week year)``: six fields separated by one
  space; minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week
  1-7 or SUN-SAT, year 1970-2199; wildcards ``, - * /`` (``/`` not in day-of-week), ``?``
  in exactly one of day-of-month and day-of-week, ``L`` and ``W`` in day-of-month
  (``L``, ``LW``, ``15W``), ``L`` and ``#`` in day-of-week (``6L``, ``2#1``, alone).
- ``rate(N unit)``: N a whole number from 1, unit minute/hour/day, singular for 1 and
  plural above (``rate(1 hour)``, ``rate(15 minutes)``).
- ``at(yyyy-mm-ddThh:mm:ss)``: one run at that local time of the schedule's time zone (a job's
  schedule recurs, so a job refuses it: ``recurring_schedule_problem``).
- A time zone is an IANA name (``Europe/Paris``, ``UTC``), as the ``zoneinfo`` database has it.

Each function returns ``None`` when the value is valid, else the message to show.
"""

from __future__ import annotations

import difflib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from functools import cache

CRON_EXAMPLE = "cron(0 3 * * ? *)"
SHAPES = "cron(minutes hours day-of-month month day-of-week year) or rate(N minutes|hours|days)"
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()
    steps: bool = True

    def value(self, text: str) -> int | None:
        """The number ``text`` stands for, or None when it is not a value of this field."""
        if text.upper() in self.names:
            return self.names.index(text.upper()) + self.low
        if text.isdigit() and self.low <= int(text) <= self.high:
            return int(text)
        return None

    @property
    def allowed(self) -> str:
        names = f" or {self.names[0]}-{self.names[-1]}" if self.names else ""
        return f"{self.low}-{self.high}{names}"


_FIELDS = (
    _Field("minutes", 0, 59),
    _Field("hours", 0, 23),
    _Field("day-of-month", 1, 31),
    _Field("month", 1, 12, MONTHS),
    _Field("day-of-week", 1, 7, WEEKDAYS, steps=False),
    _Field("year", 1970, 2199),
)
_DAY_OF_MONTH, _DAY_OF_WEEK = 2, 4


def schedule_expression_problem(expression: str) -> str | None:
    """What is wrong with an EventBridge Scheduler expression, or None."""
    if expression.startswith("cron(") and expression.endswith(")"):
        return _cron_problem(expression[5:-1])
    if expression.startswith("rate(") and expression.endswith(")"):
        return _rate_problem(expression[5:-1])
    if expression.startswith("at(") and expression.endswith(")"):
        return _at_problem(expression[3:-1])
    return (
        f"{expression!r} is not a schedule expression; use {SHAPES}, e.g. {CRON_EXAMPLE} or rate(15 minutes)"
    )


def recurring_schedule_problem(expression: str) -> str | None:
    """``schedule_expression_problem``, and a valid ``at()`` refused: a job's schedule recurs
    (``ScheduledJob`` takes cron() and rate() only)."""
    problem = schedule_expression_problem(expression)
    if problem is None and expression.startswith("at("):
        return f"{expression} would run the job once; a job's schedule recurs: use cron(...) or rate(...)"
    return problem


def _cron_problem(body: str) -> str | None:
    fields = body.split(" ")
    if len(fields) != len(_FIELDS) or "" in fields:
        return (
            f"cron({body}) has {len(body.split())} fields separated by single spaces; it needs 6: "
            f"minutes hours day-of-month month day-of-week year, e.g. {CRON_EXAMPLE}"
        )
    for field, text in zip(_FIELDS, fields, strict=True):
        problem = _field_problem(field, text)
        if problem:
            return f"cron({body}): {field.name} {text!r}: {problem}"
    if (fields[_DAY_OF_MONTH] == "?") == (fields[_DAY_OF_WEEK] == "?"):
        return (
            f"cron({body}): give ? in exactly one of day-of-month and day-of-week, "
            f"e.g. {CRON_EXAMPLE} (every day) or cron(0 3 ? * MON *) (Mondays)"
        )
    return None


def _field_problem(field: _Field, text: str) -> str | None:
    if text == "?":
        return None if field.name in ("day-of-month", "day-of-week") else "? is only for the day fields"
    if field.name == "day-of-month" and re.fullmatch(r"L|LW|\d{1,2}W", text):
        return None if text[0] == "L" or field.value(text[:-1]) else f"the day is {field.allowed}"
    if field.name == "day-of-week":
        special = re.fullmatch(r"(\w+)(L|#([1-5]))|L", text)
        if special:
            return None if text == "L" or field.value(special[1]) else f"the day is {field.allowed}"
    for item in text.split(","):
        problem = _item_problem(field, item)
        if problem:
            return problem
    return None


def _item_problem(field: _Field, item: str) -> str | None:
    base, slash, step = item.partition("/")
    if slash:
        if not field.steps:
            return "/ (increments) is not allowed here"
        if not step.isdigit() or not 1 <= int(step) <= field.high:
            return f"the increment after / is a number from 1 to {field.high}"
    if base == "*":
        return None
    ends = base.split("-")
    if len(ends) > 2 or any(field.value(end) is None for end in ends):
        return f"use {field.allowed}, a range (a-b) or *, separated by commas"
    return None


def _rate_problem(body: str) -> str | None:
    match = re.fullmatch(r"([0-9]+) (minute|hour|day)(s?)", body)
    if not match:
        return f"rate({body}) is not a rate; use rate(N minutes|hours|days), e.g. rate(15 minutes)"
    count, unit, plural = int(match[1]), match[2], match[3]
    if count < 1 or match[1].startswith("0"):
        return f"rate({body}): the count is a whole number from 1, without leading zeros"
    if count == 1 and plural:
        return f"rate({body}): a rate of 1 takes the singular unit: rate(1 {unit})"
    if count > 1 and not plural:
        return f"rate({body}): a rate above 1 takes the plural unit: rate({count} {unit}s)"
    return None


def _at_problem(body: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", body):
        try:
            datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
            return None
        except ValueError:
            pass
    return f"at({body}) is not a date and time; use at(yyyy-mm-ddThh:mm:ss), e.g. at(2030-01-31T09:30:00)"


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_problem(name: str) -> str | None:
    """What is wrong with an IANA time zone name, or None."""
    zones = _time_zones()
    if name in zones:
        return None
    close = difflib.get_close_matches(name, sorted(zones), n=1, cutoff=0.8)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return (
        f"{name!r} is not an IANA time zone; {hint}use a name such as UTC, Europe/Paris or America/New_York"
    )
