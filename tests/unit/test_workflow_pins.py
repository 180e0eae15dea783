"""Deploying some services (a rollback, ``deploy --service``) deploys the workflows stack too
when a workflow step runs one of them, with the rollback pins of the other services its steps
run, read from their stacks' ``PinnedTaskDefinition`` output (botocore's Stubber plays
CloudFormation; the templates are asserted in test_workflows_stack.py)."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.stub import Stubber

from config import parse_spec
from deployer.cdk.deploy import deploy_targets
from tests.spec_problems import TEXTS
from tests.unit.test_workflows_stack import FAN_OUT

DRAIN = """
  drain:
    steps: [{name: drain, run: worker, command: [bin/drain]}]
"""
SPEC = parse_spec(TEXTS["local"] + FAN_OUT + DRAIN)  # steps run reports (a job), api and worker
API_4 = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-api:4"
WORKER_2 = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-worker:2"


class FakeClients:
    def __init__(self, cloudformation: Any) -> None:
        self.spec, self.cloudformation = SPEC, cloudformation

    def __call__(self, service: str) -> Any:
        assert service == "cloudformation"
        return self.cloudformation


def described(name: str, outputs: dict[str, str]) -> dict[str, Any]:
    return {
        "Stacks": [
            {
                "StackName": name,
                "CreationTime": "2026-11-29T00:00:00Z",
                "StackStatus": "UPDATE_COMPLETE",
                "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
            }
        ]
    }


def test_a_service_no_step_runs_deploys_alone_and_reads_nothing() -> None:
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    with Stubber(cloudformation):  # no response queued: any call fails the test
        assert deploy_targets(FakeClients(cloudformation), ["web"], {"web": "x"}) == (
            ["shop-local-svc-web"],
            {"web": "x"},
        )
        assert deploy_targets(FakeClients(cloudformation), None, None) == (["--all"], {})


def test_rolling_back_a_stepped_service_deploys_the_workflows_keeping_the_others_pins() -> None:
    """Only worker's stack is read: reports is a job, which rollback never pins (a call for
    its stack would find no queued response and fail the test)."""
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    with Stubber(cloudformation) as stub:
        stub.add_response(
            "describe_stacks",
            described(
                "shop-local-svc-worker", {"PinnedTaskDefinition": WORKER_2, "TaskDefinitionArn": WORKER_2}
            ),
            {"StackName": "shop-local-svc-worker"},
        )
        targets, pins = deploy_targets(FakeClients(cloudformation), ["api"], {"api": API_4})
        stub.assert_no_pending_responses()
    assert targets == ["shop-local-svc-api", "shop-local-workflows"]
    assert pins == {"api": API_4, "worker": WORKER_2}


def test_rolling_forward_drops_the_services_own_pin_from_the_workflows() -> None:
    """``deploy --service api`` after a rollback: api's steps go back to its newest revision;
    a service never rolled back (here worker, whose stack does not exist yet) keeps none."""
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    with Stubber(cloudformation) as stub:
        stub.add_client_error(
            "describe_stacks",
            service_error_code="ValidationError",
            service_message="Stack with id shop-local-svc-worker does not exist",
            expected_params={"StackName": "shop-local-svc-worker"},
        )
        targets, pins = deploy_targets(FakeClients(cloudformation), ["api"], None)
        stub.assert_no_pending_responses()
    assert targets == ["shop-local-svc-api", "shop-local-workflows"]
    assert pins == {}
