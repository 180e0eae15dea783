"""A native task-definition file compared field by field with a synthesised
``AWS::ECS::TaskDefinition``, using AWS's schemas only, never the project's mapping.

botocore's ``RegisterTaskDefinition`` shape walks the file; cfn-lint's CloudFormation resource
schema walks the template. A native field matches the CloudFormation property spelled the same
ignoring case, else the only property of that object whose name ends with it
(``proxyConfiguration.properties`` → ``ProxyConfigurationProperties``).

Absent in the file, as docs/task-definitions.md documents: ``null``; ``[]`` and ``{}`` (unless
required); ``""`` where the shape has an enum; and the fields ``DescribeTaskDefinition``
returns that a registration does not take.
"""

from __future__ import annotations

from typing import Any

import botocore.session
from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

_ECS = botocore.session.get_session().get_service_model("ecs")
REGISTER = _ECS.operation_model("RegisterTaskDefinition").input_shape
DESCRIBE_ONLY = set(_ECS.shape_for("TaskDefinition").members) - set(REGISTER.members)
CFN = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", "AWS::ECS::TaskDefinition").schema


def registration_of(document: dict[str, Any]) -> dict[str, Any]:
    """The file's task definition: describe output (``taskDefinition`` + ``tags``) unwrapped."""
    if set(document) <= set(_ECS.operation_model("DescribeTaskDefinition").output_shape.members):
        document = {
            **document["taskDefinition"],
            **({"tags": document["tags"]} if "tags" in document else {}),
        }
    return {k: v for k, v in document.items() if k not in DESCRIBE_ONLY}


def absent(value: Any, shape: Any, required: bool = False) -> bool:
    """Whether ECS reads ``value`` as no value at all."""
    if value is None:
        return True
    if value in ([], {}) and not required:
        return True
    return value == "" and shape.type_name == "string" and bool(shape.enum)


def differences(native: Any, cfn: Any, shape: Any = REGISTER, schema: Any = CFN, path: str = "") -> list[str]:
    """Every place where ``cfn`` does not carry ``native`` exactly (``path`` names it). With
    ``schema`` None, ``cfn`` is native JSON too (``deployer render``'s output), same names."""
    schema = _resolve(schema) if schema is not None else None
    if shape.type_name == "structure":
        if not isinstance(cfn, dict):
            return [f"{path}: {cfn!r} is not an object"]
        found, matched = [], set()
        for key, value in native.items():
            member = shape.members[key]
            if absent(value, member, key in shape.required_members):
                continue
            name = cfn_name(key, schema) if schema is not None else key
            matched.add(name)
            if name not in cfn:
                found.append(f"{path}.{key}: missing ({name})")
            else:
                below = schema["properties"][name] if schema is not None else None
                found += differences(value, cfn[name], member, below, f"{path}.{key}")
        found += [f"{path}.{name}: not in the file" for name in sorted(set(cfn) - matched)]
        return found
    if shape.type_name == "list":
        if not isinstance(cfn, list) or len(cfn) != len(native):
            return [f"{path}: {cfn!r} is not a list of {len(native)}"]
        items = schema.get("items", {}) if schema is not None else None
        pairs = enumerate(zip(native, cfn, strict=True))
        return [d for i, (a, b) in pairs for d in differences(a, b, shape.member, items, f"{path}[{i}]")]
    return [] if native == cfn else [f"{path}: {native!r} became {cfn!r}"]


def cfn_name(native: str, schema: dict[str, Any]) -> str:
    """The CloudFormation property of ``schema`` that carries native field ``native``."""
    properties = list(_resolve(schema)["properties"])
    same = [p for p in properties if p.lower() == native.lower()]
    ending = [p for p in properties if p.lower().endswith(native.lower())]
    [name] = same or ending
    return name


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = CFN["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema
