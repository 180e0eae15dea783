"""Cross-field checks of an ``AppSpec`` that a single field cannot express.

Each problem is reported at the YAML path of the offending value, so the loader can print
``services.web.cpu: 300 is not a valid Fargate CPU; allowed: …``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from config.batch_checks import batch_problems
from config.capacity_schema import FARGATE_PROVIDERS
from config.container_checks import service_problems
from config.fargate import fargate_size_error
from config.instance_types import architecture_of, root_volume_problems
from config.kind_checks import kind_problems
from config.network_mode_checks import network_mode_problems
from config.policy_size import role_policy_problems
from config.task_definition_checks import native_spec_problems
from config.workflow_checks import workflow_problems

if TYPE_CHECKING:
    from config.schema import AppSpec, StrategyItem

# constructs_lib.network gives each AZ a /24 public and a /20 private subnet.
PUBLIC_SUBNET_PREFIX, PRIVATE_SUBNET_PREFIX = 24, 20
LARGEST_VPC_PREFIX = 16
ALB_MIN_AZS = 2  # an Application Load Balancer takes subnets in two AZs at least
Loc = tuple[str | int, ...]
Problem = tuple[Loc, str, Any]


def raise_problems(title: str, problems: Sequence[Problem]) -> None:
    """Raise one pydantic ``ValidationError`` carrying every problem at its own path."""
    if not problems:
        return
    details = [
        InitErrorDetails(
            type=PydanticCustomError("spec_check", "{message}", {"message": message}),
            loc=loc,
            input=value,
        )
        for loc, message, value in problems
    ]
    raise ValidationError.from_exception_data(title, details)


def find_problems(spec: AppSpec) -> Iterator[Problem]:
    """Every cross-field problem of ``spec``, in document order."""
    yield from _network_problems(spec)
    yield from _ec2_problems(spec)
    yield from _managed_instances_problems(spec)
    yield from _strategy_problems(spec, ("cluster", "default_capacity"), spec.cluster.default_capacity)
    for name, service in spec.services.items():
        yield from service_problems(spec, name, service)
        if service.capacity is not None:
            yield from _strategy_problems(spec, ("services", name, "capacity"), service.capacity)
        if spec.runs_on_fargate(name) and service.task_definition_file is None:
            size_error = fargate_size_error(service.cpu, service.memory)
            if size_error:
                field, message = size_error
                yield ("services", name, field), message, getattr(service, field)
    yield from kind_problems(spec)
    yield from network_mode_problems(spec)
    yield from native_spec_problems(spec)
    yield from workflow_problems(spec)
    yield from batch_problems(spec)
    yield from role_policy_problems(spec)


def _network_problems(spec: AppSpec) -> Iterator[Problem]:
    network = spec.network
    cidr = network.cidr
    if cidr.is_loopback or cidr.is_link_local or cidr.is_multicast or cidr.is_reserved or cidr.is_unspecified:
        yield (
            ("network", "cidr"),
            f"{cidr} is a reserved range (loopback, link-local, multicast or unspecified); "
            "use a private range such as 10.0.0.0/16",
            str(cidr),
        )
    elif cidr.prefixlen < LARGEST_VPC_PREFIX:
        yield ("network", "cidr"), "a VPC block is /16 at the largest (AWS's limit)", str(cidr)
    elif azs_that_fit(cidr.prefixlen) < network.max_azs:
        fit = azs_that_fit(cidr.prefixlen)
        yield (
            ("network", "cidr"),
            f"a /{cidr.prefixlen} VPC holds the subnets of {fit} AZs, not max_azs {network.max_azs} "
            f"(each AZ takes a /{PUBLIC_SUBNET_PREFIX} public and a /{PRIVATE_SUBNET_PREFIX} private "
            "subnet): use /17 or larger for up to 6 AZs, /18 for 3, /19 for 1, or lower max_azs",
            str(cidr),
        )
    if network.max_azs < ALB_MIN_AZS and spec.services_of_kind("web"):
        yield (
            ("network", "max_azs"),
            f"the web services' load balancer needs subnets in at least {ALB_MIN_AZS} AZs "
            f"(AWS's rule for an Application Load Balancer); set max_azs: {ALB_MIN_AZS} or more",
            network.max_azs,
        )
    if network.nat_gateways > network.max_azs:
        yield (
            ("network", "nat_gateways"),
            f"{network.nat_gateways} NAT gateways for {network.max_azs} AZs; allowed: 0 to {network.max_azs}",
            network.nat_gateways,
        )


def azs_that_fit(prefix: int) -> int:
    """How many AZs' subnets a VPC of ``/prefix`` holds, as CDK allocates them: every AZ's
    public subnet first, then the private ones, each aligned to its own size."""
    size = 2 ** (32 - prefix)
    public, private = 2 ** (32 - PUBLIC_SUBNET_PREFIX), 2 ** (32 - PRIVATE_SUBNET_PREFIX)
    fits = 0
    for azs in range(1, 7):
        publics_end = -(-azs * public // private) * private  # rounded up to the private size
        if publics_end + azs * private <= size:
            fits = azs
    return fits


def _ec2_problems(spec: AppSpec) -> Iterator[Problem]:
    for name, group in spec.cluster.ec2_capacity.items():
        loc: Loc = ("cluster", "ec2_capacity", name)
        architectures = {t: architecture_of(t) for t in group.instance_types}
        if len(set(architectures.values())) > 1:
            listing = ", ".join(f"{t} ({a})" for t, a in architectures.items())
            yield (*loc, "instance_types"), f"instance types mix CPU architectures: {listing}", listing
        elif group.architecture and group.architecture not in architectures.values():
            yield (
                (*loc, "architecture"),
                f"{group.architecture} does not match the instance types "
                f"({', '.join(group.instance_types)} are {next(iter(architectures.values()))})",
                group.architecture,
            )
        if len(set(group.instance_types)) != len(group.instance_types):
            yield (*loc, "instance_types"), "an instance type is listed twice", list(group.instance_types)
        if name in spec.cluster.managed_instances:
            yield loc, f"{name!r} is also a managed_instances provider; names must be unique", name
        if group.min_capacity > group.max_capacity:
            yield (
                ("cluster", "ec2_capacity", name, "min_capacity"),
                f"min_capacity {group.min_capacity} is above max_capacity {group.max_capacity}",
                group.min_capacity,
            )
        yield from root_volume_problems(loc, group.root_volume_gib, group.ami)


def _managed_instances_problems(spec: AppSpec) -> Iterator[Problem]:
    for name, provider in spec.cluster.managed_instances.items():
        loc: Loc = ("cluster", "managed_instances", name)
        if provider.min_vcpus > provider.max_vcpus:
            yield (
                (*loc, "min_vcpus"),
                f"min_vcpus {provider.min_vcpus} is above max_vcpus",
                provider.min_vcpus,
            )
        if provider.min_memory_mib > provider.max_memory_mib:
            yield (
                (*loc, "min_memory_mib"),
                f"min_memory_mib {provider.min_memory_mib} is above max_memory_mib",
                provider.min_memory_mib,
            )


def _strategy_problems(spec: AppSpec, loc: Loc, strategy: Sequence[StrategyItem]) -> Iterator[Problem]:
    known = [
        *(FARGATE_PROVIDERS if spec.cluster.fargate else ()),
        *spec.cluster.ec2_capacity,
        *spec.cluster.managed_instances,
    ]
    seen: set[str] = set()
    for index, item in enumerate(strategy):
        if item.provider not in known:
            yield (
                (*loc, index, "provider"),
                f"unknown capacity provider {item.provider!r}; "
                f"this cluster has: {', '.join(known) or 'none'}",
                item.provider,
            )
        if item.provider in seen:
            yield (*loc, index, "provider"), f"{item.provider!r} is listed twice", item.provider
        seen.add(item.provider)
    providers = [item.provider for item in strategy]
    kinds = {spec.provider_kind(p) for p in providers if p in known}
    if len(kinds) > 1:
        yield (
            loc,
            "a strategy uses one kind of capacity: Fargate providers, EC2 groups or Managed "
            f"Instances providers, not a mix ({', '.join(sorted(kinds))})",
            providers,
        )
    if sum(1 for item in strategy if item.base > 0) > 1:
        yield loc, "only one provider in a strategy may have a base above 0", providers
    if all(item.weight == 0 for item in strategy):
        yield loc, "at least one provider needs a weight above 0", providers
