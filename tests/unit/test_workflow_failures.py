"""Why an execution failed, from its history: the failing step, its task's exit code, reason
and log link.

moto cannot produce these: it runs no ECS task for a ``.sync`` step and returns one canned
history for every execution. The histories below are played with botocore's Stubber, in the
shape Step Functions gives them (event types and details from the botocore model, a failed
ECS task as the error cause, its keys in PascalCase).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber

from deployer.workflows.failure import StepFailure, find_failure, log_link

EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:shop-local-nightly:deployer-1"
TASK = "arn:aws:ecs:us-east-1:123456789012:task/shop-local/0f1e2d3c4b5a69788796a5b4c3d2e1f0"
DEFINITION = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-reports:7"
CONSOLE = "https://us-east-1.console.aws.amazon.com"


def client(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def event(number: int, kind: str, previous: int, **details: Any) -> dict[str, Any]:
    found = {"timestamp": datetime(2026, 11, 29, 4, 0, number, tzinfo=UTC), "type": kind, "id": number}
    return found | {"previousEventId": previous} | details


def entered(number: int, kind: str, previous: int, name: str) -> dict[str, Any]:
    return event(number, kind, previous, stateEnteredEventDetails={"name": name})


def task_failed(number: int, previous: int, cause: str, error: str = "States.TaskFailed") -> dict[str, Any]:
    details = {"resourceType": "ecs", "resource": "runTask.sync", "error": error, "cause": cause}
    return event(number, "TaskFailed", previous, taskFailedEventDetails=details)


STOPPED_TASK = json.dumps(
    {
        "Attachments": [],
        "ClusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/shop-local",
        "Containers": [
            {"ContainerArn": TASK + "/c1", "ExitCode": 3, "LastStatus": "STOPPED", "Name": "reports"}
        ],
        "LastStatus": "STOPPED",
        "StopCode": "EssentialContainerExited",
        "StoppedReason": "Essential container in task exited",
        "TaskArn": TASK,
        "TaskDefinitionArn": DEFINITION,
    }
)
REPORTS_DEFINITION = {
    "taskDefinition": {
        "family": "shop-local-reports",
        "containerDefinitions": [
            {
                "name": "reports",
                "image": "public.ecr.aws/docker/library/busybox:1.37",
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": "/ecs/shop-local-reports",
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "reports",
                    },
                },
            }
        ],
    }
}


def failure_of(events: list[dict[str, Any]], definition: dict[str, Any] | None = None) -> StepFailure | None:
    sfn, ecs = client("stepfunctions"), client("ecs")
    with Stubber(sfn) as sfn_stub, Stubber(ecs) as ecs_stub:
        sfn_stub.add_response("get_execution_history", {"events": events}, {"executionArn": EXECUTION})
        if definition is not None:
            ecs_stub.add_response("describe_task_definition", definition, {"taskDefinition": DEFINITION})
        found = find_failure(sfn, ecs, EXECUTION, "us-east-1")
        sfn_stub.assert_no_pending_responses()
        ecs_stub.assert_no_pending_responses()
    return found


def test_a_task_that_exits_non_zero_names_its_step_exit_code_and_log_stream() -> None:
    """Two tries (one retry) of ``export``; the catch notifies, then the execution fails."""
    history = [
        event(1, "ExecutionStarted", 0, executionStartedEventDetails={"input": "{}", "roleArn": "arn:r"}),
        entered(2, "TaskStateEntered", 1, "export"),
        event(3, "TaskScheduled", 2, taskScheduledEventDetails={
            "resourceType": "ecs", "resource": "runTask.sync", "region": "us-east-1", "parameters": "{}"}),
        task_failed(4, 3, STOPPED_TASK.replace('"ExitCode": 3', '"ExitCode": 2')),
        event(5, "TaskScheduled", 4, taskScheduledEventDetails={
            "resourceType": "ecs", "resource": "runTask.sync", "region": "us-east-1", "parameters": "{}"}),
        task_failed(6, 5, STOPPED_TASK),
        event(7, "TaskStateExited", 6, stateExitedEventDetails={"name": "export"}),
        entered(8, "TaskStateEntered", 7, "NotifyFailure"),
        event(9, "TaskStateExited", 8, stateExitedEventDetails={"name": "NotifyFailure"}),
        entered(10, "FailStateEntered", 9, "Failed"),
        event(11, "ExecutionFailed", 10,
              executionFailedEventDetails={"error": "States.TaskFailed", "cause": STOPPED_TASK}),
    ]  # fmt: skip
    found = failure_of(history, REPORTS_DEFINITION)
    assert found == StepFailure(
        step="export",
        error="States.TaskFailed",
        reason="Essential container in task exited",
        task_arn=TASK,
        container="reports",
        exit_code=3,  # the last try's, not the first one's 2
        log_link=f"{CONSOLE}/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252F"
        "shop-local-reports/log-events/reports$252Freports$252F0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        execution_link=f"{CONSOLE}/states/home?region=us-east-1#/v2/executions/details/{EXECUTION}",
    )


def test_a_task_that_never_started_has_no_exit_code() -> None:
    cause = "No Container Instances were found in your cluster."
    history = [
        event(1, "ExecutionStarted", 0, executionStartedEventDetails={"input": "{}", "roleArn": "arn:r"}),
        entered(2, "TaskStateEntered", 1, "report"),
        task_failed(3, 2, cause, error="AmazonECS.Unknown"),
        event(
            4,
            "ExecutionFailed",
            3,
            executionFailedEventDetails={"error": "AmazonECS.Unknown", "cause": cause},
        ),
    ]
    found = failure_of(history)
    assert found is not None
    assert (found.step, found.error, found.reason, found.exit_code, found.log_link) == (
        "report",
        "AmazonECS.Unknown",
        cause,
        None,
        "",
    )


def test_a_failure_inside_a_map_names_the_inner_step() -> None:
    history = [
        event(1, "ExecutionStarted", 0, executionStartedEventDetails={"input": "{}", "roleArn": "arn:r"}),
        entered(2, "MapStateEntered", 1, "per-file"),
        event(3, "MapIterationStarted", 2, mapIterationStartedEventDetails={"name": "per-file", "index": 0}),
        entered(4, "TaskStateEntered", 3, "resize"),
        task_failed(5, 4, STOPPED_TASK),
        event(6, "MapIterationFailed", 5, mapIterationFailedEventDetails={"name": "per-file", "index": 0}),
        event(7, "ExecutionFailed", 6, executionFailedEventDetails={"error": "States.TaskFailed"}),
    ]
    found = failure_of(history, REPORTS_DEFINITION)
    assert found is not None and (found.step, found.exit_code) == ("resize", 3)


def test_an_execution_that_failed_nowhere_in_a_task_reports_its_own_error() -> None:
    history = [
        event(1, "ExecutionStarted", 0, executionStartedEventDetails={"input": "{}", "roleArn": "arn:r"}),
        event(2, "ExecutionTimedOut", 1, executionTimedOutEventDetails={"error": "States.Timeout"}),
    ]
    assert failure_of(history) is None  # a time-out is the execution's status, not a step failure
    failed = [
        *history[:1],
        event(2, "ExecutionFailed", 1, executionFailedEventDetails={"error": "X", "cause": "y"}),
    ]
    found = failure_of(failed)
    assert found is not None and (found.step, found.error, found.reason) == ("", "X", "y")


def test_log_links_encode_the_path_parts_the_consoles_way() -> None:
    link = log_link("eu-west-1", "/aws/vendedlogs/states/x y", "a/b")
    assert link.endswith("log-group/$252Faws$252Fvendedlogs$252Fstates$252Fx$2520y/log-events/a$252Fb")
    assert link.startswith(
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:"
    )
