"""``EventTrigger``: EventBridge rules that each start one task of a task definition."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from constructs_lib.dead_letters import dead_letter_queue
from constructs_lib.nag import acknowledge
from constructs_lib.service_roles import service_role


@dataclass(frozen=True)
class EventRule:
    """Events matching ``pattern`` (an EventBridge event pattern) on ``event_bus`` (default: the
    account's default bus) start one task. ``environment`` maps variable names of the main
    container to JSON paths into the event (``$.detail.object.key``). Defaults: 2 retries when
    the task fails to start, events older than one hour go to the dead-letter queue."""

    pattern: Mapping[str, Any]
    event_bus: events.IEventBus | None = None
    environment: Mapping[str, str] = field(default_factory=dict)
    retry_attempts: int = 2
    max_event_age: cdk.Duration = field(default_factory=lambda: cdk.Duration.hours(1))
    description: str | None = None


class EventTrigger(Construct):
    """One rule per ``EventRule``, each running ``task_definition`` on ``cluster`` with the
    capacity provider strategy, in ``vpc_subnets`` (no public IP) with ``security_groups``.

    Defaults: tags propagated from the task definition; event values become environment
    overrides of the main container (``task_definition.default_container``) through the
    target's input transformer; runs that cannot start go to one dead-letter queue
    (``dead_letter_queue``, encrypted with ``encryption_key``, default SQS-managed encryption;
    TLS-only; kept 14 days). The rules' role (``role``) may run only this task definition on
    this cluster, tag the tasks it starts and pass the task's two roles. Give ``cluster`` with
    a literal name (``Cluster.from_cluster_attributes``) so the tagging wildcard can be
    acknowledged for cdk-nag exactly.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        cluster: ecs.ICluster,
        task_definition: ecs.TaskDefinition,
        rules: Sequence[EventRule],
        capacity_provider_strategies: Sequence[ecs.CapacityProviderStrategy],
        security_groups: Sequence[ec2.ISecurityGroup],
        vpc_subnets: ec2.SubnetSelection | None = None,
        encryption_key: kms.IKey | None = None,
        description: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not rules:
            raise ValueError("rules must hold at least one EventRule")
        if not capacity_provider_strategies:
            raise ValueError("capacity_provider_strategies must name at least one provider")
        main = task_definition.default_container
        if main is None:
            raise ValueError(f"task definition {task_definition.family} has no essential container")
        what = description or construct_id
        self.dead_letter_queue = dead_letter_queue(
            self, "DeadLetterQueue", encryption_key=encryption_key, what=f"the triggers of {what}"
        )
        self.role = service_role(
            self,
            "Role",
            service="events.amazonaws.com",
            description=f"EventBridge rules start tasks of {what}",
        )
        if not task_definition.is_fargate_compatible:
            # aws-cdk-lib's EcsTask passes the task role for Fargate task definitions only;
            # RunTask needs iam:PassRole on it whatever the capacity.
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=["iam:PassRole"], resources=[task_definition.task_role.role_arn])
            )
        strategy = [
            {"CapacityProvider": s.capacity_provider, "Weight": s.weight or 0, "Base": s.base or 0}
            for s in capacity_provider_strategies
        ]
        self.rules: list[events.Rule] = []
        for index, rule in enumerate(rules):
            target = targets.EcsTask(
                cluster=cluster,
                task_definition=task_definition,
                role=self.role,
                subnet_selection=vpc_subnets,
                security_groups=list(security_groups),
                assign_public_ip=False,
                propagate_tags=ecs.PropagatedTagSource.TASK_DEFINITION,
                container_overrides=_overrides(main.container_name, rule.environment),
                dead_letter_queue=self.dead_letter_queue,
                retry_attempts=rule.retry_attempts,
                max_event_age=rule.max_event_age,
            )
            self.rules.append(self._rule(f"Rule{index}", rule, target, strategy, what))
        self._acknowledge_tagging(cluster)

    def _rule(
        self,
        construct_id: str,
        rule: EventRule,
        target: targets.EcsTask,
        strategy: list[dict[str, Any]],
        what: str,
    ) -> events.Rule:
        created = pattern_rule(self, construct_id, rule, target, f"starts a task of {what}")
        resource = created.node.default_child
        assert isinstance(resource, events.CfnRule)
        # EcsTask sets a launch type; a capacity provider strategy replaces it, as for services.
        resource.add_property_deletion_override("Targets.0.EcsParameters.LaunchType")
        resource.add_property_override("Targets.0.EcsParameters.CapacityProviderStrategy", strategy)
        return created

    def _acknowledge_tagging(self, cluster: ecs.ICluster) -> None:
        if cdk.Token.is_unresolved(cluster.cluster_name):
            return
        stack = cdk.Stack.of(self)
        tasks = f"arn:{stack.partition}:ecs:{stack.region}:*:task/{cluster.cluster_name}/*"
        acknowledge(
            self.role.node.find_child("DefaultPolicy"),
            f"IAM5[Resource::{tasks}]",
            "Propagating the task definition's tags needs ecs:TagResource on the tasks the rules "
            "start, whose ids are unknown in advance: 'task/<this cluster>/*'. RunTask itself is "
            "limited to this task definition on this cluster.",
        )


def pattern_rule(
    scope: Construct, construct_id: str, rule: EventRule, target: events.IRuleTarget, description: str
) -> events.Rule:
    """A rule on ``rule.event_bus`` with ``rule.pattern`` as written and one ``target``."""
    created = events.Rule(
        scope,
        construct_id,
        event_bus=rule.event_bus,
        # The L2's typed fields hold plain strings only, not content filters ({prefix: …}):
        # the whole pattern goes to the L1 below.
        event_pattern=events.EventPattern(detail=dict(rule.pattern.get("detail", {}))),
        description=rule.description or description,
        targets=[target],
    )
    resource = created.node.default_child
    assert isinstance(resource, events.CfnRule)
    resource.add_property_override("EventPattern", dict(rule.pattern))
    return created


def _overrides(container: str, environment: Mapping[str, str]) -> list[targets.ContainerOverride] | None:
    if not environment:
        return None
    return [
        targets.ContainerOverride(
            container_name=container,
            environment=[
                targets.TaskEnvironmentVariable(name=name, value=events.EventField.from_path(path))
                for name, path in environment.items()
            ],
        )
    ]
