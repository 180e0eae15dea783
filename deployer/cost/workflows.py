"""A note per workflow: the tasks one execution runs and what their task-hours cost (the state
transitions themselves are a usage line of ``deployer.cost.resources``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from config.schema import AppSpec
from config.workflow_checks import walk_steps
from deployer.cost.model import Findings
from deployer.cost.prices import PriceTable
from deployer.cost.tasks import task_hour


def price_workflows(
    spec: AppSpec, templates: Mapping[str, Mapping[str, Any]], prices: PriceTable, found: Findings
) -> None:
    """Add one note per workflow of ``spec``."""
    for name, workflow in spec.workflows.items():
        steps = [step for _, step in walk_steps(workflow.steps, ()) if step.run is not None]
        mapped = any(step.map is not None for _, step in walk_steps(workflow.steps, ()))
        runs = Counter(step.run for step in steps if step.run is not None)
        each = "; ".join(
            f"{service} {count} time(s): {task_hour(spec, templates, service, prices)}"
            for service, count in runs.items()
        )
        per_item = " (a map's steps once per item)" if mapped else ""
        found.note(f"workflow {name}: {len(steps)} task(s) per execution{per_item}; {each}")
