"""Rollout verdicts on sequences moto cannot produce, replayed with botocore's Stubber."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber

from deployer.aws.rollout import Outcome, Progress, wait_for_rollout
from deployer.exit_codes import ExitCode

CLUSTER = "shop-prod"
OLD = "arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-prod-web:41"
NEW = "arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-prod-web:42"


def deployment(
    id_: str,
    td: str,
    status: str,
    state: str,
    running: int,
    desired: int = 2,
    reason: str = "",
    minute: int = 0,
) -> dict[str, Any]:
    return {
        "id": id_, "taskDefinition": td, "status": status, "rolloutState": state, "rolloutStateReason": reason,
        "runningCount": running, "desiredCount": desired, "pendingCount": 0,
        "createdAt": datetime(2026, 11, 23, 12, minute, tzinfo=UTC),
    }  # fmt: skip


def snapshot(*deployments: dict[str, Any], desired: int = 2) -> dict[str, Any]:
    return {
        "services": [{"serviceName": "web", "desiredCount": desired, "deployments": list(deployments)}],
        "failures": [],
    }


class FakeClock:
    """Time that advances only when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run(responses: list[dict[str, Any]], **kwargs: Any) -> tuple[Any, FakeClock, list[Progress]]:
    ecs = boto3.client("ecs", region_name="eu-west-1")
    stubber = Stubber(ecs)
    for response in responses:
        stubber.add_response("describe_services", response, {"cluster": CLUSTER, "services": ["web"]})
    clock = FakeClock()
    progress: list[Progress] = []
    with stubber:
        verdict = wait_for_rollout(
            ecs,
            CLUSTER,
            "web",
            NEW,
            poll_s=6,
            clock=clock.clock,
            sleep=clock.sleep,
            on_progress=progress.append,
            **kwargs,
        )
    stubber.assert_no_pending_responses()
    return verdict, clock, progress


def test_success_only_when_our_deployment_is_primary_completed_and_at_desired_count() -> None:
    verdict, clock, progress = run([
        snapshot(deployment("ecs-svc/new", NEW, "PRIMARY", "IN_PROGRESS", 0, minute=5), deployment("ecs-svc/old", OLD, "ACTIVE", "COMPLETED", 2)),
        snapshot(deployment("ecs-svc/new", NEW, "PRIMARY", "IN_PROGRESS", 2, minute=5), deployment("ecs-svc/old", OLD, "ACTIVE", "COMPLETED", 2)),
        snapshot(deployment("ecs-svc/new", NEW, "PRIMARY", "COMPLETED", 2, minute=5)),
    ])  # fmt: skip
    assert verdict.outcome is Outcome.SUCCEEDED and verdict.deployment_id == "ecs-svc/new"
    assert verdict.outcome.exit_code is ExitCode.OK
    assert clock.sleeps == [6, 6]
    assert [p.state for p in progress] == ["IN_PROGRESS", "IN_PROGRESS"]


def test_circuit_breaker_rollback_after_the_service_looked_stable_is_a_failure() -> None:
    """The new tasks were up (2/2) before failing health checks: ServicesStable would say
    'stable' once the rollback settled; our verdict names the rollback and its reason."""
    reason = "ECS deployment circuit breaker: tasks failed to start."
    verdict, _, _ = run([
        snapshot(deployment("ecs-svc/new", NEW, "PRIMARY", "IN_PROGRESS", 2, minute=5)),
        snapshot(
            deployment("ecs-svc/rollback", OLD, "PRIMARY", "IN_PROGRESS", 1, minute=9),
            deployment("ecs-svc/new", NEW, "ACTIVE", "FAILED", 1, reason=reason, minute=5),
        ),
    ])  # fmt: skip
    assert verdict.outcome is Outcome.ROLLED_BACK
    assert verdict.outcome.exit_code is ExitCode.ROLLED_BACK
    assert reason in verdict.reason and "shop-prod-web:41" in verdict.reason


def test_alarm_rollback_names_the_alarm() -> None:
    reason = "Rolling back because alarm(s) [shop-prod-web-5xx] were in ALARM"
    verdict, _, _ = run([
        snapshot(
            deployment("ecs-svc/rollback", OLD, "PRIMARY", "IN_PROGRESS", 2, minute=9),
            deployment("ecs-svc/new", NEW, "ACTIVE", "FAILED", 2, reason=reason, minute=5),
        ),
    ])  # fmt: skip
    assert verdict.outcome is Outcome.ROLLED_BACK and "shop-prod-web-5xx" in verdict.reason


def test_first_deploy_failing_with_nothing_to_roll_back_to() -> None:
    reason = "ECS deployment circuit breaker: tasks failed to start."
    verdict, _, _ = run([snapshot(deployment("ecs-svc/new", NEW, "PRIMARY", "FAILED", 0, reason=reason))])
    assert verdict.outcome is Outcome.FAILED and verdict.reason == reason
    assert verdict.outcome.exit_code is ExitCode.ROLLOUT_FAILED


def test_completed_but_short_of_desired_keeps_waiting_then_times_out() -> None:
    stuck = snapshot(deployment("ecs-svc/new", NEW, "PRIMARY", "COMPLETED", 1))
    verdict, clock, _ = run([stuck] * 4, timeout_s=18)
    assert verdict.outcome is Outcome.TIMED_OUT and verdict.outcome.exit_code is ExitCode.TIMED_OUT
    assert clock.now == 18


def test_superseded_deployment_is_a_failure() -> None:
    other = "arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-prod-web:43"
    verdict, _, _ = run([
        snapshot(deployment("ecs-svc/newer", other, "PRIMARY", "IN_PROGRESS", 0, minute=8), deployment("ecs-svc/new", NEW, "ACTIVE", "IN_PROGRESS", 1, minute=5)),
    ])  # fmt: skip
    assert verdict.outcome is Outcome.FAILED and "superseded by ecs-svc/newer" in verdict.reason


def test_no_deployment_of_the_intended_revision_after_the_grace_period() -> None:
    only_old = snapshot(deployment("ecs-svc/old", OLD, "PRIMARY", "COMPLETED", 2))
    verdict, clock, _ = run([only_old] * 12)
    assert verdict.outcome is Outcome.FAILED
    assert "no deployment of shop-prod-web:42 started; service runs shop-prod-web:41" in verdict.reason
    assert clock.now > 60


def test_tracks_a_known_deployment_id_over_the_revision() -> None:
    verdict, _, _ = run(
        [
            snapshot(
                deployment("ecs-svc/mine", NEW, "PRIMARY", "COMPLETED", 2),
                deployment("ecs-svc/x", NEW, "ACTIVE", "FAILED", 0),
            )
        ],
        deployment_id="ecs-svc/mine",
    )
    assert verdict.outcome is Outcome.SUCCEEDED


def test_missing_service() -> None:
    verdict, _, _ = run([{"services": [], "failures": [{"arn": "web", "reason": "MISSING"}]}])
    assert verdict.outcome is Outcome.FAILED and "not found" in verdict.reason


def test_exit_code_is_the_most_severe_verdict() -> None:
    from deployer.aws.rollout import Verdict
    from deployer.aws.wait import exit_code

    def v(outcome: Outcome) -> Verdict:
        return Verdict("s", outcome, NEW, "")

    assert exit_code([]) is ExitCode.OK
    assert exit_code([v(Outcome.SUCCEEDED), v(Outcome.TIMED_OUT)]) is ExitCode.TIMED_OUT
    assert exit_code([v(Outcome.TIMED_OUT), v(Outcome.ROLLED_BACK)]) is ExitCode.ROLLED_BACK
    assert (
        exit_code([v(Outcome.ROLLED_BACK), v(Outcome.FAILED), v(Outcome.SUCCEEDED)])
        is ExitCode.ROLLOUT_FAILED
    )


def test_progress_bars_follow_each_service() -> None:
    import io

    from rich.console import Console

    from deployer.progress import rollout_bars

    output = io.StringIO()
    console = Console(file=output, width=120, force_terminal=False)
    with rollout_bars(console, ["web", "worker"]) as update:
        update(Progress("web", "IN_PROGRESS", 1, 2))
        update(Progress("worker", "COMPLETED", 3, 3))
    text = output.getvalue()
    assert "web" in text and "1/2 running" in text and "IN_PROGRESS" in text
    assert "worker" in text and "3/3 running" in text
