"""The deliberate normalisations of a native file (docs/task-definitions.md) and the ECS API
model check, driven by botocore's own shapes."""

from __future__ import annotations

import itertools
from typing import Any

import botocore.session
import pytest

from config.image_pinning import ImagePinning
from config.native.guards import guard_problems
from config.native.normalise import normalise
from config.native.shape import CLOUDFORMATION_REQUIRES, shape_problems
from tests.cfn_lint_rules import resource_schema

REGISTER = (
    botocore.session.get_session()
    .get_service_model("ecs")
    .operation_model("RegisterTaskDefinition")
    .input_shape
)
CONTAINER = {"name": "app", "image": "public.ecr.aws/nginx/nginx:1.27"}


def document(**fields: Any) -> dict[str, Any]:
    return {"family": "app", "containerDefinitions": [dict(CONTAINER)], **fields}


def test_what_ecs_reads_as_absent_is_dropped_and_other_values_stay() -> None:
    body = normalise(
        document(
            ipcMode="",
            pidMode=None,
            placementConstraints=[],
            volumes=[],
            containerDefinitions=[
                {
                    **CONTAINER,
                    "user": "",
                    "environment": [],
                    "portMappings": [{"containerPort": 80, "appProtocol": ""}],
                    "dockerLabels": {},
                }
            ],
            proxyConfiguration={
                "type": "APPMESH",
                "containerName": "app",
                "properties": [{"name": "IgnoredGID", "value": ""}],
            },
        )
    ).body
    assert body == {
        "family": "app",
        "containerDefinitions": [{**CONTAINER, "user": "", "portMappings": [{"containerPort": 80}]}],
        "proxyConfiguration": {
            "type": "APPMESH",
            "containerName": "app",
            "properties": [{"name": "IgnoredGID", "value": ""}],
        },
    }


def test_a_describe_export_is_unwrapped_and_its_read_only_fields_dropped() -> None:
    described = {
        "taskDefinition": {
            **document(),
            "revision": 3,
            "status": "ACTIVE",
            "compatibilities": ["EC2", "FARGATE"],
            "registeredAt": "2026-01-01",
        },
        "tags": [{"key": "team", "value": "shop"}],
    }
    normalised = normalise(described)
    assert normalised.body == {**document(), "tags": [{"key": "team", "value": "shop"}]}
    assert normalised.exported_compatibilities == ("EC2", "FARGATE")


def test_every_read_only_field_botocore_knows_is_dropped() -> None:
    model = botocore.session.get_session().get_service_model("ecs")
    read_only = set(model.shape_for("TaskDefinition").members) - set(REGISTER.members)
    assert {
        "taskDefinitionArn",
        "revision",
        "status",
        "compatibilities",
        "requiresAttributes",
        "registeredAt",
    } <= read_only
    assert normalise({**document(), **dict.fromkeys(read_only, "x")}).body == document()


@pytest.mark.parametrize(
    ("cpu", "memory", "expected"),
    [
        (".25 vcpu", ".5 gb", ("256", "512")),
        ("1 vCPU", "2GB", ("1024", "2048")),
        ("0.5 VCPU", "1 GB", ("512", "1024")),
        (512, 1024, ("512", "1024")),
        ("2048", "4096", ("2048", "4096")),
    ],
)
def test_task_size_units_become_cpu_units_and_mib(cpu: Any, memory: Any, expected: tuple[str, str]) -> None:
    body = normalise(document(cpu=cpu, memory=memory)).body
    assert (body["cpu"], body["memory"]) == expected


def test_tags_as_a_map_become_ecs_tags() -> None:
    assert normalise(document(tags={"team": "shop", "tier": "web"})).body["tags"] == [
        {"key": "team", "value": "shop"},
        {"key": "tier", "value": "web"},
    ]


def _enum_paths(shape: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if shape.type_name == "string" and shape.enum:
        return [(path, shape)]
    if shape.type_name == "structure":
        return [p for name, member in shape.members.items() for p in _enum_paths(member, (*path, name))]
    if shape.type_name == "list":
        return _enum_paths(shape.member, (*path, 0))
    return []


def _set(document_: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = document_
    for part, following in itertools.pairwise(path):
        if isinstance(part, int):
            while len(target) <= part:
                target.append({} if isinstance(following, str) else [])
        elif part not in target:
            target[part] = [] if isinstance(following, int) else {}
        target = target[part]
    if isinstance(path[-1], int):
        target.append(value)
    else:
        target[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "shape"),
    _enum_paths(REGISTER),
    ids=lambda v: ".".join(map(str, v)) if isinstance(v, tuple) else "",
)
def test_every_enumerated_field_of_the_api_refuses_other_values(path: tuple[Any, ...], shape: Any) -> None:
    body = document()
    _set(body, path, "not-a-value")
    found = [(p.path, p.message) for p in shape_problems(body)]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    assert (where, f"'not-a-value' is not one of: {', '.join(shape.enum)}") in found


def test_required_members_and_types_come_from_the_model_and_the_cloudformation_schema() -> None:
    found = [
        (p.path, p.message)
        for p in shape_problems({"containerDefinitions": [{"image": "x", "memory": "512"}]})
    ]
    assert found == [
        ("family", "required field is missing"),
        ("containerDefinitions[0].memory", "expected a whole number, got a string ('512')"),
        ("containerDefinitions[0].name", "required field is missing"),
    ]


def test_the_extra_cloudformation_requirements_are_the_schemas() -> None:
    """Item fields cfn-lint's schema requires and botocore's model does not (tags: CDK needs both)."""
    definitions = resource_schema("AWS::ECS::TaskDefinition")["definitions"]
    for field, definition in [
        ("containerDefinitions", "ContainerDefinition"),
        ("placementConstraints", "TaskDefinitionPlacementConstraint"),
    ]:
        botocore_required = REGISTER.members[field].member.required_members
        extra = {name[:1].lower() + name[1:] for name in definitions[definition]["required"]} - set(
            botocore_required
        )
        assert extra == set(CLOUDFORMATION_REQUIRES[field])


def test_a_field_ecs_takes_but_cloudformation_cannot_deploy_is_refused() -> None:
    found = [
        (p.path, p.message)
        for p in shape_problems(document(trustedExecutionConfiguration={"isolationMode": "SHARED"}))
    ]
    assert found == [
        (
            "trustedExecutionConfiguration",
            "ECS takes this field but CloudFormation (AWS::ECS::TaskDefinition) cannot deploy it; remove it",
        )
    ]


@pytest.mark.parametrize(
    ("container", "flagged"),
    [
        ({"command": ["sh", "-c", "echo ${HOME}"]}, []),  # the shell expands it
        ({"healthCheck": {"command": ["CMD-SHELL", "curl ${URL}"]}}, []),
        (
            {"environment": [{"name": "JDBC", "value": "jdbc:${DB_HOST}/x"}]},
            [],
        ),  # the application may expand it
        (
            {"environment": [{"name": "DB_HOST", "value": "${DB_HOST}"}]},
            ["containerDefinitions[0].environment[0].value"],
        ),
        (
            {"environment": [{"name": "TAG", "value": "v-{{ must_env `TAG` }}"}]},
            ["containerDefinitions[0].environment[0].value"],
        ),
        (
            {"logConfiguration": {"logDriver": "awsfirelens", "options": {"log_key": "${KEY}"}}},
            [],
        ),  # Fluent Bit expands it
        (
            {"logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "${GROUP}"}}},
            ["containerDefinitions[0].logConfiguration.options.awslogs-group"],
        ),
        ({"image": "%REGISTRY%/app:1"}, ["containerDefinitions[0].image"]),
        ({"image": "app:$$$TAG$$$"}, ["containerDefinitions[0].image"]),
    ],
)
def test_unfilled_placeholders_except_where_something_expands_them_at_run_time(
    container: dict[str, Any], flagged: list[str]
) -> None:
    body = document(containerDefinitions=[{**CONTAINER, **container}])
    found = [p.path for p in guard_problems(body, ImagePinning()) if "placeholder" in p.message]
    assert found == flagged
