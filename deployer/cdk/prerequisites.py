"""``deploy --service``: the stacks that must already exist, checked before the CDK CLI runs.

``--service S`` deploys only S's stack (``--exclusively``), and the workflows' stack when a
step runs S. Their imports need stacks deployed before them (``naming.stack_plan``): the
network and the cluster, the load balancers' stack for a web service, the stacks of the
services S calls, and, for the workflows' stack, the stacks of the services its steps run.
Without them CloudFormation fails half-way ("No export named …"); this refuses up front.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from config import naming
from config.call_graph import callees
from config.schema import AppSpec
from config.workflow_checks import steps_run_by_workflows
from deployer.aws.stack_state import NEVER_CREATED, NotDeployedError, stack_status


def needed_stacks(spec: AppSpec, services: Sequence[str]) -> list[naming.PlannedStack]:
    """The stacks, in plan order, that a deploy of only ``services``' stacks imports from."""
    chosen = set(services)
    kinds = {"network", "cluster"} | ({"ingress"} if chosen & set(spec.services_of_kind("web")) else set())
    called = {callee for service in chosen for callee in callees(spec)[service]}
    stepped = steps_run_by_workflows(spec)
    others = (called | (stepped if stepped & chosen else set())) - chosen
    return [
        planned
        for planned in naming.stack_plan(spec)
        if planned.kind in kinds or (planned.kind == "service" and planned.service in others)
    ]


def require_deployed_prerequisites(spec: AppSpec, cloudformation: Any, services: Sequence[str]) -> None:
    """``NotDeployedError`` naming the stacks ``needed_stacks`` that are not deployed."""
    missing = [
        planned
        for planned in needed_stacks(spec, services)
        if stack_status(cloudformation, planned.name) in {None, *NEVER_CREATED}
    ]
    if not missing:
        return
    env = spec.environment.name
    listing = ", ".join(f"{p.name} ({p.service or p.kind})" for p in missing)
    raise NotDeployedError(
        f"--service deploys only the stacks of {', '.join(services)}, and the {env} environment's "
        f"stacks they need are not deployed: {listing}. Run a full deploy first "
        f"(deployer deploy --env {env}); nothing was changed"
    )
