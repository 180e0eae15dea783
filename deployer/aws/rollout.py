"""Honest rollout verdicts for an ECS service deployment.

``ServicesStable`` (the boto3 waiter) also succeeds after a circuit-breaker rollback, when
the service is stable again on the *old* revision. Here the verdict follows the deployment
of the intended task definition itself: success only when that deployment is PRIMARY,
``COMPLETED``, and running its desired count; a rollback is a failure that names its reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from deployer.exit_codes import ExitCode

# How long a deployment of the intended revision may be missing before that is a verdict
# (CloudFormation may still be creating it when the wait starts).
APPEAR_GRACE_S = 60.0


class Outcome(Enum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ROLLED_BACK = "rolled back"
    TIMED_OUT = "timed out"

    @property
    def exit_code(self) -> ExitCode:
        return {
            Outcome.SUCCEEDED: ExitCode.OK,
            Outcome.FAILED: ExitCode.ROLLOUT_FAILED,
            Outcome.ROLLED_BACK: ExitCode.ROLLED_BACK,
            Outcome.TIMED_OUT: ExitCode.TIMED_OUT,
        }[self]


@dataclass(frozen=True)
class Verdict:
    service: str
    outcome: Outcome
    task_definition: str
    reason: str
    deployment_id: str | None = None
    running: int = 0
    desired: int = 0


@dataclass(frozen=True)
class Progress:
    service: str
    state: str
    running: int
    desired: int


def judge(service: dict[str, Any], intended: str, deployment_id: str | None) -> Verdict | None:
    """The verdict for one ``describe_services`` snapshot, or None to keep waiting."""
    name = str(service["serviceName"])
    deployments: list[dict[str, Any]] = service.get("deployments", [])
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), None)
    ours = _our_deployment(deployments, intended, deployment_id)
    if ours is None:
        return None
    state = ours.get("rolloutState", "")
    reason = str(ours.get("rolloutStateReason", ""))

    def verdict(outcome: Outcome, why: str) -> Verdict:
        return Verdict(
            service=name,
            outcome=outcome,
            task_definition=intended,
            reason=why,
            deployment_id=ours.get("id"),
            running=int(ours.get("runningCount", 0)),
            desired=int(ours.get("desiredCount", 0)),
        )

    if state == "FAILED":
        if primary is not None and primary.get("id") != ours.get("id"):
            back_to = _revision(primary.get("taskDefinition", ""))
            return verdict(Outcome.ROLLED_BACK, f"{reason} (service now on {back_to})".strip())
        return verdict(Outcome.FAILED, reason or "the deployment failed")
    if ours.get("status") != "PRIMARY":
        superseded_by = primary.get("id", "another deployment") if primary else "another deployment"
        return verdict(Outcome.FAILED, f"superseded by {superseded_by}")
    running, desired = int(ours.get("runningCount", 0)), int(ours.get("desiredCount", 0))
    if state == "COMPLETED" and running == desired == int(service.get("desiredCount", 0)):
        return verdict(Outcome.SUCCEEDED, reason or "deployment completed")
    return None


def wait_for_rollout(
    ecs: Any,
    cluster: str,
    service: str,
    intended: str,
    *,
    deployment_id: str | None = None,
    timeout_s: float = 900.0,
    poll_s: float = 6.0,
    on_progress: Callable[[Progress], None] | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Verdict:
    """Poll until ``judge`` gives a verdict or ``timeout_s`` passes (then TIMED_OUT)."""
    start = clock()
    while True:
        described = ecs.describe_services(cluster=cluster, services=[service])["services"]
        if not described:
            return Verdict(service, Outcome.FAILED, intended, f"service {service!r} not found in {cluster}")
        snapshot = described[0]
        verdict = judge(snapshot, intended, deployment_id)
        if verdict is not None:
            return verdict
        elapsed = clock() - start
        if _ours_missing(snapshot, intended, deployment_id) and elapsed > APPEAR_GRACE_S:
            primary = _revision(
                next(
                    (
                        d["taskDefinition"]
                        for d in snapshot.get("deployments", [])
                        if d.get("status") == "PRIMARY"
                    ),
                    "",
                )
            )
            return Verdict(
                service,
                Outcome.FAILED,
                intended,
                f"no deployment of {_revision(intended)} started; service runs {primary}",
            )
        if elapsed >= timeout_s:
            return Verdict(
                service, Outcome.TIMED_OUT, intended, f"no verdict after {timeout_s:.0f} s", deployment_id
            )
        if on_progress:
            ours = _our_deployment(snapshot.get("deployments", []), intended, deployment_id) or {}
            on_progress(
                Progress(
                    service,
                    str(ours.get("rolloutState", "PENDING")),
                    int(ours.get("runningCount", 0)),
                    int(ours.get("desiredCount", 0)),
                )
            )
        sleep(poll_s)


def _our_deployment(
    deployments: list[dict[str, Any]], intended: str, deployment_id: str | None
) -> dict[str, Any] | None:
    if deployment_id:
        return next((d for d in deployments if d.get("id") == deployment_id), None)
    candidates = [d for d in deployments if d.get("taskDefinition") == intended]
    return max(candidates, key=lambda d: str(d.get("createdAt", ""))) if candidates else None


def _ours_missing(service: dict[str, Any], intended: str, deployment_id: str | None) -> bool:
    return _our_deployment(service.get("deployments", []), intended, deployment_id) is None


def _revision(arn: str) -> str:
    return arn.rsplit("/", 1)[-1] or "nothing"
