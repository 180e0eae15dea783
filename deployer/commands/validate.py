"""``deployer validate`` and ``deployer schema``: the spec alone, no AWS call."""

from __future__ import annotations

import sys

from config.json_schema import spec_json_schema
from deployer.commands.common import AlwaysJsonOption, CommandContext, EnvOption, JsonOption


def validate(env: EnvOption = "local", as_json: JsonOption = False) -> None:
    """Check an environment's spec file; exit 2 with every problem if it is invalid."""
    ctx = CommandContext.load(env, as_json=as_json)
    spec = ctx.spec
    ctx.emit(
        {
            "environment": env,
            "valid": True,
            "target": spec.environment.target,
            "services": list(spec.services),
        },
        f"{env}: valid ({len(spec.services)} services, target {spec.environment.target})",
    )


def schema(as_json: AlwaysJsonOption = False) -> None:
    """Print the spec's JSON Schema (config/spec.schema.json is generated from it)."""
    sys.stdout.write(spec_json_schema())
