"""Why an execution failed: the failing step, its task's exit code and reason, and links to
the task's log stream and the execution in the AWS console (from the execution history).

With the ECS ``.sync`` integration a failed task's error cause is the task as ECS describes it
(keys in PascalCase); each retry adds a failure, and the last one is the one that counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from deployer.aws.one_off import awslogs_stream

FAILED_EVENTS = ("TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed", "ExecutionFailed")


@dataclass(frozen=True)
class StepFailure:
    """The last failure of an execution. ``exit_code`` is None when the task never ran its
    container (it could not start, or the step timed out); links are empty when unknown."""

    step: str
    error: str
    reason: str = ""
    task_arn: str = ""
    container: str = ""
    exit_code: int | None = None
    log_link: str = ""
    execution_link: str = ""


def find_failure(sfn: Any, ecs: Any, execution_arn: str, region: str) -> StepFailure | None:
    """The last failure in ``execution_arn``'s history, or None when nothing failed."""
    events: list[dict[str, Any]] = []
    for page in sfn.get_paginator("get_execution_history").paginate(executionArn=execution_arn):
        events += page["events"]
    by_id = {event["id"]: event for event in events}
    failed = [event for event in events if event["type"] in FAILED_EVENTS]
    if not failed:
        return None
    last_task = next((e for e in reversed(failed) if e["type"] != "ExecutionFailed"), failed[-1])
    details = _details(last_task)
    failure = StepFailure(
        step=_step_of(last_task, by_id),
        error=str(details.get("error", "")),
        reason=str(details.get("cause", ""))[:500],
        execution_link=execution_link(execution_arn, region),
    )
    task = _task(details.get("cause"))
    if not task:
        return failure
    return _with_task(failure, task, ecs, region)


def execution_link(execution_arn: str, region: str) -> str:
    """The execution's page in the Step Functions console."""
    return f"https://{region}.console.aws.amazon.com/states/home?region={region}#/v2/executions/details/{execution_arn}"


def log_link(region: str, group: str, stream: str) -> str:
    """A log stream's page in the CloudWatch console (its path parts encoded the console's way)."""

    def part(value: str) -> str:
        return quote(quote(value, safe=""), safe="").replace("%", "$")

    return (
        f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
        f"#logsV2:log-groups/log-group/{part(group)}/log-events/{part(stream)}"
    )


def _details(event: dict[str, Any]) -> dict[str, Any]:
    found: Any = next((value for key, value in event.items() if key.endswith("EventDetails")), {})
    return dict(found) if isinstance(found, dict) else {}


def _step_of(event: dict[str, Any], by_id: dict[int, dict[str, Any]]) -> str:
    """The state the failure happened in: the nearest earlier *StateEntered event."""
    current: dict[str, Any] | None = event
    while current is not None:
        if current["type"].endswith("StateEntered"):
            return str(current["stateEnteredEventDetails"]["name"])
        current = by_id.get(current.get("previousEventId", 0))
    return ""


def _task(cause: Any) -> dict[str, Any]:
    """The ECS task in a .sync failure's cause, keys lowercased; {} when the cause is no task."""
    try:
        value = json.loads(cause) if isinstance(cause, str) else None
    except json.JSONDecodeError:
        return {}
    if not isinstance(value, dict) or "taskarn" not in {k.lower() for k in value}:
        return {}
    lowered: dict[str, Any] = _lower(value)
    return lowered


def _lower(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def _with_task(failure: StepFailure, task: dict[str, Any], ecs: Any, region: str) -> StepFailure:
    containers: list[dict[str, Any]] = task.get("containers", [])
    exited = [c for c in containers if c.get("exitcode") not in (None, 0)]
    container = (exited or containers or [{}])[0]
    reason = container.get("reason") or task.get("stoppedreason") or failure.reason
    task_arn = str(task.get("taskarn", ""))
    name = str(container.get("name", ""))
    link = ""
    definition_arn = task.get("taskdefinitionarn")
    if definition_arn and name:
        definition = ecs.describe_task_definition(taskDefinition=definition_arn)["taskDefinition"]
        declared: dict[str, Any] = next(
            (c for c in definition.get("containerDefinitions", []) if c.get("name") == name), {"name": name}
        )
        location = awslogs_stream(declared, task_arn)
        if location is not None:
            options = declared["logConfiguration"]["options"]
            link = log_link(options.get("awslogs-region", region), *location)
    exit_code = container.get("exitcode")
    return StepFailure(
        step=failure.step,
        error=failure.error,
        reason=str(reason),
        task_arn=task_arn,
        container=name,
        exit_code=None if exit_code is None else int(exit_code),
        log_link=link,
        execution_link=failure.execution_link,
    )
