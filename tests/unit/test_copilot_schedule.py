"""Copilot job schedules as EventBridge Scheduler expressions with the same meaning.

Expected values are written out by hand from the two formats: Unix cron (Sunday 0, either day
field restricting) and Scheduler cron (6 fields, Sunday 1, one day field ``?``, no ``/`` in
day-of-week).
"""

from __future__ import annotations

import re

import pytest

from config.schedule_expressions import recurring_schedule_problem
from deployer.copilot.schedule import ScheduleError, convert, rate_expression


@pytest.mark.parametrize(
    ("copilot", "expected"),
    [
        ("@yearly", "cron(0 0 1 1 ? *)"),
        ("@annually", "cron(0 0 1 1 ? *)"),
        ("@monthly", "cron(0 0 1 * ? *)"),
        ("@weekly", "cron(0 0 ? * 1 *)"),
        ("@daily", "cron(0 0 * * ? *)"),
        ("@midnight", "cron(0 0 * * ? *)"),
        ("@hourly", "cron(0 * * * ? *)"),
        ("@every 1h", "rate(1 hour)"),
        ("@every 1m", "rate(1 minute)"),
        ("@every 90m", "rate(90 minutes)"),
        ("@every 1h30m", "rate(90 minutes)"),
        ("@every 2h", "rate(2 hours)"),
        ("@every 24h", "rate(1 day)"),
        ("@every 48h", "rate(2 days)"),
        ("rate(5 minutes)", "rate(5 minutes)"),
        ("rate(1 day)", "rate(1 day)"),
        ("cron(0 3 * * ? *)", "cron(0 3 * * ? *)"),
        ("0 9 * * 1-5", "cron(0 9 ? * 2-6 *)"),
        ("*/15 * * * *", "cron(0/15 * * * ? *)"),
        ("5/15 * * * *", "cron(5/15 * * * ? *)"),
        ("30 2 1 * *", "cron(30 2 1 * ? *)"),
        ("0 0 1,15 * *", "cron(0 0 1,15 * ? *)"),
        ("0 12 * * SUN", "cron(0 12 ? * 1 *)"),
        ("0 12 * * sat", "cron(0 12 ? * 7 *)"),
        ("0 0 * * 0,6", "cron(0 0 ? * 1,7 *)"),
        ("0 6 * JAN,JUL MON", "cron(0 6 ? 1,7 2 *)"),
        ("0 8-18/2 * * *", "cron(0 8,10,12,14,16,18 * * ? *)"),
        ("0 0 */2 * *", "cron(0 0 1/2 * ? *)"),
        ("0 0 * * */2", "cron(0 0 ? * 1,3,5,7 *)"),
        ("0 0 * * MON-FRI", "cron(0 0 ? * 2-6 *)"),
        ("0 0 * * *", "cron(0 0 * * ? *)"),
        ("0 0 ? * 1", "cron(0 0 ? * 2 *)"),
        ("0 0 1 * 0-6", "cron(0 0 * * ? *)"),  # either day field: every weekday covers every day
    ],
)
def test_schedule_converts_to_the_same_times(copilot: str, expected: str) -> None:
    converted = convert(copilot)
    assert converted.expression == expected
    assert recurring_schedule_problem(converted.expression) is None  # and the spec accepts it


@pytest.mark.parametrize(
    ("copilot", "deployed"),
    [
        ("0 0 */2 * *", "cron(0 0 * * ? *)"),
        ("0 0 * * */2", "cron(0 0 * * ? *)"),
        ("0 3 * * 1-5/2", "cron(0 3 ? * 2-6/3 *)"),
    ],
)
def test_a_step_in_a_day_field_notes_what_copilot_deployed_instead(copilot: str, deployed: str) -> None:
    assert convert(copilot).copilot_deployed == deployed


def test_a_plain_cron_notes_nothing() -> None:
    assert convert("0 9 * * 1-5").copilot_deployed is None


@pytest.mark.parametrize(
    ("copilot", "message"),
    [
        ("0 0 1 * 1", "restricts both the day of the month and the day of the week"),
        ("0 0 */2 * 1", "restricts both the day of the month and the day of the week"),
        ("@every 30s", "a whole number of minutes, at least 1m"),
        ("@every 90s", "a whole number of minutes, at least 1m"),
        ("@every soon", "is not a duration"),
        ("@fortnightly", "unknown preset"),
        ("0 9 * *", "has 5 fields"),
        ("60 * * * *", "60 is outside 0-59"),
        ("0 0 * * 7", "7 is outside 0-6"),
        ("0 0 * * 5-1", "starts after it ends"),
        ("0 0 * FOO *", "'FOO' is not a number"),
        ("cron(0 3 * * ?)", "has 6 fields"),
        ("rate(1 hours)", "singular unit for 1"),
        ("rate(5 weeks)", "is not a rate expression"),
    ],
)
def test_schedules_copilot_or_scheduler_reject_are_errors(copilot: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=re.escape(message)):
        convert(copilot)


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [
        (1, "rate(1 minute)"),
        (45, "rate(45 minutes)"),
        (60, "rate(1 hour)"),
        (1440, "rate(1 day)"),
        (4320, "rate(3 days)"),
    ],
)
def test_rate_uses_the_largest_whole_unit(minutes: int, expected: str) -> None:
    assert rate_expression(minutes) == expected
