"""`deployer local up|down|status`: a moto server on loopback, started once and reused."""

from __future__ import annotations

import pytest

from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import local_client
from tests.harness import free_port

pytestmark = pytest.mark.moto


def test_up_reuse_status_down() -> None:
    port = str(free_port())
    try:
        first = run_deployer("local", "up", "--port", port)
        assert first.code == 0, first.output
        assert "started" in first.stdout
        assert local_endpoint.is_healthy(int(port))

        again = run_deployer("local", "up", "--port", port)
        assert again.code == 0 and "already running" in again.stdout

        # It is a working AWS endpoint.
        sts = local_client("sts", port)
        assert sts.get_caller_identity()["Account"] == "123456789012"

        status = run_deployer("local", "status", "--port", port, "--json")
        assert status.code == 0 and '"running": true' in status.stdout
    finally:
        down = run_deployer("local", "down", "--port", port)
    assert down.code == 0 and "stopped" in down.stdout
    assert not local_endpoint.is_healthy(int(port))
    stopped = run_deployer("local", "status", "--port", port)
    assert stopped.code == 1 and "not running" in stopped.stdout


def test_down_when_not_running_is_harmless() -> None:
    result = run_deployer("local", "down", "--port", str(free_port()))
    assert result.code == 0 and "was not running" in result.stdout


@pytest.mark.parametrize("extra", [[], ["--to", "1"]])
def test_rollback_with_no_endpoint_says_so_and_starts_none(extra: list[str]) -> None:
    port = free_port()
    try:
        result = run_deployer("rollback", "web", "--port", str(port), *extra)
        assert result.code == 1, result.output
        assert f"the local endpoint is not running on port {port}" in result.stderr
        assert local_endpoint.probe(port) is local_endpoint.Answer.CLOSED
        assert not (local_endpoint.STATE_DIR / f"moto-{port}.pid").exists()
    finally:
        local_endpoint.down(port)  # one the command should not have started
