"""A monthly cost estimate as data: line items in two groups, usage notes and warnings.

``fixed`` is what the environment pays with no task running: the network, cluster and ingress
stacks (NATs, load balancers, endpoints, keys, EC2 capacity at its minimum size). ``services``
is what the service stacks add: tasks at their desired count (autoscaled services and workers
at their minimum), their alarms and Service Connect registrations. Charges that grow with
traffic or data are notes, not lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from deployer.cost.prices import Price, PriceTable

Group = Literal["fixed", "services"]
GROUPS: tuple[Group, ...] = ("fixed", "services")
DEV_FIXED_TARGET_USD = 25.0  # the `dev` cost profile's budget for the fixed part


@dataclass(frozen=True)
class LineItem:
    """``quantity`` units of ``unit`` at ``price`` each, in ``group``."""

    group: Group
    what: str
    quantity: float
    unit: str
    price: Price
    note: str = ""

    @property
    def monthly(self) -> float:
        return self.price.monthly(self.quantity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "what": self.what,
            "quantity": self.quantity,
            "unit": self.unit,
            "unit_price_usd": self.price.usd,
            "per": self.price.per,
            "monthly_usd": round(self.monthly, 2),
            "note": self.note,
            "source": self.price.source,
        }


@dataclass
class Findings:
    """What pricing one environment found: line items, usage notes and warnings."""

    lines: list[LineItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


@dataclass(frozen=True)
class Estimate:
    environment: str
    region: str
    cost_profile: str
    prices: PriceTable
    lines: tuple[LineItem, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]

    def subtotal(self, group: Group) -> float:
        return sum(line.monthly for line in self.lines if line.group == group)

    @property
    def total(self) -> float:
        return sum(line.monthly for line in self.lines)

    @property
    def target_met(self) -> bool | None:
        """For a ``dev`` cost profile: whether the fixed part is within its budget."""
        return self.subtotal("fixed") <= DEV_FIXED_TARGET_USD if self.cost_profile == "dev" else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "environment": self.environment,
            "region": self.region,
            "prices": {"region": self.prices.region, "as_of": self.prices.as_of.isoformat()},
            "cost_profile": self.cost_profile,
            "lines": [line.to_dict() for line in self.lines],
            "subtotals_usd": {group: round(self.subtotal(group), 2) for group in GROUPS},
            "total_usd": round(self.total, 2),
            "target": (
                None
                if self.target_met is None
                else {"fixed_max_usd": DEV_FIXED_TARGET_USD, "met": self.target_met}
            ),
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }
