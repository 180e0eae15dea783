"""Commands on an environment that is not deployed (an empty local endpoint, a cluster without
the service) say so and what to do, instead of a raw AWS error or an internal one; a rollback
to a deregistered revision names it and what can be rolled back to."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.loader import ENVIRONMENTS_DIR
from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import WEB_FAMILY, local_client, web_with_revisions
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
        (["workflow", "status", "nightly"], "workflow 'nightly'"),
        (["workflow", "start", "nightly"], "workflow 'nightly'"),
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


@pytest.fixture(scope="module")
def partly_deployed() -> Iterator[str]:
    """A local endpoint with the cluster and web (revisions 1-3, 1 deregistered as prune does,
    3 live), and nothing else."""
    chosen = free_port()
    local_endpoint.up(chosen)
    try:
        ecs = local_client("ecs", chosen)
        web_with_revisions(ecs, revisions=3, live=3)
        ecs.deregister_task_definition(taskDefinition=f"{WEB_FAMILY}:1")
        yield str(chosen)
    finally:
        local_endpoint.down(chosen)


def test_run_rollback_and_diff_of_a_service_not_deployed_yet_say_to_deploy_it(
    tmp_path: Path, partly_deployed: str
) -> None:
    text = (ENVIRONMENTS_DIR / "local.yaml").read_text()
    (tmp_path / "local.yaml").write_text(text.replace("services:\n", BILLING, 1))
    spec = {"DEPLOYER_ENVIRONMENTS_DIR": str(tmp_path)}
    args = ("--port", partly_deployed, "--json")
    ran = run_deployer("run", "billing", *args, env=spec)
    rolled_back = run_deployer("rollback", "billing", *args, env=spec)
    diffed = run_deployer("diff", "billing", *args, env=spec)
    assert ran.code == rolled_back.code == diffed.code == 1, (ran.output, rolled_back.output, diffed.output)
    for result in (ran, rolled_back, diffed):
        assert (
            "service 'billing' is not deployed in shop-local: deploy it first "
            "(deployer deploy --env local --service billing)"
        ) in result.stderr
    for result in (ran, rolled_back, diffed):
        assert json.loads(result.stdout)["error"]["kind"] == "failed"
    assert "please report it" not in ran.output


def test_rollback_to_an_inactive_revision_names_it_and_the_revisions_to_choose_from(
    partly_deployed: str,
) -> None:
    """``rollback --to`` a revision prune deregistered: refused (exit 2, nothing changed)."""
    result = run_deployer("rollback", "web", "--to", "1", "--port", partly_deployed, "--json")
    ecs = local_client("ecs", partly_deployed)
    live = ecs.describe_services(cluster="shop-local", services=["web"])["services"][0]["taskDefinition"]
    assert result.code == 2, result.output
    assert (
        "--to 1: revision 1 is INACTIVE (deregistered, e.g. by prune); ECS cannot run it. "
        "revisions you can roll back to: 2"
    ) in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "bad_input"
    assert live.endswith(f"{WEB_FAMILY}:3")
