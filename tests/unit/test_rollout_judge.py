"""The rollout verdict on single ``describe_services`` snapshots: which deployment is ours,
when it counts as done, and what each failure says. Literal snapshots, literal verdicts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from deployer.aws.rollout import APPEAR_GRACE_S, Outcome, Progress, Verdict, judge, wait_for_rollout

PREFIX = "arn:aws:ecs:eu-west-1:222222222222:task-definition/shop-prod-web:"
OLD, NEW, NEWER = f"{PREFIX}41", f"{PREFIX}42", f"{PREFIX}43"


def deployment(
    id_: str,
    td: str,
    status: str,
    state: str,
    running: int = 2,
    desired: int = 2,
    minute: int = 0,
    reason: str = "",
) -> dict[str, Any]:
    return {
        "id": id_, "taskDefinition": td, "status": status, "rolloutState": state,
        "rolloutStateReason": reason, "runningCount": running, "desiredCount": desired,
        "createdAt": datetime(2026, 11, 23, 12, minute, tzinfo=UTC),
    }  # fmt: skip


def service(*deployments: dict[str, Any], desired: int = 2) -> dict[str, Any]:
    return {"serviceName": "web", "desiredCount": desired, "deployments": list(deployments)}


def verdict(outcome: Outcome, reason: str, id_: str, running: int = 2, desired: int = 2) -> Verdict:
    return Verdict("web", outcome, NEW, reason, id_, running, desired)


# --- done means: ours, PRIMARY, COMPLETED, and at the *service's* desired count --------------


def test_completed_at_the_services_desired_count_succeeds() -> None:
    snapshot = service(deployment("d-new", NEW, "PRIMARY", "COMPLETED"))
    assert judge(snapshot, NEW, None) == verdict(Outcome.SUCCEEDED, "deployment completed", "d-new")


def test_completed_below_the_services_desired_count_keeps_waiting() -> None:
    """The service was scaled out to 3 while the deployment, created at 2, still reads 2/2."""
    assert judge(service(deployment("d-new", NEW, "PRIMARY", "COMPLETED"), desired=3), NEW, None) is None


@pytest.mark.parametrize(("running", "desired"), [(1, 2), (2, 1), (3, 2), (0, 0)])
def test_completed_with_running_and_desired_apart_from_the_service_keeps_waiting(
    running: int, desired: int
) -> None:
    snapshot = service(deployment("d-new", NEW, "PRIMARY", "COMPLETED", running, desired), desired=2)
    assert judge(snapshot, NEW, None) is None


def test_a_service_scaled_to_zero_completes_at_zero() -> None:
    snapshot = service(deployment("d-new", NEW, "PRIMARY", "COMPLETED", 0, 0), desired=0)
    assert judge(snapshot, NEW, None) == verdict(Outcome.SUCCEEDED, "deployment completed", "d-new", 0, 0)


def test_the_reason_ecs_gives_is_kept_on_success() -> None:
    snapshot = service(
        deployment("d-new", NEW, "PRIMARY", "COMPLETED", reason="ECS deployment d-new completed.")
    )
    assert judge(snapshot, NEW, None) == verdict(
        Outcome.SUCCEEDED, "ECS deployment d-new completed.", "d-new"
    )


@pytest.mark.parametrize("state", ["IN_PROGRESS", "PENDING", ""])
def test_in_progress_keeps_waiting(state: str) -> None:
    assert judge(service(deployment("d-new", NEW, "PRIMARY", state)), NEW, None) is None


def test_no_deployment_of_the_revision_keeps_waiting() -> None:
    assert judge(service(deployment("d-old", OLD, "PRIMARY", "COMPLETED")), NEW, None) is None


# --- which deployment is ours ----------------------------------------------------------------


def test_the_newest_of_several_deployments_of_one_revision_is_ours() -> None:
    """An earlier attempt at revision 42 failed and was rolled back; the retry completed."""
    snapshot = service(
        deployment("d-first", NEW, "INACTIVE", "FAILED", 0, minute=1, reason="tasks failed to start"),
        deployment("d-retry", NEW, "PRIMARY", "COMPLETED", minute=9),
        deployment("d-back", OLD, "INACTIVE", "COMPLETED", 0, minute=3),
    )
    assert judge(snapshot, NEW, None) == verdict(Outcome.SUCCEEDED, "deployment completed", "d-retry")


def test_the_newest_attempt_failing_is_a_rollback_even_if_an_older_one_completed() -> None:
    snapshot = service(
        deployment("d-back", OLD, "PRIMARY", "IN_PROGRESS", 1, minute=9),
        deployment("d-retry", NEW, "ACTIVE", "FAILED", 1, minute=7, reason="circuit breaker"),
        deployment("d-first", NEW, "INACTIVE", "COMPLETED", 0, minute=1),
    )
    assert judge(snapshot, NEW, None) == verdict(
        Outcome.ROLLED_BACK, "circuit breaker (service now on shop-prod-web:41)", "d-retry", 1
    )


def test_a_known_deployment_id_wins_over_newer_deployments_of_the_revision() -> None:
    snapshot = service(
        deployment("d-mine", NEW, "PRIMARY", "IN_PROGRESS", 1, minute=1),
        deployment("d-other", NEW, "ACTIVE", "COMPLETED", minute=9),
    )
    assert judge(snapshot, NEW, "d-mine") is None
    assert judge(snapshot, NEW, "d-gone") is None


# --- failures and what they say --------------------------------------------------------------


def test_failed_while_still_primary_is_a_failure_with_ecs_reason() -> None:
    snapshot = service(deployment("d-new", NEW, "PRIMARY", "FAILED", 0, reason="tasks failed to start"))
    assert judge(snapshot, NEW, None) == verdict(Outcome.FAILED, "tasks failed to start", "d-new", 0)


def test_failed_without_a_reason_says_so() -> None:
    snapshot = service(deployment("d-new", NEW, "PRIMARY", "FAILED", 0))
    assert judge(snapshot, NEW, None) == verdict(Outcome.FAILED, "the deployment failed", "d-new", 0)


def test_failed_with_no_primary_at_all_is_a_failure_not_a_rollback() -> None:
    snapshot = service(deployment("d-new", NEW, "ACTIVE", "FAILED", 0, reason="x"))
    assert judge(snapshot, NEW, None) == verdict(Outcome.FAILED, "x", "d-new", 0)


def test_rolled_back_without_a_reason_names_the_revision_it_returned_to() -> None:
    snapshot = service(
        deployment("d-back", OLD, "PRIMARY", "COMPLETED", minute=9),
        deployment("d-new", NEW, "ACTIVE", "FAILED", 0, minute=5),
    )
    assert judge(snapshot, NEW, None) == verdict(
        Outcome.ROLLED_BACK, "(service now on shop-prod-web:41)", "d-new", 0
    )


def test_superseded_by_a_newer_primary() -> None:
    snapshot = service(
        deployment("d-newer", NEWER, "PRIMARY", "IN_PROGRESS", 0, minute=8),
        deployment("d-new", NEW, "ACTIVE", "COMPLETED", minute=5),
    )
    assert judge(snapshot, NEW, None) == verdict(Outcome.FAILED, "superseded by d-newer", "d-new")


def test_superseded_with_no_primary_listed() -> None:
    snapshot = service(deployment("d-new", NEW, "ACTIVE", "COMPLETED"))
    assert judge(snapshot, NEW, None) == verdict(Outcome.FAILED, "superseded by another deployment", "d-new")


# --- the waiting loop at its time boundaries ----------------------------------------------------


class ScriptedEcs:
    """``describe_services`` answering the same snapshot; records each call."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.snapshot = snapshot
        self.calls: list[dict[str, Any]] = []

    def describe_services(self, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"services": [self.snapshot]}


def wait(
    snapshot: dict[str, Any], poll_s: float | None = None, **kwargs: Any
) -> tuple[Verdict, list[float], list[Progress]]:
    now = [1000.0]  # a monotonic clock starts anywhere
    sleeps: list[float] = []
    progress: list[Progress] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    ecs = ScriptedEcs(snapshot)
    if poll_s is not None:
        kwargs["poll_s"] = poll_s
    result = wait_for_rollout(
        ecs, "shop-prod", "web", NEW, clock=lambda: now[0], sleep=sleep, on_progress=progress.append, **kwargs
    )
    assert ecs.calls and all(c == {"cluster": "shop-prod", "services": ["web"]} for c in ecs.calls)
    return result, sleeps, progress


def test_a_missing_deployment_is_waited_for_through_the_grace_period_and_no_longer() -> None:
    assert APPEAR_GRACE_S == 60.0
    only_old = service(deployment("d-old", OLD, "PRIMARY", "COMPLETED"))
    result, sleeps, progress = wait(only_old, poll_s=20)
    # polls at 0, 20, 40, 60 (not yet past the grace period), 80: the verdict
    assert sleeps == [20, 20, 20, 20]
    assert result == Verdict(
        "web", Outcome.FAILED, NEW, "no deployment of shop-prod-web:42 started; service runs shop-prod-web:41"
    )
    assert progress == [Progress("web", "PENDING", 0, 0)] * 4


def test_the_timeout_is_reached_exactly() -> None:
    in_progress = service(deployment("d-new", NEW, "PRIMARY", "IN_PROGRESS", 1))
    result, sleeps, progress = wait(in_progress, poll_s=5, timeout_s=15, deployment_id="d-new")
    assert sleeps == [5, 5, 5]
    assert result == Verdict("web", Outcome.TIMED_OUT, NEW, "no verdict after 15 s", "d-new")
    assert progress == [Progress("web", "IN_PROGRESS", 1, 2)] * 3


def test_a_service_with_no_deployments_listed_runs_nothing() -> None:
    result, _, _ = wait(service(), poll_s=30)
    assert result.reason == "no deployment of shop-prod-web:42 started; service runs nothing"


def test_a_service_without_a_deployments_key_runs_nothing() -> None:
    result, _, progress = wait({"serviceName": "web", "desiredCount": 2}, poll_s=30)
    assert result.reason == "no deployment of shop-prod-web:42 started; service runs nothing"
    assert progress == [Progress("web", "PENDING", 0, 0)] * 3


def test_defaults_poll_every_6_seconds_for_15_minutes() -> None:
    result, sleeps, _ = wait(service(deployment("d-new", NEW, "PRIMARY", "IN_PROGRESS", 1)))
    assert sleeps == [6.0] * 150
    assert result == Verdict("web", Outcome.TIMED_OUT, NEW, "no verdict after 900 s")


def test_our_deployment_in_progress_past_the_grace_period_is_waited_for() -> None:
    in_progress = service(deployment("d-new", NEW, "PRIMARY", "IN_PROGRESS", 1))
    result, _, progress = wait(in_progress, poll_s=30, timeout_s=120)
    assert result == Verdict("web", Outcome.TIMED_OUT, NEW, "no verdict after 120 s")
    assert progress == [Progress("web", "IN_PROGRESS", 1, 2)] * 4


def test_a_known_deployment_id_is_followed_by_the_loop_and_its_progress() -> None:
    """A newer deployment of the same revision completed; the one we started is still going."""
    snapshot = service(
        deployment("d-mine", NEW, "ACTIVE", "IN_PROGRESS", 1, minute=1),
        deployment("d-other", NEW, "PRIMARY", "COMPLETED", minute=9),
    )
    result, _, progress = wait(snapshot, poll_s=20, timeout_s=40, deployment_id="d-mine")
    assert result == Verdict("web", Outcome.FAILED, NEW, "superseded by d-other", "d-mine", 1, 2)
    assert progress == []
    in_progress = service(
        deployment("d-mine", NEW, "PRIMARY", "IN_PROGRESS", 1, minute=1),
        deployment("d-other", NEW, "ACTIVE", "COMPLETED", 0, 0, minute=9),
    )
    result, _, progress = wait(in_progress, poll_s=20, timeout_s=40, deployment_id="d-mine")
    assert result.outcome is Outcome.TIMED_OUT and progress == [Progress("web", "IN_PROGRESS", 1, 2)] * 2


def test_a_known_deployment_id_that_never_appears_fails_after_the_grace_period() -> None:
    other = service(deployment("d-other", NEW, "PRIMARY", "IN_PROGRESS", 1))
    result, sleeps, _ = wait(other, poll_s=30, deployment_id="d-gone")
    assert sleeps == [30, 30, 30]
    assert result == Verdict(
        "web", Outcome.FAILED, NEW, "no deployment of shop-prod-web:42 started; service runs shop-prod-web:42"
    )


def test_a_missing_service_names_itself_and_its_cluster() -> None:
    class NoService(ScriptedEcs):
        def describe_services(self, **kwargs: Any) -> dict[str, Any]:
            return {"services": []}

    result = wait_for_rollout(NoService({}), "shop-prod", "web", NEW, clock=lambda: 0.0, sleep=lambda _: None)
    assert result == Verdict("web", Outcome.FAILED, NEW, "service 'web' not found in shop-prod")


# --- fields ECS may leave out -------------------------------------------------------------------


def bare(id_: str, td: str, status: str, state: str | None = None) -> dict[str, Any]:
    """A deployment with only the keys given (no counts, reason or creation time)."""
    found: dict[str, Any] = {"id": id_, "taskDefinition": td, "status": status}
    if state:
        found["rolloutState"] = state
    return found


def test_a_deployment_without_counts_is_at_zero() -> None:
    snapshot = {"serviceName": "web", "deployments": [bare("d-new", NEW, "PRIMARY", "COMPLETED")]}
    assert judge(snapshot, NEW, None) == verdict(Outcome.SUCCEEDED, "deployment completed", "d-new", 0, 0)
    assert judge({**snapshot, "desiredCount": 1}, NEW, None) is None


def test_a_deployment_without_a_rollout_state_keeps_waiting() -> None:
    assert judge(service(bare("d-new", NEW, "PRIMARY")), NEW, None) is None


def test_a_failure_without_a_reason_key() -> None:
    assert judge(service(bare("d-new", NEW, "PRIMARY", "FAILED")), NEW, None) == verdict(
        Outcome.FAILED, "the deployment failed", "d-new", 0, 0
    )
    rolled_back = service(bare("d-back", OLD, "PRIMARY"), bare("d-new", NEW, "ACTIVE", "FAILED"))
    assert judge(rolled_back, NEW, None) == verdict(
        Outcome.ROLLED_BACK, "(service now on shop-prod-web:41)", "d-new", 0, 0
    )


def test_a_primary_without_id_or_revision() -> None:
    assert judge(
        service({"status": "PRIMARY"}, bare("d-new", NEW, "ACTIVE", "FAILED")), NEW, None
    ) == verdict(Outcome.ROLLED_BACK, "(service now on nothing)", "d-new", 0, 0)
    assert judge(
        service({"status": "PRIMARY"}, bare("d-new", NEW, "ACTIVE", "COMPLETED")), NEW, None
    ) == verdict(Outcome.FAILED, "superseded by another deployment", "d-new", 0, 0)


def test_a_service_without_a_deployments_key_keeps_waiting() -> None:
    assert judge({"serviceName": "web", "desiredCount": 2}, NEW, None) is None


def test_a_deployment_without_a_creation_time_counts_as_the_oldest() -> None:
    snapshot = service(
        bare("d-undated", NEW, "ACTIVE", "FAILED"), deployment("d-new", NEW, "PRIMARY", "COMPLETED")
    )
    assert judge(snapshot, NEW, None) == verdict(Outcome.SUCCEEDED, "deployment completed", "d-new")
    reversed_order = service(
        deployment("d-new", NEW, "PRIMARY", "COMPLETED"), bare("d-undated", NEW, "ACTIVE", "FAILED")
    )
    assert judge(reversed_order, NEW, None) == verdict(Outcome.SUCCEEDED, "deployment completed", "d-new")
