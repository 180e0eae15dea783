"""Generated specs for benchmarks: N Fargate services in one environment."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_generated_spec(directory: Path, env: str, services: int) -> Path:
    """Write ``<directory>/<env>.yaml`` with ``services`` web-like Fargate services."""
    spec = {
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
        "services": {
            f"svc{index:03d}": {
                "image": "public.ecr.aws/nginx/nginx:1.27",
                "cpu": 256,
                "memory": 512,
                "port": 8080,
                "desired_count": 2,
            }
            for index in range(services)
        },
    }
    path = directory / f"{env}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return path
