"""``WebRouting``: put an ``EcsService`` behind a shared load balancer listener."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_elasticloadbalancingv2 as elbv2
from aws_cdk import aws_sns as sns
from constructs import Construct

from constructs_lib.nag import acknowledge
from constructs_lib.service import EcsService


@dataclass(frozen=True)
class TargetHealthCheck:
    """The load balancer's check of each task. Default: ``GET /`` every 5 s, healthy after 2
    passes, unhealthy after 2 failures, 4 s timeout, 200-399 healthy (a new task takes
    traffic 10 s after it starts answering, against 150 s with the ALB defaults)."""

    path: str = "/"
    interval_seconds: int = 5
    timeout_seconds: int = 4
    healthy_threshold: int = 2
    unhealthy_threshold: int = 2
    success_codes: str = "200-399"


# What a gRPC target group checks unless told otherwise: a method no server implements, which
# any gRPC server answers with status 12 (UNIMPLEMENTED): the ELB defaults, written out.
GRPC_HEALTH_CHECK = TargetHealthCheck(path="/AWS.ALB/healthcheck", success_codes="12")


@dataclass(frozen=True)
class Route:
    """Where the listener sends a service's requests: path patterns (at most 5), host
    headers (default any host) and the rule's priority (lower is evaluated first)."""

    paths: Sequence[str]
    priority: int
    hosts: Sequence[str] = ()


class WebRouting(Construct):
    """A target group, a listener rule and rollback alarms for one web service.

    The rule forwards ``route`` to the service's ``container_name``/``container_port``: IP
    targets for ``awsvpc`` tasks, instance targets (the instance and its host port) for
    ``bridge`` and ``host`` tasks. Defaults: ``deregistration_delay`` 15 s; ``health_check`` as
    in ``TargetHealthCheck``. For an awsvpc service, registering the target lets the load
    balancer's security group reach the container port and nothing else; aws-cdk-lib puts both
    rules in the service's stack, so the load balancer's stack never depends on a service. A
    bridge or host service has no security group: give its instances' group the rule instead
    (``InstancePortsIngress``), once per capacity group and load balancer. With ``alternate``
    (blue/green, canary, linear) a second target group takes the new revision, and
    ``test_listener`` (when given) routes test traffic to it.

    ``protocol_version`` (default HTTP/1.1) is what the target groups speak to the container:
    ``HTTP2`` or ``GRPC``, which ELB allows only behind HTTPS listeners (a ``ValueError`` for a
    plain-HTTP one). With ``GRPC`` the health check is a gRPC call: ``health_check.path`` is a
    method (``/package.service/method``) and ``success_codes`` are gRPC status codes (0-99);
    the default is ``GRPC_HEALTH_CHECK``, ``/AWS.ALB/healthcheck`` healthy on 12.

    ``alarms`` (names in ``alarm_names``): target 5xx rate above ``max_5xx_percent``
    (default 5%) and any unhealthy target, each for two consecutive minutes; pass the names
    to ``EcsService.roll_back_on_alarms``. Give ``alarm_name_prefix`` (default none:
    generated names) so the service can name them without a reference back into this
    construct. ``alarm_topic`` (default none) is notified when an alarm fires and when it
    clears.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        service: EcsService,
        listener: elbv2.IApplicationListener,
        container_name: str,
        container_port: int,
        route: Route,
        health_check: TargetHealthCheck | None = None,
        protocol_version: elbv2.ApplicationProtocolVersion | None = None,
        deregistration_delay: cdk.Duration | None = None,
        alternate: bool = False,
        test_listener: elbv2.IApplicationListener | None = None,
        max_5xx_percent: float = 5,
        alarm_name_prefix: str | None = None,
        alarm_topic: sns.ITopic | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        if not 1 <= len(route.paths) <= 5:
            raise ValueError(f"route.paths has {len(route.paths)} patterns; allowed: 1 to 5")
        if not 1 <= route.priority <= 50000:
            raise ValueError(f"route.priority={route.priority}; allowed: 1 to 50000")
        grpc = protocol_version is elbv2.ApplicationProtocolVersion.GRPC
        if protocol_version not in (None, elbv2.ApplicationProtocolVersion.HTTP1):
            for plain in (item for item in (listener, test_listener) if item and not _is_https(item)):
                raise ValueError(
                    f"protocol_version {protocol_version.value} needs HTTPS listeners; "
                    f"{plain.node.path} is plain HTTP (ELB sends HTTP/2 and gRPC to targets from HTTPS only)"
                )
        check = health_check or (GRPC_HEALTH_CHECK if grpc else TargetHealthCheck())
        delay = deregistration_delay if deregistration_delay is not None else cdk.Duration.seconds(15)
        self._protocol_version = protocol_version
        self.target_group = self._target_group("TargetGroup", service, container_port, check, delay)
        conditions = [elbv2.ListenerCondition.path_patterns(list(route.paths))]
        if route.hosts:
            conditions.append(elbv2.ListenerCondition.host_headers(list(route.hosts)))
        self.rule = elbv2.ApplicationListenerRule(
            self,
            "Rule",
            listener=listener,
            priority=route.priority,
            conditions=conditions,
            action=elbv2.ListenerAction.forward([self.target_group]),
        )
        self.alternate_target_group: elbv2.ApplicationTargetGroup | None = None
        alternate_target = None
        if alternate:
            self.alternate_target_group = self._target_group(
                "AlternateTargetGroup", service, container_port, check, delay
            )
            test_rule = None
            if test_listener is not None:
                test_rule = elbv2.ApplicationListenerRule(
                    self,
                    "TestRule",
                    listener=test_listener,
                    priority=route.priority,
                    conditions=conditions,
                    action=elbv2.ListenerAction.forward([self.alternate_target_group]),
                )
            alternate_target = ecs.AlternateTarget(
                "AlternateTarget",
                alternate_target_group=self.alternate_target_group,
                production_listener=ecs.ListenerRuleConfiguration.application_listener_rule(self.rule),
                test_listener=(
                    ecs.ListenerRuleConfiguration.application_listener_rule(test_rule) if test_rule else None
                ),
            )
        target = service.service.load_balancer_target(
            container_name=container_name, container_port=container_port, alternate_target=alternate_target
        )
        target.attach_to_application_target_group(self.target_group)
        role = service.service.node.try_find_child("AlternateTargetRole")
        if role is not None:
            acknowledge(
                role,
                "IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]",
                "ECS shifts traffic between the target groups with this AWS managed policy, the one "
                "AWS documents for native blue/green; AWS keeps it in step with the ELB actions ECS needs.",
            )
        if alternate_target is None:  # otherwise aws-cdk-lib adds this dependency itself
            service.service.node.add_dependency(self.rule)
        names = (
            (f"{alarm_name_prefix}-target-5xx-rate", f"{alarm_name_prefix}-unhealthy-targets")
            if alarm_name_prefix
            else (None, None)
        )
        self.alarms = self._alarms(max_5xx_percent, names)
        if alarm_topic is not None:
            for alarm in self.alarms:
                alarm.add_alarm_action(cloudwatch_actions.SnsAction(alarm_topic))
                alarm.add_ok_action(cloudwatch_actions.SnsAction(alarm_topic))
        # Literal names when known: a Ref from the service to its alarms is a cycle risk.
        self.alarm_names = [name or alarm.alarm_name for name, alarm in zip(names, self.alarms, strict=True)]

    def _target_group(
        self,
        name: str,
        service: EcsService,
        port: int,
        check: TargetHealthCheck,
        delay: cdk.Duration,
    ) -> elbv2.ApplicationTargetGroup:
        on_instance = service.service.task_definition.network_mode is not ecs.NetworkMode.AWS_VPC
        grpc = self._protocol_version is elbv2.ApplicationProtocolVersion.GRPC
        return elbv2.ApplicationTargetGroup(
            self,
            name,
            vpc=service.service.cluster.vpc,
            port=port,
            protocol=elbv2.ApplicationProtocol.HTTP,
            protocol_version=self._protocol_version,
            target_type=elbv2.TargetType.INSTANCE if on_instance else elbv2.TargetType.IP,
            deregistration_delay=delay,
            health_check=elbv2.HealthCheck(
                # An instance target's port is the task's host port, dynamic in bridge mode: the
                # check must follow it (the ALB default, written out as cfn-lint E3049 asks).
                port="traffic-port" if on_instance else None,
                path=check.path,
                interval=cdk.Duration.seconds(check.interval_seconds),
                timeout=cdk.Duration.seconds(check.timeout_seconds),
                healthy_threshold_count=check.healthy_threshold,
                unhealthy_threshold_count=check.unhealthy_threshold,
                healthy_http_codes=None if grpc else check.success_codes,
                healthy_grpc_codes=check.success_codes if grpc else None,
            ),
        )

    def _alarms(self, max_5xx_percent: float, names: tuple[str | None, str | None]) -> list[cloudwatch.Alarm]:
        metrics = self.target_group.metrics
        errors_percent = cloudwatch.MathExpression(
            expression="IF(requests > 0, 100 * errors / requests, 0)",
            using_metrics={
                "errors": metrics.http_code_target(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, statistic="Sum"),
                "requests": metrics.request_count(statistic="Sum"),
            },
            period=cdk.Duration.minutes(1),
            label="target 5xx %",
        )
        return [
            cloudwatch.Alarm(
                self,
                "Target5xxRate",
                alarm_name=names[0],
                metric=errors_percent,
                threshold=max_5xx_percent,
                evaluation_periods=2,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                alarm_description="target 5xx responses above the limit: rolls a deployment back",
            ),
            cloudwatch.Alarm(
                self,
                "UnhealthyTargets",
                alarm_name=names[1],
                metric=metrics.unhealthy_host_count(period=cdk.Duration.minutes(1), statistic="Maximum"),
                threshold=1,
                evaluation_periods=2,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                alarm_description="a target failed its health check: rolls a deployment back",
            ),
        ]


def _is_https(listener: elbv2.IApplicationListener) -> bool:
    """False for a listener of this app that is plain HTTP; True otherwise (HTTPS, or imported:
    its protocol is not known here)."""
    resource = listener.node.default_child
    return not isinstance(resource, elbv2.CfnListener) or resource.protocol != "HTTP"
