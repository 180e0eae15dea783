"""``WorkflowStarts``: what starts a state machine besides a person: a schedule, events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as events_targets
from aws_cdk import aws_kms as kms
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_scheduler_targets as scheduler_targets
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from constructs_lib.dead_letters import dead_letter_queue
from constructs_lib.event_trigger import EventRule, pattern_rule
from constructs_lib.service_roles import schedule_role


@dataclass(frozen=True)
class ScheduledStart:
    """Start an execution on ``expression`` (``cron(…)`` or ``rate(…)``, read in ``time_zone``)
    with an empty input. Defaults: UTC, 2 retries, a start older than one hour is dropped."""

    expression: str
    time_zone: str = "UTC"
    retry_attempts: int = 2
    max_event_age: cdk.Duration = field(default_factory=lambda: cdk.Duration.hours(1))


class WorkflowStarts(Construct):
    """A schedule (``schedule``) and EventBridge rules (``rules``) that start ``state_machine``.

    A rule's execution input is the event, or, when the ``EventRule`` maps names to event
    paths (``environment``), an object of those names and values. Starts that fail go to one
    dead-letter queue (encrypted with ``encryption_key``, default SQS-managed encryption;
    TLS-only; kept 14 days). The schedule's role may start this state machine and write
    dead letters, nothing else; the rules' role may start this state machine only.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        state_machine: sfn.IStateMachine,
        schedule: ScheduledStart | None = None,
        rules: Sequence[EventRule] = (),
        encryption_key: kms.IKey | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if schedule is None and not rules:
            raise ValueError("give a schedule or at least one rule")
        what = description or construct_id
        self.dead_letter_queue = dead_letter_queue(
            self, "DeadLetterQueue", encryption_key=encryption_key, what=f"the starts of {what}"
        )
        self.schedule: scheduler.Schedule | None = None
        if schedule is not None:
            role = schedule_role(
                self,
                "ScheduleRole",
                dead_letter_key=encryption_key,
                description=f"EventBridge Scheduler starts {what}",
            )
            if not schedule.expression.startswith(("cron(", "rate(")):
                raise ValueError(f"expression={schedule.expression!r}: use cron(...) or rate(...)")
            self.schedule = scheduler.Schedule(
                self,
                "Schedule",
                schedule=scheduler.ScheduleExpression.expression(
                    schedule.expression, cdk.TimeZone.of(schedule.time_zone)
                ),
                target=scheduler_targets.StepFunctionsStartExecution(
                    state_machine,
                    input=scheduler.ScheduleTargetInput.from_object({}),
                    role=role,
                    dead_letter_queue=self.dead_letter_queue,
                    retry_attempts=schedule.retry_attempts,
                    max_event_age=schedule.max_event_age,
                ),
                description=f"starts {what}",
            )
        self.rules = [
            pattern_rule(
                self,
                f"Rule{index}",
                rule,
                events_targets.SfnStateMachine(
                    state_machine,
                    input=_input(rule),
                    dead_letter_queue=self.dead_letter_queue,
                    retry_attempts=rule.retry_attempts,
                    max_event_age=rule.max_event_age,
                ),
                f"starts {what}",
            )
            for index, rule in enumerate(rules)
        ]


def _input(rule: EventRule) -> events.RuleTargetInput | None:
    if not rule.environment:
        return None  # the event itself
    return events.RuleTargetInput.from_object(
        {name: events.EventField.from_path(path) for name, path in rule.environment.items()}
    )
