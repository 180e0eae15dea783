"""Read the Batch part of the picture from the Batch stack's template: which compute each queue
tries in which order (``ComputeEnvironmentOrder``), what that compute is (Fargate, Fargate
Spot, EC2 instance types and Spot, max vCPUs), each queue's RUNNABLE limit, and each job's
size and attempts. Names come from the spec (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.diagram.model import Batch, BatchCompute, BatchQueue
from deployer.diagram.templates import TemplateSet

_KINDS = {"FARGATE": "Fargate", "FARGATE_SPOT": "Fargate Spot", "EC2": "EC2", "SPOT": "EC2 Spot"}


def read_batch(spec: AppSpec, cfn: TemplateSet) -> Batch | None:
    """The environment's Batch queues and compute, or None without a ``batch:`` section."""
    if not spec.batch.enabled:
        return None
    stack = naming.batch_stack_name(spec)
    definitions = {
        str(job.properties.get("JobDefinitionName")): job.properties
        for job in cfn.resources("AWS::Batch::JobDefinition", stack)
    }
    compute: dict[str, BatchCompute] = {}
    queues = []
    for resource in cfn.resources("AWS::Batch::JobQueue", stack):
        name = _spec_name(spec, str(resource.properties.get("JobQueueName", "")))
        if name not in spec.batch.queues:
            continue
        order = sorted(resource.properties.get("ComputeEnvironmentOrder", []), key=lambda e: int(e["Order"]))
        for spec_name, entry in zip(spec.batch.queues[name].compute_environments, order, strict=False):
            found = cfn.get(cfn.target(stack, entry.get("ComputeEnvironment")))
            if found is not None:
                compute.setdefault(spec_name, BatchCompute(spec_name, _detail(found.properties)))
        limits = [int(a["MaxTimeSeconds"]) for a in resource.properties.get("JobStateTimeLimitActions", [])]
        queues.append(
            BatchQueue(
                name=name,
                priority=int(resource.properties.get("Priority", 0)),
                runnable_minutes=min(limits) // 60 if limits else 0,
                compute=spec.batch.queues[name].compute_environments,
                jobs=tuple(
                    _job(job, definitions.get(naming.job_definition_name(spec, job), {}))
                    for job, settings in spec.batch.jobs.items()
                    if settings.queue == name
                ),
            )
        )
    return Batch(compute=tuple(compute.values()), queues=tuple(queues))


def _spec_name(spec: AppSpec, queue_name: str) -> str:
    return queue_name.removeprefix(f"{naming.stack_prefix(spec)}-")


def _detail(properties: Mapping[str, Any]) -> str:
    resources = properties.get("ComputeResources", {})
    kind = _KINDS.get(str(resources.get("Type", "")), str(resources.get("Type", "")))
    types = "/".join(str(t) for t in resources.get("InstanceTypes", []))
    return f"{kind}{' ' + types if types else ''}, up to {resources.get('MaxvCpus', '?')} vCPUs"


def _job(name: str, definition: Mapping[str, Any]) -> str:
    container = definition.get("ContainerProperties", {})
    needs = {r["Type"]: r["Value"] for r in container.get("ResourceRequirements", [])}
    attempts = definition.get("RetryStrategy", {}).get("Attempts", 1)
    memory_gb = float(needs.get("MEMORY", 0)) / 1024
    return f"{name} ({needs.get('VCPU', '?')} vCPU, {memory_gb:g} GB, {attempts} attempts)"
