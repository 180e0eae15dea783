"""``deployer validate`` and ``deployer schema``: the spec alone, no AWS call."""

from __future__ import annotations

import sys

from rich.text import Text

from config.json_schema import spec_json_schema
from config.network_mode_checks import host_network_reasons
from deployer.commands.common import AlwaysJsonOption, CommandContext, EnvOption, JsonOption


def validate(env: EnvOption = "local", as_json: JsonOption = False) -> None:
    """Check an environment's spec file; exit 2 with every problem if it is invalid. A valid
    spec's host-network services are listed with the reason the spec gives."""
    ctx = CommandContext.load(env, as_json=as_json)
    spec = ctx.spec
    root = [
        {"service": name, "container": container, "reason": spec_container.run_as_root.reason}
        for name, service in spec.services.items()
        for container, spec_container in service.containers(name).items()
        if spec_container.run_as_root is not None
    ] + [
        {"service": name, "container": container, "reason": root_reason.reason}
        for name, service in spec.services.items()
        for container, root_reason in service.run_as_root_containers.items()
    ]
    summary = f"{env}: valid ({len(spec.services)} services, target {spec.environment.target})"
    host_network = host_network_reasons(spec)
    ctx.emit(
        {
            "environment": env,
            "valid": True,
            "target": spec.environment.target,
            "services": list(spec.services),
            "run_as_root": root,
            "host_network": host_network,
        },
        summary,
        *(Text(f"  runs as root: {r['service']}/{r['container']}: {r['reason']}") for r in root),
        *(
            Text(f"  {name}: host network mode (Security Hub ECS.17), because: {reason}")
            for name, reason in host_network.items()
        ),
    )


def schema(as_json: AlwaysJsonOption = False) -> None:
    """Print the spec's JSON Schema (config/spec.schema.json is generated from it)."""
    sys.stdout.write(spec_json_schema())
