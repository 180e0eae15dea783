"""Generated specs for benchmarks: N Fargate services in one environment, either all alike
(``write_generated_spec``) or a realistic mix of kinds (``mixed_spec``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from config.load_balancers import Usage
from config.service_kinds import LoadBalancerSpec

IMAGE = "public.ecr.aws/nginx/nginx-unprivileged:1.27"
USER = "101"  # the image's own non-root user
# Out of every 10 services: 4 web, 3 backend, 2 worker, 1 job.
MIX = ("web", "web", "web", "web", "backend", "backend", "backend", "worker", "worker", "job")


def write_generated_spec(directory: Path, env: str, services: int) -> Path:
    """Write ``<directory>/<env>.yaml`` with ``services`` alike Fargate services (kind backend)."""
    spec = {
        **_environment(env),
        "services": {
            f"svc{index:03d}": {
                "image": IMAGE,
                "user": USER,
                "cpu": 256,
                "memory": 512,
                "port": 8080,
                "desired_count": 2,
            }
            for index in range(services)
        },
    }
    return _write(directory, env, spec)


def write_mixed_spec(directory: Path, env: str, services: int) -> Path:
    """Write ``<directory>/<env>.yaml`` holding ``mixed_spec(env, services)``."""
    return _write(directory, env, mixed_spec(env, services))


def mixed_spec(env: str, services: int, outbound_quota: int | None = None) -> dict[str, Any]:
    """A spec of ``services`` services cycling through ``MIX``: every 5th web service deploys
    blue/green, every 3rd autoscales on requests; each backend is called by the web service
    before it; web services fill load balancer ``main``, then ``lb2``, ``lb3``… (each as full
    as its quotas allow, the way a team would assign ``http.load_balancer`` as it grows).

    ``outbound_quota``: the account's outbound rules per security group
    (``load_balancer.rules_per_security_group``; default: AWS's default, 60, not written)."""
    quota = LoadBalancerSpec().rules_per_security_group if outbound_quota is None else outbound_quota
    written = {} if outbound_quota is None else {"load_balancer": {"rules_per_security_group": quota}}
    balancer, usage = 1, Usage()
    generated: dict[str, Any] = {}
    last_web = None
    for index in range(services):
        name = f"svc{index:03d}"
        kind = MIX[index % len(MIX)]
        service: dict[str, Any] = {"kind": kind, "image": IMAGE, "user": USER, "cpu": 256, "memory": 512}
        if kind == "web":
            blue_green = len([s for s in generated.values() if s["kind"] == "web"]) % 5 == 4
            usage = usage.plus(blue_green)
            if not usage.within(quota):
                balancer, usage = balancer + 1, Usage().plus(blue_green)
            service |= {
                "port": 8080,
                "desired_count": 2,
                "http": {
                    "load_balancer": "main" if balancer == 1 else f"lb{balancer}",
                    "paths": [f"/{name}/*"],
                    "health_check": {"path": "/health"},
                },
            }
            if blue_green:
                service["deployment"] = {"strategy": "blue_green", "bake_minutes": 5}
            if index % 3 == 0:
                service["autoscaling"] = {"min_count": 2, "max_count": 8, "requests_per_target": 500}
            last_web = name
        elif kind == "backend":
            service |= {"port": 8080, "allow_from": [last_web] if last_web else []}
            if index % 2 == 0:
                service["autoscaling"] = {"min_count": 1, "max_count": 4, "cpu_percent": 60}
        elif kind == "worker":
            service["queue"] = {"messages_per_task": 20, "max_count": 5}
        else:
            service |= {"command": ["bin/report"], "schedule": {"expression": "cron(0 3 * * ? *)"}}
        generated[name] = service
    return {**_environment(env), **written, "services": generated}


def _environment(env: str) -> dict[str, Any]:
    return {
        "app": "bench",
        "environment": {"name": env, "account": "123456789012", "region": "us-east-1", "target": "local"},
        "network": {"max_azs": 2, "nat_gateways": 1},
        "cluster": {
            "fargate": True,
            "default_capacity": [
                {"provider": "FARGATE", "base": 1, "weight": 1},
                {"provider": "FARGATE_SPOT", "weight": 3},
            ],
        },
    }


def _write(directory: Path, env: str, spec: dict[str, Any]) -> Path:
    path = directory / f"{env}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path
