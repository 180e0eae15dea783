"""``deployer validate`` and ``deployer schema``: the spec alone, no AWS call."""

from __future__ import annotations

import sys

from config.json_schema import spec_json_schema
from config.network_mode_checks import host_network_reasons
from deployer.commands.common import CommandContext, EnvOption, JsonOption


def validate(env: EnvOption = "local", as_json: JsonOption = False) -> None:
    """Check an environment's spec file; exit 2 with every problem if it is invalid. A valid
    spec's host-network services are listed with the reason the spec gives."""
    ctx = CommandContext.load(env, as_json=as_json)
    spec = ctx.spec
    host_network = host_network_reasons(spec)
    ctx.emit(
        {
            "environment": env,
            "valid": True,
            "target": spec.environment.target,
            "services": list(spec.services),
            "host_network": host_network,
        },
        f"{env}: valid ({len(spec.services)} services, target {spec.environment.target})",
        *(
            f"  {name}: host network mode (Security Hub ECS.17), because: {reason}"
            for name, reason in host_network.items()
        ),
        highlight=False,
    )


def schema() -> None:
    """Print the spec's JSON Schema (config/spec.schema.json is generated from it)."""
    sys.stdout.write(spec_json_schema())
