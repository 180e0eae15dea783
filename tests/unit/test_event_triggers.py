"""Event-triggered jobs: the local ``reports`` job also runs when an export lands in S3.

moto creates the rule (tests/integration/test_moto_cloudformation.py) but delivers no event to
an ECS target and keeps no input transformer semantics, so what the rule does is asserted on
the template: its pattern, the RunTask parameters, the event values passed as environment
overrides, retries, the encrypted dead-letter queue and a role limited to this task.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import assertions
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_events as events

from config import naming
from constructs_lib.event_trigger import EventRule, EventTrigger
from tests.harness import SynthesisCache, make_app, new_stack, resources_of_type

CLUSTER_ARN = "arn:aws:ecs:us-east-1:123456789012:cluster/shop-local"


def reports(synth_cache: SynthesisCache) -> dict[str, Any]:
    synthesised = synth_cache.get("local")
    return synthesised.templates[naming.service_stack_name(synthesised.spec, "reports")]


def the_rule(template: dict[str, Any]) -> dict[str, Any]:
    (rule,) = resources_of_type(template, "AWS::Events::Rule").values()
    return dict(rule["Properties"])


def logical_id(template: dict[str, Any], kind: str, fragment: str) -> str:
    return next(k for k in resources_of_type(template, kind) if fragment in k)


def test_the_rule_matches_objects_created_under_the_prefix(synth_cache: SynthesisCache) -> None:
    rule = the_rule(reports(synth_cache))
    assert rule["EventPattern"] == {
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"bucket": {"name": ["shop-local-uploads"]}, "object": {"key": [{"prefix": "exports/"}]}},
    }
    assert "EventBusName" not in rule  # S3 sends to the default bus
    assert rule["State"] == "ENABLED"


def test_the_task_runs_like_the_scheduled_one(synth_cache: SynthesisCache) -> None:
    """Same task definition, capacity strategy (no launch type), subnets and security group."""
    template = reports(synth_cache)
    (target,) = the_rule(template)["Targets"]
    assert target["Arn"] == CLUSTER_ARN
    parameters = target["EcsParameters"]
    assert "LaunchType" not in parameters
    assert parameters["CapacityProviderStrategy"] == [
        {"CapacityProvider": "cp-shop-local-spot", "Weight": 1, "Base": 0}
    ]
    assert parameters["TaskDefinitionArn"] == {"Ref": logical_id(template, "AWS::ECS::TaskDefinition", "")}
    assert parameters["PropagateTags"] == "TASK_DEFINITION"
    network = parameters["NetworkConfiguration"]["AwsVpcConfiguration"]
    assert network["AssignPublicIp"] == "DISABLED"
    (schedule,) = resources_of_type(template, "AWS::Scheduler::Schedule").values()
    scheduled = schedule["Properties"]["Target"]["EcsParameters"]["NetworkConfiguration"][
        "AwsvpcConfiguration"
    ]
    assert network["SecurityGroups"] == scheduled["SecurityGroups"]
    assert network["Subnets"] == scheduled["Subnets"]


def test_event_values_become_the_main_containers_environment(synth_cache: SynthesisCache) -> None:
    (target,) = the_rule(reports(synth_cache))["Targets"]
    transformer = target["InputTransformer"]
    paths = transformer["InputPathsMap"]
    assert sorted(paths.values()) == ["$.detail.bucket.name", "$.detail.object.key"]
    # EventBridge puts each value (a JSON string) where its <key> placeholder is.
    text = re.sub(
        r"<([A-Za-z0-9_-]+)>", lambda m: json.dumps(paths[m.group(1)]), transformer["InputTemplate"]
    )
    assert json.loads(text) == {
        "containerOverrides": [
            {
                "name": "reports",
                "environment": [
                    {"name": "S3_BUCKET", "value": "$.detail.bucket.name"},
                    {"name": "S3_KEY", "value": "$.detail.object.key"},
                ],
            }
        ]
    }


def test_retries_max_age_and_an_encrypted_dead_letter_queue(synth_cache: SynthesisCache) -> None:
    template = reports(synth_cache)
    (target,) = the_rule(template)["Targets"]
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 2}
    queue_id = logical_id(template, "AWS::SQS::Queue", "Triggers")
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue_id, "Arn"]}}
    queue = template["Resources"][queue_id]["Properties"]
    assert "EnvironmentKey" in json.dumps(queue["KmsMasterKeyId"])
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources_of_type(template, "AWS::SQS::QueuePolicy").values()
        if p["Properties"]["Queues"] == [{"Ref": queue_id}]
    ]
    rule_id = logical_id(template, "AWS::Events::Rule", "")
    send = next(s for s in policy if s["Effect"] == "Allow")
    assert send["Principal"] == {"Service": "events.amazonaws.com"}
    assert send["Condition"] == {"ArnEquals": {"aws:SourceArn": {"Fn::GetAtt": [rule_id, "Arn"]}}}
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in policy
    )


def test_the_environment_key_lets_eventbridge_write_dead_letters(synth_cache: SynthesisCache) -> None:
    synthesised = synth_cache.get("local")
    network = synthesised.templates[naming.network_stack_name(synthesised.spec)]
    (key,) = resources_of_type(network, "AWS::KMS::Key").values()
    statement = next(
        s for s in key["Properties"]["KeyPolicy"]["Statement"] if s.get("Sid") == "EventBridgeDeadLetters"
    )
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert sorted(statement["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert ":rule/*" in json.dumps(statement["Condition"]["ArnLike"]["aws:SourceArn"])


def test_the_rules_role_runs_only_this_task_definition_and_passes_its_two_roles(
    synth_cache: SynthesisCache,
) -> None:
    template = reports(synth_cache)
    role_id = logical_id(template, "AWS::IAM::Role", "TriggersRole")
    trust = template["Resources"][role_id]["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
        }
    ]
    statements = [
        s
        for p in resources_of_type(template, "AWS::IAM::Policy").values()
        if p["Properties"]["Roles"] == [{"Ref": role_id}]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    by_action: dict[str, list[dict[str, Any]]] = {}
    for statement in statements:
        for action in [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]:
            by_action.setdefault(action, []).append(statement)
    assert set(by_action) == {"ecs:RunTask", "ecs:TagResource", "iam:PassRole"}
    (run,) = by_action["ecs:RunTask"]
    assert run["Resource"] == {"Ref": logical_id(template, "AWS::ECS::TaskDefinition", "")}
    assert run["Condition"] == {"ArnEquals": {"ecs:cluster": CLUSTER_ARN}}
    passed = [
        r
        for s in by_action["iam:PassRole"]
        for r in ([s["Resource"]] if isinstance(s["Resource"], dict) else s["Resource"])
    ]
    task_role = logical_id(template, "AWS::IAM::Role", "TaskDefinitionTaskRole")
    execution_role = logical_id(template, "AWS::IAM::Role", "TaskDefinitionExecutionRole")
    # reports runs on EC2 capacity: aws-cdk-lib's EcsTask passes only the execution role there,
    # and the construct adds the task role RunTask needs too.
    assert sorted(json.dumps(r) for r in passed) == sorted(
        json.dumps({"Fn::GetAtt": [role, "Arn"]}) for role in (task_role, execution_role)
    )
    (tag,) = by_action["ecs:TagResource"]
    assert tag["Resource"] == "arn:aws:ecs:us-east-1:*:task/shop-local/*"


def test_a_pattern_on_a_named_bus_keeps_its_filters_and_or() -> None:
    """Content filters and $or in any field reach the template as written (the L2's typed
    fields would refuse them), on the named bus."""
    app = make_app()
    stack = new_stack(app)
    vpc = ec2.Vpc(stack, "Vpc", max_azs=2)
    definition = ecs.FargateTaskDefinition(stack, "Task", family="orders")
    definition.add_container("orders", image=ecs.ContainerImage.from_registry("busybox"))
    pattern = {
        "source": [{"prefix": "shop."}],
        "$or": [{"detail-type": ["OrderPlaced"]}, {"detail": {"total": [{"numeric": [">", 100]}]}}],
    }
    EventTrigger(
        stack,
        "Trigger",
        cluster=ecs.Cluster.from_cluster_attributes(stack, "Cluster", cluster_name="shop", vpc=vpc),
        task_definition=definition,
        rules=[
            EventRule(
                pattern=pattern,
                event_bus=events.EventBus.from_event_bus_name(stack, "Bus", "orders"),
                environment={"ORDER": "$.detail.id"},
                retry_attempts=0,
            )
        ],
        capacity_provider_strategies=[
            ecs.CapacityProviderStrategy(capacity_provider="FARGATE_SPOT", weight=1)
        ],
        security_groups=[ec2.SecurityGroup(stack, "Group", vpc=vpc)],
    )
    template = assertions.Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::Events::Rule",
        {
            "EventPattern": pattern,
            "EventBusName": "orders",
            "Targets": [
                assertions.Match.object_like(
                    {
                        "RetryPolicy": {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 0},
                        "EcsParameters": assertions.Match.object_like(
                            {
                                "CapacityProviderStrategy": [
                                    {"CapacityProvider": "FARGATE_SPOT", "Weight": 1, "Base": 0}
                                ]
                            }
                        ),
                    }
                )
            ],
        },
    )
    # A Fargate task definition: aws-cdk-lib passes the task role itself, once.
    policies = json.dumps(template.find_resources("AWS::IAM::Policy"))
    assert policies.count("TaskTaskRole") == 1


@pytest.mark.parametrize(("rules", "strategies"), [([], 1), ([EventRule(pattern={"source": ["x"]})], 0)])
def test_a_trigger_needs_rules_and_a_strategy(rules: list[EventRule], strategies: int) -> None:
    stack = new_stack(make_app())
    vpc = ec2.Vpc(stack, "Vpc", max_azs=1, nat_gateways=0)
    definition = ecs.FargateTaskDefinition(stack, "Task")
    definition.add_container("main", image=ecs.ContainerImage.from_registry("busybox"))
    with pytest.raises(ValueError, match="at least one"):
        EventTrigger(
            stack,
            "Trigger",
            cluster=ecs.Cluster.from_cluster_attributes(stack, "Cluster", cluster_name="c", vpc=vpc),
            task_definition=definition,
            rules=rules,
            capacity_provider_strategies=[ecs.CapacityProviderStrategy(capacity_provider="FARGATE", weight=1)]
            * strategies,
            security_groups=[],
        )
