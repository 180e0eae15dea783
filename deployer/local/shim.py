"""Complete on the local endpoint what moto's CloudFormation does not do.

- moto creates the cluster and the Auto Scaling groups but skips
  ``AWS::ECS::CapacityProvider`` and ``AWS::ECS::ClusterCapacityProviderAssociations`` (with
  only a warning): ``register_capacity_providers`` creates them through the ECS API.
- moto's ``update_stack`` registers a new task-definition revision but leaves the service
  on the old one: ``point_services_at_stack_revisions`` updates each service to the revision
  its stack outputs, as CloudFormation does on AWS.

Both run for the ``local`` target only, after a deploy, and are idempotent.
"""

from __future__ import annotations

import re
from typing import Any

from config import naming
from config.schema import FARGATE_PROVIDERS, AppSpec
from deployer.aws.stack_state import stack_outputs


def register_capacity_providers(spec: AppSpec, ecs: Any, autoscaling: Any, cloudformation: Any) -> list[str]:
    """Create missing EC2 capacity providers and associate every provider with the cluster."""
    if not spec.environment.is_local:
        raise ValueError("register_capacity_providers is for the local endpoint only")
    # Managed Instances providers have no Auto Scaling group: moto cannot model them at all.
    wanted = [naming.capacity_provider_name(spec, group) for group in spec.cluster.ec2_capacity]
    found = ecs.describe_capacity_providers(capacityProviders=wanted)["capacityProviders"] if wanted else []
    existing = {cp["name"] for cp in found}
    providers = list(FARGATE_PROVIDERS) if spec.cluster.fargate else []
    for group, settings in spec.cluster.ec2_capacity.items():
        name = naming.capacity_provider_name(spec, group)
        providers.append(name)
        if name in existing:
            continue
        ecs.create_capacity_provider(
            name=name,
            autoScalingGroupProvider={
                "autoScalingGroupArn": _asg_arn(spec, group, autoscaling, cloudformation),
                "managedScaling": {"status": "ENABLED", "targetCapacity": settings.target_capacity_percent},
                "managedTerminationProtection": "ENABLED",
                "managedDraining": "ENABLED",
            },
        )
    ecs.put_cluster_capacity_providers(
        cluster=naming.cluster_name(spec),
        capacityProviders=providers,
        defaultCapacityProviderStrategy=[],
    )
    return providers


def point_services_at_stack_revisions(spec: AppSpec, ecs: Any, cloudformation: Any) -> dict[str, str]:
    """Update each service whose task definition differs from its stack's output."""
    if not spec.environment.is_local:
        raise ValueError("point_services_at_stack_revisions is for the local endpoint only")
    updated: dict[str, str] = {}
    cluster = naming.cluster_name(spec)
    for name in spec.long_running:
        wanted = stack_outputs(cloudformation, naming.service_stack_name(spec, name)).get("TaskDefinitionArn")
        [service] = ecs.describe_services(cluster=cluster, services=[name])["services"]
        if wanted and service["taskDefinition"] != wanted:
            ecs.update_service(cluster=cluster, service=name, taskDefinition=wanted)
            updated[name] = wanted
    return updated


def _asg_arn(spec: AppSpec, group: str, autoscaling: Any, cloudformation: Any) -> str:
    marker = "Ec2" + re.sub(r"[^A-Za-z0-9]", "", group) + "AutoScalingGroup"
    paginator = cloudformation.get_paginator("list_stack_resources")
    for page in paginator.paginate(StackName=naming.cluster_stack_name(spec)):
        for resource in page["StackResourceSummaries"]:
            if (
                resource["ResourceType"] == "AWS::AutoScaling::AutoScalingGroup"
                and marker in resource["LogicalResourceId"]
            ):
                groups = autoscaling.describe_auto_scaling_groups(
                    AutoScalingGroupNames=[resource["PhysicalResourceId"]]
                )["AutoScalingGroups"]
                return str(groups[0]["AutoScalingGroupARN"])
    raise LookupError(f"no Auto Scaling group for capacity group {group!r} in the cluster stack")
