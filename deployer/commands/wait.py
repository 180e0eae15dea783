"""``deployer wait``: an honest verdict on each service's current deployment."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from deployer.aws.wait import exit_code, wait_for_services
from deployer.commands.common import CommandContext, EnvOption, JsonOption, PortOption
from deployer.commands.output import errors, labelled
from deployer.inputs import BadInputError
from deployer.progress import rollout_bars

NOT_JUDGED = "not judged"  # the outcome of every service on a local target
NO_ROLLOUT = (
    "the local endpoint runs no containers, so there is no rollout to judge; "
    "verdicts apply to environments with target aws"
)


def wait(
    env: EnvOption = "local",
    service: Annotated[list[str] | None, typer.Option("--service", "-s", help="only these services")] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=10, max=7200, help="seconds per service")] = 900,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Wait for each service's current deployment and give an honest verdict.

    Success only when the deployment of the revision its stack deployed is PRIMARY,
    COMPLETED and at its desired count; a rollback is a failure. Exit 3 failed, 4 rolled
    back, 5 timed out. Interrupting changes nothing in AWS.
    """
    ctx = CommandContext.load(env, port, as_json)
    chosen = list(service or ctx.spec.long_running)
    ctx.require_services(chosen, "--service ")
    jobs = [name for name in chosen if name not in ctx.spec.long_running]
    if jobs:
        raise BadInputError(f"--service {', '.join(jobs)}: a job has no rollout to wait for; use `run`")
    if ctx.spec.environment.is_local:
        ctx.emit(
            [{"service": name, "outcome": NOT_JUDGED, "reason": NO_ROLLOUT} for name in chosen], NO_ROLLOUT
        )
        return
    with rollout_bars(errors, chosen) as progress:
        verdicts = wait_for_services(ctx.clients, chosen, float(timeout), progress)
    ctx.emit(
        [{**v.__dict__, "outcome": v.outcome.value} for v in verdicts],
        *(_verdict_line(v.service, v.outcome.value, v.reason) for v in verdicts),
    )
    raise typer.Exit(exit_code(verdicts))


def _verdict_line(service: str, outcome: str, reason: str) -> Text:
    """``web: succeeded <reason>`` with the outcome in green or red."""
    return Text.assemble(
        f"{service}: ", labelled(outcome, "green" if outcome == "succeeded" else "red", reason)
    )
