"""An imported spec as YAML text: keys in the spec models' order, validated before it is written."""

from __future__ import annotations

import re
import typing
from typing import Any

import yaml
from pydantic import BaseModel

from config.errors import SpecError, SpecProblem, dotted
from config.introspection import unwrap  # the spec's own walker
from config.loader import parse_spec
from config.schema import AppSpec
from config.yaml_source import Loc

MARKER = "# Imported from AWS Copilot by `deployer import copilot`"
HEADER = "# yaml-language-server: $schema=../spec.schema.json"
SERVICE_FIRST = ("kind", "image", "cpu", "memory", "architecture", "port", "desired_count", "capacity")


def spec_text(spec: dict[str, Any], todo: list[str]) -> str:
    """The file: the editor schema line, the import marker, what to do before deploying, the spec."""
    body = yaml.safe_dump(ordered(spec, AppSpec), sort_keys=False, allow_unicode=True, width=100)
    lines = [HEADER, f"{MARKER}; MIGRATION.md says what each manifest field became."]
    if todo:
        lines.append("# Before deploying (placeholders in this file):")
        lines.extend(f"#   - {item}" for item in todo)
    return "\n".join(lines) + "\n" + body


def validate(text: str, source: str, origin: dict[Loc, tuple[str, Loc]], environment: str) -> None:
    """``SpecError`` for each problem of ``text``, naming the Copilot field that set the value."""
    try:
        parse_spec(text, source=source)
    except SpecError as error:
        problems = [_traced(problem, origin, environment) for problem in error.problems]
        raise SpecError(f"{source} (imported, not written)", problems) from None


def _traced(problem: SpecProblem, origin: dict[Loc, tuple[str, Loc]], environment: str) -> SpecProblem:
    """``problem`` with the Copilot field that set the value (or the manifest of its service)."""
    best: tuple[int, str] | None = None
    for target, (manifest, field) in origin.items():
        path = dotted(target)
        inside = problem.path == path or problem.path.startswith((path + ".", path + "["))
        same_service = target[0] == "services" and problem.path.startswith(f"services.{target[1]}.")
        weight = len(path) if inside else 0 if same_service else -1
        if weight >= 0 and (best is None or weight > best[0]):
            best = (weight, f"{manifest}: {dotted(field)}" if inside else manifest)
    where = f" [from {best[1]}, environment {environment}]" if best else ""
    unset = sorted(set(re.findall(r"\$\{(\w+)\}", problem.message)))
    hint = "".join(f"; ${{{name}}} is not set: import again with --var {name}=VALUE" for name in unset)
    return SpecProblem(problem.path, problem.message + where + hint)  # the text was never written: no line


def ordered(value: Any, annotation: object) -> Any:
    """``value`` with each map's keys in the order of the model fields that describe it."""
    target = unwrap(annotation)
    if isinstance(value, dict) and isinstance(target, type) and issubclass(target, BaseModel):
        fields = list(target.model_fields)
        keys = sorted(value, key=lambda k: fields.index(k) if k in fields else len(fields))
        if "kind" in value:  # a service reads best with what it is and its size first
            first = [k for k in SERVICE_FIRST if k in value]
            keys = [*first, *(k for k in keys if k not in first)]
        return {
            k: ordered(value[k], target.model_fields[k].annotation if k in fields else None) for k in keys
        }
    args = typing.get_args(target)
    if isinstance(value, dict):
        inner = args[1] if typing.get_origin(target) is dict and len(args) == 2 else None
        return {k: ordered(v, inner) for k, v in value.items()}
    if isinstance(value, list | tuple):
        inner = args[0] if args else None
        return [ordered(item, inner) for item in value]
    return value
