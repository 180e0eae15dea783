"""AWS Control Tower proactive controls (cfn-guard rules from cdklabs.cdk-validator-cfnguard) on
every shipped environment, in the same synthesis as cdk-nag (tests/policy_validation.py).

Regulated accounts enable these controls as CloudFormation hooks, where a failing control
blocks the deploy. prod passes every control; dev and local fail only the controls listed
below, each a choice of that environment, with the reason.
"""

from __future__ import annotations

import re

import pytest
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs

from config import load_spec
from config.control_tower import ALL, rule_files
from stacks.proactive_controls import rule_types
from tests.harness import SynthesisCache, make_app, new_stack, resources_of_type
from tests.policy_validation import (
    CDK_NAG,
    CONTROL_TOWER,
    Finding,
    validate,
    validate_app,
)

# (environment, control, construct path) → why the environment accepts it.
ACCEPTED = {
    ("dev", "CT.EC2.PR.8", "shop-dev-network/Network/Vpc/publicSubnet1/NatInstance/Resource"):
        "a NAT instance needs a public address to be a NAT (cost_profile dev)",
    ("dev", "CT.EC2.PR.13", "shop-dev-network/Network/Vpc/publicSubnet1/NatInstance/Resource"):
        "detailed monitoring would cost a large share of the t4g.nano NAT instance itself",
    ("dev", "CT.EC2.PR.19", "shop-dev-network/Network/Vpc/publicSubnet1/NatInstance/Resource"):
        "t4g.nano is not a Nitro type that encrypts in transit; it carries only outbound traffic",
    ("dev", "CT.AUTOSCALING.PR.11", "shop-dev-cluster/EcsCluster/Ec2-spot/AutoScalingGroup/ASG"):
        "dev's Spot group uses the cheapest types, which do not encrypt between instances",
    ("dev", "CT.ELASTICLOADBALANCING.PR.5", "shop-dev-ingress/LoadBalancer/LoadBalancer/Resource"):
        "a development load balancer may be deleted with its environment",
    **{
        ("dev", "CT.CLOUDWATCH.PR.2", f"shop-dev-svc-{service}/TaskDefinition/LogGroup/Resource"):
            "dev keeps service logs 30 days"
        for service in ("web", "worker", "catalog", "node-metrics")
    },
    ("local", "CT.AUTOSCALING.PR.11", "shop-local-cluster/EcsCluster/Ec2-graviton/AutoScalingGroup/ASG"):
        "the local endpoint runs no instances",
    ("local", "CT.AUTOSCALING.PR.11", "shop-local-cluster/EcsCluster/Ec2-spot/AutoScalingGroup/ASG"):
        "the local endpoint runs no instances",
    ("local", "CT.ELASTICLOADBALANCING.PR.1", "shop-local-ingress/LoadBalancer/LoadBalancer/Http/Resource"):
        "the local endpoint has no certificate: plain HTTP only",
    ("local", "CT.ELASTICLOADBALANCING.PR.5", "shop-local-ingress/LoadBalancer/LoadBalancer/Resource"):
        "the local endpoint is thrown away",
    **{
        ("local", "CT.CLOUDWATCH.PR.2", f"shop-local-svc-{service}/TaskDefinition/LogGroup/Resource"):
            "local keeps service logs 30 days"
        for service in ("web", "api", "worker", "reports")
    },
    ("local", "CT.STEPFUNCTIONS.PR.2", "shop-local-workflows/Workflow-nightly/StateMachine/Resource"):
        "X-Ray tracing is optional (tracing: true); the local endpoint has no X-Ray",
    ("local", "CT.CLOUDWATCH.PR.2", "shop-local-batch/Job-thumbnails/Definition/LogGroup/Resource"):
        "local keeps job logs 30 days",
    ("dev", "CT.CLOUDWATCH.PR.2", "shop-dev-batch/Job-monthly-report/Definition/LogGroup/Resource"):
        "dev keeps job logs 30 days",
}  # fmt: skip
# The families the issue requires at zero on prod (the rest of prod is at zero too).
REQUIRED_FAMILIES = (
    "CT.ECS.",
    "CT.EC2.",
    "CT.ELASTICLOADBALANCING.",
    "CT.IAM.",
    "CT.SQS.",
    "CT.CLOUDWATCH.PR.1",
)


@pytest.fixture(scope="module")
def findings() -> dict[str, list[Finding]]:
    return {env: validate(load_spec(env)) for env in ("local", "dev", "prod")}


def control_tower(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.control, f.path) for f in findings if f.plugin == CONTROL_TOWER}


def test_prod_passes_every_control(findings: dict[str, list[Finding]]) -> None:
    assert control_tower(findings["prod"]) == set()


@pytest.mark.parametrize("env", ["local", "dev"])
def test_other_environments_fail_only_the_controls_they_accept(
    findings: dict[str, list[Finding]], env: str
) -> None:
    accepted = {(control, path) for (e, control, path) in ACCEPTED if e == env}
    assert control_tower(findings[env]) == accepted  # equal: a fixed finding leaves the list too
    assert not [
        c for c, _ in accepted if c.startswith(("CT.ECS.", "CT.SQS.", "CT.IAM.", "CT.CLOUDWATCH.PR.1"))
    ]


@pytest.mark.parametrize("env", ["local", "dev", "prod"])
def test_cdk_nag_has_no_unacknowledged_finding(findings: dict[str, list[Finding]], env: str) -> None:
    assert [f for f in findings[env] if f.plugin == CDK_NAG] == []


def test_the_check_does_fail_on_a_violation() -> None:
    """Guards the tests above against passing vacuously: a bare queue and log group fail, with
    the rules chosen as for the environments."""
    app = make_app()
    stack = new_stack(app)
    sqs.Queue(stack, "Bare")
    logs.LogGroup(stack, "Plain", retention=logs.RetentionDays.ONE_DAY)
    assert {"CT.SQS.PR.1", "CT.CLOUDWATCH.PR.2", "CT.CLOUDWATCH.PR.3"} <= {
        f.control for f in validate_app(app) if f.plugin == CONTROL_TOWER
    }


def test_every_rule_file_names_the_resource_types_it_checks() -> None:
    """What choosing rule files by the templates' resource types rests on
    (stacks.proactive_controls.TemplateScopedRules): a rule finds the resources it checks by type
    names it spells out, never by a pattern."""
    rules = rule_types(rule_files([ALL]))
    assert len(rules) >= 200  # cdk-validator-cfnguard 0.0.62 ships 237
    assert [path.name for path, types in rules.items() if not types] == []
    by_pattern = re.compile(r"\bType\s*(==|!=|in|IN)\s*/")
    assert [path.name for path in rules if by_pattern.search(path.read_text())] == []
    named = set().union(*rules.values())
    assert {"AWS::ECS::TaskDefinition", "AWS::SQS::Queue", "AWS::Logs::LogGroup"} <= named


def test_every_acknowledged_imported_key_is_really_on_the_resource(synth_cache: SynthesisCache) -> None:
    """The acknowledgement says 'encrypted with the imported environment key': prove it."""
    checked = 0
    for env in ("local", "dev", "prod"):
        for template in synth_cache.get(env).templates.values():
            for group in resources_of_type(template, "AWS::Logs::LogGroup").values():
                assert "Fn::ImportValue" in str(group["Properties"]["KmsKeyId"]) or "Fn::GetAtt" in str(
                    group["Properties"]["KmsKeyId"]
                )
                checked += 1
            for queue in resources_of_type(template, "AWS::SQS::Queue").values():
                assert "KmsMasterKeyId" in queue["Properties"]
                checked += 1
    assert checked >= 10


def test_the_worker_dead_letter_queue_takes_only_its_own_queue(synth_cache: SynthesisCache) -> None:
    template = synth_cache.get("prod").templates["shop-prod-svc-worker"]
    queues = resources_of_type(template, "AWS::SQS::Queue")
    [source] = [q for q in queues.values() if "RedrivePolicy" in q["Properties"]]
    [dead_letters] = [q for q in queues.values() if "RedriveAllowPolicy" in q["Properties"]]
    name = source["Properties"]["QueueName"]
    assert len(name) <= 80
    assert dead_letters["Properties"]["RedriveAllowPolicy"] == {
        "redrivePermission": "byQueue",
        "sourceQueueArns": [f"arn:aws:sqs:eu-west-1:222222222222:{name}"],
    }
