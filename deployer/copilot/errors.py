"""Manifest problems as ``SpecError``: the file, the YAML path of the key and its line.

pydantic's error locations also name union members and the map a short form was turned into;
those parts are not in the manifest, so each location is walked along the manifest's own data
and keeps only the keys that are there.
"""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from config.errors import SpecError, SpecProblem, dotted
from config.introspection import unwrap  # the spec's own walker: of a union, its first member
from config.yaml_source import Loc


def manifest_error(
    source: str, error: ValidationError, model: type[BaseModel], data: Any, lines: dict[Loc, int]
) -> SpecError:
    """One problem per pydantic error, at its path in the manifest, in file order."""
    problems: dict[tuple[str, str], SpecProblem] = {}
    for detail in error.errors(include_url=False):
        loc = _manifest_loc(data, tuple(detail["loc"]), keep_last=detail["type"] == "missing")
        message = _message(detail, model, loc)
        problem = SpecProblem(dotted(loc), message, _line(loc, lines))
        problems.setdefault((problem.path, message), problem)
    ordered = sorted(problems.values(), key=lambda p: (p.line or 0, p.path))
    return SpecError(source, ordered)


def problem(source: str, loc: Loc, message: str, lines: dict[Loc, int]) -> SpecError:
    """A single problem at ``loc`` of ``source``."""
    return SpecError(source, [SpecProblem(dotted(loc), message, _line(loc, lines))])


def _manifest_loc(data: Any, loc: Loc, keep_last: bool) -> Loc:
    kept: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        in_map = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and part < len(current)
        if in_map or in_list:
            current = current[part]
        elif not (keep_last and index == len(loc) - 1):
            continue
        kept.append(part)
    return tuple(kept)


def _line(loc: Loc, lines: dict[Loc, int]) -> int | None:
    while loc not in lines and loc:
        loc = loc[:-1]
    return lines.get(loc)


def _message(detail: Any, model: type[BaseModel], loc: Loc) -> str:
    kind, ctx = detail["type"], detail.get("ctx") or {}
    if kind == "extra_forbidden":
        keys = _keys_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), keys, n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}? " if close else ""
        return f"unknown key; {hint}allowed: {', '.join(keys)}" if keys else "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind in ("duration", "shell_words"):
        return str(detail["msg"])
    if kind == "literal_error":
        return f"{ctx.get('expected')} expected (got {detail.get('input')!r})"
    text = repr(detail.get("input"))
    return f"{detail['msg']} (got {text if len(text) <= 60 else text[:57] + '...'})"


def _keys_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The manifest keys (aliases included, markers excluded) of the model at ``loc``."""
    current: object = model
    for part in loc:
        current = _step(current, part)
    target = unwrap(current)
    if not (isinstance(target, type) and issubclass(target, BaseModel)):
        return []
    keys = [field.alias or name for name, field in target.model_fields.items()]
    return [key for key in keys if not key.startswith("~")]


def _step(annotation: object, part: str | int) -> object:
    target = unwrap(annotation)
    if isinstance(target, type) and issubclass(target, BaseModel):
        for name, field in target.model_fields.items():
            if part in (name, field.alias):
                return field.annotation
        return None
    args = typing.get_args(target)
    origin = typing.get_origin(target)
    if origin is dict and len(args) == 2:
        return args[1]
    if origin is list and args:
        return args[0]
    return None
