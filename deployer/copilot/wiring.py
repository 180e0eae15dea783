"""What an environment's spec needs from all its services together: NAT gateways for private
tasks, callers of each backend port, the HTTPS certificate; and the placeholders left."""

from __future__ import annotations

from typing import Any

from deployer.copilot.map_container import PLACEHOLDER_TAG
from deployer.copilot.map_workload import Imported
from deployer.copilot.names import Target
from deployer.copilot.record import FieldLog, SpecLog
from deployer.copilot.settings import Placement

DEFAULT_AZS = 2
CALLERS = ("web", "worker", "job")


def wire_environment(
    log: SpecLog,
    environment_log: FieldLog,
    imported: dict[str, tuple[Imported, FieldLog]],
    target: Target,
    placement: Placement,
) -> list[str]:
    """Environment-wide keys set from the services; returns the placeholders to replace."""
    spec = log.spec
    zones = spec.get("network", {}).get("max_azs", DEFAULT_AZS)
    for result, field_log in imported.values():
        if result.private_placement:
            field_log.put(
                ("network", "vpc", "placement"),
                ("network", "nat_gateways"),
                zones,
                note="Copilot added one NAT gateway per zone for tasks in private subnets",
            )
    callers = sorted(name for name, (result, _) in imported.items() if result.kind in CALLERS)
    for name, (result, field_log) in imported.items():
        if result.kind == "backend" and result.port is not None and callers:
            field_log.put(
                ("type",),
                ("services", name, "allow_from"),
                [caller for caller in callers if caller != name],
                note="Copilot let every service of the environment reach every other; here a port is open "
                "to the services in allow_from only: these are every web service, worker and job",
                step=f"trim services.{name}.allow_from to the real callers, and add each backend that calls "
                f"{name} (calls between two services go one way only)",
            )
    todo = [
        f"environment.{key}: import again with --{key} {target.environment}=…"
        for key in placement.placeholders
    ]
    has_web = any(result.kind == "web" for result, _ in imported.values())
    if has_web and "certificate_arn" not in spec.get("load_balancer", {}):
        arn = f"arn:aws:acm:{target.region}:{target.account}:certificate/00000000-0000-0000-0000-000000000000"
        environment_log.put(
            ("http", "public", "certificates"),
            ("load_balancer", "certificate_arn"),
            arn,
            note="placeholder: Copilot served plain HTTP without a certificate; this project serves "
            "HTTPS only",
            step="request an ACM certificate for the services' domains in the environment's region and set "
            "load_balancer.certificate_arn",
        )
        todo.append("load_balancer.certificate_arn: an ACM certificate of yours")
    todo += [f"services.{name}.image: {_image_step(name)}" for name in _placeholder_images(spec)]
    return todo


def _placeholder_images(spec: dict[str, Any]) -> list[str]:
    found = []
    for name, service in spec.get("services", {}).items():
        images = [
            service.get("image", ""),
            *(c.get("image", "") for c in service.get("sidecars", {}).values()),
        ]
        if any(str(image).endswith(f":{PLACEHOLDER_TAG}") for image in images):
            found.append(name)
    return found


def _image_step(name: str) -> str:
    return f"build and push the image, then deploy with --image {name}=<ref> (sidecars: set their image)"
