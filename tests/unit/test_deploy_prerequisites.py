"""``deploy --service``: the stacks a service's stack imports from (checked before the CDK CLI)."""

from __future__ import annotations

import pytest

from config import load_spec
from deployer.cdk.prerequisites import needed_stacks

SPEC = load_spec("local")


@pytest.mark.parametrize(
    ("services", "needed"),
    [
        (["reports"], ["network", "cluster"]),  # a job: no load balancer, calls nothing
        (["worker"], ["network", "cluster", "svc-api"]),  # calls api
        (["web"], ["network", "cluster", "ingress", "svc-api"]),  # served by the load balancer, calls api
        (["web", "api"], ["network", "cluster", "ingress"]),  # api is deployed along
    ],
)
def test_a_service_needs_the_shared_stacks_and_its_callees(services: list[str], needed: list[str]) -> None:
    assert [p.name for p in needed_stacks(SPEC, services)] == [f"shop-local-{name}" for name in needed]
