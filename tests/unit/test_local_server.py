"""The local endpoint applies its moto fixes before the first AWS request, not at start: the
health probe reads moto's own API and needs none of them (a second of CPU per start)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from deployer.local import server
from tests.harness import ROOT


def test_the_fixes_come_before_the_first_aws_service_app_and_not_for_the_probe(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events: list[str] = []
    monkeypatch.setattr(server, "apply_fixes", lambda: events.append("fixes"))

    def create_app(service: Any) -> str:
        events.append(f"app {service}")
        return f"{service} app"

    create = server.fixed_first(create_app)
    assert create("moto_api") == "moto_api app"
    assert events == ["app moto_api"]
    assert create("ecs") == "ecs app"
    assert events == ["app moto_api", "fixes", "app ecs"]


def test_importing_the_server_module_loads_no_moto_models() -> None:
    """``python -m deployer.local.server`` imports this module first: it must load no moto models."""
    models = ("moto.ecs", "moto.batch", "moto.cloudformation")
    probe = (
        f"import sys, deployer.local.server; print(sorted(m for m in sys.modules if m.startswith({models})))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert loaded.stdout.strip() == "[]"
