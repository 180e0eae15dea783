"""Templates + spec → a monthly ``Estimate`` (pure: no AWS call, no I/O).

Each stack's resources are priced by ``deployer.cost.resources`` (the service stacks' in the
``services`` group, the others' in ``fixed``), each service's tasks by ``deployer.cost.tasks``,
each workflow's by ``deployer.cost.workflows``;
lines that differ only in quantity are merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.cost.model import Estimate, Findings, Group, LineItem
from deployer.cost.prices import PRICES, Price, PriceTable
from deployer.cost.resources import price_resources
from deployer.cost.tasks import price_services
from deployer.cost.workflows import price_workflows


def estimate(
    spec: AppSpec, templates: Mapping[str, Mapping[str, Any]], prices: PriceTable = PRICES
) -> Estimate:
    """The monthly estimate of ``spec`` from its synthesised ``templates`` (stack name → template)."""
    found = Findings()
    service_stacks = {naming.service_stack_name(spec, name) for name in spec.services}
    for stack in naming.all_stack_names(spec):
        group: Group = "services" if stack in service_stacks else "fixed"
        price_resources(spec, templates[stack], group, prices, found)
    price_services(spec, templates, prices, found)
    price_workflows(spec, templates, prices, found)
    if spec.environment.region != prices.region:
        found.warnings.append(
            f"prices are {prices.region}'s; this environment is in {spec.environment.region}, "
            "where most of them differ (often by 5-15%)"
        )
    return Estimate(
        environment=spec.environment.name,
        region=spec.environment.region,
        cost_profile=spec.environment.cost_profile,
        prices=prices,
        lines=tuple(_merged(found.lines)),
        notes=tuple(found.notes),
        warnings=tuple(found.warnings),
    )


def _merged(lines: Iterable[LineItem]) -> list[LineItem]:
    """Lines that differ only in quantity become one line (three KMS keys, not three lines)."""
    merged: dict[tuple[Group, str, str, Price, str], LineItem] = {}
    for line in lines:
        key = (line.group, line.what, line.unit, line.price, line.note)
        if key in merged:
            previous = merged[key]
            merged[key] = LineItem(
                line.group, line.what, previous.quantity + line.quantity, line.unit, line.price, line.note
            )
        else:
            merged[key] = line
    return [line for line in merged.values() if line.quantity]
