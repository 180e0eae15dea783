"""``deployer``: operations on an environment of the spec (typer + rich).

Every command loads and validates the spec first; bad input exits 2 before any AWS call.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console

from config import SpecError, load_spec
from config.schema import AppSpec
from deployer import aws_session, local_endpoint
from deployer.cdk_cli import CdkCliMissingError
from deployer.copilot.command import import_app
from deployer.cost import cost_command
from deployer.diagram import diagram_command
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError
from deployer.lock import LockHeldError, deploy_lock
from deployer.options import EnvOption, PortOption
from deployer.plan import plan_command

app = typer.Typer(
    help="Deploy and operate the ECS environments described in config/environments/.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
local_app = typer.Typer(help="The local AWS endpoint (a moto server on loopback).", no_args_is_help=True)
app.add_typer(local_app, name="local")
app.add_typer(import_app, name="import")

# Not a terminal (CI logs, pipes): wide enough that tables do not fold their cells.
console = Console() if sys.stdout.isatty() else Console(width=160)
errors = Console(stderr=True, soft_wrap=True)  # one line per message in CI logs

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of tables")]

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Turn expected failures into a one-paragraph message and an exit code, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SpecError, BadInputError) as error:
            errors.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(ExitCode.BAD_INPUT) from None
        except (ClientError, BotoCoreError) as error:
            errors.print(f"[red]AWS error:[/red] {error}", highlight=False)
            raise typer.Exit(ExitCode.FAILED) from None
        except (local_endpoint.EndpointError, CdkCliMissingError, LockHeldError) as error:
            errors.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(ExitCode.FAILED) from None
        except KeyboardInterrupt:
            errors.print(
                "interrupted; nothing further was changed in AWS. Resume the wait with "
                "`deployer wait --env <env>`; a deployment in flight keeps going (its circuit "
                "breaker still rolls back on failure)"
            )
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except typer.Exit:
            raise
        except Exception as error:
            if os.environ.get("DEPLOYER_DEBUG"):
                raise
            errors.print(
                f"[red]internal error:[/red] {type(error).__name__}: {error}\n"
                "rerun with DEPLOYER_DEBUG=1 to see the traceback, and please report it",
                highlight=False,
            )
            raise typer.Exit(ExitCode.FAILED) from None

    return wrapper  # type: ignore[return-value]


ENVIRONMENTS_DIR_VARIABLE = "DEPLOYER_ENVIRONMENTS_DIR"


def load(env: str) -> AppSpec:
    """Load ``env`` from config/environments/ (or ``$DEPLOYER_ENVIRONMENTS_DIR``)."""
    directory = os.environ.get(ENVIRONMENTS_DIR_VARIABLE)
    return load_spec(env, Path(directory)) if directory else load_spec(env)


def emit_json(payload: Any) -> None:
    """Print ``payload`` as the command's only stdout (for --json)."""
    sys.stdout.write(json.dumps(payload, indent=2, default=str) + "\n")


def require_service(spec: AppSpec, service: str, argument: str = "") -> None:
    """``BadInputError`` naming the services when ``service`` is not one of them."""
    require_services(spec, [service], argument)


def require_services(spec: AppSpec, names: Sequence[str], argument: str = "") -> None:
    """``BadInputError`` naming the unknown ones and the services when any is not a service."""
    unknown = [name for name in dict.fromkeys(names) if name not in spec.services]
    if unknown:
        listed = repr(unknown[0]) if len(unknown) == 1 else ", ".join(map(repr, unknown))
        raise BadInputError(f"{argument}unknown service {listed}; services: {', '.join(spec.services)}")


def deploy_then_status(env: str, spec: AppSpec, port: int | None, as_json: bool, **options: Any) -> None:
    """``deploy_environment`` (CDK output to stderr under --json), then ``status``; exit on failure."""
    from deployer.deploy import deploy_environment

    code = deploy_environment(
        spec,
        options.pop("images", {}),
        port,
        errors if as_json else console,
        cdk_output_to_stderr=as_json,
        **options,
    )
    if code != ExitCode.OK:
        raise typer.Exit(code)
    status(env=env, port=port, as_json=as_json)


@app.command()
@friendly_errors
def validate(env: EnvOption = "local", as_json: JsonOption = False) -> None:
    """Check an environment's spec file; exit 2 with every problem if it is invalid."""
    spec = load(env)
    if as_json:
        emit_json(
            {
                "environment": env,
                "valid": True,
                "target": spec.environment.target,
                "services": list(spec.services),
            }
        )
        return
    console.print(f"{env}: valid ({len(spec.services)} services, target {spec.environment.target})")


@app.command()
@friendly_errors
def schema() -> None:
    """Print the spec's JSON Schema (config/spec.schema.json is generated from it)."""
    from config.json_schema import spec_json_schema

    sys.stdout.write(spec_json_schema())


@app.command()
@friendly_errors
def status(
    env: EnvOption = "local",
    port: PortOption = None,
    as_json: JsonOption = False,
    watch: Annotated[
        float | None, typer.Option("--watch", min=2, help="refresh every N seconds until Ctrl-C")
    ] = None,
) -> None:
    """Stacks, cluster, capacity providers and services of an environment (read-only)."""
    if watch:
        import time

        try:
            while True:
                console.clear()
                status(env=env, port=port, as_json=as_json, watch=None)
                time.sleep(watch)
        except KeyboardInterrupt:
            return
    from deployer.status import collect_status
    from deployer.status_table import print_status

    spec = load(env)
    result = collect_status(
        spec,
        aws_session.client(spec, "cloudformation", port),
        aws_session.client(spec, "ecs", port),
        aws_session.client(spec, "sqs", port),
    )
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
    else:
        print_status(console, result)


@app.command()
@friendly_errors
def deploy(
    env: EnvOption = "local",
    image: Annotated[
        list[str] | None, typer.Option("--image", help="SERVICE=IMAGE_REF release input (repeatable)")
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="release version label (e.g. 1.4.2)")
    ] = None,
    git_revision: Annotated[
        str | None, typer.Option("--git-revision", help="commit the images were built from")
    ] = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="deploy only these services' stacks")
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, max=32, help="stacks deployed in parallel")
    ] = 1,
    assembly: Annotated[
        Path | None,
        typer.Option(
            "--assembly",
            help="deploy this cloud assembly (cdk synth --output DIR) as it is (default: synthesise)",
        ),
    ] = None,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Synthesise and deploy every stack with the pinned CDK CLI, then print the status.

    With --assembly the templates `cdk synth` wrote (and `deployer plan --assembly` gated) are
    deployed unchanged: synthesise once in CI, deploy that. For a `local` target the local
    endpoint is started (or reused) and bootstrapped first.
    """
    from deployer.assembly import read_assembly, refuse_release_inputs
    from deployer.inputs import parse_image_overrides, parse_release

    spec = load(env)
    images = parse_image_overrides(spec, image or [])
    release = parse_release(version, git_revision)
    require_services(spec, service or [], "--service ")
    refuse_release_inputs(assembly, images, release)
    if assembly is not None:
        read_assembly(assembly, spec)  # refuse another environment's or a damaged assembly up front
    deploy_then_status(
        env,
        spec,
        port,
        as_json,
        images=images,
        release=release,
        only_services=service or None,
        concurrency=concurrency,
        assembly=assembly,
    )


@app.command()
@friendly_errors
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
    from deployer.wait import exit_code, wait_for_services

    spec = load(env)
    chosen = list(service or spec.long_running)
    require_services(spec, chosen, "--service ")
    jobs = [name for name in chosen if name not in spec.long_running]
    if jobs:
        raise BadInputError(f"--service {', '.join(jobs)}: a job has no rollout to wait for; use `run`")
    if spec.environment.target == "local":
        console.print(
            "the local endpoint runs no containers, so there is no rollout to judge; "
            "verdicts apply to environments with target aws"
        )
        return
    from deployer.progress import rollout_bars

    with rollout_bars(errors, chosen) as progress:
        verdicts = wait_for_services(spec, chosen, port, float(timeout), progress)
    if as_json:
        payload = [{**v.__dict__, "outcome": v.outcome.value} for v in verdicts]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        for v in verdicts:
            colour = "green" if v.outcome.value == "succeeded" else "red"
            console.print(f"{v.service}: [{colour}]{v.outcome.value}[/{colour}] {v.reason}", highlight=False)
    raise typer.Exit(exit_code(verdicts))


@app.command()
@friendly_errors
def history(
    service: Annotated[str, typer.Argument(help="service name")],
    env: EnvOption = "local",
    include_inactive: Annotated[bool, typer.Option("--all", help="include INACTIVE revisions")] = False,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Retained revisions of a service, newest first, with version, image and the live one."""
    from rich.table import Table

    from deployer.history import revisions

    spec = load(env)
    require_service(spec, service)
    found = revisions(spec, aws_session.client(spec, "ecs", port), service, include_inactive)
    if as_json:
        sys.stdout.write(json.dumps([r.to_dict() for r in found], indent=2) + "\n")
        return
    table = Table(title=f"{service} revisions ({env})")
    for column in ("revision", "live", "version", "git", "images", "registered", "status"):
        table.add_column(column, overflow="fold")
    for r in found:
        table.add_row(
            str(r.revision),
            "[green]live[/green]" if r.live else "",
            r.version or "-",
            r.git_revision or "-",
            "\n".join(r.images),
            r.registered_at or "-",
            r.status,
        )
    console.print(table)


@app.command()
@friendly_errors
def rollback(
    service: Annotated[str, typer.Argument(help="service name")],
    env: EnvOption = "local",
    to: Annotated[int | None, typer.Option("--to", min=1, help="revision number (default: previous)")] = None,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Return a service to a retained revision (the previous one by default), without drift.

    A deployment still in flight is stopped with ROLLBACK. Otherwise the service stack is
    redeployed pinned to the revision (-c pin.<service>=<arn>), so CloudFormation and the
    service agree; the next `deploy` rolls forward. Refuses INACTIVE targets and the live one.
    """
    from deployer.history import revisions
    from deployer.rollback import choose_target, in_flight_deployment, stop_in_flight

    spec = load(env)
    require_service(spec, service)
    if service not in spec.long_running:
        raise BadInputError(f"{service} is a job: no service to roll back; deploy the previous version")
    if spec.environment.target == "local":
        local_endpoint.up(aws_session.local_port(port))
    ecs = aws_session.client(spec, "ecs", port)
    target = choose_target(revisions(spec, ecs, service), to)
    if spec.environment.target == "aws" and to is None:
        in_flight = in_flight_deployment(spec, ecs, service)
        if in_flight:
            stop_in_flight(ecs, in_flight)
            if as_json:
                emit_json({"service": service, "stopped_deployment": in_flight, "stop_type": "ROLLBACK"})
            else:
                console.print(f"{service}: stopped in-flight deployment {in_flight} with ROLLBACK")
            raise typer.Exit(ExitCode.OK)
    (errors if as_json else console).print(
        f"{service}: rolling back to revision {target.revision} ({target.version or 'no version label'})"
    )
    deploy_then_status(env, spec, port, as_json, pins={service: target.arn}, only_services=[service])


@app.command()
@friendly_errors
def prune(
    service: Annotated[str, typer.Argument(help="service name")],
    env: EnvOption = "local",
    keep: Annotated[
        int | None,
        typer.Option(
            "--keep", help="revisions to keep (default: environment.task_definition_revisions_kept)"
        ),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="list, deregister nothing")] = False,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Deregister revisions older than the newest N; never the live one, the rollback target,
    or one a running task uses."""
    from deployer.history import revisions
    from deployer.prune import deregister, plan_prune

    spec = load(env)
    require_service(spec, service)
    count = spec.environment.task_definition_revisions_kept if keep is None else keep
    if count < 1:
        raise BadInputError(f"--keep {count}: keep at least 1 revision")
    ecs = aws_session.client(spec, "ecs", port)
    doomed = plan_prune(spec, ecs, service, revisions(spec, ecs, service), count)
    if not dry_run:
        with deploy_lock(spec, aws_session.client(spec, "ssm", port), f"prune {service}"):
            deregister(ecs, doomed)
    if as_json:
        emit_json(
            {
                "service": service,
                "kept_newest": count,
                "dry_run": dry_run,
                "deregistered": [r.arn for r in doomed],
            }
        )
        return
    verb = "would deregister" if dry_run else "deregistered"
    listing = ", ".join(str(r.revision) for r in doomed) or "nothing"
    console.print(f"{service}: {verb} {listing} (keeping the newest {count} and every protected revision)")


@app.command()
@friendly_errors
def run(
    service: Annotated[str, typer.Argument(help="service whose revision and network the task uses")],
    env: EnvOption = "local",
    command: Annotated[str | None, typer.Option("--command", help="command, run through `sh -c`")] = None,
    env_override: Annotated[
        list[str] | None, typer.Option("--env-override", help="KEY=VALUE for the main container (repeatable)")
    ] = None,
    client_token: Annotated[
        str | None,
        typer.Option("--client-token", help="reuse on a retry: ECS starts at most one task per token"),
    ] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=10, max=86400, help="seconds to wait")] = 3600,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run a one-off task (a migration, a batch job) and exit with its exit code."""
    from deployer.one_off import run_one_off

    spec = load(env)
    require_service(spec, service)
    overrides: dict[str, str] = {}
    for item in env_override or []:
        key, sep, value = item.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise BadInputError(f"--env-override {item!r}: expected KEY=VALUE with a valid variable name")
        overrides[key] = value
    if client_token is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", client_token):
        raise BadInputError("--client-token: use 1-64 letters, digits, '-' or '_'")
    result = run_one_off(
        spec,
        aws_session.client(spec, "ecs", port),
        service,
        command=["sh", "-c", command] if command else None,
        environment=overrides,
        client_token=client_token,
        timeout_s=float(timeout),
        logs=aws_session.client(spec, "logs", port),
        cloudformation=aws_session.client(spec, "cloudformation", port),
        on_log=lambda line: (errors if as_json else console).print(line, highlight=False, markup=False),
    )
    task_id = result.task_arn.rsplit("/", 1)[-1] or "-"
    if as_json:
        emit_json(result.__dict__)
    else:
        console.print(f"{service} one-off task {task_id}: exit {result.exit_code} {result.reason}")
    raise typer.Exit(result.exit_code if result.exit_code is not None else ExitCode.FAILED)


@app.command()
@friendly_errors
def diff(
    service: Annotated[str, typer.Argument(help="service name")],
    revisions_: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="[REV_A REV_B]", min=1, help="two revision numbers (default: live vs synthesised)"
        ),
    ] = None,
    env: EnvOption = "local",
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Field-level diff of two revisions, or of the live revision against the synthesised one."""
    from config import naming
    from deployer.history import live_revision
    from deployer.render_task import render_task_definition
    from deployer.revision_diff import diff as compare
    from deployer.synth import synthesise_templates

    spec = load(env)
    require_service(spec, service)
    chosen = revisions_ or []
    if len(chosen) not in (0, 2):
        raise BadInputError(
            "give two revision numbers (REV_A REV_B), or none to compare live with synthesised"
        )
    ecs = aws_session.client(spec, "ecs", port)
    family = naming.task_family(spec, service)

    def describe(ref: str) -> dict[str, Any]:
        try:
            return dict(ecs.describe_task_definition(taskDefinition=ref)["taskDefinition"])
        except ClientError as error:
            raise BadInputError(f"revision {ref}: {error.response['Error'].get('Message', error)}") from None

    if chosen:
        before, after = describe(f"{family}:{chosen[0]}"), describe(f"{family}:{chosen[1]}")
        labels = (f"{family}:{chosen[0]}", f"{family}:{chosen[1]}")
    else:
        live = live_revision(spec, ecs, service)
        if live is None:
            raise BadInputError(f"{service} is not deployed in {env}: nothing to compare with")
        before = describe(live)
        templates = synthesise_templates(spec)
        after = render_task_definition(spec, service, templates[naming.service_stack_name(spec, service)])
        labels = (live.rsplit("/", 1)[-1], "synthesised")
    changes = compare(before, after)
    if as_json:
        sys.stdout.write(json.dumps([c.__dict__ for c in changes], indent=2, default=str) + "\n")
        return
    console.print(f"{labels[0]} → {labels[1]}: {len(changes)} change(s)", highlight=False)
    for change in changes:
        console.print(
            f"{change.kind} {change.path}: {change.before!r} → {change.after!r}",
            highlight=False,
            markup=False,
        )


@app.command()
@friendly_errors
def render(
    env: EnvOption = "local",
    service: Annotated[str, typer.Option("--service", "-s", help="service name")] = "",
    image: Annotated[str | None, typer.Option("--image", help="image for the main container")] = None,
) -> None:
    """Print a service's task definition as native ECS JSON (what a deploy would register)."""
    from config import naming
    from deployer.inputs import parse_image_overrides
    from deployer.render_task import render_task_definition
    from deployer.synth import synthesise_templates

    spec = load(env)
    require_service(spec, service, "--service ")
    images = parse_image_overrides(spec, [f"{service}={image}"] if image else [])
    templates = synthesise_templates(spec, images)
    document = render_task_definition(spec, service, templates[naming.service_stack_name(spec, service)])
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


@app.command()
@friendly_errors
def bootstrap(env: EnvOption = "local", port: PortOption = None) -> None:
    """Run `cdk bootstrap` for the environment's account and region (once per account)."""
    from deployer.deploy import bootstrap_environment

    code = bootstrap_environment(load(env), port)
    raise typer.Exit(code)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
@friendly_errors
def cdk(ctx: typer.Context, env: EnvOption = "local", port: PortOption = None) -> None:
    """Run the pinned CDK CLI for the environment: `deployer cdk --env dev -- diff --all`."""
    from deployer.cdk_cli import context_args, run_cdk

    spec = load(env)
    if spec.environment.target == "local" and ctx.args and ctx.args[0] not in ("synth", "ls", "list"):
        local_endpoint.up(aws_session.local_port(port))
    raise typer.Exit(run_cdk(spec, [*ctx.args, *context_args(spec, {})], port))


@app.command()
@friendly_errors
def destroy(
    env: EnvOption = "local",
    yes: Annotated[
        bool, typer.Option("--yes", help="confirm: delete every stack of the environment")
    ] = False,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete the environment's stacks (services, then cluster, then network).

    EC2 instances are released from scale-in protection first, so the cluster stack never
    hangs on deletion. Retained resources (logs, keys, task-definition revisions) stay.
    """
    from deployer.destroy import destroy_environment

    spec = load(env)
    if not yes:
        raise BadInputError(f"destroy deletes every stack of {env!r}; add --yes to confirm")
    if spec.environment.target == "local" and not local_endpoint.status(aws_session.local_port(port)).running:
        if as_json:
            emit_json({"environment": env, "deleted": []})
        else:
            console.print("local endpoint is not running: nothing to destroy")
        return
    with deploy_lock(spec, aws_session.client(spec, "ssm", port), "destroy"):
        deleted = destroy_environment(
            spec,
            aws_session.client(spec, "cloudformation", port),
            aws_session.client(spec, "autoscaling", port),
            (errors if as_json else console).print,
        )
    if as_json:
        emit_json({"environment": env, "deleted": deleted})
        return
    console.print(f"destroyed {len(deleted)} stack(s) of {env}")


@app.command()
@friendly_errors
def verify(
    env: EnvOption = "local",
    image: Annotated[list[str] | None, typer.Option("--image", help="SERVICE=IMAGE_REF to check")] = None,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Preflight before a deploy: images exist, secrets exist, stacks are deployable, lock free."""
    from deployer.inputs import parse_image_overrides
    from deployer.verify import run_checks

    spec = load(env)
    images = parse_image_overrides(spec, image or [])
    if spec.environment.target == "local" and not local_endpoint.status(aws_session.local_port(port)).running:
        raise local_endpoint.EndpointError(
            "the local endpoint is not running: make deploy (or deployer local up)"
        )
    checks = run_checks(spec, lambda name: aws_session.client(spec, name, port), images)
    if as_json:
        sys.stdout.write(json.dumps([c.__dict__ for c in checks], indent=2) + "\n")
    else:
        for check in checks:
            mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
            console.print(f"{mark} {check.name}: {check.detail}", highlight=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(ExitCode.FAILED)


@app.command()
@friendly_errors
def unlock(env: EnvOption = "local", port: PortOption = None, as_json: JsonOption = False) -> None:
    """Remove the environment's deploy lock left by a killed deploy (check it is gone first)."""
    from deployer.lock import force_unlock

    spec = load(env)
    removed = force_unlock(spec, aws_session.client(spec, "ssm", port))
    if as_json:
        emit_json({"environment": env, "removed": removed})
    else:
        console.print(f"{env}: lock {'removed' if removed else 'was not held'}")


@local_app.command("up")
@friendly_errors
def local_up(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Start the local endpoint, or reuse the one already running on the port."""
    state, started = local_endpoint.up(aws_session.local_port(port))
    if as_json:
        emit_json({"port": state.port, "url": state.url, "pid": state.pid, "started": started})
        return
    verb = "started" if started else "already running"
    console.print(f"local endpoint {verb}: {state.url} (pid {state.pid}, log {state.log_file})")


@local_app.command("down")
@friendly_errors
def local_down(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Stop the local endpoint (all its state is lost)."""
    chosen = aws_session.local_port(port)
    stopped = local_endpoint.down(chosen)
    if as_json:
        emit_json({"port": chosen, "stopped": stopped})
        return
    console.print(f"local endpoint on port {chosen} {'stopped' if stopped else 'was not running'}")


@local_app.command("status")
@friendly_errors
def local_status(port: PortOption = None, as_json: JsonOption = False) -> None:
    """Whether the local endpoint runs; exit 1 when it does not."""
    state = local_endpoint.status(aws_session.local_port(port))
    if as_json:
        sys.stdout.write(
            json.dumps({"port": state.port, "running": state.running, "pid": state.pid, "url": state.url})
            + "\n"
        )
    else:
        where = f"running at {state.url}" if state.running else "not running"
        console.print(f"local endpoint on port {state.port}: {where}")
    if not state.running:
        raise typer.Exit(ExitCode.FAILED)


def main() -> None:
    app()


# `plan` lives in its own module, which imports this one's helpers only at call time.
app.command("plan")(friendly_errors(plan_command))
app.command("cost")(friendly_errors(cost_command))
app.command("diagram")(friendly_errors(diagram_command))
