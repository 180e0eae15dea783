"""Cost arithmetic with literal prices: each Fargate rate used where it belongs (Spot memory
on the Spot memory rate), storage beyond the free 20 GiB, task counts, strategy shares, and
task sizes read from the template.

The rates are the us-east-1 list prices the table quotes (aws.amazon.com/fargate/pricing/,
Spot at the table's stated 50 % estimate), typed here again as literals.
"""

from __future__ import annotations

from typing import Any

import pytest

from config import load_spec
from deployer.cost.model import Findings
from deployer.cost.prices import HOURS_PER_MONTH, PRICES, Price
from deployer.cost.tasks import (
    StrategyEntry,
    TaskSize,
    fargate_task_price,
    price_services,
    strategy_shares,
    task_count,
)

VCPU = {("x86_64", "FARGATE"): 0.04048, ("arm64", "FARGATE"): 0.03238,
        ("x86_64", "FARGATE_SPOT"): 0.02024, ("arm64", "FARGATE_SPOT"): 0.01619}  # fmt: skip
GB = {("x86_64", "FARGATE"): 0.004445, ("arm64", "FARGATE"): 0.00356,
      ("x86_64", "FARGATE_SPOT"): 0.0022225, ("arm64", "FARGATE_SPOT"): 0.00178}  # fmt: skip
STORAGE_GB = 0.000111


@pytest.mark.parametrize("architecture", ["x86_64", "arm64"])
@pytest.mark.parametrize("provider", ["FARGATE", "FARGATE_SPOT"])
@pytest.mark.parametrize(("vcpu", "memory"), [(0.25, 0.5), (1.0, 2.0), (4.0, 30.0), (16.0, 32.0)])
def test_each_rate_applies_to_its_own_dimension(
    architecture: str, provider: str, vcpu: float, memory: float
) -> None:
    price = fargate_task_price(TaskSize(vcpu, memory, architecture), provider, PRICES)
    expected = vcpu * VCPU[architecture, provider] + memory * GB[architecture, provider]
    assert price.usd == pytest.approx(expected, abs=1e-6)
    assert price.per == "hour"


def test_spot_memory_literally() -> None:
    """0 vCPU isolates the memory rate: 8 GB of x86_64 Spot is 8 x 0.0022225."""
    assert fargate_task_price(TaskSize(0, 8.0, "x86_64"), "FARGATE_SPOT", PRICES).usd == 0.01778
    assert fargate_task_price(TaskSize(0, 8.0, "arm64"), "FARGATE_SPOT", PRICES).usd == 0.01424
    assert fargate_task_price(TaskSize(1.0, 0, "arm64"), "FARGATE_SPOT", PRICES).usd == 0.01619


def test_the_source_names_where_each_provider_price_comes_from() -> None:
    on_demand = fargate_task_price(TaskSize(1, 2, "x86_64"), "FARGATE", PRICES)
    spot = fargate_task_price(TaskSize(1, 2, "x86_64"), "FARGATE_SPOT", PRICES)
    assert on_demand.source == "https://aws.amazon.com/fargate/pricing/"
    assert spot.source.startswith("https://aws.amazon.com/fargate/pricing/ Spot price varies")


@pytest.mark.parametrize(("storage", "extra"), [(20, 0), (21, 1), (19, 0), (200, 180)])
def test_only_storage_beyond_20_gib_is_charged(storage: int, extra: int) -> None:
    base = 0.5 * VCPU["x86_64", "FARGATE"] + 1.0 * GB["x86_64", "FARGATE"]
    price = fargate_task_price(TaskSize(0.5, 1.0, "x86_64", storage), "FARGATE", PRICES)
    assert price.usd == pytest.approx(base + extra * STORAGE_GB, abs=1e-6)


@pytest.mark.parametrize(
    ("price", "quantity", "monthly"),
    [
        (Price(0.5, "hour", "s"), 2, 730.0),
        (Price(0.5, "month", "s"), 2, 1.0),
        (Price(0.08, "GB-month", "s"), 30, 2.4),
    ],
)
def test_a_month_is_730_hours_and_monthly_prices_are_not_multiplied(
    price: Price, quantity: float, monthly: float
) -> None:
    assert HOURS_PER_MONTH == 730
    assert price.monthly(quantity) == pytest.approx(monthly)


S = StrategyEntry


@pytest.mark.parametrize(
    ("strategy", "tasks", "expected"),
    [
        ([S("A", base=3, weight=1), S("B", weight=1)], 2, {"A": 2.0, "B": 0.0}),
        ([S("A", base=3, weight=1), S("B", weight=1)], 3, {"A": 3.0, "B": 0.0}),
        ([S("A", base=3, weight=1), S("B", weight=1)], 5, {"A": 4.0, "B": 1.0}),
        ([S("A", weight=1), S("B", base=2, weight=3)], 6, {"A": 1.0, "B": 5.0}),
        ([S("A", weight=0), S("B", weight=2)], 4, {"A": 0.0, "B": 4.0}),
        ([S("A", weight=1), S("B", weight=2), S("C", weight=1)], 8, {"A": 2.0, "B": 4.0, "C": 2.0}),
        ([S("A", base=1, weight=0)], 4, {"A": 1.0}),
        ([], 3, {}),
    ],
)
def test_strategy_shares(strategy: list[StrategyEntry], tasks: int, expected: dict[str, float]) -> None:
    assert strategy_shares(strategy, tasks) == pytest.approx(expected)


def test_task_counts_at_the_scaling_minimum() -> None:
    spec = load_spec("local")
    # web scales 2-6, worker scales on its queue from 0, api keeps desired_count (default 1)
    assert (
        task_count(spec.services["web"]),
        task_count(spec.services["worker"]),
        task_count(spec.services["api"]),
    ) == (2, 0, 1)


def service_template(
    task_props: dict[str, Any], reference: Any, strategy: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "Resources": {
            "Task": {"Type": "AWS::ECS::TaskDefinition", "Properties": task_props},
            "Service": {
                "Type": "AWS::ECS::Service",
                "Properties": {"TaskDefinition": reference, "CapacityProviderStrategy": strategy},
            },
        }
    }


def priced_lines(
    task_props: dict[str, Any], reference: Any, strategy: list[dict[str, Any]]
) -> list[tuple[str, float, float]]:
    spec = load_spec("local")
    templates = {f"shop-local-svc-{name}": {"Resources": {}} for name in spec.services}
    templates["shop-local-svc-api"] = service_template(task_props, reference, strategy)
    found = Findings()
    price_services(spec, templates, PRICES, found)
    return [(line.what, line.quantity, line.price.usd) for line in found.lines]


def test_a_service_line_reads_size_and_architecture_from_its_task_definition() -> None:
    arm = {
        "Cpu": "1024",
        "Memory": "3072",
        "RuntimePlatform": {"CpuArchitecture": "ARM64"},
        "EphemeralStorage": {"SizeInGiB": 30},
    }
    lines = priced_lines(arm, {"Ref": "Task"}, [{"CapacityProvider": "FARGATE_SPOT", "Weight": 1}])
    assert lines == [
        (
            "api on FARGATE_SPOT (arm64, 1 vCPU, 3 GB)",
            1,
            pytest.approx(0.01619 + 3 * 0.00178 + 10 * STORAGE_GB, abs=1e-6),
        )
    ]


def test_a_pinned_service_is_priced_at_its_spec_size() -> None:
    """A pin makes TaskDefinition an ARN string: the size comes from the spec (api: 256/512, x86_64)."""
    pinned = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-local-api:3"
    lines = priced_lines(
        {"Cpu": "4096", "Memory": "8192"}, pinned, [{"CapacityProvider": "FARGATE", "Base": 1, "Weight": 0}]
    )
    assert lines == [
        (
            "api on FARGATE (x86_64, 0.25 vCPU, 0.5 GB)",
            1,
            pytest.approx(0.25 * 0.04048 + 0.5 * 0.004445, abs=1e-6),
        )
    ]
