"""Price the tasks of every service: the desired count from the spec (autoscaled services and
workers at their minimum), split across the capacity provider strategy of the template, at the
task size and CPU architecture of its task definition. Jobs become a per-run note.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from config import naming
from config.capacity_schema import FARGATE, FARGATE_SPOT
from config.schema import AppSpec, ServiceSpec
from deployer.cost.model import Findings, LineItem
from deployer.cost.prices import FARGATE as FARGATE_PRICES
from deployer.cost.prices import Price, PriceTable

INCLUDED_STORAGE_GIB = 20  # every Fargate task's ephemeral storage without charge


@dataclass(frozen=True)
class StrategyEntry:
    provider: str
    base: int = 0
    weight: int = 0


@dataclass(frozen=True)
class TaskSize:
    vcpu: float
    memory_gb: float
    architecture: str  # "x86_64" or "arm64"
    storage_gib: int = INCLUDED_STORAGE_GIB

    def describe(self) -> str:
        return f"{self.architecture}, {self.vcpu:g} vCPU, {self.memory_gb:g} GB"


def task_count(service: ServiceSpec) -> int:
    """Tasks a service runs when idle: its scaling minimum, else ``desired_count``."""
    if service.autoscaling is not None:
        return service.autoscaling.min_count
    if service.kind == "worker":
        return service.queue_settings.min_count
    return service.desired_count


def strategy_shares(strategy: Sequence[StrategyEntry], tasks: int) -> dict[str, float]:
    """Expected tasks per provider, as ECS places them: the ``base`` first, then the rest in
    proportion to the weights (a fraction is the long-run share of a task)."""
    shares = dict.fromkeys((entry.provider for entry in strategy), 0.0)
    remaining = float(tasks)
    for entry in strategy:
        placed = min(float(entry.base), remaining)
        shares[entry.provider] += placed
        remaining -= placed
    weights = sum(entry.weight for entry in strategy)
    for entry in strategy:
        if weights:
            shares[entry.provider] += remaining * entry.weight / weights
    return shares


def fargate_task_price(size: TaskSize, provider: str, prices: PriceTable) -> Price:
    """One task-hour of ``size`` on ``FARGATE`` or ``FARGATE_SPOT``."""
    if provider == FARGATE_SPOT:
        vcpu, memory = prices.fargate_spot_vcpu[size.architecture], prices.fargate_spot_gb[size.architecture]
    else:
        vcpu, memory = prices.fargate_vcpu[size.architecture], prices.fargate_gb[size.architecture]
    storage = max(0, size.storage_gib - INCLUDED_STORAGE_GIB) * prices.fargate_storage_gb.usd
    usd = size.vcpu * vcpu.usd + size.memory_gb * memory.usd + storage
    return Price(round(usd, 6), "hour", vcpu.source if provider == FARGATE_SPOT else FARGATE_PRICES)


def price_services(
    spec: AppSpec, templates: Mapping[str, Mapping[str, Any]], prices: PriceTable, found: Findings
) -> None:
    """Add every service's tasks and Service Connect registrations, and a note per job's
    schedule and trigger."""
    for name, service in spec.services.items():
        resources = templates[naming.service_stack_name(spec, name)].get("Resources", {})
        for resource in resources.values():
            props = resource.get("Properties", {})
            ecs = _run_task_parameters(resource)
            if resource["Type"] == "AWS::ECS::Service":
                size = _task_size(resources, props.get("TaskDefinition"), service)
                _service(spec, name, props, size=size, prices=prices, found=found)
            elif ecs:
                size = _task_size(resources, ecs.get("TaskDefinitionArn"), service)
                strategy = _strategy(ecs.get("CapacityProviderStrategy", []))
                rule = resource["Type"] == "AWS::Events::Rule"
                when = "on its trigger's events" if rule else props.get("ScheduleExpression", "")
                found.note(f"job {name} ({when}): {_per_task_hour(spec, strategy, size, prices)}")


def task_hour(
    spec: AppSpec, templates: Mapping[str, Mapping[str, Any]], service: str, prices: PriceTable
) -> str:
    """What one task-hour of ``service``'s task definition costs on its capacity (a workflow
    step runs it with the service's strategy)."""
    resources = templates[naming.service_stack_name(spec, service)].get("Resources", {})
    definition = next((k for k, r in resources.items() if r["Type"] == "AWS::ECS::TaskDefinition"), "")
    strategy = [
        StrategyEntry(naming.provider_name(spec, item.provider), item.base, item.weight)
        for item in spec.strategy_for(service)
    ]
    size = _task_size(resources, {"Ref": definition}, spec.services[service])
    return _per_task_hour(spec, strategy, size, prices)


def _run_task_parameters(resource: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ECS parameters of a schedule's or an EventBridge rule's RunTask target, if any."""
    props = resource.get("Properties", {})
    if resource["Type"] == "AWS::Scheduler::Schedule":
        parameters: Mapping[str, Any] | None = props.get("Target", {}).get("EcsParameters")
        return parameters
    if resource["Type"] == "AWS::Events::Rule":
        return next((t["EcsParameters"] for t in props.get("Targets", []) if "EcsParameters" in t), None)
    return None


def _service(
    spec: AppSpec, name: str, props: Mapping[str, Any], *, size: TaskSize, prices: PriceTable, found: Findings
) -> None:
    tasks = task_count(spec.services[name])
    strategy = _strategy(props.get("CapacityProviderStrategy", []))
    if not tasks:
        found.note(f"{name}: no task at its minimum count; {_per_task_hour(spec, strategy, size, prices)}")
    for provider, count in strategy_shares(strategy, tasks).items():
        if not count:
            continue
        if provider in (FARGATE, FARGATE_SPOT):
            found.lines.append(
                LineItem(
                    "services",
                    f"{name} on {provider} ({size.describe()})",
                    round(count, 2),
                    "task",
                    fargate_task_price(size, provider, prices),
                )
            )
        else:
            found.note(
                f"{name}: {count:g} task(s) on EC2 capacity {_group(spec, provider)}; its instances "
                "are in the fixed part at minimum size, and tasks beyond them scale the group out"
            )
    registered = props.get("ServiceConnectConfiguration", {}).get("Services")
    if registered and tasks:
        found.lines.append(
            LineItem(
                "services",
                "Cloud Map registrations (Service Connect endpoints)",
                tasks,
                "task",
                prices.cloud_map_instance,
            )
        )


def _per_task_hour(
    spec: AppSpec, strategy: Sequence[StrategyEntry], size: TaskSize, prices: PriceTable
) -> str:
    """What one task-hour costs on the strategy's main provider (its base, else its largest weight)."""
    provider = max(strategy, key=lambda entry: (entry.base, entry.weight)).provider if strategy else FARGATE
    if provider in (FARGATE, FARGATE_SPOT):
        usd = fargate_task_price(size, provider, prices).usd
        return (
            f"${usd:.4f} per task-hour on {provider} ({size.describe()}), billed per second, 1-minute minimum"
        )
    return f"runs on EC2 capacity {_group(spec, provider)}, at the price of its instances"


def _strategy(entries: Sequence[Mapping[str, Any]]) -> list[StrategyEntry]:
    return [
        StrategyEntry(str(e["CapacityProvider"]), int(e.get("Base", 0)), int(e.get("Weight", 0)))
        for e in entries
    ]


def _group(spec: AppSpec, provider: str) -> str:
    return provider.removeprefix(naming.capacity_provider_name(spec, ""))


def _task_size(resources: Mapping[str, Any], reference: Any, service: ServiceSpec) -> TaskSize:
    """From the task definition the template references; from the spec when the service is
    pinned to a retained revision (an ARN, not a resource of this template)."""
    definition = resources.get(reference.get("Ref", "")) if isinstance(reference, dict) else None
    props = definition.get("Properties", {}) if definition else {}
    cpu = int(props.get("Cpu", service.cpu))
    memory = int(props.get("Memory", service.memory))
    platform = props.get("RuntimePlatform", {}).get("CpuArchitecture") or ""
    architecture = {"X86_64": "x86_64", "ARM64": "arm64"}.get(platform, service.architecture)
    storage = int(props.get("EphemeralStorage", {}).get("SizeInGiB", INCLUDED_STORAGE_GIB))
    return TaskSize(cpu / 1024, memory / 1024, architecture, storage)
