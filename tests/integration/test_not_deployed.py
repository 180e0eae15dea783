"""Commands on an environment that is not deployed (an empty local endpoint, a cluster without
the service) say so and what to do, instead of a raw AWS error or an internal one."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.harness import free_port

pytestmark = pytest.mark.moto


@pytest.fixture(scope="module")
def port() -> Iterator[str]:
    """A running local endpoint with nothing deployed."""
    chosen = free_port()
    local_endpoint.up(chosen)
    try:
        yield str(chosen)
    finally:
        local_endpoint.down(chosen)


@pytest.mark.parametrize(
    "command",
    [
        ["history", "web"],
        ["prune", "web", "--keep", "1"],
        ["run", "web"],
        ["diff", "web"],
        ["rollback", "web"],
    ],
)
def test_an_undeployed_cluster_is_named_with_what_to_do(port: str, command: list[str]) -> None:
    result = run_deployer(*command, "--port", port, "--json")
    assert result.code == 1, result.output
    assert "local environment's cluster is not deployed: deploy the environment first" in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "failed"
    assert "AWS error" not in result.stderr
