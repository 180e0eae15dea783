"""One workload manifest as Copilot deploys it to one environment.

Copilot overlays ``environments.<env>`` on the manifest (maps merge key by key; a list, a
scalar or a value of another shape replaces; ``count`` replaces as a whole; ``image.location``
and ``image.build`` replace each other), then substitutes ``${VAR}`` in values with the
application and environment names and the deploying shell's variables (``\\${VAR}`` is kept
as written). The shell is not known here: ``--var NAME=VALUE`` gives those values, and any
``${VAR}`` left is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from deployer.copilot.errors import manifest_error
from deployer.copilot.models_container import ContainerKeys
from deployer.copilot.models_workload import MANIFEST_BY_TYPE
from deployer.copilot.workspace import Manifest

_REFERENCE = re.compile(r"(\\?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
REPLACED_WHOLE = frozenset({"count"})
EXCLUSIVE = {"location": "build", "build": "location"}


@dataclass(frozen=True)
class Resolved:
    """``data``: the manifest for one environment; ``config``: it, validated; ``unresolved``:
    the ``${VAR}`` names nothing gave a value."""

    data: dict[str, Any]
    config: ContainerKeys
    unresolved: frozenset[str]


def resolve(manifest: Manifest, environment: str, application: str, variables: dict[str, str]) -> Resolved:
    """``manifest`` with its ``environments.<environment>`` block applied and ``${VAR}`` substituted."""
    base = {k: v for k, v in manifest.data.items() if k not in ("name", "type", "environments")}
    override = (manifest.data.get("environments") or {}).get(environment) or {}
    merged = merge(base, override)
    values = {"COPILOT_APPLICATION_NAME": application, "COPILOT_ENVIRONMENT_NAME": environment, **variables}
    unresolved: set[str] = set()
    data = substitute(merged, values, unresolved)
    config_model = MANIFEST_BY_TYPE[manifest.type][1]
    try:
        config = config_model.model_validate(data)
    except ValidationError as error:
        source = f"{manifest.path} (environment {environment})"
        raise manifest_error(source, error, config_model, data, manifest.lines) from None
    return Resolved(data, config, frozenset(unresolved))


def merge(base: Any, override: Any, key: str = "") -> Any:
    """``override`` laid over ``base`` the way Copilot applies an environment block."""
    if override is None:
        return base
    if not (isinstance(base, dict) and isinstance(override, dict)) or key in REPLACED_WHOLE:
        return override
    result = dict(base)
    for name, value in override.items():
        if name in EXCLUSIVE and value is not None:
            result.pop(EXCLUSIVE[name], None)
        result[name] = merge(result.get(name), value, name)
    return result


def substitute(value: Any, values: dict[str, str], unresolved: set[str]) -> Any:
    """``value`` with ``${VAR}`` replaced in every string (keys untouched)."""
    if isinstance(value, dict):
        return {k: substitute(v, values, unresolved) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(item, values, unresolved) for item in value]
    if not isinstance(value, str):
        return value

    def replace(match: re.Match[str]) -> str:
        escaped, name = match[1], match[2]
        if escaped:
            return match[0][1:]
        if name in values:
            return values[name]
        unresolved.add(name)
        return match[0]

    return _REFERENCE.sub(replace, value)
