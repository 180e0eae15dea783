"""One-off tasks. moto's Fargate RunTask crashes on task-level-only memory (NOTES.md), so the
flow is replayed with Stubber, and retries with a before-send hook (Stubber skips retries)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ReadTimeoutError
from botocore.stub import ANY, Stubber

from config import load_spec
from deployer.aws.one_off import run_one_off
from tests.fakes import RawBody

TD = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-web:3"
TASK = "arn:aws:ecs:us-east-1:123456789012:task/shop-local/0123456789abcdef"
NETWORK = {
    "awsvpcConfiguration": {"subnets": ["subnet-1"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}
}
STRATEGY = [{"capacityProvider": "FARGATE", "weight": 1, "base": 1}]
SERVICE = {
    "serviceName": "web",
    "taskDefinition": TD,
    "networkConfiguration": NETWORK,
    "capacityProviderStrategy": STRATEGY,
}
DEFINITION = {
    "taskDefinition": {
        "family": "shop-local-web",
        "containerDefinitions": [
            {"name": "web", "image": "nginx", "essential": True,
             "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "lg", "awslogs-stream-prefix": "web"}}},
        ],
    }
}  # fmt: skip


def task(status: str, exit_code: int | None = None) -> dict[str, Any]:
    container: dict[str, Any] = {"name": "web"}
    if exit_code is not None:
        container["exitCode"] = exit_code
    return {"tasks": [{"taskArn": TASK, "lastStatus": status, "containers": [container]}], "failures": []}


def test_runs_with_the_service_network_and_strategy_and_returns_the_exit_code() -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    logs = boto3.client("logs", region_name="us-east-1")
    stream = {"logGroupName": "lg", "logStreamName": "web/web/0123456789abcdef", "startFromHead": True}
    with Stubber(ecs) as stub, Stubber(logs) as log_stub:
        stub.add_response(
            "describe_services", {"services": [SERVICE]}, {"cluster": "shop-local", "services": ["web"]}
        )
        stub.add_response("describe_task_definition", DEFINITION, {"taskDefinition": TD})
        stub.add_response(
            "run_task",
            {"tasks": [{"taskArn": TASK, "lastStatus": "PROVISIONING"}], "failures": []},
            {
                "cluster": "shop-local", "taskDefinition": TD, "count": 1, "startedBy": "deployer-run-web",
                "overrides": {"containerOverrides": [{"name": "web", "command": ["sh", "-c", "bin/migrate"],
                                                      "environment": [{"name": "DRY_RUN", "value": "0"}]}]},
                "networkConfiguration": NETWORK, "capacityProviderStrategy": STRATEGY,
                "clientToken": "retry-safe-1", "propagateTags": "TASK_DEFINITION",
            },
        )  # fmt: skip
        for status, exit_code in (("PROVISIONING", None), ("RUNNING", None), ("STOPPED", 3)):
            stub.add_response(
                "describe_tasks", task(status, exit_code), {"cluster": "shop-local", "tasks": [TASK]}
            )
        log_stub.add_client_error("get_log_events", "ResourceNotFoundException", expected_params=stream)
        log_stub.add_response("get_log_events", {"events": [{"message": "migrating"}]}, stream)
        log_stub.add_response(
            "get_log_events", {"events": [{"message": "migrating"}, {"message": "failed: lock"}]}, stream
        )
        lines: list[str] = []
        result = run_one_off(
            load_spec("local"), ecs, "web", command=["sh", "-c", "bin/migrate"], environment={"DRY_RUN": "0"},
            client_token="retry-safe-1", logs=logs, on_log=lines.append, sleep=lambda _: None,
        )  # fmt: skip
        stub.assert_no_pending_responses()
    assert result.exit_code == 3 and result.task_arn == TASK
    assert lines == ["migrating", "failed: lock"]  # each line once, in order


def test_run_task_failure_is_reported_without_waiting() -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stub:
        stub.add_response("describe_services", {"services": [SERVICE]})
        stub.add_response("describe_task_definition", DEFINITION)
        stub.add_response("run_task", {"tasks": [], "failures": [{"reason": "RESOURCE:MEMORY"}]}, {**dict.fromkeys(
            ("cluster", "taskDefinition", "count", "startedBy", "overrides", "networkConfiguration",
             "capacityProviderStrategy", "clientToken", "propagateTags"), ANY)})  # fmt: skip
        result = run_one_off(load_spec("local"), ecs, "web", sleep=lambda _: None)
    assert result.exit_code is None and "RESOURCE:MEMORY" in result.reason


def test_a_retried_run_task_carries_the_same_client_token() -> None:
    """A read timeout after ECS accepted RunTask makes botocore retry; the retry reuses the
    client token, which is what lets ECS start at most one task."""
    ecs = boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x",
        config=Config(retries={"mode": "standard", "max_attempts": 3}),
    )  # fmt: skip
    bodies: list[dict[str, Any]] = []

    def respond(request: Any, **_: Any) -> Any:
        target = request.headers.get("X-Amz-Target", b"").decode()
        if target.endswith("RunTask"):
            bodies.append(json.loads(request.body))
            if len(bodies) == 1:
                raise ReadTimeoutError(endpoint_url=request.url)
            payload = {"tasks": [{"taskArn": TASK, "lastStatus": "PROVISIONING"}], "failures": []}
        elif target.endswith("DescribeServices"):
            payload = {"services": [SERVICE]}
        elif target.endswith("DescribeTaskDefinition"):
            payload = DEFINITION
        else:
            payload = task("STOPPED", 0)
        return AWSResponse(request.url, 200, {}, RawBody(json.dumps(payload).encode()))

    ecs.meta.events.register("before-send.ecs.*", respond)
    result = run_one_off(load_spec("local"), ecs, "web", sleep=lambda _: None)
    assert result.exit_code == 0
    assert len(bodies) == 2 and bodies[0]["clientToken"] == bodies[1]["clientToken"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--env-override", "NOEQUALS"], "expected KEY=VALUE"),
        (["--env-override", "1BAD=x"], "valid variable name"),
        (["--client-token", "has spaces"], "--client-token"),
    ],
)
def test_bad_run_arguments(args: list[str], fragment: str) -> None:
    from tests.cli import run_deployer

    result = run_deployer("run", "web", "--env", "local", "--port", "1", *args)
    assert result.code == 2 and fragment in result.stderr and "Traceback" not in result.output


def test_network_fallback_reads_every_page_of_exports_and_stack_resources() -> None:
    """Accounts with many stacks page ListExports; a subnet on page two must not be lost."""
    from deployer.aws.one_off import _network_from_stacks

    spec = load_spec("local")
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    resource = {"LastUpdatedTimestamp": "2026-11-23T00:00:00Z", "ResourceStatus": "CREATE_COMPLETE"}
    with Stubber(cloudformation) as stub:
        stub.add_response(
            "list_exports",
            {
                "Exports": [{"Name": "shop-local-network:privateSubnet1", "Value": "subnet-a"}],
                "NextToken": "t",
            },
            {},
        )
        stub.add_response(
            "list_exports",
            {"Exports": [{"Name": "shop-local-network:privateSubnet2", "Value": "subnet-b"},
                         {"Name": "other-stack:privateSubnet1", "Value": "subnet-x"}]},
            {"NextToken": "t"},
        )  # fmt: skip
        stub.add_response(
            "list_stack_resources",
            {"StackResourceSummaries": [{**resource, "LogicalResourceId": "Role", "ResourceType": "AWS::IAM::Role",
                                         "PhysicalResourceId": "role"}], "NextToken": "r"},
            {"StackName": "shop-local-svc-web"},
        )  # fmt: skip
        stub.add_response(
            "list_stack_resources",
            {"StackResourceSummaries": [{**resource, "LogicalResourceId": "Sg", "PhysicalResourceId": "sg-9",
                                         "ResourceType": "AWS::EC2::SecurityGroup"}]},
            {"StackName": "shop-local-svc-web", "NextToken": "r"},
        )  # fmt: skip
        network = _network_from_stacks(spec, "web", cloudformation)
    assert network["awsvpcConfiguration"] == {
        "subnets": ["subnet-a", "subnet-b"],
        "securityGroups": ["sg-9"],
        "assignPublicIp": "DISABLED",
    }


def test_a_job_starts_from_the_revision_its_stack_deployed() -> None:
    """A job has no service. moto 5.2.5 answers RunTask with a 500 for an EC2 capacity provider
    without instances, so the lookup is replayed with Stubber."""
    from deployer.aws.one_off import _current

    spec = load_spec("local")
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    ecs = boto3.client("ecs", region_name="us-east-1")
    arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-reports:4"
    stack = {
        "StackName": "shop-local-svc-reports",
        "StackStatus": "CREATE_COMPLETE",
        "CreationTime": "2026-11-23T00:00:00Z",
        "Outputs": [{"OutputKey": "TaskDefinitionArn", "OutputValue": arn}],
    }
    with Stubber(cloudformation) as stub, Stubber(ecs):  # no ECS call: a job has no service to describe
        stub.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": "shop-local-svc-reports"})
        assert _current(spec, ecs, cloudformation, "reports") == {"taskDefinition": arn}


def test_a_bridge_service_runs_without_network_configuration_and_with_its_placement() -> None:
    """dev's ``catalog`` is bridge on the Spot group: RunTask refuses a network configuration
    for it, and the spec's placement applies when the live service reports none."""
    ecs = boto3.client("ecs", region_name="us-east-1")
    arn = "arn:aws:ecs:eu-west-1:111111111111:task-definition/shop-dev-catalog:2"
    strategy = [{"capacityProvider": "cp-shop-dev-spot", "weight": 1, "base": 0}]
    live = {"serviceName": "catalog", "taskDefinition": arn, "capacityProviderStrategy": strategy}
    definition = {
        "taskDefinition": {
            "family": "shop-dev-catalog",
            "networkMode": "bridge",
            "containerDefinitions": [{"name": "catalog", "image": "x", "essential": True}],
        }
    }
    with Stubber(ecs) as stub:
        stub.add_response("describe_services", {"services": [live]})
        stub.add_response("describe_task_definition", definition)
        stub.add_response("run_task", {"tasks": [], "failures": [{"reason": "RESOURCE:MEMORY"}]}, {
            "cluster": "shop-dev", "taskDefinition": arn, "count": 1, "startedBy": "deployer-run-catalog",
            "overrides": {"containerOverrides": [{"name": "catalog"}]}, "capacityProviderStrategy": strategy,
            "placementStrategy": [{"type": "spread", "field": "attribute:ecs.availability-zone"},
                                  {"type": "binpack", "field": "memory"}],
            "clientToken": "t", "propagateTags": "TASK_DEFINITION",
        })  # fmt: skip
        run_one_off(load_spec("dev"), ecs, "catalog", client_token="t", sleep=lambda _: None)


@pytest.mark.parametrize(("env", "poll_s"), [("local", 1.0), ("dev", 6.0)])
def test_run_polls_every_second_on_the_local_endpoint_and_every_six_on_aws(
    monkeypatch: pytest.MonkeyPatch, env: str, poll_s: float
) -> None:
    from typer.testing import CliRunner

    from deployer.aws.one_off import TaskResult
    from deployer.cli import app
    from deployer.commands import run as run_command
    from deployer.commands.common import CommandContext

    asked: dict[str, Any] = {}

    def run_one_off(spec: Any, ecs: Any, service: str, **options: Any) -> TaskResult:
        asked.update(options)
        return TaskResult("arn:aws:ecs:us-east-1:123456789012:task/c/abc", 0, "", service)

    monkeypatch.setattr(run_command, "run_one_off", run_one_off)
    monkeypatch.setattr(CommandContext, "client", lambda self, service: None)  # no endpoint, no AWS
    result = CliRunner().invoke(app, ["run", "web", "--env", env])
    assert result.exit_code == 0, result.output
    assert asked["poll_s"] == poll_s
