"""What a web service's ``app_protocol`` asks of its load balancer: ``grpc`` and ``http2`` make
the target groups speak gRPC or HTTP/2 to the container (ELB allows both only behind HTTPS),
and a gRPC target group checks health with a gRPC call, healthy on gRPC status codes."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_elasticloadbalancingv2 as elbv2

from config import AppSpec, naming, parse_spec
from tests.cfn_lint_check import findings
from tests.harness import SynthesisCache, SynthesisedEnvironment, new_stack, resources_of_type, synthesise
from tests.spec_problems import edited

TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup"
PROD_PORT = "    port: 8080\n    desired_count: 3\n"
PROD_CHECK = "      health_check:\n        path: /health\n"


def prod_with(protocol: str, check: str = "") -> AppSpec:
    """prod (blue/green web service: two target groups) with the web service speaking ``protocol``."""
    text = edited("prod", PROD_PORT, f"    port: 8080\n    app_protocol: {protocol}\n    desired_count: 3\n")
    return parse_spec(text.replace(PROD_CHECK, check, 1))


def target_groups(synthesised: SynthesisedEnvironment) -> list[dict[str, Any]]:
    template = synthesised.templates[naming.service_stack_name(synthesised.spec, "web")]
    return [r["Properties"] for r in resources_of_type(template, TARGET_GROUP).values()]


@pytest.fixture(scope="module")
def grpc() -> SynthesisedEnvironment:
    return synthesise(prod_with("grpc"))


def test_grpc_target_groups_call_the_default_grpc_health_check(grpc: SynthesisedEnvironment) -> None:
    groups = target_groups(grpc)
    assert len(groups) == 2  # blue/green: production and alternate, alike
    for group in groups:
        assert group["ProtocolVersion"] == "GRPC" and group["Protocol"] == "HTTP"
        assert group["HealthCheckPath"] == "/AWS.ALB/healthcheck"
        assert group["Matcher"] == {"GrpcCode": "12"}


def test_grpc_changes_the_web_service_stack_only_and_lints_clean(
    grpc: SynthesisedEnvironment, synth_cache: SynthesisCache
) -> None:
    shipped = synth_cache.get("prod").templates
    web = naming.service_stack_name(grpc.spec, "web")
    assert {name for name in shipped if shipped[name] != grpc.templates[name]} == {web}
    assert findings("prod", {web: grpc.templates[web]}) == []


def test_a_grpc_health_method_and_codes_are_the_ones_written() -> None:
    check = "      health_check:\n        path: /grpc.health.v1.Health/Check\n        success_codes: '0'\n"
    for group in target_groups(synthesise(prod_with("grpc", check))):
        assert group["HealthCheckPath"] == "/grpc.health.v1.Health/Check"
        assert group["Matcher"] == {"GrpcCode": "0"}


def test_http2_target_groups_keep_the_http_health_check() -> None:
    for group in target_groups(synthesise(prod_with("http2", PROD_CHECK))):
        assert group["ProtocolVersion"] == "HTTP2"
        assert group["HealthCheckPath"] == "/health" and group["Matcher"] == {"HttpCode": "200-399"}


def test_http_leaves_the_protocol_version_to_the_alb_default(synth_cache: SynthesisCache) -> None:
    shipped = synth_cache.get("prod")
    explicit = synthesise(prod_with("http", PROD_CHECK))  # only names the port mapping's appProtocol
    assert target_groups(explicit) == target_groups(shipped)
    assert all("ProtocolVersion" not in group for group in target_groups(shipped))


def test_the_construct_refuses_grpc_behind_a_plain_http_listener() -> None:
    from aws_cdk import aws_ec2 as ec2
    from aws_cdk import aws_ecs as ecs

    from constructs_lib import EcsService
    from constructs_lib.load_balancer import PublicLoadBalancer
    from constructs_lib.web_routing import Route, WebRouting

    stack = new_stack()
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2, nat_gateways=0)
    ingress = PublicLoadBalancer(stack, "Ingress", vpc=vpc)
    cluster = ecs.Cluster(stack, "Cluster", vpc=vpc)
    task = ecs.FargateTaskDefinition(stack, "Task")
    container = task.add_container("app", image=ecs.ContainerImage.from_registry("public.ecr.aws/x/y:1"))
    container.add_port_mappings(ecs.PortMapping(container_port=50051))
    fargate = [ecs.CapacityProviderStrategy(capacity_provider="FARGATE", weight=1)]
    service = EcsService(
        stack, "Service", cluster=cluster, task_definition=task, capacity_provider_strategies=fargate
    )
    with pytest.raises(ValueError, match=r"protocol_version GRPC needs HTTPS listeners; \S+ is plain HTTP"):
        WebRouting(
            stack,
            "Web",
            service=service,
            listener=ingress.listener,
            container_name="app",
            container_port=50051,
            route=Route(paths=["/*"], priority=1),
            protocol_version=elbv2.ApplicationProtocolVersion.GRPC,
        )
