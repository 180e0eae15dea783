"""Walk the spec models along a YAML path, to name the keys allowed at that path."""

from __future__ import annotations

import types
import typing
from typing import cast

from pydantic import BaseModel

Loc = tuple[str | int, ...]


def allowed_keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names of the model found at ``loc`` under ``model`` ([] if none)."""
    current: object = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return []
    target = unwrap(current)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return list(target.model_fields)
    return []


def _step(annotation: object, part: str | int) -> object | None:
    target = unwrap(annotation)
    if isinstance(target, type) and issubclass(target, BaseModel):
        field = target.model_fields.get(str(part))
        return None if field is None else cast(object, field.annotation)
    origin = typing.get_origin(target)
    args = typing.get_args(target)
    if origin is dict and len(args) == 2:
        return cast(object, args[1])
    if origin in (tuple, list) and args:
        return cast(object, args[0])
    return None


def unwrap(annotation: object) -> object:
    """Strip ``Optional``/``Annotated`` wrappers down to the model or container type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = members[0]
        else:
            return annotation
