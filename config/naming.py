"""Physical names shared by the CDK app and the deployer.

The app names the cluster, the services and the task-definition families, so that the
deployer (and a human with the AWS console) can find them from the spec alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from config.call_graph import call_order

if TYPE_CHECKING:  # the spec's checks use these names: the schema imports them, not the reverse
    from config.schema import AppSpec

StackKind = Literal["network", "cluster", "ingress", "batch", "service", "workflows"]


def stack_prefix(spec: AppSpec) -> str:
    """``<app>-<env>``: the prefix of every stack of one environment."""
    return f"{spec.app}-{spec.environment.name}"


def network_stack_name(spec: AppSpec) -> str:
    return f"{stack_prefix(spec)}-network"


def cluster_stack_name(spec: AppSpec) -> str:
    return f"{stack_prefix(spec)}-cluster"


def ingress_stack_name(spec: AppSpec) -> str:
    """The stack of the shared load balancer (it exists when a web service does)."""
    return f"{stack_prefix(spec)}-ingress"


def namespace_name(spec: AppSpec) -> str:
    """The Service Connect (Cloud Map HTTP) namespace of the environment."""
    return f"{stack_prefix(spec)}.internal"


def key_alias(spec: AppSpec) -> str:
    """``alias/<app>-<env>``: the environment key's alias, for encrypting app secrets with it."""
    return f"alias/{stack_prefix(spec)}"


def batch_stack_name(spec: AppSpec) -> str:
    """The stack of the environment's AWS Batch resources (it exists when ``batch:`` has any)."""
    return f"{stack_prefix(spec)}-batch"


def job_queue_name(spec: AppSpec, queue: str) -> str:
    """``<app>-<env>-<queue>``: the Batch job queue ``deployer batch submit`` sends jobs to."""
    return f"{stack_prefix(spec)}-{queue}"


def job_definition_name(spec: AppSpec, job: str) -> str:
    """``<app>-<env>-<job>``: the Batch job definition; its revisions are ``name:N``."""
    return f"{stack_prefix(spec)}-{job}"


def failed_jobs_rule_name(spec: AppSpec, queue: str) -> str:
    """The EventBridge rule matching the jobs of ``queue`` that fail (its alarm counts them)."""
    return f"{job_queue_name(spec, queue)}-failed-jobs"


def dashboard_name(spec: AppSpec) -> str:
    """The environment's CloudWatch dashboard: ``<app>-<env>``."""
    return stack_prefix(spec)


def service_stack_name(spec: AppSpec, service: str) -> str:
    return f"{stack_prefix(spec)}-svc-{service}"


def workflow_stack_name(spec: AppSpec) -> str:
    """The stack of the Step Functions workflows (it exists when the spec has ``workflows``)."""
    return f"{stack_prefix(spec)}-workflows"


def state_machine_name(spec: AppSpec, workflow: str) -> str:
    """``<app>-<env>-<workflow>``: the workflow's state machine."""
    return f"{stack_prefix(spec)}-{workflow}"


def logical_part(name: str) -> str:
    """``thumbnails-eu`` → ``ThumbnailsEu``: a spec name as part of a logical ID. Names that
    differ only in dashes (``q-1``, ``q1``) give the same part: ``output_clashes`` finds them."""
    return "".join(part.capitalize() for part in name.split("-"))


def job_queue_output(queue: str) -> str:
    """The Batch stack's output holding ``queue``'s name (``JobQueueThumbnailsEu``)."""
    return f"JobQueue{logical_part(queue)}"


def state_machine_output(workflow: str) -> str:
    """The workflows stack's output holding ``workflow``'s state machine ARN
    (``StateMachineArnNightlyExport`` for ``nightly-export``)."""
    return "StateMachineArn" + logical_part(workflow)


def trigger_output(
    kind: Literal["Rule", "DeadLetterQueueUrl"], index: int = 0, workflow: str | None = None
) -> str:
    """The stack output naming a trigger's rule (``kind`` Rule, the trigger's ``index``) or the
    triggers' dead-letter queue: ``TriggerRule0`` in a job's stack, ``<state machine
    output>TriggerRule0`` in the workflows stack."""
    prefix = state_machine_output(workflow) if workflow else ""
    return f"{prefix}Trigger{kind}{index if kind == 'Rule' else ''}"


def workflow_outputs(workflow: str, triggers: int, started: bool) -> list[str]:
    """Every output the workflows stack gives ``workflow``: its ARN and, when a schedule or
    triggers start it (``started``), its dead-letter queue and one rule per trigger."""
    rules = [trigger_output("Rule", index, workflow) for index in range(triggers)]
    starts = [*rules, trigger_output("DeadLetterQueueUrl", workflow=workflow)] if started else []
    return [state_machine_output(workflow), *starts]


def output_clashes(kind: str, outputs: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, str]]:
    """``(name, problem)`` for each name (of ``kind``) one of whose stack outputs an earlier name
    already gives: CloudFormation output IDs drop the dashes, so ``q-1`` and ``q1`` clash."""
    given: dict[str, str] = {}
    for name, ids in outputs.items():
        for output in ids:
            first = given.setdefault(output, name)
            if first != name:
                yield (
                    name,
                    (
                        f"{kind} {name!r} and {kind} {first!r} would both give the stack output {output} "
                        "(output IDs drop '-' and capitalise each part); rename one"
                    ),
                )
                break


def cluster_name(spec: AppSpec) -> str:
    return stack_prefix(spec)


def capacity_provider_name(spec: AppSpec, group: str) -> str:
    """``cp-<app>-<env>-<group>`` (ECS reserves names starting with aws, ecs, fargate)."""
    return f"cp-{stack_prefix(spec)}-{group}"


def provider_name(spec: AppSpec, provider: str) -> str:
    """The ECS name of a strategy's provider: Fargate's own names, ``cp-…`` for the cluster's groups."""
    return provider if spec.provider_kind(provider) == "fargate" else capacity_provider_name(spec, provider)


def task_family(spec: AppSpec, service: str) -> str:
    return f"{stack_prefix(spec)}-{service}"


@dataclass(frozen=True)
class PlannedStack:
    """One stack of an environment: its CloudFormation name, what it holds and, for a service
    stack, which service."""

    name: str
    kind: StackKind
    service: str | None = None


def stack_plan(spec: AppSpec) -> list[PlannedStack]:
    """Every stack of the environment in deploy order: network, cluster, the load balancers'
    stack (when a web service exists), the Batch stack (when ``batch:`` has anything), then one
    stack per service, callees before callers (``call_order``), then the workflows' stack (when
    there are workflows). The app builds these stacks and the deployer deploys, verifies and
    destroys them from this one list."""
    ingress = [PlannedStack(ingress_stack_name(spec), "ingress")] if spec.services_of_kind("web") else []
    batch = [PlannedStack(batch_stack_name(spec), "batch")] if spec.batch.enabled else []
    return [
        PlannedStack(network_stack_name(spec), "network"),
        PlannedStack(cluster_stack_name(spec), "cluster"),
        *ingress,
        *batch,
        *(PlannedStack(service_stack_name(spec, name), "service", name) for name in call_order(spec)),
        *([PlannedStack(workflow_stack_name(spec), "workflows")] if spec.workflows else []),
    ]


def all_stack_names(spec: AppSpec) -> list[str]:
    """Every stack of the environment, in deployment order (``stack_plan``)."""
    return [planned.name for planned in stack_plan(spec)]
