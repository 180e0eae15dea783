"""A Copilot job schedule as an EventBridge Scheduler expression, with the same meaning.

Copilot accepts ``@hourly``…``@yearly``, ``@every <duration>``, ``rate(…)``, 6-field
``cron(…)`` and 5-field Unix cron (validated by robfig/cron's standard parser). Scheduler
wants ``cron(min hour day-of-month month day-of-week year)`` with ``?`` in one of the day
fields and Sunday as 1, or ``rate(N unit)``. Each Unix field is expanded to the set of times
it matches and written back in Scheduler syntax, so steps, names and ranges keep their
meaning; Unix "day-of-month or day-of-week" cannot be written with one ``?`` and is refused,
as Copilot refuses it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deployer.copilot.cron_fields import FIELDS, CronFieldError, Field, expand, write
from deployer.copilot.durations import DurationError, parse_duration

# robfig/cron's predefined schedules, in Scheduler syntax (Copilot's own table).
PRESETS = {
    "@yearly": "cron(0 0 1 1 ? *)",
    "@annually": "cron(0 0 1 1 ? *)",
    "@monthly": "cron(0 0 1 * ? *)",
    "@weekly": "cron(0 0 ? * 1 *)",
    "@daily": "cron(0 0 * * ? *)",
    "@midnight": "cron(0 0 * * ? *)",
    "@hourly": "cron(0 * * * ? *)",
}
_RATE = re.compile(r"^rate\((?P<value>[1-9]\d*) (?P<unit>minutes?|hours?|days?)\)$")


class ScheduleError(ValueError):
    """The schedule is not one Copilot accepts, or Scheduler cannot express it."""


@dataclass(frozen=True)
class Schedule:
    """``expression`` for this project; ``copilot_deployed`` when Copilot's own converter
    produced an expression with another meaning (it drops steps in the day fields)."""

    expression: str
    copilot_deployed: str | None = None


def convert(schedule: str) -> Schedule:
    """The Scheduler expression with the meaning of Copilot's ``on.schedule``."""
    text = schedule.strip()
    if text in PRESETS:
        return Schedule(PRESETS[text])
    if text.startswith("@every "):
        return Schedule(_every(text.removeprefix("@every ").strip()))
    if text.startswith("rate("):
        return Schedule(_rate(text))
    if text.startswith("cron("):
        return Schedule(_aws_cron(text))
    if text.startswith("@"):
        raise ScheduleError(f"unknown preset {text!r}; allowed: {', '.join(PRESETS)}, @every <duration>")
    return _unix_cron(text)


def rate_expression(minutes: int) -> str:
    """``rate(…)`` in the largest unit that divides ``minutes`` (``rate(1 hour)``, ``rate(90 minutes)``)."""
    for unit, size in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            count = minutes // size
            return f"rate({count} {unit}{'' if count == 1 else 's'})"
    raise AssertionError("unreachable: every count of minutes divides by 1")


def _every(duration: str) -> str:
    try:
        seconds = parse_duration(duration)
    except DurationError as error:
        raise ScheduleError(f"@every {duration}: {error}") from None
    if seconds < 60 or seconds % 60:
        raise ScheduleError(f"@every {duration}: the interval must be a whole number of minutes, at least 1m")
    return rate_expression(int(seconds) // 60)


def _rate(text: str) -> str:
    match = _RATE.match(text)
    if match is None or (match["value"] == "1") == match["unit"].endswith("s"):
        raise ScheduleError(
            f"{text!r} is not a rate expression; use rate(1 hour), rate(5 minutes) (singular unit for 1)"
        )
    return text


def _aws_cron(text: str) -> str:
    if not text.endswith(")") or len(text[5:-1].split()) != 6:
        raise ScheduleError(
            f"{text!r}: a cron(…) expression has 6 fields (minute hour day month weekday year)"
        )
    return text


def _unix_cron(text: str) -> Schedule:
    parts = text.split()
    if len(parts) != 5:
        raise ScheduleError(
            f"{text!r}: a cron schedule has 5 fields (minute hour day-of-month month day-of-week)"
        )
    try:
        sets = [expand(part, field) for part, field in zip(parts, FIELDS, strict=True)]
    except CronFieldError as error:
        raise ScheduleError(str(error)) from None
    minute, hour, month = (write(sets[i], FIELDS[i]) for i in (0, 1, 3))
    dom, dow = _day_fields(text, parts, sets)
    expression = f"cron({minute} {hour} {dom} {month} {dow} *)"
    return Schedule(expression, _copilot_conversion(parts) if _copilot_differs(parts) else None)


def _day_fields(text: str, parts: list[str], sets: list[set[int]]) -> tuple[str, str]:
    """Day-of-month and day-of-week for Scheduler, where one of them must be ``?``.

    robfig/cron (like Vixie cron) matches both day fields when either starts with ``*``,
    and either one otherwise."""
    dom_all = sets[2] == set(range(1, 32))
    dow_all = sets[4] == set(range(7))
    dom = write(sets[2], FIELDS[2])
    # Scheduler's day-of-week takes no step ('/'): a list of days instead.
    dow = write({day + 1 for day in sets[4]}, Field("day-of-week", 1, 7), steps=False)
    either = not parts[2].startswith(("*", "?")) and not parts[4].startswith(("*", "?"))
    if either and (dom_all or dow_all):
        return "*", "?"
    if not either and dow_all:
        return dom, "?"
    if not either and dom_all:
        return "?", dow
    raise ScheduleError(
        f"{text!r}: it restricts both the day of the month and the day of the week; EventBridge "
        "(and Copilot) need one of them to be '*': split it into two jobs"
    )


def _copilot_differs(parts: list[str]) -> bool:
    """Copilot's converter treats any day field containing ``*`` or ``?`` as unrestricted and
    adds 1 to every digit of day-of-week, steps included: both lose a restriction or a step."""
    dom, dow = parts[2], parts[4]
    return any(field not in ("*", "?") and ("*" in field or "?" in field) for field in (dom, dow)) or (
        "/" in dow
    )


def _copilot_conversion(parts: list[str]) -> str:
    """What Copilot's ``toAWSCron`` deployed for these 5 fields."""
    fields = list(parts)
    unspecified = [("*" in fields[i] or "?" in fields[i]) for i in (2, 4)]
    if all(unspecified):
        fields[2], fields[4] = "*", "?"
    elif unspecified[0]:
        fields[2] = "?"
    else:
        fields[4] = "?"
    fields[4] = "".join(str(int(c) + 1) if c.isdigit() else c for c in fields[4])
    return f"cron({' '.join([*fields, '*'])})"
