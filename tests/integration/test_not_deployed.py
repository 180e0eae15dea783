"""Commands on an environment that is not deployed (an empty local endpoint, a cluster without
the service) say so and what to do, instead of a raw AWS error or an internal one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.loader import ENVIRONMENTS_DIR
from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import local_client
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


@pytest.mark.parametrize(
    ("command", "missing"),
    [
        (["batch", "submit", "thumbnails"], "the local environment's Batch queue shop-local-default"),
        (["run", "reports"], "job 'reports'"),
    ],
)
def test_what_the_environment_lacks_is_named_with_what_to_do(
    port: str, command: list[str], missing: str
) -> None:
    result = run_deployer(*command, "--port", port, "--json")
    assert result.code == 1, result.output
    assert f"{missing} is not deployed" in result.stderr
    assert "deploy the environment first (deployer deploy --env local)" in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "failed"
    assert "AWS error" not in result.stderr


def test_deploying_one_service_without_its_environment_is_refused_before_anything_changes(
    port: str,
) -> None:
    result = run_deployer("deploy", "--service", "web", "--env", "local", "--port", port, "--json")
    assert result.code == 1, result.output
    assert json.loads(result.stdout)["error"]["kind"] == "failed"
    assert (
        "the local environment's stacks they need are not deployed: shop-local-network (network), "
        "shop-local-cluster (cluster), shop-local-ingress (ingress), shop-local-svc-api (api). "
        "Run a full deploy first (deployer deploy --env local)"
    ) in result.stderr
    assert local_client("cloudformation", port).describe_stacks()["Stacks"] == []  # not even bootstrapped


BILLING = """\
services:
  billing:
    kind: backend
    image: nginx
    port: 8080
    user: "101"
"""


def test_run_and_rollback_of_a_service_not_deployed_yet_say_to_deploy_it(tmp_path: Path) -> None:
    text = (ENVIRONMENTS_DIR / "local.yaml").read_text()
    (tmp_path / "local.yaml").write_text(text.replace("services:\n", BILLING, 1))
    spec = {"DEPLOYER_ENVIRONMENTS_DIR": str(tmp_path)}
    chosen = free_port()
    local_endpoint.up(chosen)
    try:
        local_client("ecs", chosen).create_cluster(clusterName="shop-local")  # deployed, but not billing
        args = ("--port", str(chosen), "--json")
        ran = run_deployer("run", "billing", *args, env=spec)
        rolled_back = run_deployer("rollback", "billing", *args, env=spec)
    finally:
        local_endpoint.down(chosen)
    assert ran.code == rolled_back.code == 2, (ran.output, rolled_back.output)
    for result in (ran, rolled_back):
        assert (
            "service 'billing' is not deployed in shop-local: deploy it first "
            "(deployer deploy --env local --service billing)"
        ) in result.stderr
    assert json.loads(ran.stdout)["error"]["kind"] == "bad_input"
    assert "please report it" not in ran.output
