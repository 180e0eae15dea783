"""Price the Batch jobs of an environment: a note per job with what one job-hour costs, at the
size and CPU architecture of its job definition in the template, on the first compute
environment of its queue (Fargate, Fargate Spot, or the EC2 instances AWS Batch starts).

Nothing of Batch runs while no job does (compute environments scale from zero), so a job is
a usage note, like a scheduled job, never a line of the monthly total.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from config import naming
from config.capacity_schema import FARGATE, FARGATE_SPOT
from config.schema import AppSpec
from deployer.cost.model import Findings
from deployer.cost.prices import PriceTable
from deployer.cost.tasks import TaskSize, fargate_task_price


def price_batch(
    spec: AppSpec, templates: Mapping[str, Mapping[str, Any]], prices: PriceTable, found: Findings
) -> None:
    """Add a note per Batch job of ``spec`` (nothing without a ``batch:`` section)."""
    if not spec.batch.enabled:
        return
    resources = templates[naming.batch_stack_name(spec)].get("Resources", {})
    by_name = {
        str(r["Properties"].get("JobDefinitionName")): r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::Batch::JobDefinition"
    }
    for job, settings in spec.batch.jobs.items():
        definition = by_name.get(naming.job_definition_name(spec, job))
        if definition is None:
            continue
        compute = spec.batch.compute_environments[spec.batch.queues[settings.queue].compute_environments[0]]
        size = _size(definition)
        if compute.type == "fargate":
            provider = FARGATE_SPOT if compute.spot else FARGATE
            usd = fargate_task_price(size, provider, prices).usd
            found.note(
                f"Batch job {job}: ${usd:.4f} per job-hour on {provider} ({size.describe()}), "
                "billed per second, 1-minute minimum"
            )
        else:
            spot = " Spot" if compute.spot else ""
            found.note(
                f"Batch job {job} ({size.describe()}): on EC2{spot} instances "
                f"({', '.join(compute.instance_types)}) that AWS Batch starts while jobs wait, "
                f"at most {compute.max_vcpus} vCPUs, billed per second"
            )


def _size(definition: Mapping[str, Any]) -> TaskSize:
    container = definition.get("ContainerProperties", {})
    needs = {r["Type"]: float(r["Value"]) for r in container.get("ResourceRequirements", [])}
    platform = container.get("RuntimePlatform", {}).get("CpuArchitecture", "X86_64")
    architecture = {"X86_64": "x86_64", "ARM64": "arm64"}.get(str(platform), "x86_64")
    return TaskSize(needs.get("VCPU", 1.0), needs.get("MEMORY", 2048.0) / 1024, architecture)
