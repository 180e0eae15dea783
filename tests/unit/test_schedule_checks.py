"""EventBridge Scheduler expressions and time zones: the real grammar, each refusal at the
job's YAML path with the expected shape."""

from __future__ import annotations

import zoneinfo

import pytest

from config import parse_spec
from config.schedule_expressions import schedule_expression_problem
from tests.spec_problems import assert_problem, edited, refused

CRON = "cron(0 3 * * ? *)"
EXPRESSION = "services.reports.schedule.expression"


def with_schedule(expression: str, extra: str = "") -> str:
    return edited("local", f"expression: {CRON}", f"expression: {expression}{extra}")


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("cron(0 3 * * *)", "has 5 fields separated by single spaces; it needs 6: minutes hours"),
        ("cron(0  3 * * ? *)", "it needs 6"),
        ("cron(60 3 * * ? *)", "minutes '60': use 0-59"),
        ("cron(0 24 * * ? *)", "hours '24': use 0-23"),
        ("cron(0 3 32 * ? *)", "day-of-month '32': use 1-31"),
        ("cron(0 3 ? 13 MON *)", "month '13': use 1-12 or JAN-DEC"),
        ("cron(0 3 ? * 8 *)", "day-of-week '8': use 1-7 or SUN-SAT"),
        ("cron(0 3 * * ? 1969)", "year '1969': use 1970-2199"),
        ("cron(0 3 * * * *)", "give ? in exactly one of day-of-month and day-of-week"),
        ("cron(0 3 ? * ? *)", "give ? in exactly one of day-of-month and day-of-week"),
        ("cron(? 3 * * ? *)", "? is only for the day fields"),
        ("cron(0 3 ? * MON/2 *)", "/ (increments) is not allowed here"),
        ("cron(0/0 3 * * ? *)", "the increment after / is a number from 1 to 59"),
        ("cron(0 3 32W * ? *)", "the day is 1-31"),
        ("cron(0 3 ? * 9#1 *)", "the day is 1-7 or SUN-SAT"),
        ("rate(5 minute)", "a rate above 1 takes the plural unit: rate(5 minutes)"),
        ("rate(1 hours)", "a rate of 1 takes the singular unit: rate(1 hour)"),
        ("rate(0 minutes)", "the count is a whole number from 1"),
        ("rate(2 weeks)", "use rate(N minutes|hours|days)"),
        ("every night", "is not a schedule expression; use cron(minutes hours day-of-month"),
        ("at(2030-01-31T09:30:00)", "would run the job once; a job's schedule recurs"),
        ("at(2030-02-30T09:30:00)", "is not a date and time; use at(yyyy-mm-ddThh:mm:ss)"),
    ],
)
def test_bad_expressions_name_the_field_and_the_shape(expression: str, fragment: str) -> None:
    assert_problem(refused(with_schedule(expression)), EXPRESSION, fragment)


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0/15 8-18 ? JAN-DEC MON-FRI 2025-2030)",
        "cron(0 3 L * ? *)",
        "cron(0 3 LW * ? *)",
        "cron(0 3 15W * ? *)",
        "cron(0 3 ? * 6L *)",
        "cron(0 3 ? * 2#1 *)",
        "cron(0,30 */2 1,15 * ? *)",
        "cron(0 3 ? * sun *)",
        "rate(1 minute)",
        "rate(12 hours)",
    ],
)
def test_valid_expressions_pass(expression: str) -> None:
    assert parse_spec(with_schedule(expression)).services["reports"].schedule is not None


def test_a_one_time_expression_is_scheduler_grammar() -> None:
    assert schedule_expression_problem("at(2030-01-31T09:30:00)") is None


def test_a_misspelt_time_zone_gets_a_suggestion() -> None:
    text = with_schedule(CRON, "\n      timezone: Europe/Londn")
    assert_problem(
        refused(text),
        "services.reports.schedule.timezone",
        "'Europe/Londn' is not an IANA time zone; did you mean 'Europe/London'?",
    )


def test_iana_time_zones_pass() -> None:
    assert "Europe/Paris" in zoneinfo.available_timezones()  # the machine has the IANA database
    spec = parse_spec(with_schedule(CRON, "\n      timezone: America/Argentina/Buenos_Aires"))
    schedule = spec.services["reports"].schedule
    assert schedule is not None and schedule.timezone == "America/Argentina/Buenos_Aires"
