"""Read what runs in an environment: stacks, cluster, capacity providers, services, jobs,
workflows, triggers and Batch queues."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.aws.job_status import JobState, collect_jobs
from deployer.aws.running_tasks import image_digests, running_tasks
from deployer.aws.stack_state import stack_status
from deployer.batch.status import QueueState, queue_states
from deployer.workflows.status import TriggerState, WorkflowState, collect_triggers, collect_workflows

EVENTS_SHOWN = 3
NOT_DEPLOYED = "NOT_DEPLOYED"
MISSING = "MISSING"


@dataclass(frozen=True)
class StackState:
    name: str
    status: str


@dataclass(frozen=True)
class ClusterState:
    name: str
    status: str
    capacity_providers: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceState:
    name: str
    status: str
    desired: int = 0
    running: int = 0
    pending: int = 0
    task_definition: str = ""
    images: list[str] = field(default_factory=list)  # the task definition's, one per container
    containers: list[str] = field(default_factory=list)  # their names, in the same order
    # container → the image digests its running tasks report (deployer.aws.running_tasks)
    digests: dict[str, list[str]] = field(default_factory=dict)
    rollout_state: str = ""
    events: list[str] = field(default_factory=list)  # newest first, at most EVENTS_SHOWN


@dataclass(frozen=True)
class EnvironmentStatus:
    environment: str
    stacks: list[StackState]
    cluster: ClusterState
    services: list[ServiceState]
    jobs: list[JobState] = field(default_factory=list)
    workflows: list[WorkflowState] = field(default_factory=list)
    triggers: list[TriggerState] = field(default_factory=list)
    batch_queues: list[QueueState] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def collect_status(
    spec: AppSpec,
    cloudformation: Any,
    ecs: Any,
    sqs: Any,
    *,
    sfn: Any = None,
    events: Any = None,
    batch: Any = None,
) -> EnvironmentStatus:
    """Query CloudFormation, ECS and SQS (read-only calls) for the environment of ``spec``; with
    ``sfn`` and ``events`` clients, its workflows and triggers too, and with a ``batch`` client,
    its Batch queues."""
    stacks = [StackState(name, _stack_status(cloudformation, name)) for name in naming.all_stack_names(spec)]
    cluster_name = naming.cluster_name(spec)
    cluster = _cluster_state(ecs, cluster_name)
    services = (
        _service_states(ecs, cluster_name, spec.long_running, image_digests(running_tasks(ecs, cluster_name)))
        if cluster.status != MISSING
        else [ServiceState(name, MISSING) for name in spec.long_running]
    )
    jobs = collect_jobs(spec, cloudformation, ecs, sqs) if cluster.status != MISSING else []
    workflows = collect_workflows(spec, cloudformation, sfn) if sfn is not None else []
    triggers = collect_triggers(spec, cloudformation, events, sqs) if events is not None else []
    queues = queue_states(spec, batch) if batch is not None else []
    return EnvironmentStatus(
        spec.environment.name, stacks, cluster, services, jobs, workflows, triggers, queues
    )


def _stack_status(cloudformation: Any, name: str) -> str:
    return stack_status(cloudformation, name) or NOT_DEPLOYED


def _cluster_state(ecs: Any, name: str) -> ClusterState:
    clusters = ecs.describe_clusters(clusters=[name])["clusters"]
    if not clusters:
        return ClusterState(name, MISSING)
    found = clusters[0]
    return ClusterState(name, str(found["status"]), list(found.get("capacityProviders", [])))


def _service_states(
    ecs: Any, cluster: str, names: list[str], digests: dict[str, dict[str, list[str]]]
) -> list[ServiceState]:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(names), 10):  # DescribeServices takes at most 10 names
        response = ecs.describe_services(cluster=cluster, services=names[start : start + 10])
        found.update({s["serviceName"]: s for s in response["services"]})
    return [_service_state(ecs, name, found.get(name), digests.get(name, {})) for name in names]


def _service_state(
    ecs: Any, name: str, service: dict[str, Any] | None, digests: dict[str, list[str]]
) -> ServiceState:
    if service is None:
        return ServiceState(name, MISSING)
    arn = str(service.get("taskDefinition", ""))
    containers: list[dict[str, Any]] = []
    if arn:
        definition = ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]
        containers = definition.get("containerDefinitions", [])
    deployments: list[dict[str, Any]] = service.get("deployments", [])
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), {})
    return ServiceState(
        name=name,
        status=str(service.get("status", "")),
        desired=int(service.get("desiredCount", 0)),
        running=int(service.get("runningCount", 0)),
        pending=int(service.get("pendingCount", 0)),
        task_definition=arn.rsplit("/", 1)[-1],
        images=[str(c.get("image", "?")) for c in containers],
        containers=[str(c.get("name", "?")) for c in containers],
        digests=digests,
        rollout_state=str(primary.get("rolloutState", "")),
        events=[
            f"{_when(e.get('createdAt'))} {e.get('message', '')}".strip()
            for e in service.get("events", [])[:EVENTS_SHOWN]
        ],
    )


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "strftime") else str(value or "")
