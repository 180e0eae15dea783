"""``environment.cost_profile``: cheaper defaults for a whole environment, before validation.

A profile only fills keys the YAML leaves out, so every explicit setting wins. ``standard``
(the default) changes nothing. ``dev``:

- ``network.nat: instance``: one small Graviton NAT instance instead of NAT gateways (tasks
  stay in private subnets, without public IPs);
- ``network.ipv6: true``: a dual-stack VPC, which a load balancer without public IPv4
  addresses (AWS charges each one by the hour) needs; see docs/cost.md;
- ``load_balancer.public_ipv4: false`` (unless ``network.ipv6`` is set false): the load
  balancers take internet clients over IPv6 only, which saves $3.65 a month per AZ;
- ``cluster.default_capacity: [{provider: FARGATE_SPOT}]`` when the cluster has Fargate
  (``cluster.fargate`` not false): Spot tasks, interruptible and up to 70% cheaper;
- ``cluster.dashboard: false``: no CloudWatch dashboard ($3 a month past an account's first
  three);
- no interface endpoints (the default of ``network.interface_endpoints`` already).
"""

from __future__ import annotations

from typing import Any

from config.capacity_schema import FARGATE_SPOT

# (section, key) -> value the `dev` profile gives a key the YAML leaves out.
_DEV_DEFAULTS: dict[tuple[str, str], object] = {
    ("network", "nat"): "instance",
    ("network", "ipv6"): True,
    ("cluster", "default_capacity"): [{"provider": FARGATE_SPOT}],
    ("load_balancer", "public_ipv4"): False,
    ("cluster", "dashboard"): False,
}


def apply_profile_defaults(data: Any) -> Any:
    """``data`` (the raw spec mapping) with the profile's defaults filled in; unchanged unless
    ``environment.cost_profile`` is ``dev``. Input of the wrong shape is returned as it is, for
    validation to report."""
    if not isinstance(data, dict):
        return data
    environment = data.get("environment")
    if not isinstance(environment, dict) or environment.get("cost_profile") != "dev":
        return data
    result = dict(data)
    for (section, key), value in _DEV_DEFAULTS.items():
        current = result.get(section, {})
        if not isinstance(current, dict) or key in current:
            continue
        if (section, key) == ("cluster", "default_capacity") and current.get("fargate") is False:
            continue  # without Fargate providers, the cluster's own default strategy stays
        if (section, key) == ("load_balancer", "public_ipv4") and _network(result).get("ipv6") is False:
            continue  # an IPv4-only VPC keeps its load balancers' public IPv4 addresses
        result[section] = {**current, key: value}
    return result


def _network(data: dict[str, Any]) -> dict[str, Any]:
    network = data.get("network")
    return network if isinstance(network, dict) else {}
