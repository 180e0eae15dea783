"""``wait``: verdicts for every service's current deployment, in parallel."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from config import naming
from config.schema import AppSpec
from deployer.aws.rollout import Outcome, Progress, Verdict, wait_for_rollout
from deployer.aws.session import Clients
from deployer.aws.stack_state import stack_outputs
from deployer.exit_codes import ExitCode

# The most severe verdict decides the exit code.
SEVERITY = (Outcome.FAILED, Outcome.ROLLED_BACK, Outcome.TIMED_OUT, Outcome.SUCCEEDED)


def intended_revision(spec: AppSpec, cloudformation: Any, service: str) -> str:
    """The task definition the service's stack deployed (its ``TaskDefinitionArn`` output)."""
    return stack_outputs(cloudformation, naming.service_stack_name(spec, service))["TaskDefinitionArn"]


def wait_for_services(
    clients: Clients,
    services: Sequence[str],
    timeout_s: float,
    on_progress: Callable[[Progress], None] | None = None,
) -> list[Verdict]:
    """One verdict per service, waited for concurrently (the threads share the clients).

    When the wait is interrupted (Ctrl-C, SIGTERM, the deadline: they reach the main thread
    only), the threads stop at their next poll instead of polling on until their timeout.
    """
    spec, ecs, cloudformation = clients.spec, clients("ecs"), clients("cloudformation")
    stopping = threading.Event()

    def sleep(seconds: float) -> None:
        if stopping.wait(seconds):
            raise WaitStoppedError

    def one(service: str) -> Verdict:
        return wait_for_rollout(
            ecs,
            naming.cluster_name(spec),
            service,
            intended_revision(spec, cloudformation, service),
            timeout_s=timeout_s,
            on_progress=on_progress,
            sleep=sleep,
        )

    pool = ThreadPoolExecutor(max_workers=min(8, max(1, len(services))))
    try:
        return list(pool.map(one, services))
    finally:
        stopping.set()
        pool.shutdown(wait=True, cancel_futures=True)


class WaitStoppedError(Exception):
    """A service's wait stopped because the whole wait was interrupted."""


def exit_code(verdicts: Sequence[Verdict]) -> ExitCode:
    """The exit code of the most severe verdict (OK when there is none)."""
    outcomes = {v.outcome for v in verdicts}
    worst = next((o for o in SEVERITY if o in outcomes), Outcome.SUCCEEDED)
    return worst.exit_code
