"""Choosing a rollback target, and stopping an in-flight deployment (Stubber: moto lacks it)."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber

from config import load_spec
from deployer.inputs import BadInputError
from deployer.revisions.history import Revision
from deployer.revisions.rollback import choose_target, in_flight_deployment, stop_in_flight

ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-web:{}"


def revision(number: int, status: str = "ACTIVE", live: bool = False) -> Revision:
    return Revision(arn=ARN.format(number), revision=number, status=status, registered_at="", live=live)


HISTORY = [revision(5, live=True), revision(4, status="INACTIVE"), revision(3), revision(2), revision(1)]


def test_default_target_is_the_newest_active_revision_before_the_live_one() -> None:
    assert choose_target(HISTORY, None).revision == 3


def test_explicit_target() -> None:
    assert choose_target(HISTORY, 1).revision == 1


@pytest.mark.parametrize(
    ("to", "message"),
    [
        (4, r"revision 4 is INACTIVE \(deregistered, e.g. by prune\); .* roll back to: 3, 2, 1$"),
        (5, "revision 5 is already live"),
        (9, "no such revision; revisions you can roll back to: 3, 2, 1$"),
    ],
)
def test_refused_targets(to: int, message: str) -> None:
    with pytest.raises(BadInputError, match=message):
        choose_target(HISTORY, to)


def test_nothing_older_to_return_to() -> None:
    with pytest.raises(BadInputError, match="no ACTIVE revision older than the live 1"):
        choose_target([revision(1, live=True)], None)


def test_in_flight_deployment_is_stopped_with_rollback() -> None:
    spec = load_spec("local")
    ecs = boto3.client("ecs", region_name="us-east-1")
    deployment = "arn:aws:ecs:us-east-1:123456789012:service-deployment/shop-local/web/abc"
    with Stubber(ecs) as stubber:
        stubber.add_response(
            "list_service_deployments",
            {"serviceDeployments": [{"serviceDeploymentArn": deployment, "status": "IN_PROGRESS"}]},
            {"cluster": "shop-local", "service": "web", "status": ["PENDING", "IN_PROGRESS"]},
        )
        stubber.add_response(
            "stop_service_deployment",
            {"serviceDeploymentArn": deployment},
            {"serviceDeploymentArn": deployment, "stopType": "ROLLBACK"},
        )
        found = in_flight_deployment(spec, ecs, "web")
        assert found == deployment
        stop_in_flight(ecs, found)
        stubber.assert_no_pending_responses()


def test_no_in_flight_deployment() -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stubber:
        stubber.add_response("list_service_deployments", {"serviceDeployments": []})
        assert in_flight_deployment(load_spec("local"), ecs, "web") is None


def test_no_live_revision_and_no_active_revision() -> None:
    with pytest.raises(BadInputError, match=r"^the service has no live revision to roll back from$"):
        choose_target([revision(2), revision(1)], None)
    inactive = [revision(2, status="INACTIVE", live=True), revision(1, status="INACTIVE")]
    with pytest.raises(
        BadInputError,
        match=r"^--to 1: revision 1 is INACTIVE \(deregistered, e\.g\. by prune\); ECS cannot run it\. "
        r"revisions you can roll back to: none$",
    ):
        choose_target(inactive, 1)


def test_a_response_without_the_deployments_key_means_none_in_flight() -> None:
    ecs = boto3.client("ecs", region_name="us-east-1")
    with Stubber(ecs) as stubber:
        stubber.add_response("list_service_deployments", {})
        assert in_flight_deployment(load_spec("local"), ecs, "web") is None
