"""`status` for jobs: schedule, revision, running tasks, the newest run's exit code, failed starts.

ECS keeps stopped tasks for about an hour and moto does not set container exit codes, so the
run history is played with botocore's Stubber; the e2e test reads a deployed job from moto.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from config import load_spec, naming
from deployer.aws.job_status import JobState, collect_jobs

SPEC = load_spec("local")
STACK = naming.service_stack_name(SPEC, "reports")
CLUSTER = naming.cluster_name(SPEC)
FAMILY = naming.task_family(SPEC, "reports")
QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/reports-dlq"
TASK_ARN = f"arn:aws:ecs:us-east-1:123456789012:task/{CLUSTER}/"


def client(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def deployed_stack(stubber: Stubber) -> None:
    stack = {
        "StackName": STACK,
        "CreationTime": datetime(2026, 11, 23, tzinfo=UTC),
        "StackStatus": "CREATE_COMPLETE",
        "Outputs": [
            {"OutputKey": "TaskDefinitionArn", "OutputValue": f"arn:aws:ecs:::task-definition/{FAMILY}:7"},
            {"OutputKey": "DeadLetterQueueUrl", "OutputValue": QUEUE_URL},
        ],
    }
    stubber.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": STACK})


def stopped(task_id: str, hour: int, exit_code: int | None) -> dict[str, Any]:
    container = {"name": "reports"} | ({"exitCode": exit_code} if exit_code is not None else {})
    return {
        "taskArn": TASK_ARN + task_id,
        "stoppedAt": datetime(2026, 11, 23, hour, 0, 5, tzinfo=UTC),
        "stoppedReason": "Essential container in task exited",
        "containers": [container],
    }


@pytest.mark.parametrize(
    ("tasks", "last_run"),
    [
        ([stopped("a", 2, 0), stopped("b", 3, 1)], "2026-11-23 03:00:05 exit 1"),  # the newest one
        ([stopped("a", 3, None)], "2026-11-23 03:00:05 Essential container in task exited"),
        ([], ""),
    ],
)
def test_a_deployed_job_reports_its_newest_run_and_failed_starts(
    tasks: list[dict[str, Any]], last_run: str
) -> None:
    cloudformation, ecs, sqs = client("cloudformation"), client("ecs"), client("sqs")
    with Stubber(cloudformation) as cfn_stub, Stubber(ecs) as ecs_stub, Stubber(sqs) as sqs_stub:
        deployed_stack(cfn_stub)
        running = {"cluster": CLUSTER, "family": FAMILY, "desiredStatus": "RUNNING"}
        ecs_stub.add_response("list_tasks", {"taskArns": [TASK_ARN + "r"]}, running)
        arns = [t["taskArn"] for t in tasks]
        ecs_stub.add_response("list_tasks", {"taskArns": arns}, {**running, "desiredStatus": "STOPPED"})
        if arns:
            ecs_stub.add_response("describe_tasks", {"tasks": tasks}, {"cluster": CLUSTER, "tasks": arns})
        sqs_stub.add_response(
            "get_queue_attributes",
            {"Attributes": {"ApproximateNumberOfMessages": "2"}},
            {"QueueUrl": QUEUE_URL, "AttributeNames": ["ApproximateNumberOfMessages"]},
        )
        [job] = collect_jobs(SPEC, cloudformation, ecs, sqs)
        cfn_stub.assert_no_pending_responses()
        ecs_stub.assert_no_pending_responses()
    assert job == JobState(
        name="reports",
        schedule="cron(0 3 * * ? *) UTC",
        task_definition=f"{FAMILY}:7",
        running=1,
        last_run=last_run,
        undelivered=2,
    )


def test_a_job_not_deployed_yet_shows_only_its_schedule() -> None:
    cloudformation = client("cloudformation")
    with Stubber(cloudformation) as stub:
        stub.add_client_error(
            "describe_stacks", "ValidationError", f"Stack with id {STACK} does not exist", 400
        )
        [job] = collect_jobs(SPEC, cloudformation, client("ecs"), client("sqs"))
    assert job == JobState("reports", "cron(0 3 * * ? *) UTC")
