"""`destroy`: services first, instances released before the cluster stack, network last."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from config import naming
from deployer.aws.destroy import destroy_environment, release_instances
from tests.cli import run_deployer
from tests.harness import SynthesisCache, SynthesisedEnvironment

pytestmark = [pytest.mark.moto, pytest.mark.filterwarnings("ignore:Tried to parse AWS")]


class Recorder:
    """Wraps a boto3 client and records the mutating calls, in order."""

    def __init__(self, client: Any, log: list[tuple[str, str]]) -> None:
        self._client, self._log = client, log

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not name.startswith(("delete_", "update_", "set_")):
            return attribute

        def record(**kwargs: Any) -> Any:
            self._log.append((name, str(kwargs.get("StackName") or kwargs.get("AutoScalingGroupName"))))
            return attribute(**kwargs)

        return record


@pytest.fixture
def deployed(synth_cache: SynthesisCache) -> Iterator[SynthesisedEnvironment]:
    from deployer.local import batch as local_batch  # moto's Batch models: loaded when used
    from deployer.local.cloud_map import register as register_cloud_map

    synthesised = synth_cache.get("local")
    register_cloud_map()
    local_batch.apply()  # as the local endpoint does: moto cannot create CDK's Batch resources
    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name="us-east-1")
        for stack in naming.all_stack_names(synthesised.spec):
            cloudformation.create_stack(
                StackName=stack, TemplateBody=json.dumps(synthesised.templates[stack])
            )
            assert (
                cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
                == "CREATE_COMPLETE"
            )
        yield synthesised


def test_instances_are_unprotected_and_groups_emptied(deployed: SynthesisedEnvironment) -> None:
    autoscaling = boto3.client("autoscaling", region_name="us-east-1")
    cloudformation = boto3.client("cloudformation", region_name="us-east-1")
    before = autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]
    protected = [i for g in before for i in g["Instances"] if i["ProtectedFromScaleIn"]]
    assert protected, "the min_capacity 1 group should have a protected instance"

    released = release_instances(deployed.spec, cloudformation, autoscaling, lambda _: None)

    assert len(released) == len(deployed.spec.cluster.ec2_capacity)
    for group in autoscaling.describe_auto_scaling_groups()["AutoScalingGroups"]:
        assert (group["MinSize"], group["DesiredCapacity"]) == (0, 0)
        assert group["NewInstancesProtectedFromScaleIn"] is False
        assert not any(i["ProtectedFromScaleIn"] for i in group["Instances"])


def test_deletion_order(deployed: SynthesisedEnvironment) -> None:
    spec = deployed.spec
    log: list[tuple[str, str]] = []
    cloudformation = Recorder(boto3.client("cloudformation", region_name="us-east-1"), log)
    autoscaling = Recorder(boto3.client("autoscaling", region_name="us-east-1"), log)

    # moto leaves resources of deleted stacks behind (NOTES.md), so the VPC still has
    # dependencies when the network stack goes last; on AWS the cluster stack's deletion
    # removed them. The order of the calls is what this test checks.
    with pytest.raises(ClientError, match="DependencyViolation"):
        destroy_environment(spec, cloudformation, autoscaling, lambda _: None)

    deleted_stacks = [stack for name, stack in log if name == "delete_stack"]
    services = [naming.service_stack_name(spec, s) for s in spec.services]
    assert sorted(deleted_stacks[: len(services)]) == sorted(services)
    assert deleted_stacks[len(services) :] == [
        naming.ingress_stack_name(spec),
        naming.batch_stack_name(spec),
        naming.cluster_stack_name(spec),
        naming.network_stack_name(spec),
    ]
    # A caller's stack imports the security group of the service it calls: callers go first.
    for name, svc in spec.services.items():
        for caller in svc.allow_from:
            assert deleted_stacks.index(naming.service_stack_name(spec, caller)) < deleted_stacks.index(
                naming.service_stack_name(spec, name)
            )
    order = [name for name, _ in log]
    first_release = order.index("update_auto_scaling_group")
    cluster_delete = log.index(("delete_stack", naming.cluster_stack_name(spec)))
    assert all(
        log.index(("delete_stack", naming.service_stack_name(spec, s))) < first_release for s in spec.services
    )
    assert first_release < cluster_delete < log.index(("delete_stack", naming.network_stack_name(spec)))


def test_destroy_needs_confirmation() -> None:
    result = run_deployer("destroy", "--env", "local")
    assert result.code == 2 and "add --yes to confirm" in result.stderr
