"""Benchmark: the shortest time a healthy rolling deploy of a web service can take, read from
synthesised templates. Writes docs/benchmarks.md (rollout floor section).

    floor = target group interval x healthy threshold   (a new task starts taking traffic)
          + deregistration delay                          (the old task drains)
          + container stop timeout                        (the old task is told to stop)

The health-check grace period only hides failures; in a healthy deploy it adds nothing, so it
is shown but not added. Image pull and application start are the same for every tool and left
out. Compared: our `dev` web service, a stock `aws-ecs-patterns`
ApplicationLoadBalancedFargateService synthesised in the same run, and AWS Copilot's
documented Load Balanced Web Service defaults.

Run: `python -m bench.rollout_floor`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_ecs_patterns as patterns
from aws_cdk.assertions import Template

from bench.report import write_section
from config import load_spec, naming
from deployer.cdk.synth import project_app, synthesise_templates

TARGET_S = 45
ECS_DEFAULT_STOP_TIMEOUT = 30  # seconds, when a container sets none
ALB_DEFAULTS = {"interval": 30, "healthy": 5, "deregistration": 300}  # the ALB API's defaults
# Copilot's manifest reference (Load Balanced Web Service): http.healthcheck interval 10s,
# healthy_threshold 5; deregistration_delay 60s; grace_period 60s; no stop timeout of its own.
COPILOT = {"interval": 10, "healthy": 5, "deregistration": 60, "stop": ECS_DEFAULT_STOP_TIMEOUT, "grace": 60}


@dataclass(frozen=True)
class Floor:
    name: str
    interval: int
    healthy: int
    deregistration: int
    stop: int
    grace: int
    min_healthy_percent: int

    @property
    def seconds(self) -> int:
        return self.interval * self.healthy + self.deregistration + self.stop


def from_template(name: str, template: dict[str, Any]) -> Floor:
    """The floor of the one web service in ``template`` (a target group and a service)."""
    [group] = properties(template, "AWS::ElasticLoadBalancingV2::TargetGroup")[:1]
    [service] = properties(template, "AWS::ECS::Service")
    [task] = properties(template, "AWS::ECS::TaskDefinition")
    attributes = {a["Key"]: a["Value"] for a in group.get("TargetGroupAttributes", [])}
    main = task["ContainerDefinitions"][0]
    return Floor(
        name=name,
        interval=int(group.get("HealthCheckIntervalSeconds", ALB_DEFAULTS["interval"])),
        healthy=int(group.get("HealthyThresholdCount", ALB_DEFAULTS["healthy"])),
        deregistration=int(
            attributes.get("deregistration_delay.timeout_seconds", ALB_DEFAULTS["deregistration"])
        ),
        stop=int(main.get("StopTimeout", ECS_DEFAULT_STOP_TIMEOUT)),
        grace=int(service.get("HealthCheckGracePeriodSeconds", 0)),
        min_healthy_percent=int(service.get("DeploymentConfiguration", {}).get("MinimumHealthyPercent", 100)),
    )


def properties(template: dict[str, Any], resource_type: str) -> list[dict[str, Any]]:
    """The ``Properties`` of every resource of ``resource_type`` in ``template``, in template order."""
    found = Template.from_json(template).find_resources(resource_type)
    return [dict(resource.get("Properties", {})) for resource in found.values()]


def ours() -> Floor:
    spec = load_spec("dev")
    return from_template(
        "this project, `dev` web", synthesise_templates(spec)[naming.service_stack_name(spec, "web")]
    )


def ecs_patterns() -> Floor:
    app = project_app()
    # The account and region whose availability zones cdk.context.json holds.
    stack = cdk.Stack(app, "Patterns", env=cdk.Environment(account="123456789012", region="us-east-1"))
    patterns.ApplicationLoadBalancedFargateService(
        stack,
        "Web",
        task_image_options=patterns.ApplicationLoadBalancedTaskImageOptions(
            image=ecs.ContainerImage.from_registry("public.ecr.aws/nginx/nginx:1.27"), container_port=8080
        ),
        min_healthy_percent=100,
    )
    template = app.synth().get_stack_by_name("Patterns").template
    return from_template("aws-ecs-patterns ApplicationLoadBalancedFargateService (stock)", template)


def copilot() -> Floor:
    c = COPILOT
    name = "AWS Copilot Load Balanced Web Service (documented defaults)"
    return Floor(name, c["interval"], c["healthy"], c["deregistration"], c["stop"], c["grace"], 100)


def report(floors: list[Floor]) -> str:
    rows = "\n".join(
        f"| {f.name} | {f.interval} s x {f.healthy} | {f.deregistration} s | {f.stop} s | {f.grace} s "
        f"| {f.min_healthy_percent} | **{f.seconds} s** |"
        for f in floors
    )
    verdict = "met" if floors[0].seconds <= TARGET_S and floors[0].min_healthy_percent == 100 else "NOT met"
    return f"""Measured {datetime.now(UTC):%Y-%m-%d} by `python -m bench.rollout_floor` (aws-cdk-lib 2.275.0).

The shortest healthy rolling deploy of one web service: health check interval x healthy
threshold (a new task takes traffic) + deregistration delay (the old one drains) + stop
timeout (the old one stops). Grace is shown but not added: it only hides failures.

| service | health check | deregistration | stop timeout | grace | min healthy % | floor |
|---|---|---|---|---|---|---|
{rows}

Target: ours at or under {TARGET_S} s with `minHealthyPercent` 100: **{verdict}**."""


def main() -> None:
    floors = [ours(), ecs_patterns(), copilot()]
    write_section("Rolling deploy floor", report(floors))
    for floor in floors:
        print(f"{floor.name}: {floor.seconds} s")


if __name__ == "__main__":
    main()
