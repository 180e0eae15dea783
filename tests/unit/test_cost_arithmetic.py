"""Cost arithmetic with literal prices: each Fargate rate used where it belongs (Spot memory
on the Spot memory rate), storage beyond the free 20 GiB, task counts, strategy shares, and
task sizes read from the template.

The rates are the us-east-1 list prices the table quotes (aws.amazon.com/fargate/pricing/,
Spot at the table's stated 50 % estimate), typed here again as literals.
"""

from __future__ import annotations

from typing import Any

import pytest

from config import load_spec, parse_spec
from config.loader import ENVIRONMENTS_DIR
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


def test_prices_are_rounded_to_a_millionth_of_a_dollar() -> None:
    """0.25 x 0.04048 + 0.5 x 0.004445 = 0.0123425 per hour, kept to 6 decimals: 0.012343."""
    assert fargate_task_price(TaskSize(0.25, 0.5, "x86_64"), "FARGATE", PRICES).usd == 0.012343


def task_definition(cpu: str, memory: str, platform: str | None = None) -> dict[str, Any]:
    props: dict[str, Any] = {"Cpu": cpu, "Memory": memory}
    if platform:
        props["RuntimePlatform"] = {"CpuArchitecture": platform}
    return {"Type": "AWS::ECS::TaskDefinition", "Properties": props}


def ecs_service(strategy: list[dict[str, Any]], **props: Any) -> dict[str, Any]:
    return {
        "Type": "AWS::ECS::Service",
        "Properties": {"TaskDefinition": {"Ref": "Task"}, "CapacityProviderStrategy": strategy, **props},
    }


def findings(services: dict[str, dict[str, Any]]) -> Findings:
    """Price the local spec's services with the given resources per service stack."""
    spec = load_spec("local")
    templates = {f"shop-local-svc-{name}": {"Resources": services.get(name, {})} for name in spec.services}
    found = Findings()
    price_services(spec, templates, PRICES, found)
    return found


def test_every_line_and_note_of_an_environment() -> None:
    """web: 2 tasks (its scaling minimum) split 1:2, with Service Connect; api: 1 task on an EC2
    group by its base; worker: none at minimum (on EC2); reports: a job on Fargate Spot."""
    found = findings(
        {
            "web": {
                "Task": task_definition("512", "1024", "X86_64"),
                "Service": ecs_service(
                    [
                        {"CapacityProvider": "FARGATE", "Weight": 1},
                        {"CapacityProvider": "FARGATE_SPOT", "Weight": 2},
                    ],
                    ServiceConnectConfiguration={"Enabled": True, "Services": [{"PortName": "web"}]},
                ),
            },
            "api": {
                "Task": task_definition("256", "512"),
                "Service": ecs_service([{"CapacityProvider": "cp-shop-local-graviton", "Base": 1}]),
            },
            "worker": {
                "Task": task_definition("256", "512"),
                "Service": ecs_service([{"CapacityProvider": "cp-shop-local-graviton", "Weight": 1}]),
            },
            "reports": {
                "Task": task_definition("1024", "2048", "ARM64"),
                "Schedule": {
                    "Type": "AWS::Scheduler::Schedule",
                    "Properties": {
                        "ScheduleExpression": "cron(0 3 * * ? *)",
                        "Target": {
                            "EcsParameters": {
                                "TaskDefinitionArn": {"Ref": "Task"},
                                "CapacityProviderStrategy": [
                                    {"CapacityProvider": "FARGATE", "Weight": 1},
                                    {"CapacityProvider": "FARGATE_SPOT", "Weight": 3},
                                ],
                            }
                        },
                    },
                },
            },
        }
    )
    web_size = "(x86_64, 0.5 vCPU, 1 GB)"
    assert [(i.group, i.what, i.quantity, i.unit, i.price.usd) for i in found.lines] == [
        ("services", f"web on FARGATE {web_size}", 0.67, "task", round(0.5 * 0.04048 + 1 * 0.004445, 6)),
        (
            "services",
            f"web on FARGATE_SPOT {web_size}",
            1.33,
            "task",
            round(0.5 * 0.02024 + 1 * 0.0022225, 6),
        ),
        ("services", "Cloud Map registrations (Service Connect endpoints)", 2, "task", 0.10),
    ]
    assert found.lines[2].price.per == "month"
    assert found.notes == [
        "api: 1 task(s) on EC2 capacity graviton; its instances are in the fixed part at minimum size, "
        "and tasks beyond them scale the group out",
        "worker: no task at its minimum count; runs on EC2 capacity graviton, at the price of its instances",
        "job reports (cron(0 3 * * ? *)): $0.0198 per task-hour on FARGATE_SPOT (arm64, 1 vCPU, 2 GB), "
        "billed per second, 1-minute minimum",
    ]


def test_a_provider_without_weight_or_base_gets_no_task() -> None:
    """ECS's defaults: weight 0 and base 0 (CapacityProviderStrategyItem)."""
    found = findings(
        {
            "api": {
                "Task": task_definition("256", "512"),
                "Service": ecs_service([{"CapacityProvider": "FARGATE"}]),
            }
        }
    )
    assert (found.lines, found.notes) == ([], [])


def test_an_idle_service_and_a_job_are_priced_on_their_main_provider() -> None:
    """The base wins over the weight; without a strategy, FARGATE."""
    schedule = {
        "Type": "AWS::Scheduler::Schedule",
        "Properties": {
            "ScheduleExpression": "rate(1 hour)",
            "Target": {"EcsParameters": {"TaskDefinitionArn": {"Ref": "Task"}}},
        },
    }
    found = findings(
        {
            "worker": {
                "Task": task_definition("256", "512"),
                "Service": ecs_service(
                    [
                        {"CapacityProvider": "FARGATE", "Base": 1},
                        {"CapacityProvider": "FARGATE_SPOT", "Weight": 9},
                    ]
                ),
            },
            "reports": {"Task": task_definition("256", "512"), "Schedule": schedule},
        }
    )
    per_hour = (
        "$0.0123 per task-hour on FARGATE (x86_64, 0.25 vCPU, 0.5 GB), billed per second, 1-minute minimum"
    )
    assert found.notes == [
        f"worker: no task at its minimum count; {per_hour}",
        f"job reports (rate(1 hour)): {per_hour}",
    ]


API_KIND = "    kind: backend                 # internal: http://api:8080 through Service Connect\n"
LOCAL_ARM_API = (
    (ENVIRONMENTS_DIR / "local.yaml").read_text().replace(API_KIND, API_KIND + "    architecture: arm64\n", 1)
)


def test_sizes_fall_back_to_the_spec_field_by_field() -> None:
    """A task definition without properties, or without a platform, takes the spec's values;
    a template's X86_64 wins over the spec's architecture."""
    bare = {"Type": "AWS::ECS::TaskDefinition"}
    found = findings(
        {"api": {"Task": bare, "Service": ecs_service([{"CapacityProvider": "FARGATE", "Weight": 1}])}}
    )
    assert [line.what for line in found.lines] == ["api on FARGATE (x86_64, 0.25 vCPU, 0.5 GB)"]
    spec = parse_spec(LOCAL_ARM_API)
    assert spec.services["api"].architecture == "arm64"
    templates = {f"shop-local-svc-{name}": {"Resources": {}} for name in spec.services}
    templates["shop-local-svc-api"] = {
        "Resources": {
            "Task": task_definition("256", "512", "X86_64"),
            "Service": ecs_service([{"CapacityProvider": "FARGATE", "Weight": 1}]),
        }
    }
    found = Findings()
    price_services(spec, templates, PRICES, found)
    assert [line.what for line in found.lines] == ["api on FARGATE (x86_64, 0.25 vCPU, 0.5 GB)"]


def test_odd_templates_are_priced_without_error() -> None:
    """A stack without resources, a service without a strategy, a schedule of something else,
    a job on an EC2 group, a first provider that gets no task, a schedule without expression."""
    spec = load_spec("local")
    lambda_schedule = {
        "Type": "AWS::Scheduler::Schedule",
        "Properties": {"Target": {"Arn": "arn:aws:lambda:::function:x"}},
    }
    ec2_job = {
        "Type": "AWS::Scheduler::Schedule",
        "Properties": {
            "Target": {
                "EcsParameters": {
                    "TaskDefinitionArn": {"Ref": "Task"},
                    "CapacityProviderStrategy": [{"CapacityProvider": "cp-shop-local-spot", "Weight": 1}],
                }
            }
        },
    }
    templates = {
        "shop-local-svc-web": {},
        "shop-local-svc-api": {
            "Resources": {
                "Task": task_definition("256", "512"),
                "Service": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": {"Ref": "Task"}}},
            }
        },
        "shop-local-svc-worker": {"Resources": {"Other": lambda_schedule}},
        "shop-local-svc-reports": {"Resources": {"Task": task_definition("256", "512"), "Job": ec2_job}},
    }
    found = Findings()
    price_services(spec, templates, PRICES, found)
    assert (found.lines, found.notes) == (
        [],
        ["job reports (): runs on EC2 capacity spot, at the price of its instances"],
    )
    later = findings(
        {
            "api": {
                "Task": task_definition("256", "512"),
                "Service": ecs_service(
                    [
                        {"CapacityProvider": "FARGATE", "Weight": 0},
                        {"CapacityProvider": "FARGATE_SPOT", "Weight": 1},
                    ]
                ),
            }
        }
    )
    assert [(line.what, line.quantity) for line in later.lines] == [
        ("api on FARGATE_SPOT (x86_64, 0.25 vCPU, 0.5 GB)", 1)
    ]
