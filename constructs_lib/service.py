"""``EcsService``: a long-running ECS service placed by a capacity provider strategy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from constructs import Construct

from constructs_lib.service_scaling import TargetTracking, track_targets


@dataclass(frozen=True)
class Deployment:
    """How a new revision replaces the old one. Default: rolling, no bake time.

    ``BLUE_GREEN``, ``CANARY`` and ``LINEAR`` are native ECS strategies: they need a load
    balancer target with an alternate target group (``WebRouting`` makes one).
    ``traffic_shift`` is the canary or linear step (percent and bake time between steps).
    """

    strategy: ecs.DeploymentStrategy = ecs.DeploymentStrategy.ROLLING
    bake_time: cdk.Duration | None = None
    traffic_shift: ecs.TrafficShiftConfig | None = None


class EcsService(Construct):
    """A service in private subnets, kept at ``desired_count`` by ECS.

    Placement is always a capacity provider strategy, never a launch type, so moving the
    service between Fargate, Fargate Spot and EC2 capacity never replaces it.

    Defaults: deployment circuit breaker with rollback on; ``min_healthy_percent`` 100 and
    ``max_healthy_percent`` 200 (a rolling deploy never drops below the desired count);
    no public IP; a security group of its own with no ingress (``connections`` opens it);
    no placement strategies (ECS spreads EC2 tasks across availability zones);
    Fargate platform ``LATEST``; tags propagated from the service to its tasks;
    ``volume_configurations`` attach service-managed (per-task) EBS volumes.
    ``desired_count`` None leaves the count out of the template, so a redeploy never resets
    what autoscaling chose (ECS starts with 1). ``service_connect`` joins the cluster's
    Service Connect namespace; ``deployment`` picks the strategy (default rolling).

    The task definition's network mode decides the networking: ``awsvpc`` tasks get
    ``vpc_subnets`` and the security group; ``bridge`` and ``host`` tasks (EC2 capacity only)
    use their instance's network, so the service has neither (``security_group`` is None,
    ``connections`` holds no group, and giving ``vpc_subnets`` raises ``ValueError``): rules
    belong on the capacity group's instances (``AsgCapacity.connections``).
    ``placement_strategies`` (EC2 capacity only) order the instances ECS picks.

    ``pinned_task_definition`` (default none) runs that retained revision of the family instead
    of ``task_definition`` (a rollback): everything else about the service still comes from
    ``task_definition``, and ``task_definition_arn`` is the revision that runs.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: ecs.ICluster,
        task_definition: ecs.TaskDefinition,
        capacity_provider_strategies: Sequence[ecs.CapacityProviderStrategy],
        service_name: str | None = None,
        desired_count: int | None = 1,
        vpc_subnets: ec2.SubnetSelection | None = None,
        min_healthy_percent: int = 100,
        max_healthy_percent: int = 200,
        volume_configurations: Sequence[ecs.ServiceManagedVolume] = (),
        deployment: Deployment | None = None,
        health_check_grace_period: cdk.Duration | None = None,
        service_connect: ecs.ServiceConnectProps | None = None,
        pinned_task_definition: ecs.ITaskDefinition | None = None,
        placement_strategies: Sequence[ecs.PlacementStrategy] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        if pinned_task_definition is not None:
            _check_same_family(pinned_task_definition.task_definition_arn, task_definition.family)
        if not capacity_provider_strategies:
            raise ValueError("capacity_provider_strategies must name at least one provider")
        if desired_count is not None and desired_count < 0:
            raise ValueError(f"desired_count={desired_count} must be 0 or more")
        if not 0 <= min_healthy_percent <= 100 or max_healthy_percent <= min_healthy_percent:
            raise ValueError(
                f"min_healthy_percent={min_healthy_percent}, max_healthy_percent="
                f"{max_healthy_percent}: need 0 <= min <= 100 and max > min"
            )
        own_network = task_definition.network_mode is ecs.NetworkMode.AWS_VPC
        if not own_network and vpc_subnets is not None:
            raise ValueError(
                f"vpc_subnets: a {task_definition.network_mode.name} task uses its instance's "
                "network; only awsvpc tasks are placed in subnets"
            )
        on_instances = not (
            task_definition.is_fargate_compatible or task_definition.is_managed_instances_compatible
        )
        if placement_strategies and not on_instances:
            raise ValueError("placement_strategies choose among EC2 instances: give an EC2 task definition")
        self.security_group: ec2.SecurityGroup | None = None
        if own_network:
            self.security_group = ec2.SecurityGroup(
                self,
                "SecurityGroup",
                vpc=cluster.vpc,
                description=f"ECS service {service_name or construct_id}",
                allow_all_outbound=True,
            )
        common = {
            "cluster": cluster,
            "task_definition": task_definition,
            "service_name": service_name,
            "desired_count": desired_count,
            "capacity_provider_strategies": list(capacity_provider_strategies),
            "circuit_breaker": ecs.DeploymentCircuitBreaker(enable=True, rollback=True),
            "min_healthy_percent": min_healthy_percent,
            "max_healthy_percent": max_healthy_percent,
            "propagate_tags": ecs.PropagatedTagSource.SERVICE,
            **({"security_groups": [self.security_group], "vpc_subnets": vpc_subnets} if own_network else {}),
            "volume_configurations": list(volume_configurations) or None,
            "health_check_grace_period": health_check_grace_period,
            "service_connect_configuration": service_connect,
            **_deployment_props(deployment or Deployment()),
        }
        self.service: ecs.BaseService
        # aws-cdk-lib places Managed Instances tasks with FargateService too.
        if not on_instances:
            self.service = ecs.FargateService(
                self,
                "Service",
                assign_public_ip=False,
                platform_version=(
                    ecs.FargatePlatformVersion.LATEST if task_definition.is_fargate_compatible else None
                ),
                **common,  # type: ignore[arg-type]
            )
        else:
            self.service = ecs.Ec2Service(
                self,
                "Service",
                placement_strategies=list(placement_strategies) or None,
                **common,  # type: ignore[arg-type]
            )
        self._running = task_definition.task_definition_arn
        if pinned_task_definition is not None:
            self._running = pinned_task_definition.task_definition_arn
            resource = self.service.node.default_child
            assert isinstance(resource, cdk.CfnResource)
            resource.add_property_override("TaskDefinition", self._running)

    @property
    def task_definition_arn(self) -> str:
        """The revision the service runs: the pinned one when given, else ``task_definition``'s."""
        return self._running

    def auto_scale(
        self, tracking: TargetTracking, *, target_group: elbv2.ApplicationTargetGroup | None = None
    ) -> ecs.ScalableTaskCount:
        """Let Application Auto Scaling own the task count, tracking each target ``tracking``
        sets; the request target reads ``target_group`` (required with ``requests_per_target``).
        Give the service ``desired_count=None`` so a redeploy never resets the count."""
        return track_targets(self.service, tracking, target_group)

    def roll_back_on_alarms(self, alarm_names: Sequence[str]) -> None:
        """Roll a deployment back when any of these CloudWatch alarms fires during it."""
        if alarm_names:
            self.service.enable_deployment_alarms(
                list(alarm_names), behavior=ecs.AlarmBehavior.ROLLBACK_ON_ALARM
            )

    @property
    def connections(self) -> ec2.Connections:
        """Network rules of the service's tasks (``service.connections.allow_from(...)``);
        empty in bridge and host mode, where the tasks use their instance's security group."""
        return self.service.connections


def _deployment_props(deployment: Deployment) -> dict[str, object]:
    props: dict[str, object] = {"deployment_strategy": deployment.strategy}
    if deployment.bake_time is not None:
        props["bake_time"] = deployment.bake_time
    if deployment.strategy == ecs.DeploymentStrategy.CANARY:
        props["canary_configuration"] = deployment.traffic_shift
    elif deployment.strategy == ecs.DeploymentStrategy.LINEAR:
        props["linear_configuration"] = deployment.traffic_shift
    return props


def _check_same_family(arn: str, family: str) -> None:
    if cdk.Token.is_unresolved(arn) or cdk.Token.is_unresolved(family):
        return
    match = re.search(r":task-definition/([^:]+):\d+$", arn)
    if match is None or match[1] != family:
        raise ValueError(
            f"pinned_task_definition={arn!r}: pin a revision of family {family!r} "
            f"(arn:<partition>:ecs:<region>:<account>:task-definition/{family}:<revision>)"
        )
