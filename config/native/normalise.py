"""What a native file says, in the one form ECS registers: the deliberate normalisations.

Console and ``describe-task-definition`` exports carry values that ECS returns but that mean
nothing on input, and that CloudFormation refuses (docs/task-definitions.md lists them):

- the ``{"taskDefinition": …, "tags": …}`` wrapper of describe output is unwrapped;
- read-only fields (``taskDefinitionArn``, ``revision``, ``compatibilities`` …) are dropped;
- ``null`` values, empty lists and empty objects are dropped (``placementConstraints: []``,
  ``environment: []``, ``options: {}``): ECS treats them as absent;
- an empty string where ECS expects one of a fixed set of values is dropped (``ipcMode: ""``,
  ``appProtocol: ""``); other empty strings are values and stay;
- ``tags`` given as a map (``{"team": "shop"}``) become ECS's list of ``{key, value}``;
- task ``cpu`` and ``memory`` in units (``"0.25 vcpu"``, ``"1 GB"``) or as numbers become the
  strings of CPU units and MiB that ECS stores (``"256"``, ``"1024"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from config.native.model import read_only_fields, register_input

_VCPU = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*vcpu\s*$", re.IGNORECASE)
_GB = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*gb\s*$", re.IGNORECASE)
_UNITS = {"cpu": (_VCPU, 1024), "memory": (_GB, 1024)}


@dataclass(frozen=True)
class Normalised:
    """The registration input, and the ``compatibilities`` ECS had computed when the file is a
    describe export (None otherwise)."""

    body: dict[str, Any]
    exported_compatibilities: tuple[str, ...] | None


def normalise(document: dict[str, Any]) -> Normalised:
    """The registration input ``document`` stands for (see the module docstring)."""
    body = document
    wrapped = isinstance(document.get("taskDefinition"), dict)
    if wrapped:
        body = {**document["taskDefinition"]}
        if document.get("tags") is not None:
            body["tags"] = document["tags"]
    exported = body.get("compatibilities")
    body = {k: v for k, v in body.items() if k not in read_only_fields()}
    if isinstance(body.get("tags"), dict):
        body["tags"] = [{"key": k, "value": v} for k, v in body["tags"].items()]
    for field, (pattern, factor) in _UNITS.items():
        body[field] = _in_units(body.get(field), pattern, factor)
    cleaned = _clean(body, register_input())
    compatibilities = tuple(exported) if isinstance(exported, list) else None
    return Normalised(cleaned, compatibilities)


def _in_units(value: Any, pattern: re.Pattern[str], factor: int) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    match = pattern.match(value) if isinstance(value, str) else None
    if match:
        return str(round(float(match[1]) * factor))
    return value


def _is_enum(shape: Any) -> bool:
    return shape is not None and shape.type_name == "string" and bool(shape.enum)


def _clean(value: Any, shape: Any) -> Any:
    if shape.type_name == "structure" and isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if item is None or (item == "" and _is_enum(member)):
                continue
            kept = _clean(item, member) if member is not None else item
            if kept in ([], {}) and key not in shape.required_members:
                continue
            cleaned[key] = kept
        return cleaned
    if shape.type_name == "list" and isinstance(value, list):
        return [_clean(item, shape.member) for item in value]
    if shape.type_name == "map" and isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not None}
    return value
