"""``deploy``: the pinned CDK CLI for an environment, with the local endpoint when needed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from rich.console import Console
from rich.text import Text

from config import naming
from config.schema import AppSpec
from config.workflow_checks import steps_run_by_workflows
from deployer.aws.lock import deploy_lock
from deployer.aws.session import Clients
from deployer.aws.stack_state import live_pins, stack_status
from deployer.aws.wait import exit_code, wait_for_services
from deployer.cdk.pinned_cli import context_args, run_cdk
from deployer.cdk.prerequisites import require_deployed_prerequisites
from deployer.exit_codes import ExitCode
from deployer.local import endpoint as local_endpoint
from deployer.local.shim import point_services_at_stack_revisions, register_capacity_providers
from deployer.progress import rollout_bars

TOOLKIT_STACK = "CDKToolkit"


def is_bootstrapped(clients: Clients) -> bool:
    return stack_status(clients("cloudformation"), TOOLKIT_STACK) is not None


def bootstrap_environment(clients: Clients, stdout_to_stderr: bool = False) -> int:
    """``cdk bootstrap aws://<account>/<region>`` for the environment, without the app.

    Given an environment by name, the CDK CLI uses the app only to expand environment globs,
    yet it synthesises it first: five of bootstrap's seven seconds. ``--app ""`` skips that;
    cdk.json's context (a bootstrap qualifier, say) still applies."""
    spec = clients.spec
    if spec.environment.is_local:
        local_endpoint.up(clients.local_port)
    return run_cdk(spec, bootstrap_arguments(spec), clients.port, stdout_to_stderr=stdout_to_stderr)


def bootstrap_arguments(spec: AppSpec) -> list[str]:
    """The CDK CLI arguments that bootstrap ``spec``'s account and region."""
    return ["bootstrap", f"aws://{spec.environment.account}/{spec.environment.region}", "--app", ""]


def deploy_environment(
    clients: Clients,
    images: Mapping[str, str],
    console: Console,
    *,
    release: Mapping[str, str] | None = None,
    pins: Mapping[str, str] | None = None,
    only_services: Sequence[str] | None = None,
    concurrency: int = 1,
    cdk_output_to_stderr: bool = False,
    assembly: Path | None = None,
) -> int:
    """Deploy every stack of ``spec`` (or only ``only_services``' stacks); return an ``ExitCode``.

    ``release`` (``version``, ``git_revision``) labels the new task-definition revisions;
    ``pins`` runs services on given retained revisions (rollback). ``assembly`` deploys a cloud
    assembly ``cdk synth --output`` wrote instead of synthesising (default: synthesise). Deploying
    only some services' stacks needs the stacks they import from: ``NotDeployedError`` when one
    is missing, before anything is changed.
    """
    if clients.spec.environment.is_local:
        state, started = local_endpoint.up(clients.local_port)
        console.print(Text(f"local endpoint {'started' if started else 'reused'}: {state.url}"))
    if only_services:
        require_deployed_prerequisites(clients.spec, clients("cloudformation"), only_services)
    with deploy_lock(clients.spec, clients("ssm"), "deploy"):
        return _deploy_locked(
            clients,
            images,
            console,
            release,
            pins,
            only_services,
            concurrency,
            cdk_output_to_stderr,
            assembly,
        )


def _deploy_locked(  # noqa: PLR0917 - the arguments of deploy_environment, passed through
    clients: Clients,
    images: Mapping[str, str],
    console: Console,
    release: Mapping[str, str] | None,
    pins: Mapping[str, str] | None,
    only_services: Sequence[str] | None,
    concurrency: int,
    cdk_output_to_stderr: bool,
    assembly: Path | None,
) -> int:
    spec = clients.spec
    local = spec.environment.is_local
    if not is_bootstrapped(clients):
        if not local:
            console.print(
                Text.assemble(
                    ("error:", "red"),
                    f" aws://{spec.environment.account}/{spec.environment.region} is not bootstrapped "
                    f"for the CDK; run: make bootstrap ENV={spec.environment.name}",
                )
            )
            return ExitCode.FAILED
        if bootstrap_environment(clients, cdk_output_to_stderr):
            return ExitCode.FAILED
    targets, pins = deploy_targets(clients, only_services, pins)
    args = [
        "deploy",
        # The CLI deploys a directory given as --app as it is, without synthesising.
        *(["--app", str(assembly.resolve())] if assembly else []),
        *targets,
        *(["--exclusively"] if only_services else []),
        *context_args(spec, images, release, pins),
        "--concurrency",
        str(concurrency),
    ]
    if local:
        # moto loses stack outputs on change-set deploys; direct updates keep them.
        args += ["--require-approval", "never", "--method", "direct"]
    if run_cdk(spec, args, clients.port, stdout_to_stderr=cdk_output_to_stderr):
        return ExitCode.FAILED
    if not local:
        return _verdicts(clients, console, only_services)
    ecs, cloudformation = clients("ecs"), clients("cloudformation")
    register_capacity_providers(spec, ecs, clients("autoscaling"), cloudformation)
    point_services_at_stack_revisions(spec, ecs, cloudformation)
    return ExitCode.OK


def deploy_targets(
    clients: Clients, only_services: Sequence[str] | None, pins: Mapping[str, str] | None
) -> tuple[list[str], dict[str, str]]:
    """The stacks to deploy and the pins to deploy them with.

    Workflow steps run a service's pinned revision while it is rolled back: deploying some
    services (a rollback, ``--service``) deploys the workflows stack too when a step runs one of
    them, keeping the pins of the other services its steps run (read from their stacks; a job
    is never pinned, as rollback refuses jobs, so its stack is not read)."""
    spec = clients.spec
    if not only_services:
        return ["--all"], dict(pins or {})
    targets = [naming.service_stack_name(spec, s) for s in only_services]
    stepped = steps_run_by_workflows(spec)
    if not stepped & set(only_services):
        return targets, dict(pins or {})
    pinnable = (stepped & set(spec.long_running)) - set(only_services)
    others = {s: naming.service_stack_name(spec, s) for s in sorted(pinnable)}
    kept = live_pins(clients("cloudformation"), others)
    return [*targets, naming.workflow_stack_name(spec)], {**kept, **(pins or {})}


def _verdicts(clients: Clients, console: Console, only: Sequence[str] | None) -> int:
    """After CloudFormation is done: the honest verdict of every service's deployment."""
    spec = clients.spec
    services = [name for name in (only or spec.services) if name in spec.long_running]  # jobs never roll
    with rollout_bars(console, services) as progress:
        verdicts = wait_for_services(clients, services, timeout_s=900.0, on_progress=progress)
    for verdict in verdicts:
        console.print(Text(f"{verdict.service}: {verdict.outcome.value} ({verdict.reason})"))
    return exit_code(verdicts)
