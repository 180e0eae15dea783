"""``deployer status`` lists the workflows (state machine, newest execution, what starts them)
and the triggers (rule state, failed starts), from read-only calls played with Stubber."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber

from config import load_spec, naming, parse_spec
from deployer.aws.status import ClusterState, EnvironmentStatus
from deployer.commands.status import status_tables
from deployer.workflows.status import TriggerState, WorkflowState, collect_triggers, collect_workflows
from tests.spec_problems import TEXTS

SPEC = load_spec("local")
MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:shop-local-nightly"
QUEUE = "https://sqs.us-east-1.amazonaws.com/123456789012/reports-triggers-dlq"
RULE = "shop-local-svc-reports-TriggersRule0DBDD7D14-BZWCBLRL1PA1"
CREATED = datetime(2026, 11, 29, tzinfo=UTC)


def client(service: str) -> Any:
    return boto3.client(service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")


def stack(stub: Stubber, name: str, outputs: dict[str, str]) -> None:
    found = {
        "StackName": name,
        "CreationTime": CREATED,
        "StackStatus": "CREATE_COMPLETE",
        "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
    }
    stub.add_response("describe_stacks", {"Stacks": [found]}, {"StackName": name})


def test_a_deployed_workflow_shows_its_newest_execution() -> None:
    cloudformation, sfn = client("cloudformation"), client("stepfunctions")
    with Stubber(cloudformation) as cfn_stub, Stubber(sfn) as sfn_stub:
        stack(cfn_stub, naming.workflow_stack_name(SPEC), {naming.state_machine_output("nightly"): MACHINE})
        sfn_stub.add_response(
            "describe_state_machine",
            {
                "stateMachineArn": MACHINE,
                "name": "shop-local-nightly",
                "status": "ACTIVE",
                "definition": "{}",
                "roleArn": "arn:aws:iam::123456789012:role/r",
                "type": "STANDARD",
                "creationDate": CREATED,
            },
            {"stateMachineArn": MACHINE},
        )
        newest = {
            "executionArn": MACHINE.replace("stateMachine", "execution") + ":x",
            "stateMachineArn": MACHINE,
            "name": "x",
            "status": "FAILED",
            "startDate": datetime(2026, 11, 29, 4, 0, 1, tzinfo=UTC),
        }
        sfn_stub.add_response(
            "list_executions", {"executions": [newest]}, {"stateMachineArn": MACHINE, "maxResults": 1}
        )
        found = collect_workflows(SPEC, cloudformation, sfn)
    assert found == [
        WorkflowState(
            name="nightly",
            state_machine="shop-local-nightly",
            status="ACTIVE",
            starts="schedule cron(0 4 * * ? *)",
            last_execution="FAILED 2026-11-29 04:00:01",
        )
    ]


def test_a_workflow_not_deployed_yet_shows_what_would_start_it() -> None:
    cloudformation = client("cloudformation")
    text = TEXTS["local"].replace("    schedule:\n      expression: cron(0 4 * * ? *)\n", "", 1)
    text = text.replace(
        "  nightly:", "  nightly:\n    triggers: [{pattern: {source: [shop.orders]}, bus: orders}]", 1
    )
    with Stubber(cloudformation) as stub:
        name = naming.workflow_stack_name(SPEC)
        stub.add_client_error(
            "describe_stacks", "ValidationError", f"Stack with id {name} does not exist", 400
        )
        found = collect_workflows(parse_spec(text), cloudformation, client("stepfunctions"))
    assert found == [
        WorkflowState("nightly", "shop-local-nightly", "NOT_DEPLOYED", "events from shop.orders (bus orders)")
    ]


def test_a_jobs_trigger_shows_its_rule_state_and_failed_starts() -> None:
    cloudformation, events, sqs = client("cloudformation"), client("events"), client("sqs")
    with Stubber(cloudformation) as cfn_stub, Stubber(events) as events_stub, Stubber(sqs) as sqs_stub:
        stack(
            cfn_stub,
            naming.service_stack_name(SPEC, "reports"),
            {naming.trigger_output("Rule", 0): RULE, naming.trigger_output("DeadLetterQueueUrl"): QUEUE},
        )
        events_stub.add_response(
            "describe_rule", {"Name": RULE, "State": "DISABLED"}, {"Name": RULE, "EventBusName": "default"}
        )
        sqs_stub.add_response(
            "get_queue_attributes",
            {"Attributes": {"ApproximateNumberOfMessages": "4"}},
            {"QueueUrl": QUEUE, "AttributeNames": ["ApproximateNumberOfMessages"]},
        )
        found = collect_triggers(SPEC, cloudformation, events, sqs)
        events_stub.assert_no_pending_responses()
    assert found == [TriggerState("job reports", "S3 shop-local-uploads/exports/", RULE, "DISABLED", 4)]


def test_a_deleted_rule_is_missing() -> None:
    cloudformation, events = client("cloudformation"), client("events")
    with Stubber(cloudformation) as cfn_stub, Stubber(events) as events_stub:
        stack(cfn_stub, naming.service_stack_name(SPEC, "reports"), {naming.trigger_output("Rule", 0): RULE})
        events_stub.add_client_error("describe_rule", "ResourceNotFoundException", "Rule does not exist", 400)
        [found] = collect_triggers(SPEC, cloudformation, events, client("sqs"))
    assert (found.state, found.undelivered) == ("MISSING", None)


def test_the_tables_show_workflows_and_triggers() -> None:
    result = EnvironmentStatus(
        "local",
        [],
        ClusterState("shop-local", "ACTIVE"),
        [],
        workflows=[
            WorkflowState(
                "nightly", "shop-local-nightly", "ACTIVE", "by hand", "SUCCEEDED 2026-11-29 04:00:01"
            )
        ],
        triggers=[TriggerState("job reports", "S3 shop-local-uploads/exports/", RULE, "ENABLED", 0)],
    )
    titles = [table.title for table in status_tables(result)]
    assert titles[-2:] == ["Workflows", "Triggers"]
    payload = result.to_dict()
    assert payload["workflows"][0]["last_execution"] == "SUCCEEDED 2026-11-29 04:00:01"
    assert payload["triggers"][0] == {
        "owner": "job reports",
        "source": "S3 shop-local-uploads/exports/",
        "rule": RULE,
        "state": "ENABLED",
        "undelivered": 0,
    }
