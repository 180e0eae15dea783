"""Native ECS task-definition JSON (``register-task-definition`` / ``describe-task-definition``,
camelCase, as the AWS CLI, ecspresso and ecs-deploy use) ⇄ CloudFormation properties.

The mapping is mechanical (camelCase ⇄ PascalCase) apart from the few names CloudFormation
spells differently, and user maps (docker labels, log options, driver options) whose keys
are copied verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Fields the service fills in: accepted on input, never sent to CloudFormation.
READ_ONLY_FIELDS = frozenset(
    {
        "taskDefinitionArn", "revision", "status", "registeredAt", "registeredBy", "deregisteredAt",
        "requiresAttributes", "compatibilities",
    }
)  # fmt: skip
# Task-level fields CloudFormation's AWS::ECS::TaskDefinition can represent.
SUPPORTED_FIELDS = frozenset(
    {
        "family", "containerDefinitions", "cpu", "memory", "networkMode", "taskRoleArn", "executionRoleArn",
        "volumes", "placementConstraints", "requiresCompatibilities", "runtimePlatform", "ephemeralStorage",
        "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "enableFaultInjection", "tags",
    }
)  # fmt: skip
# native name -> CloudFormation name, where upper-casing the first letter is not enough.
_RENAMES = {
    "efsVolumeConfiguration": "EFSVolumeConfiguration",
    "fsxWindowsFileServerVolumeConfiguration": "FSxWindowsFileServerVolumeConfiguration",
    "iam": "IAM",
    "properties": "ProxyConfigurationProperties",
    "s3filesVolumeConfiguration": "S3FilesVolumeConfiguration",
}
_REVERSE = {v: k for k, v in _RENAMES.items()}
# Renames inside one structure only (native parent -> native name -> CloudFormation name):
# EFS spells its id FilesystemId, where FSx keeps FileSystemId.
_NESTED_RENAMES = {"efsVolumeConfiguration": {"fileSystemId": "FilesystemId"}}
_NESTED_REVERSE = {parent: {v: k for k, v in names.items()} for parent, names in _NESTED_RENAMES.items()}
# Maps whose keys are the user's own, copied as they are.
_VERBATIM = frozenset({"dockerLabels", "options", "driverOpts", "labels"})


# Logs that ECS writes with the execution role on Fargate (on EC2 the instance role writes them).
_ROLE_LOG_DRIVERS_ON_FARGATE = ("awslogs", "splunk")
_ECR = ".dkr.ecr."


class NativeTaskDefinitionError(ValueError):
    """The document cannot be represented; the message lists the offending fields."""


def execution_role_needs(body: Mapping[str, Any], fargate: bool) -> list[str]:
    """What in ``body`` needs an execution role, as ECS decides it (JSON paths with the reason):
    secrets, log ``secretOptions``, private registry credentials and environment files on any
    capacity; awslogs and splunk logs and private ECR images on Fargate."""
    needs = []
    for index, container in enumerate(body.get("containerDefinitions", [])):
        logging = container.get("logConfiguration") or {}
        uses = [
            field
            for field in ("secrets", "repositoryCredentials", "environmentFiles")
            if container.get(field)
        ]
        uses += ["logConfiguration.secretOptions"] if logging.get("secretOptions") else []
        if fargate and logging.get("logDriver") in _ROLE_LOG_DRIVERS_ON_FARGATE:
            uses.append(f"logConfiguration.logDriver ({logging['logDriver']} on Fargate)")
        if fargate and _ECR in str(container.get("image", "")):
            uses.append("image (a private ECR image on Fargate)")
        needs += [f"containerDefinitions[{index}].{use}" for use in uses]
    return needs


def native_body(document: Mapping[str, Any]) -> dict[str, Any]:
    """The task definition itself, from register input or describe output (tags folded in)."""
    body = dict(document.get("taskDefinition", document))
    if "taskDefinition" in document and "tags" in document:
        body["tags"] = document["tags"]
    return body


def to_cloudformation(document: Mapping[str, Any]) -> dict[str, Any]:
    """CloudFormation properties of a native task definition (describe output accepted too)."""
    body = native_body(document)
    unknown = sorted(set(body) - SUPPORTED_FIELDS - READ_ONLY_FIELDS)
    if unknown:
        raise NativeTaskDefinitionError(
            f"task definition fields CloudFormation cannot represent: {', '.join(unknown)}"
        )
    for required in ("family", "containerDefinitions"):
        if not body.get(required):
            raise NativeTaskDefinitionError(f"task definition field {required!r} is required")
    return {_cfn_name(k): _to_cfn(k, v) for k, v in body.items() if k in SUPPORTED_FIELDS}


def from_cloudformation(properties: Mapping[str, Any]) -> dict[str, Any]:
    """The native JSON of CloudFormation task-definition properties."""
    return {_native_name(k): _from_cfn(_native_name(k), v) for k, v in properties.items()}


def _cfn_name(name: str, parent: str = "") -> str:
    nested = _NESTED_RENAMES.get(parent, {})
    return nested.get(name) or _RENAMES.get(name, name[:1].upper() + name[1:])


def _native_name(name: str, parent: str = "") -> str:
    nested = _NESTED_REVERSE.get(parent, {})
    return nested.get(name) or _REVERSE.get(name, name[:1].lower() + name[1:])


def _to_cfn(name: str, value: Any) -> Any:
    if name in _VERBATIM:
        return value
    if isinstance(value, Mapping):
        return {_cfn_name(k, name): _to_cfn(k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_cfn("", v) for v in value]
    return value


def _from_cfn(name: str, value: Any) -> Any:
    if name in _VERBATIM:
        return value
    if isinstance(value, Mapping):
        return {_native_name(k, name): _from_cfn(_native_name(k, name), v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_cfn("", v) for v in value]
    return value
