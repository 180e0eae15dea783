"""``run``: a one-off task from a service's current revision and network (migrations, batch).

For a ``job`` (no service) the revision is the one its stack deployed, and the network the
job's own subnets and security group.

The task uses the service's task definition, subnets, security groups and capacity provider
strategy; ``RunTask`` carries a client token, so a retried request never starts a second task.
It waits until the task stops, prints its log lines, and reports the essential container's
exit code.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from config import naming
from config.native.containers import reported_container
from config.schema import AppSpec
from deployer.aws.stack_state import NotDeployedError, deploy_first, find_stack, outputs_of
from deployer.revisions.history import not_deployed


@dataclass(frozen=True)
class TaskResult:
    task_arn: str
    exit_code: int | None
    reason: str
    container: str


def run_one_off(
    spec: AppSpec,
    ecs: Any,
    service: str,
    *,
    command: Sequence[str] | None = None,
    environment: Mapping[str, str] | None = None,
    client_token: str | None = None,
    poll_s: float = 6.0,
    timeout_s: float = 3600.0,
    on_log: Callable[[str], None] | None = None,
    logs: Any = None,
    cloudformation: Any = None,
    sleep: Callable[[float], None] = time.sleep,
) -> TaskResult:
    """Start the task, wait until it stops, return the main container's exit code (the one named
    after the service, else by ``config.native.containers.reported_container``'s rule)."""
    cluster = naming.cluster_name(spec)
    current = _current(spec, ecs, cloudformation, service)
    definition = ecs.describe_task_definition(taskDefinition=current["taskDefinition"])["taskDefinition"]
    chosen = reported_container(definition, service)
    main = next(c for c in definition["containerDefinitions"] if c["name"] == chosen)
    override: dict[str, Any] = {"name": main["name"]}
    if command:
        override["command"] = list(command)
    if environment:
        override["environment"] = [{"name": k, "value": v} for k, v in environment.items()]
    request: dict[str, Any] = {
        "cluster": cluster,
        "taskDefinition": current["taskDefinition"],
        "count": 1,
        "startedBy": f"deployer-run-{service}"[:36],
        "overrides": {"containerOverrides": [override]},
        "clientToken": client_token or uuid.uuid4().hex,
        "propagateTags": "TASK_DEFINITION",
    }
    # Bridge and host tasks use their instance's network: RunTask refuses a configuration.
    if spec.network_mode_of(service) == "awsvpc":
        request["networkConfiguration"] = current.get("networkConfiguration") or _network_from_stacks(
            spec, service, cloudformation
        )
    placement = current.get("placementStrategy") or [p.api_form() for p in spec.services[service].placement]
    if placement:
        request["placementStrategy"] = placement
    # The live strategy wins; the spec's is the fallback (the local endpoint does not keep it).
    request["capacityProviderStrategy"] = current.get("capacityProviderStrategy") or [
        {
            "capacityProvider": naming.provider_name(spec, item.provider),
            "weight": item.weight,
            "base": item.base,
        }
        for item in spec.strategy_for(service)
    ]
    started = ecs.run_task(**request)
    if not started.get("tasks"):
        failure = (started.get("failures") or [{"reason": "no task started"}])[0]
        return TaskResult("", None, f"RunTask failed: {failure.get('reason')}", main["name"])
    task_arn = str(started["tasks"][0]["taskArn"])
    seen = 0
    waited = 0.0
    while True:
        task = ecs.describe_tasks(cluster=cluster, tasks=[task_arn])["tasks"][0]
        seen = _print_logs(logs, main, task_arn, seen, on_log)
        if task.get("lastStatus") == "STOPPED":
            containers: list[dict[str, Any]] = task.get("containers", [])
            container = next((c for c in containers if c.get("name") == main["name"]), {})
            exit_code = container.get("exitCode")
            reason = str(container.get("reason") or task.get("stoppedReason") or "")
            return TaskResult(task_arn, None if exit_code is None else int(exit_code), reason, main["name"])
        if waited >= timeout_s:
            return TaskResult(
                task_arn, None, f"still {task.get('lastStatus')} after {timeout_s:.0f} s", main["name"]
            )
        sleep(poll_s)
        waited += poll_s


def _print_logs(
    logs: Any, container: dict[str, Any], task_arn: str, seen: int, on_log: Callable[[str], None] | None
) -> int:
    """Print log lines not printed yet; return how many have been printed in all."""
    location = awslogs_stream(container, task_arn)
    if logs is None or on_log is None or location is None:
        return seen
    group, stream = location
    try:
        events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)["events"]
    except logs.exceptions.ResourceNotFoundException:
        return seen  # the stream appears once the container writes
    for event in events[seen:]:
        on_log(str(event["message"]))
    return len(events)


def awslogs_stream(container: dict[str, Any], task_arn: str) -> tuple[str, str] | None:
    """``(log group, log stream)`` of a task's container as its awslogs options name them
    (``<prefix>/<container>/<task id>``); None when the container does not log with awslogs."""
    options = (container.get("logConfiguration") or {}).get("options") or {}
    if "awslogs-group" not in options:
        return None
    prefix = options.get("awslogs-stream-prefix", container["name"])
    return str(options["awslogs-group"]), f"{prefix}/{container['name']}/{task_arn.rsplit('/', 1)[-1]}"


def _current(spec: AppSpec, ecs: Any, cloudformation: Any, service: str) -> dict[str, Any]:
    """What the task starts from: the live service, or for a job its stack's revision
    (``NotDeployedError`` when the service, or the job's stack, is not deployed)."""
    cluster = naming.cluster_name(spec)
    if spec.services[service].kind == "job":
        if cloudformation is None:
            raise LookupError(f"job {service!r}: its stack's revision needs CloudFormation")
        name = naming.service_stack_name(spec, service)
        stack = find_stack(cloudformation, name)
        revision = outputs_of(stack).get("TaskDefinitionArn") if stack else None
        if not revision:
            env = spec.environment.name
            raise NotDeployedError(f"job {service!r} is not deployed (no stack {name}): {deploy_first(env)}")
        return {"taskDefinition": revision}
    described = ecs.describe_services(cluster=cluster, services=[service])["services"]
    if not described:
        raise not_deployed(spec, service)
    return dict(described[0])


def _network_from_stacks(spec: AppSpec, service: str, cloudformation: Any) -> dict[str, Any]:
    """The service's subnets and security group as CloudFormation created them.

    Used when ``DescribeServices`` carries no network configuration (the local endpoint
    does not keep it): the network stack's private subnets and the service stack's group.
    """
    if cloudformation is None:
        raise LookupError(f"service {service!r} reports no network configuration")
    pages = cloudformation.get_paginator("list_exports").paginate()
    exports = [export for page in pages for export in page["Exports"]]
    prefix = f"{naming.network_stack_name(spec)}:"
    subnets = sorted(
        e["Value"] for e in exports if e["Name"].startswith(prefix) and "privateSubnet" in e["Name"]
    )
    resource_pages = cloudformation.get_paginator("list_stack_resources").paginate(
        StackName=naming.service_stack_name(spec, service)
    )
    groups = [
        r["PhysicalResourceId"]
        for page in resource_pages
        for r in page["StackResourceSummaries"]
        if r["ResourceType"] == "AWS::EC2::SecurityGroup"
    ]
    return {
        "awsvpcConfiguration": {"subnets": subnets, "securityGroups": groups, "assignPublicIp": "DISABLED"}
    }
