"""Fields of a Unix cron (robfig/cron's standard syntax, which Copilot validates with) as sets
of values, and sets of values written back in EventBridge Scheduler's cron syntax."""

from __future__ import annotations

from dataclasses import dataclass

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


class CronFieldError(ValueError):
    """A field of the cron is malformed; the message names the field and the value."""


@dataclass(frozen=True)
class Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()  # names[0] is the value ``low``


FIELDS = (
    Field("minute", 0, 59),
    Field("hour", 0, 23),
    Field("day-of-month", 1, 31),
    Field("month", 1, 12, tuple(MONTHS)),
    Field("day-of-week", 0, 6, tuple(DAYS)),
)


def expand(part: str, field: Field) -> set[int]:
    """The values ``part`` matches: ``*``, ``?``, ``N``, ``NAME`` or ``A-B``, each with an optional
    ``/STEP``, joined by ``,``."""
    values: set[int] = set()
    for item in part.split(","):
        values |= _expand_item(item, field)
    return values


def _expand_item(item: str, field: Field) -> set[int]:
    body, _, step_text = item.partition("/")
    step = _number(step_text, field, item) if step_text else 1
    if step_text and step < 1:
        raise CronFieldError(f"{field.name} {item!r}: the step must be 1 or more")
    if body in ("*", "?"):
        low, high = field.low, field.high
    elif "-" in body:
        start, end = body.split("-", 1)
        low, high = _value(start, field, item), _value(end, field, item)
    else:
        low = _value(body, field, item)
        high = field.high if step_text else low
    if low > high:
        raise CronFieldError(f"{field.name} {item!r}: the range starts after it ends")
    return set(range(low, high + 1, step))


def _value(text: str, field: Field, item: str) -> int:
    upper = text.upper()
    if upper in field.names:
        return field.low + field.names.index(upper)
    value = _number(text, field, item)
    if not field.low <= value <= field.high:
        raise CronFieldError(f"{field.name} {item!r}: {value} is outside {field.low}-{field.high}")
    return value


def _number(text: str, field: Field, item: str) -> int:
    if not text.isdigit():
        raise CronFieldError(f"{field.name} {item!r}: {text!r} is not a number")
    return int(text)


def write(values: set[int], field: Field, steps: bool = True) -> str:
    """Scheduler syntax for exactly ``values``: ``*``, ``start/step`` or a list of ranges."""
    ordered = sorted(values)
    if ordered == list(range(field.low, field.high + 1)):
        return "*"
    if steps and len(ordered) >= 3:
        step = ordered[1] - ordered[0]
        if ordered == list(range(ordered[0], field.high + 1, step)):
            return f"{ordered[0]}/{step}"
    runs: list[list[int]] = []
    for value in ordered:
        if runs and value == runs[-1][-1] + 1:
            runs[-1].append(value)
        else:
            runs.append([value])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) >= 3 else ",".join(map(str, run)) for run in runs)
