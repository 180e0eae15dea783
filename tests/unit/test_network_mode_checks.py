"""``network_mode``, ``host_network_reason`` and ``placement`` in the spec: each refusal at its
YAML path, with its line, starting from the dev sample (a bridge web service ``catalog`` and a
host-mode agent ``node-metrics`` on the EC2 group ``spot``).

ECS's rules (task-networking and PlacementStrategy in the ECS API model): bridge and host run on
EC2 Linux instances only, Fargate is awsvpc only, ECS Managed Instances run awsvpc and host; a
service takes at most 5 placement strategies; binpack fields are cpu and memory; spread fields
are instanceId, host or attribute:<name>.
"""

from __future__ import annotations

import pytest

from config import parse_spec
from config.network_mode_checks import host_network_reasons
from tests.cli import run_deployer
from tests.spec_problems import TEXTS, assert_problem, edited, refused

CATALOG_CAPACITY = "    capacity:\n      - provider: spot\n    placement:                  # one task per AZ"
HOST_REASON = (
    "    host_network_reason: collects the instance's network interface metrics, which only the "
    "host namespace shows\n"
)
CATALOG_PLACEMENT = (
    "      - spread: attribute:ecs.availability-zone\n      - binpack: memory\n    http:\n"
    '      paths: ["/catalog/*"]'
)
WEB_HTTP = "    http:\n      health_check:\n        path: /health\n    deployment:"
MANAGED = "  # default_capacity: the dev profile's"


def with_placement(items: str) -> str:
    """dev, with ``catalog``'s placement list replaced by ``items`` (YAML list lines)."""
    return edited("dev", CATALOG_PLACEMENT, items + '    http:\n      paths: ["/catalog/*"]')


def test_the_dev_sample_has_a_bridge_and_a_host_service_and_is_valid() -> None:
    spec = parse_spec(TEXTS["dev"])
    assert spec.services["catalog"].network_mode == "bridge"
    assert spec.services["node-metrics"].network_mode == "host"
    assert spec.services["web"].network_mode == "awsvpc"  # the default
    reason = "collects the instance's network interface metrics, which only the host namespace shows"
    assert host_network_reasons(spec) == {"node-metrics": reason}


def test_bridge_on_fargate_is_refused() -> None:
    text = edited("dev", CATALOG_CAPACITY, CATALOG_CAPACITY.replace("spot\n", "FARGATE\n"))
    assert_problem(
        refused(text),
        "services.catalog.network_mode",
        "bridge runs on EC2 groups only; this service's capacity is FARGATE (Fargate tasks always "
        "use awsvpc): set capacity to EC2 groups of cluster.ec2_capacity, or use awsvpc",
    )


def test_host_on_managed_instances_is_refused() -> None:
    text = edited("dev", MANAGED, "  managed_instances:\n    managed: {}\n" + MANAGED)
    text = text.replace(
        HOST_REASON + "    capacity:\n      - provider: spot",
        HOST_REASON + "    capacity:\n      - provider: managed",
    )
    problems = refused(text)
    assert_problem(
        problems,
        "services.node-metrics.network_mode",
        "host runs on EC2 groups only; this service's capacity is managed (ECS Managed Instances run "
        "awsvpc or host tasks, and this project deploys them with awsvpc only)",
    )
    assert_problem(
        problems,
        "services.node-metrics.placement",
        "placement strategies choose among EC2 instances: this service's capacity is not an EC2 group",
    )


def test_host_without_a_reason_is_refused() -> None:
    assert_problem(
        refused(edited("dev", HOST_REASON, "")),
        "services.node-metrics.host_network_reason",
        "host network mode is a Security Hub finding (ECS.17: tasks share the instance's network, "
        "reach its metadata and loopback services): say why this service needs it",
    )


def test_a_reason_without_host_mode_is_refused() -> None:
    text = edited("dev", "    network_mode: host\n", "    network_mode: bridge\n")
    assert_problem(
        refused(text),
        "services.node-metrics.host_network_reason",
        "only for network_mode host (this one is bridge)",
    )


def test_a_short_reason_is_refused() -> None:
    text = edited("dev", HOST_REASON, "    host_network_reason: needs it\n")
    assert_problem(refused(text), "services.node-metrics.host_network_reason", "at least 10 characters")


def test_placement_on_fargate_is_refused() -> None:
    text = edited("dev", WEB_HTTP, "    placement:\n      - binpack: cpu\n" + WEB_HTTP)
    assert_problem(
        refused(text),
        "services.web.placement",
        "placement strategies choose among EC2 instances: this service's capacity is not an EC2 group",
    )


def test_more_than_five_strategies_are_refused() -> None:
    six = "".join(f"      - {item}\n" for item in ["binpack: cpu", "binpack: memory", "random: true"] * 2)
    assert_problem(
        refused(with_placement(six)),
        "services.catalog.placement",
        "6 strategies; ECS takes at most 5 per service",
    )


@pytest.mark.parametrize(
    "item", ["{binpack: cpu, random: true}", "{spread: instanceId, binpack: memory}", "{}"]
)
def test_a_strategy_names_exactly_one_kind(item: str) -> None:
    text = with_placement(f"      - spread: instanceId\n      - {item}\n")
    assert_problem(
        refused(text),
        "services.catalog.placement[1]",
        "give exactly one of binpack (cpu or memory), spread (a field) or random: true",
    )


@pytest.mark.parametrize("field", ["ecs.availability-zone", "attribute:", "instance id"])
def test_a_spread_field_outside_ecs_grammar_is_refused(field: str) -> None:
    text = with_placement(f"      - spread: '{field}'\n")
    assert_problem(
        refused(text),
        "services.catalog.placement[0].spread",
        f"{field!r} is not a placement field; use instanceId, or attribute:<name> such as "
        "attribute:ecs.availability-zone or attribute:ecs.instance-type",
    )


def test_binpack_takes_cpu_or_memory_only() -> None:
    assert_problem(
        refused(with_placement("      - binpack: disk\n")), "services.catalog.placement[0].binpack", "'cpu'"
    )


def test_a_bridge_service_cannot_take_allow_from() -> None:
    text = edited("dev", "    network_mode: bridge ", "    allow_from: [web]\n    network_mode: bridge ")
    assert_problem(
        refused(text),
        "services.catalog.allow_from",
        "allow_from needs awsvpc: in bridge mode tasks share their instances' security group, so no "
        "rule can admit the named callers and no one else (docs/security.md); use network_mode awsvpc "
        "for this service",
    )


@pytest.mark.parametrize("caller", ["catalog", "node-metrics"])
def test_a_bridge_or_host_service_cannot_be_a_caller(caller: str) -> None:
    text = edited(
        "dev",
        "    port: 8080\n    desired_count: 1\n",
        f"    port: 8080\n    desired_count: 1\n    allow_from: [{caller}]\n",
    )
    mode = "bridge" if caller == "catalog" else "host"
    assert_problem(
        refused(text),
        "services.web.allow_from[0]",
        f"{caller} uses {mode} mode: its tasks have no security group of their own, so a rule from it "
        f"would admit every task on its instances (docs/security.md); use network_mode awsvpc for {caller}",
    )


def test_validate_shows_each_host_network_reason() -> None:
    result = run_deployer("validate", "--env", "dev")
    assert result.code == 0, result.output
    assert (
        "node-metrics: host network mode (Security Hub ECS.17), because: collects the instance's "
        "network interface metrics, which only the host namespace shows"
    ) in result.stdout
