"""Which public load balancer serves each web service, and what each one carries against
its AWS quotas (pure, no CDK).

Assignment is explicit (``http.load_balancer``, default ``main``): adding a service never
moves another one to a different load balancer, so no endpoint changes under a client.

Per Application Load Balancer, AWS allows 100 listener rules (default rules not counted)
and 100 target groups (not adjustable); its security group allows
``load_balancer.rules_per_security_group`` outbound rules (VPC default 60, adjustable).
A web service takes one rule, one target group and one outbound rule (to its tasks' group);
a blue/green, canary or linear one takes a second rule (test listener) and target group
(alternate). The security group keeps one placeholder rule so it never falls back to
allow-all egress.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.schema import AppSpec

Problem = tuple[tuple[str | int, ...], str, Any]

RULES_PER_LOAD_BALANCER = 100
TARGET_GROUPS_PER_LOAD_BALANCER = 100
PLACEHOLDER_EGRESS_RULES = 1


@dataclass(frozen=True)
class Usage:
    """What the services of one load balancer add to it."""

    rules: int = 0
    target_groups: int = 0
    outbound_rules: int = PLACEHOLDER_EGRESS_RULES

    def plus(self, shifts_traffic: bool) -> Usage:
        """This usage with one more web service (``shifts_traffic``: not a rolling deployment)."""
        extra = 2 if shifts_traffic else 1
        return Usage(self.rules + extra, self.target_groups + extra, self.outbound_rules + 1)

    def within(self, outbound_quota: int) -> bool:
        """True when every count is within its quota."""
        return (
            self.rules <= RULES_PER_LOAD_BALANCER
            and self.target_groups <= TARGET_GROUPS_PER_LOAD_BALANCER
            and self.outbound_rules <= outbound_quota
        )


def load_balancers(spec: AppSpec) -> dict[str, list[str]]:
    """Load balancer name → its web services, both in spec order (first use of a name)."""
    result: dict[str, list[str]] = {}
    for name in spec.services_of_kind("web"):
        result.setdefault(spec.services[name].http_settings.load_balancer, []).append(name)
    return result


def shifts_traffic(spec: AppSpec, service: str) -> bool:
    """True when the service deploys blue/green, canary or linear (a test rule, a second group)."""
    return spec.services[service].deployment.strategy != "rolling"


def usage(spec: AppSpec, services: list[str]) -> Usage:
    """What ``services`` add to the load balancer they share."""
    total = Usage()
    for service in services:
        total = total.plus(shifts_traffic(spec, service))
    return total


def fitting(spec: AppSpec, services: list[str]) -> int:
    """How many of ``services``, taken in order, one load balancer holds within its quotas."""
    total = Usage()
    for count, service in enumerate(services):
        total = total.plus(shifts_traffic(spec, service))
        if not total.within(spec.load_balancer.rules_per_security_group):
            return count
    return len(services)


def quota_problems(spec: AppSpec) -> Iterator[Problem]:
    """One problem per load balancer its services would take over a quota, at the
    ``http.load_balancer`` of the first service that does not fit."""
    outbound_quota = spec.load_balancer.rules_per_security_group
    for balancer, services in load_balancers(spec).items():
        total = usage(spec, services)
        if total.within(outbound_quota):
            continue
        fit = fitting(spec, services)
        first = services[fit]
        yield (
            ("services", first, "http", "load_balancer"),
            f"load balancer {balancer!r} would serve {len(services)} web services, over its quotas: "
            f"{total.rules} listener rules (quota {RULES_PER_LOAD_BALANCER}), {total.target_groups} "
            f"target groups (quota {TARGET_GROUPS_PER_LOAD_BALANCER}), {total.outbound_rules} outbound "
            f"rules in its security group (quota {outbound_quota}: load_balancer.rules_per_security_group). "
            f"The first {fit} fit; set http.load_balancer to another name (one more load balancer) "
            f"on the other {len(services) - fit}, from {first!r} on",
            balancer,
        )
