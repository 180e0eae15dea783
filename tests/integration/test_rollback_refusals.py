"""``rollback --to`` a revision prune deregistered, against a local endpoint: refused (exit 2,
nothing changed) with why and what can be rolled back to."""

from __future__ import annotations

import json

import pytest

from deployer.local import endpoint as local_endpoint
from tests.cli import run_deployer
from tests.fakes import WEB_FAMILY as FAMILY
from tests.fakes import local_client, web_with_revisions
from tests.harness import free_port

pytestmark = pytest.mark.moto


def test_an_inactive_target_is_named_as_deregistered_with_the_revisions_to_choose_from() -> None:
    port = free_port()
    local_endpoint.up(port)
    try:
        ecs = local_client("ecs", port)
        web_with_revisions(ecs, revisions=3, live=3)
        ecs.deregister_task_definition(taskDefinition=f"{FAMILY}:1")  # as prune does
        result = run_deployer("rollback", "web", "--to", "1", "--port", str(port), "--json")
        live = ecs.describe_services(cluster="shop-local", services=["web"])["services"][0]["taskDefinition"]
    finally:
        local_endpoint.down(port)
    assert result.code == 2, result.output
    assert (
        "--to 1: revision 1 is INACTIVE (deregistered, e.g. by prune); ECS cannot run it. "
        "revisions you can roll back to: 2"
    ) in result.stderr
    assert json.loads(result.stdout)["error"]["kind"] == "bad_input"
    assert live.endswith(f"{FAMILY}:3")
