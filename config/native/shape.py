"""A normalised task definition checked against botocore's ``RegisterTaskDefinition`` shape:
field names, types, required fields and enumerated values, as the ECS API checks them."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from config.native.model import FileProblem, json_path, register_input
from constructs_lib.native_json import SUPPORTED_FIELDS

_TYPES = {
    "string": (str, "a string"),
    "integer": (int, "a whole number"),
    "long": (int, "a whole number"),
    "boolean": (bool, "true or false"),
    "list": (list, "a list"),
    "structure": (dict, "an object"),
    "map": (dict, "an object of strings"),
}


# Item fields CloudFormation requires where the ECS API model does not (cfn-lint's resource
# schema: ContainerDefinition, TaskDefinitionPlacementConstraint; CDK tags need both halves).
CLOUDFORMATION_REQUIRES = {
    "containerDefinitions": ("name", "image"),
    "placementConstraints": ("type",),
    "tags": ("key", "value"),
}


def shape_problems(body: dict[str, Any]) -> list[FileProblem]:
    """Every place ``body`` does not fit the ECS API model, and every field that ECS takes
    but CloudFormation's ``AWS::ECS::TaskDefinition`` cannot carry or requires."""
    problems = list(_walk(body, register_input(), ()))
    for field, required in CLOUDFORMATION_REQUIRES.items():
        items = body.get(field)
        for index, item in enumerate(items if isinstance(items, list) else []):
            for key in required:
                if isinstance(item, dict) and key not in item:
                    problems.append(FileProblem(json_path((field, index, key)), "required field is missing"))
    for field in sorted(set(body) & set(register_input().members) - SUPPORTED_FIELDS):
        problems.append(
            FileProblem(
                field,
                "ECS takes this field but CloudFormation (AWS::ECS::TaskDefinition) "
                "cannot deploy it; remove it",
            )
        )
    return problems


def _walk(value: Any, shape: Any, path: tuple[str | int, ...]) -> Iterator[FileProblem]:
    expected, described = _TYPES.get(shape.type_name, (object, shape.type_name))
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        yield FileProblem(json_path(path), f"expected {described}, got {_json_type(value)} {_short(value)}")
        return
    if shape.type_name == "string" and shape.enum and value not in shape.enum:
        yield FileProblem(json_path(path), f"{value!r} is not one of: {', '.join(shape.enum)}")
    elif shape.type_name == "list":
        for index, item in enumerate(value):
            yield from _walk(item, shape.member, (*path, index))
    elif shape.type_name == "map":
        for key, item in value.items():
            if not isinstance(item, str):
                yield FileProblem(
                    json_path((*path, key)), f"expected a string, got {_json_type(item)} {_short(item)}"
                )
    elif shape.type_name == "structure":
        yield from _structure(value, shape, path)


def _structure(value: dict[str, Any], shape: Any, path: tuple[str | int, ...]) -> Iterator[FileProblem]:
    for key in shape.required_members:
        if key not in value:
            yield FileProblem(json_path((*path, key)), "required field is missing")
    for key, item in value.items():
        if key in shape.members:
            yield from _walk(item, shape.members[key], (*path, key))
            continue
        close = difflib.get_close_matches(key, list(shape.members), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"ECS's {shape.name} has no such field"
        yield FileProblem(json_path((*path, key)), f"unknown field; {hint}")


def _json_type(value: Any) -> str:
    names = {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value)
    return f"({text[:40]}…)" if len(text) > 40 else f"({text})"
