"""Capacity provider strategies in the spec: each rule ECS enforces, at its YAML path.

ECS refuses a strategy that names a provider twice, gives every provider weight 0, gives more
than one provider a base, or mixes Fargate with Auto Scaling group providers
(CreateService / PutClusterCapacityProviders: CapacityProviderStrategyItem, weight 0-1000,
base 0-100000). Each case below is a literal strategy and the literal problems it must give.
"""

from __future__ import annotations

import pytest

from config import SpecError, parse_spec
from config.loader import ENVIRONMENTS_DIR

LOCAL_TEXT = (ENVIRONMENTS_DIR / "local.yaml").read_text()
DEFAULT = """\
  default_capacity:
    - provider: FARGATE
      base: 1
      weight: 1
    - provider: FARGATE_SPOT
      weight: 3
"""
WORKER = "    capacity:\n      - provider: graviton\n        weight: 1\n    queue:"


def with_default(items: str) -> str:
    assert DEFAULT in LOCAL_TEXT
    return LOCAL_TEXT.replace(DEFAULT, "  default_capacity:\n" + items, 1)


def problems(text: str) -> list[tuple[str, str]]:
    try:
        parse_spec(text, source="local.yaml")
    except SpecError as error:
        return [(p.path, p.message) for p in error.problems]
    return []


AT = "cluster.default_capacity"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            "    - provider: FARGATE\n    - provider: FARGATE\n",
            [(f"{AT}[1].provider", "'FARGATE' is listed twice")],
        ),
        (
            "    - provider: FARGATE_SPOT\n    - provider: FARGATE\n    - provider: FARGATE_SPOT\n",
            [(f"{AT}[2].provider", "'FARGATE_SPOT' is listed twice")],
        ),
        (
            "    - provider: FARGATE\n      weight: 0\n    - provider: FARGATE_SPOT\n      weight: 0\n",
            [(AT, "at least one provider needs a weight above 0")],
        ),
        (
            "    - provider: FARGATE\n      weight: 0\n      base: 2\n",
            [(AT, "at least one provider needs a weight above 0")],
        ),
        (
            "    - provider: FARGATE\n      base: 1\n    - provider: FARGATE_SPOT\n      base: 1\n",
            [(AT, "only one provider in a strategy may have a base above 0")],
        ),
        (
            "    - provider: FARGATE\n    - provider: graviton\n",
            [
                (
                    AT,
                    "a strategy uses one kind of capacity: Fargate providers, EC2 groups or Managed "
                    "Instances providers, not a mix (ec2, fargate)",
                )
            ],
        ),
        (
            "    - provider: FARGATE\n    - provider: gravitron\n",
            [
                (
                    f"{AT}[1].provider",
                    "unknown capacity provider 'gravitron'; this cluster has: FARGATE, FARGATE_SPOT, "
                    "graviton, spot",
                )
            ],
        ),
    ],
)
def test_strategy_problems(items: str, expected: list[tuple[str, str]]) -> None:
    assert problems(with_default(items)) == expected


@pytest.mark.parametrize(
    "items",
    [
        "    - provider: FARGATE\n",
        "    - provider: FARGATE\n      weight: 0\n    - provider: FARGATE_SPOT\n      weight: 1\n",
        "    - provider: FARGATE\n      base: 0\n    - provider: FARGATE_SPOT\n      base: 0\n",
        "    - provider: FARGATE\n      base: 100000\n      weight: 1000\n    - provider: FARGATE_SPOT\n",
        "    - provider: FARGATE\n      weight: 1\n    - provider: FARGATE_SPOT\n      weight: 0\n",
    ],
)
def test_strategies_ecs_accepts(items: str) -> None:
    assert problems(with_default(items)) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weight", "1001", "Input should be less than or equal to 1000 (got 1001)"),
        ("weight", "-1", "Input should be greater than or equal to 0 (got -1)"),
        ("base", "100001", "Input should be less than or equal to 100000 (got 100001)"),
        ("base", "-1", "Input should be greater than or equal to 0 (got -1)"),
    ],
)
def test_weight_and_base_limits(field: str, value: str, message: str) -> None:
    assert problems(with_default(f"    - provider: FARGATE\n      {field}: {value}\n")) == [
        (f"{AT}[0].{field}", message)
    ]


def test_a_service_strategy_is_checked_the_same_way_at_its_own_path() -> None:
    assert WORKER in LOCAL_TEXT
    text = LOCAL_TEXT.replace(
        WORKER,
        "    capacity:\n      - provider: graviton\n        weight: 0\n      - provider: graviton\n"
        "        weight: 0\n    queue:",
    )
    assert problems(text) == [
        ("services.worker.capacity", "at least one provider needs a weight above 0"),
        ("services.worker.capacity[1].provider", "'graviton' is listed twice"),
    ]


def test_without_fargate_the_fargate_providers_are_unknown() -> None:
    text = with_default("    - provider: FARGATE\n").replace("  fargate: true\n", "  fargate: false\n", 1)
    assert (
        f"{AT}[0].provider",
        "unknown capacity provider 'FARGATE'; this cluster has: graviton, spot",
    ) in problems(text)
