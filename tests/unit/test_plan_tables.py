"""The plan's tables and wording, row by row: which replacements block, which service
updates start a new ECS deployment, and what each change-set row says.

The tables are spelled out here (README `plan`, docs/ci.md) rather than read from the code,
and each name is checked against the CloudFormation schemas cfn-lint ships, so a type or a
property dropped, added or misspelt in ``deployer/plan/classify.py`` fails a test.
"""

from __future__ import annotations

import pytest

from deployer.plan.classify import (
    PROTECTED_TYPES,
    ROLLING_PROPERTIES,
    PlanRow,
    ResourceChange,
    apply_allowances,
    changes_from_new_template,
    changes_from_response,
    classify,
)
from tests.cfn_lint_rules import resource_schema

# README: "exit 6 if it would replace a service, cluster, capacity provider, load balancer,
# target group, log group, EFS, ECR repository, KMS key or queue".
BLOCKING = {
    "AWS::ECS::Service", "AWS::ECS::Cluster", "AWS::ECS::CapacityProvider",
    "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::Logs::LogGroup", "AWS::EFS::FileSystem",
    "AWS::ECR::Repository", "AWS::KMS::Key", "AWS::SQS::Queue",
    "AWS::Batch::JobQueue", "AWS::Batch::ComputeEnvironment",
}  # fmt: skip
# UpdateService parameters after which ECS starts new tasks (its API reference), as
# AWS::ECS::Service property names.
ROLLING = {
    "TaskDefinition", "NetworkConfiguration", "CapacityProviderStrategy", "LaunchType",
    "PlatformVersion", "LoadBalancers", "ServiceRegistries", "ServiceConnectConfiguration",
    "VolumeConfigurations", "EnableExecuteCommand", "ForceNewDeployment",
}  # fmt: skip
IN_PLACE = [
    "DesiredCount",
    "DeploymentConfiguration",
    "HealthCheckGracePeriodSeconds",
    "Tags",
    "PropagateTags",
]
WEB = {"Resources": {"Service": {"Type": "AWS::ECS::Service", "Properties": {"ServiceName": "web"}}}}


def test_the_blocking_types_are_exactly_the_documented_ones_and_exist() -> None:
    assert PROTECTED_TYPES == BLOCKING
    for resource_type in BLOCKING:
        assert resource_schema(resource_type)["typeName"] == resource_type


def test_the_rolling_properties_are_exactly_the_documented_ones_and_exist() -> None:
    assert ROLLING_PROPERTIES == ROLLING
    properties = set(resource_schema("AWS::ECS::Service")["properties"])
    assert properties >= ROLLING
    assert not set(IN_PLACE) & ROLLING and set(IN_PLACE) <= properties


def service_update(*properties: str, replacement: str = "False") -> PlanRow:
    return classify(
        ResourceChange(
            "shop-dev-svc-web", "Service", "AWS::ECS::Service", "Modify", replacement, None, properties
        ),
        WEB,
    )


@pytest.mark.parametrize("prop", sorted(ROLLING - {"TaskDefinition"}))
def test_each_rolling_property_rolls_the_service(prop: str) -> None:
    row = service_update(prop)
    assert (row.rolls, row.summary, row.blocked) == ("web", f"service web rolls ({prop})", False)


def test_a_new_task_definition_rolls_to_a_new_revision() -> None:
    row = service_update("DesiredCount", "TaskDefinition", "NetworkConfiguration")
    assert row.rolls == "web" and row.summary == "service web rolls to a new task definition revision"


def test_several_rolling_properties_are_named_in_change_set_order() -> None:
    row = service_update("Tags", "PlatformVersion", "LoadBalancers")
    assert row.summary == "service web rolls (PlatformVersion, LoadBalancers)"


@pytest.mark.parametrize("prop", IN_PLACE)
def test_other_service_updates_are_in_place(prop: str) -> None:
    row = service_update(prop)
    assert (row.rolls, row.summary, row.blocked) == (None, f"service web is updated in place ({prop})", False)


def test_an_update_without_property_details_says_so() -> None:
    assert service_update().summary == "service web is updated in place (no property details)"


@pytest.mark.parametrize(
    ("replacement", "summary"),
    [
        ("True", "service web is REPLACED because TaskDefinition changed"),
        ("Conditional", "service web may be replaced because TaskDefinition changed"),
    ],
)
def test_a_replaced_service_blocks_and_does_not_roll(replacement: str, summary: str) -> None:
    row = service_update("TaskDefinition", replacement=replacement)
    assert (row.rolls, row.summary, row.blocked, row.allowed) == (None, summary, True, False)


def task_definition(
    action: str, replacement: str = "", physical: str | None = None, **kw: tuple[str, ...]
) -> PlanRow:
    return classify(
        ResourceChange(
            "shop-dev-svc-web",
            "TaskDefinition1",
            "AWS::ECS::TaskDefinition",
            action,
            replacement,
            physical,
            **kw,
        )
    )


def test_a_replaced_task_definition_is_a_new_revision_of_its_family_from_the_physical_id() -> None:
    physical = "arn:aws:ecs:eu-west-1:111111111111:task-definition/shop-dev-web:7"
    row = task_definition(
        "Modify", "True", physical, properties=("ContainerDefinitions", "Cpu"), recreating=("Cpu",)
    )
    assert (row.new_revision, row.summary, row.blocked) == (
        "shop-dev-web",
        "task definition shop-dev-web gets a new revision because Cpu changed",
        False,
    )


def test_a_task_definition_updated_in_place_is_no_new_revision() -> None:
    row = task_definition("Modify", "False", "shop-dev-web:7", properties=("Tags",))
    assert (row.new_revision, row.summary) == (
        None,
        "task definition shop-dev-web is updated in place (Tags)",
    )


@pytest.mark.parametrize(
    ("action", "summary"),
    [
        ("Add", "adds task definition TaskDefinition1"),
        ("Remove", "removes task definition TaskDefinition1"),
        ("Import", "Import task definition TaskDefinition1"),
        ("Dynamic", "Dynamic task definition TaskDefinition1"),
    ],
)
def test_other_actions(action: str, summary: str) -> None:
    row = task_definition(action)
    assert (row.summary, row.blocked, row.new_revision) == (summary, False, None)


def test_names_come_from_the_template_then_the_physical_id_then_the_logical_id() -> None:
    template = {"Resources": {"C": {"Type": "AWS::ECS::Cluster", "Properties": {"ClusterName": "shop-dev"}}}}
    cluster = ResourceChange("s", "C", "AWS::ECS::Cluster", "Add")
    assert classify(cluster, template).summary == "adds cluster shop-dev"
    service = ResourceChange(
        "s", "S", "AWS::ECS::Service", "Remove", physical_id="arn:aws:ecs:eu-west-1:1:service/shop-dev/api"
    )
    assert classify(service).summary == "removes service api"
    provider = ResourceChange("s", "P", "AWS::ECS::CapacityProvider", "Modify", "True")
    assert classify(provider).summary == "capacity provider P is REPLACED"
    other = ResourceChange("s", "Role1", "AWS::IAM::Role", "Modify", "True", properties=("RoleName",))
    assert classify(other).summary == "AWS::IAM::Role Role1 is REPLACED because RoleName changed"


def test_change_set_rows_keep_resource_rows_only_and_name_what_forces_a_replacement() -> None:
    response = {
        "Changes": [
            {"Type": "HookInvocation", "HookInvocation": {}},
            {
                "Type": "Resource",
                "ResourceChange": {
                    "Action": "Modify", "LogicalResourceId": "Service", "PhysicalResourceId": "arn:svc/web",
                    "ResourceType": "AWS::ECS::Service", "Replacement": "Conditional",
                    "Details": [
                        {"Target": {"Attribute": "Properties", "Name": "ServiceName", "RequiresRecreation": "Always"}},
                        {"Target": {"Attribute": "Properties", "Name": "TaskDefinition", "RequiresRecreation": "Never"}},
                        {"Target": {"Attribute": "Properties", "Name": "ServiceName", "RequiresRecreation": "Always"}},
                        {"Target": {"Attribute": "Tags", "RequiresRecreation": "Conditionally"}},
                    ],
                },
            },
            {"ResourceChange": {"Action": "Add", "LogicalResourceId": "Queue", "ResourceType": "AWS::SQS::Queue", "Replacement": "True"}},
        ]
    }  # fmt: skip
    assert changes_from_response("shop-dev-svc-web", response) == [
        ResourceChange(
            "shop-dev-svc-web", "Service", "AWS::ECS::Service", "Modify", "Conditional", "arn:svc/web",
            properties=("ServiceName", "TaskDefinition", "Tags"), recreating=("ServiceName", "Tags"),
        ),
        ResourceChange("shop-dev-svc-web", "Queue", "AWS::SQS::Queue", "Add", ""),
    ]  # fmt: skip


def test_a_new_stack_adds_every_resource() -> None:
    template = {"Resources": {"A": {"Type": "AWS::SQS::Queue"}, "B": {"Type": "AWS::ECS::Service"}}}
    assert changes_from_new_template("st", template) == [
        ResourceChange("st", "A", "AWS::SQS::Queue", "Add"),
        ResourceChange("st", "B", "AWS::ECS::Service", "Add"),
    ]


def test_to_dict_is_the_json_row() -> None:
    row = service_update("TaskDefinition")
    assert row.to_dict() == {
        "stack": "shop-dev-svc-web", "logical_id": "Service", "resource_type": "AWS::ECS::Service",
        "action": "Modify", "replacement": "False", "properties": ["TaskDefinition"],
        "summary": "service web rolls to a new task definition revision", "blocked": False,
        "allowed": False, "service_rolls": "web", "new_revision_of": None,
    }  # fmt: skip
    added = classify(ResourceChange("s", "Q", "AWS::SQS::Queue", "Add"))
    assert added.to_dict()["replacement"] is None


def test_an_allowance_names_one_stack_or_every_stack_and_is_counted_once() -> None:
    rows = [
        classify(ResourceChange("a", "Service", "AWS::ECS::Service", "Modify", "True")),
        classify(ResourceChange("b", "Service", "AWS::ECS::Service", "Modify", "True")),
    ]
    allowed, problems = apply_allowances(rows, ["a/Service", "a/Service"])
    assert problems == [] and [r.allowed for r in allowed] == [True, False]
    allowed, problems = apply_allowances(rows, ["Service"])
    assert problems == [] and [r.allowed for r in allowed] == [True, True]
    _, problems = apply_allowances(rows, ["c/Service"])
    assert problems == ["--allow-replace c/Service: no such resource in the plan; blocked: Service"]
    _, problems = apply_allowances([], ["X"])
    assert problems == ["--allow-replace X: no such resource in the plan; blocked: none"]


# --- rows with fields CloudFormation may leave out -------------------------------------------


def test_change_set_fields_that_may_be_missing() -> None:
    response = {
        "Changes": [
            {"Type": "Resource"},  # no ResourceChange: skipped, not an error
            {"Type": "HookInvocation", "ResourceChange": {"Action": "Add", "LogicalResourceId": "H"}},
            {
                "ResourceChange": {
                    "Action": "Modify",
                    "LogicalResourceId": "Thing",
                    "Details": [{}, {"Target": {"RequiresRecreation": "Always"}}, {"Target": {"Name": "A"}}],
                }
            },
        ]
    }
    assert changes_from_response("st", response) == [
        ResourceChange("st", "Thing", "", "Modify", "", None, properties=("A",), recreating=())
    ]
    assert changes_from_response("st", {}) == []


def test_a_new_template_without_resources_or_types() -> None:
    assert changes_from_new_template("st", {}) == []
    assert changes_from_new_template("st", {"Resources": {"A": {}}}) == [ResourceChange("st", "A", "", "Add")]


def test_other_types_are_named_by_logical_id_even_with_a_physical_id() -> None:
    change = ResourceChange(
        "s", "Role1", "AWS::IAM::Role", "Modify", "False", "shop-dev-role", ("Policies", "Tags")
    )
    assert classify(change).summary == "AWS::IAM::Role Role1 is updated in place (Policies, Tags)"


def test_every_cause_of_a_replacement_is_named() -> None:
    change = ResourceChange(
        "s",
        "Q",
        "AWS::SQS::Queue",
        "Modify",
        "True",
        None,
        ("QueueName", "FifoQueue", "Tags"),
        ("QueueName", "FifoQueue"),
    )
    assert classify(change).summary == "AWS::SQS::Queue Q is REPLACED because QueueName, FifoQueue changed"


def test_allowance_problems_name_every_blocked_id_and_each_entry_is_judged() -> None:
    rows = [
        classify(ResourceChange("a", "Service", "AWS::ECS::Service", "Modify", "True")),
        classify(ResourceChange("a", "Queue", "AWS::SQS::Queue", "Modify", "True")),
        classify(ResourceChange("a", "Role", "AWS::IAM::Role", "Modify", "True")),
        classify(ResourceChange("b", "Role", "AWS::IAM::Role", "Add")),
    ]
    allowed, problems = apply_allowances(rows, ["Nope", "Queue", "Role"])
    assert [r.allowed for r in allowed] == [False, True, False, False]
    assert problems == [
        "--allow-replace Nope: no such resource in the plan; blocked: Queue, Service",
        "--allow-replace Role: not a blocked replacement (AWS::IAM::Role Role is REPLACED); remove the option",
    ]
    _, problems = apply_allowances(rows[2:][::-1], ["Role"])
    assert problems == [
        "--allow-replace Role: not a blocked replacement (adds AWS::IAM::Role Role); remove the option"
    ]
