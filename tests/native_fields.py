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

from functools import cache
from typing import Any

from tests.cfn_lint_rules import resource_schema


@cache
def _ecs() -> Any:
    """botocore's ECS model, loaded on first use (with cfn-lint's schema, half a second that
    every test worker would pay when it imports the test modules)."""
    import botocore.session

    return botocore.session.get_session().get_service_model("ecs")


def _cfn() -> dict[str, Any]:
    """cfn-lint's CloudFormation schema of ``AWS::ECS::TaskDefinition`` (cached there)."""
    return resource_schema("AWS::ECS::TaskDefinition")


def _register() -> Any:
    return _ecs().operation_model("RegisterTaskDefinition").input_shape


@cache
def _describe_only() -> frozenset[str]:
    """Fields ``DescribeTaskDefinition`` returns that a registration does not take."""
    return frozenset(_ecs().shape_for("TaskDefinition").members) - frozenset(_register().members)


CFN = object()  # ``differences``' default schema: CloudFormation's AWS::ECS::TaskDefinition


def registration_of(document: dict[str, Any]) -> dict[str, Any]:
    """The file's task definition: describe output (``taskDefinition`` + ``tags``) unwrapped."""
    if set(document) <= set(_ecs().operation_model("DescribeTaskDefinition").output_shape.members):
        document = {
            **document["taskDefinition"],
            **({"tags": document["tags"]} if "tags" in document else {}),
        }
    return {k: v for k, v in document.items() if k not in _describe_only()}


def absent(value: Any, shape: Any, required: bool = False) -> bool:
    """Whether ECS reads ``value`` as no value at all."""
    if value is None:
        return True
    if value in ([], {}) and not required:
        return True
    return value == "" and shape.type_name == "string" and bool(shape.enum)


def differences(native: Any, cfn: Any, shape: Any = None, schema: Any = CFN, path: str = "") -> list[str]:
    """Every place where ``cfn`` does not carry ``native`` exactly (``path`` names it). With
    ``schema`` None, ``cfn`` is native JSON too (``deployer render``'s output), same names;
    ``shape`` defaults to the ``RegisterTaskDefinition`` request."""
    shape = _register() if shape is None else shape
    schema = _cfn() if schema is CFN else schema
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
        schema = _cfn()["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema
