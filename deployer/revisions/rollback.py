"""``rollback``: return a service to a retained revision without drift from CloudFormation.

Two paths, chosen by the state of the service:

- a deployment is still in flight: ``StopServiceDeployment`` with ``ROLLBACK``; ECS returns
  to the previous deployment and CloudFormation's own update fails and rolls back with it;
- the service is settled: the service stack is redeployed with ``-c pin.<service>=<ARN>``,
  so CloudFormation itself points the service at the retained revision. Stack and service
  agree (no drift); ``status`` shows the pin, and the next ``deploy`` without it rolls forward
  explicitly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.inputs import BadInputError
from deployer.revisions.history import Revision


def choose_target(found: Sequence[Revision], to: int | None) -> Revision:
    """The revision to return to: ``to``, else the newest ACTIVE one older than the live one.
    ``found`` has the INACTIVE revisions too when ``to`` is one (to say so)."""
    live = next((r for r in found if r.live), None)
    candidates = [r.revision for r in found if r.status == "ACTIVE" and not r.live]
    if to is not None:
        target = next((r for r in found if r.revision == to), None)
        if target is None:
            raise BadInputError(f"--to {to}: no such revision; {_listing(candidates)}")
        if target.status != "ACTIVE":
            why = " (deregistered, e.g. by prune)" if target.status == "INACTIVE" else ""
            raise BadInputError(
                f"--to {to}: revision {to} is {target.status}{why}; ECS cannot run it. {_listing(candidates)}"
            )
        if target.live:
            raise BadInputError(f"--to {to}: revision {to} is already live")
        return target
    if live is None:
        raise BadInputError("the service has no live revision to roll back from")
    older = [r for r in found if r.status == "ACTIVE" and r.revision < live.revision]
    if not older:
        raise BadInputError(f"no ACTIVE revision older than the live {live.revision} to roll back to")
    return max(older, key=lambda r: r.revision)


def in_flight_deployment(spec: AppSpec, ecs: Any, service: str) -> str | None:
    """The ARN of the service deployment still IN_PROGRESS, if any."""
    response = ecs.list_service_deployments(
        cluster=naming.cluster_name(spec), service=service, status=["PENDING", "IN_PROGRESS"]
    )
    deployments = response.get("serviceDeployments", [])
    return str(deployments[0]["serviceDeploymentArn"]) if deployments else None


def stop_in_flight(ecs: Any, deployment_arn: str) -> None:
    """Roll an in-flight deployment back to the service's previous deployment."""
    ecs.stop_service_deployment(serviceDeploymentArn=deployment_arn, stopType="ROLLBACK")


def _listing(revisions: Sequence[int]) -> str:
    return f"revisions you can roll back to: {', '.join(map(str, revisions)) or 'none'}"
