"""Native ECS JSON ⇄ CloudFormation, checked against AWS's own schemas instead of its inverse.

The round trip in test_native_json.py passes for any mapping that is wrong the same way in
both directions; here every field name the mapping writes must exist in the schema of the
other side: botocore's model of ``RegisterTaskDefinition`` (native) and the CloudFormation
resource schema cfn-lint ships for ``AWS::ECS::TaskDefinition``.
"""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from constructs_lib.native_json import (
    READ_ONLY_FIELDS,
    SUPPORTED_FIELDS,
    NativeTaskDefinitionError,
    from_cloudformation,
    to_cloudformation,
)
from tests.cfn_lint_rules import resource_schema

TASK_DEFINITION = "AWS::ECS::TaskDefinition"
NATIVE = botocore.session.get_session().get_service_model("ecs").operation_model("RegisterTaskDefinition")


def _cfn_definition(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = resource_schema(TASK_DEFINITION)["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def native_example(shape: Any) -> Any:
    """A value with every member of ``shape`` (botocore), recursively."""
    if shape.type_name == "structure":
        return {name: native_example(member) for name, member in shape.members.items()}
    if shape.type_name == "list":
        return [native_example(shape.member)]
    if shape.type_name == "map":
        return {"user-Key.1": "value"}
    return {"integer": 1, "long": 1, "boolean": True}.get(shape.type_name, "text")


def cfn_example(schema: dict[str, Any]) -> Any:
    """A value with every property of ``schema`` (CloudFormation), recursively."""
    schema = _cfn_definition(schema)
    if "properties" in schema:
        return {name: cfn_example(sub) for name, sub in schema["properties"].items()}
    if schema.get("type") == "array":
        return [cfn_example(schema.get("items", {}))]
    if schema.get("type") == "object":
        return {"user-Key.1": "value"}
    return "text"


def unknown_cfn_names(value: Any, schema: dict[str, Any], path: str = "") -> list[str]:
    schema = _cfn_definition(schema)
    if isinstance(value, list):
        return [n for item in value for n in unknown_cfn_names(item, schema.get("items", {}), f"{path}[]")]
    if not isinstance(value, dict) or "properties" not in schema:
        return []  # a scalar, or a user map (docker labels, log options): keys are the user's
    found = []
    for key, item in value.items():
        if key not in schema["properties"]:
            found.append(f"{path}.{key}")
        else:
            found += unknown_cfn_names(item, schema["properties"][key], f"{path}.{key}")
    return found


def unknown_native_names(value: Any, shape: Any, path: str = "") -> list[str]:
    if shape.type_name == "list":
        return [n for item in value for n in unknown_native_names(item, shape.member, f"{path}[]")]
    if shape.type_name != "structure":
        return []
    found = []
    for key, item in value.items():
        if key not in shape.members:
            found.append(f"{path}.{key}")
        else:
            found += unknown_native_names(item, shape.members[key], f"{path}.{key}")
    return found


def test_every_native_field_becomes_a_cloudformation_property_name() -> None:
    document = {k: v for k, v in native_example(NATIVE.input_shape).items() if k in SUPPORTED_FIELDS}
    assert unknown_cfn_names(to_cloudformation(document), resource_schema(TASK_DEFINITION)) == []


def test_every_cloudformation_property_becomes_a_native_field_name() -> None:
    properties = cfn_example(resource_schema(TASK_DEFINITION))
    properties.pop("TaskDefinitionArn")  # the resource's return value, not an input
    assert unknown_native_names(from_cloudformation(properties), NATIVE.input_shape) == []


def test_supported_fields_are_the_fields_both_schemas_have() -> None:
    """Literal lists from the two schemas: a field dropped from, or added to, the table shows."""
    cfn_inputs = set(resource_schema(TASK_DEFINITION)["properties"]) - {"TaskDefinitionArn"}
    assert cfn_inputs == {
        "ContainerDefinitions", "Cpu", "EnableFaultInjection", "EphemeralStorage", "ExecutionRoleArn",
        "Family", "InferenceAccelerators", "IpcMode", "Memory", "NetworkMode", "PidMode",
        "PlacementConstraints", "ProxyConfiguration", "RequiresCompatibilities", "RuntimePlatform",
        "Tags", "TaskRoleArn", "Volumes",
    }  # fmt: skip
    assert {name[:1].lower() + name[1:] for name in cfn_inputs} == SUPPORTED_FIELDS
    assert set(NATIVE.input_shape.members) >= SUPPORTED_FIELDS
    described = botocore.session.get_session().get_service_model("ecs").shape_for("TaskDefinition")
    assert set(described.members) >= READ_ONLY_FIELDS
    assert not READ_ONLY_FIELDS & set(NATIVE.input_shape.members)


EFS = {
    "fileSystemId": "fs-0123456789abcdef0",
    "rootDirectory": "/",
    "transitEncryption": "ENABLED",
    "transitEncryptionPort": 2049,
    "authorizationConfig": {"accessPointId": "fsap-0123456789abcdef0", "iam": "ENABLED"},
}
FSX = {
    "fileSystemId": "fs-0123456789abcdef0",
    "rootDirectory": "share",
    "authorizationConfig": {"credentialsParameter": "arn:aws:ssm:::parameter/x", "domain": "corp"},
}


def document(**fields: Any) -> dict[str, Any]:
    return {"family": "web", "containerDefinitions": [{"name": "web", "image": "nginx"}], **fields}


def test_the_names_cloudformation_spells_differently_literally() -> None:
    """EFS says FilesystemId where FSx keeps FileSystemId; IAM, EFS and FSx are upper case;
    proxy properties get a longer name; user maps keep their keys."""
    properties = to_cloudformation(
        document(
            volumes=[
                {"name": "shared", "efsVolumeConfiguration": EFS},
                {"name": "win", "fsxWindowsFileServerVolumeConfiguration": FSX},
            ],
            proxyConfiguration={
                "type": "APPMESH",
                "containerName": "envoy",
                "properties": [{"name": "IgnoredUID", "value": "1337"}],
            },
        )
    )
    assert properties["Volumes"] == [
        {
            "Name": "shared",
            "EFSVolumeConfiguration": {
                "FilesystemId": "fs-0123456789abcdef0",
                "RootDirectory": "/",
                "TransitEncryption": "ENABLED",
                "TransitEncryptionPort": 2049,
                "AuthorizationConfig": {"AccessPointId": "fsap-0123456789abcdef0", "IAM": "ENABLED"},
            },
        },
        {
            "Name": "win",
            "FSxWindowsFileServerVolumeConfiguration": {
                "FileSystemId": "fs-0123456789abcdef0",
                "RootDirectory": "share",
                "AuthorizationConfig": {
                    "CredentialsParameter": "arn:aws:ssm:::parameter/x",
                    "Domain": "corp",
                },
            },
        },
    ]
    assert properties["ProxyConfiguration"] == {
        "Type": "APPMESH",
        "ContainerName": "envoy",
        "ProxyConfigurationProperties": [{"Name": "IgnoredUID", "Value": "1337"}],
    }
    back = from_cloudformation(properties)
    assert back["volumes"][0]["efsVolumeConfiguration"] == EFS
    assert back["volumes"][1]["fsxWindowsFileServerVolumeConfiguration"] == FSX


def test_user_maps_keep_their_keys_in_both_directions() -> None:
    container = {
        "name": "web",
        "image": "nginx",
        "dockerLabels": {"com.example.team": "shop", "lowerCase": "x"},
        "logConfiguration": {
            "logDriver": "awslogs",
            "options": {"awslogs-group": "g", "mode": "non-blocking"},
        },
    }
    volume = {"name": "d", "dockerVolumeConfiguration": {"driverOpts": {"type": "nfs"}, "labels": {"k": "v"}}}
    properties = to_cloudformation(document(containerDefinitions=[container], volumes=[volume]))
    [rendered] = properties["ContainerDefinitions"]
    assert rendered["DockerLabels"] == {"com.example.team": "shop", "lowerCase": "x"}
    assert rendered["LogConfiguration"] == {
        "LogDriver": "awslogs",
        "Options": {"awslogs-group": "g", "mode": "non-blocking"},
    }
    assert properties["Volumes"] == [
        {"Name": "d", "DockerVolumeConfiguration": {"DriverOpts": {"type": "nfs"}, "Labels": {"k": "v"}}}
    ]
    assert from_cloudformation(properties)["containerDefinitions"] == [container]


def test_describe_output_is_unwrapped_and_read_only_fields_are_dropped() -> None:
    described = {
        "taskDefinition": {**document(), "revision": 7, "status": "ACTIVE", "compatibilities": ["FARGATE"]},
        "tags": [{"key": "team", "value": "shop"}],
    }
    assert to_cloudformation(described) == {
        "Family": "web",
        "ContainerDefinitions": [{"Name": "web", "Image": "nginx"}],
        "Tags": [{"Key": "team", "Value": "shop"}],
    }


@pytest.mark.parametrize("missing", ["family", "containerDefinitions"])
def test_required_fields(missing: str) -> None:
    body = document()
    body[missing] = [] if missing == "containerDefinitions" else ""
    with pytest.raises(NativeTaskDefinitionError, match=f"'{missing}' is required"):
        to_cloudformation(body)


def test_fields_cloudformation_cannot_represent_are_all_named() -> None:
    with pytest.raises(NativeTaskDefinitionError) as caught:
        to_cloudformation(document(runtimeId="x", maxSwap=5, revision=3))
    assert str(caught.value) == "task definition fields CloudFormation cannot represent: maxSwap, runtimeId"
