"""Every `local` stack created in moto's CloudFormation, in deploy order (wiring smoke test).

moto skips some resource types with only a warning and keeps few ECS properties, so ECS
semantics are asserted on the templates (unit tests); here we assert that the stacks wire
together (imports/exports, references) and that the ECS objects moto does model exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from config import naming
from tests.harness import SynthesisCache, SynthesisedEnvironment

pytestmark = [
    pytest.mark.moto,
    pytest.mark.filterwarnings("ignore:Tried to parse AWS"),
]

# Resource types moto 5.2.5 does not create (CREATE_COMPLETE all the same). A new entry
# here must be a deliberate decision: the deployer's local shim or a template test covers it.
SKIPPED_BY_MOTO = {
    "AWS::ECS::CapacityProvider",  # created by deployer.local.shim on the local endpoint
    "AWS::ECS::ClusterCapacityProviderAssociations",  # idem
    "AWS::SNS::TopicPolicy",  # TLS-only policy: tests/unit/test_cluster.py asserts it
    "AWS::S3::BucketPolicy",  # access-log delivery, TLS-only: tests/unit/test_web.py
    "AWS::SQS::QueuePolicy",  # TLS-only queues: tests/unit/test_worker_and_job.py
    "AWS::EC2::SecurityGroupEgress",  # load balancer → service port: tests/unit/test_web.py
    "AWS::ApplicationAutoScaling::ScalableTarget",  # tests/unit/test_web.py, test_worker_and_job.py
    "AWS::ApplicationAutoScaling::ScalingPolicy",  # idem
    "AWS::CloudWatch::Alarm",  # rollback and scale-from-zero alarms: idem
    "AWS::Scheduler::Schedule",  # the job's schedule: tests/unit/test_worker_and_job.py
}


@pytest.fixture(scope="module")
def deployed(
    synth_cache: SynthesisCache,
) -> Iterator[tuple[SynthesisedEnvironment, dict[str, list[dict[str, Any]]]]]:
    # Imported here: moto's Batch and Cloud Map models take most of a second, and every test
    # worker imports every test module.
    from deployer.local import batch as local_batch
    from deployer.local.cloud_map import register as register_cloud_map

    synthesised = synth_cache.get("local")
    register_cloud_map()
    local_batch.apply()  # as the local endpoint does: moto cannot create CDK's Batch resources
    with mock_aws():
        cloudformation = boto3.client("cloudformation", region_name="us-east-1")
        resources: dict[str, list[dict[str, Any]]] = {}
        for stack in naming.all_stack_names(synthesised.spec):
            cloudformation.create_stack(
                StackName=stack, TemplateBody=json.dumps(synthesised.templates[stack])
            )
            status = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"]
            assert status == "CREATE_COMPLETE", (stack, status)
            resources[stack] = cloudformation.list_stack_resources(StackName=stack)["StackResourceSummaries"]
        yield synthesised, resources


def test_only_allow_listed_types_are_skipped(
    deployed: tuple[SynthesisedEnvironment, dict[str, list[dict[str, Any]]]],
) -> None:
    synthesised, resources = deployed
    skipped: set[str] = set()
    for stack, template in synthesised.templates.items():
        created = {r["LogicalResourceId"] for r in resources[stack]}
        skipped |= {
            body["Type"] for logical_id, body in template["Resources"].items() if logical_id not in created
        }
    skipped.discard("AWS::CDK::Metadata")
    assert skipped == SKIPPED_BY_MOTO


def test_cluster_task_definitions_and_services_exist_and_are_linked(
    deployed: tuple[SynthesisedEnvironment, dict[str, list[dict[str, Any]]]],
) -> None:
    synthesised, _ = deployed
    spec = synthesised.spec
    ecs = boto3.client("ecs", region_name="us-east-1")
    [cluster] = ecs.describe_clusters(clusters=[naming.cluster_name(spec)])["clusters"]
    assert cluster["status"] == "ACTIVE"
    services = ecs.describe_services(cluster=cluster["clusterArn"], services=spec.long_running)["services"]
    assert {s["serviceName"] for s in services} == set(spec.long_running)
    for service in services:
        name = service["serviceName"]
        svc = spec.services[name]
        if not svc.scaled:  # scaling owns the others' count
            assert service["desiredCount"] == svc.desired_count
        definition = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        assert definition["family"] == naming.task_family(spec, name)
        assert definition["containerDefinitions"][0]["image"] == spec.services[name].image
    for job in spec.services_of_kind("job"):  # a job has a task definition and no service
        family = naming.task_family(spec, job)
        definition = ecs.describe_task_definition(taskDefinition=family)["taskDefinition"]
        assert definition["containerDefinitions"][0]["image"] == spec.services[job].image


def test_auto_scaling_group_uses_the_launch_template(
    deployed: tuple[SynthesisedEnvironment, dict[str, list[dict[str, Any]]]],
) -> None:
    synthesised, _ = deployed
    groups = boto3.client("autoscaling", region_name="us-east-1").describe_auto_scaling_groups()[
        "AutoScalingGroups"
    ]
    assert len(groups) == len(synthesised.spec.cluster.ec2_capacity)
    for group in groups:
        template = group.get("LaunchTemplate") or group["MixedInstancesPolicy"]["LaunchTemplate"]
        assert template, group["AutoScalingGroupName"]
