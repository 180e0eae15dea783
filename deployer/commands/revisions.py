"""Task-definition revisions: ``history``, ``diff`` and ``render`` read them; ``rollback`` and
``prune`` act on them."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from botocore.exceptions import ClientError
from rich.table import Table

from config import naming
from deployer.aws.lock import deploy_lock
from deployer.cdk.synth import synthesise_templates
from deployer.commands.common import AlwaysJsonOption, CommandContext, EnvOption, JsonOption, PortOption
from deployer.commands.deploy import deploy_then_status
from deployer.commands.output import add_row, styled
from deployer.exit_codes import ExitCode
from deployer.inputs import BadInputError, parse_image_overrides
from deployer.revisions.diff import diff as compare
from deployer.revisions.history import live_revision, not_deployed, revisions
from deployer.revisions.prune import deregister, plan_prune
from deployer.revisions.render import render_task_definition
from deployer.revisions.rollback import choose_target, in_flight_deployment, stop_in_flight

ServiceArgument = Annotated[str, typer.Argument(help="service name")]


def history(
    service: ServiceArgument,
    env: EnvOption = "local",
    include_inactive: Annotated[bool, typer.Option("--all", help="include INACTIVE revisions")] = False,
    port: PortOption = None,
    as_json: JsonOption = False,
) -> None:
    """Retained revisions of a service, newest first, with version, image and the live one."""
    ctx = CommandContext.load(env, port, as_json)
    ctx.require_service(service)
    found = revisions(ctx.spec, ctx.client("ecs"), service, include_inactive)
    table = Table(title=f"{service} revisions ({env})")
    for column in ("revision", "live", "version", "git", "images", "registered", "status"):
        table.add_column(column, overflow="fold")
    for r in found:
        add_row(
            table,
            str(r.revision),
            styled("live", "green") if r.live else "",
            r.version or "-",
            r.git_revision or "-",
            "\n".join(r.images),
            r.registered_at or "-",
            r.status,
        )
    ctx.emit([r.to_dict() for r in found], table)


def rollback(
    service: ServiceArgument,
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
    ctx = CommandContext.load(env, port, as_json)
    ctx.require_service(service)
    if service not in ctx.spec.long_running:
        raise BadInputError(f"{service} is a job: no service to roll back; deploy the previous version")
    ctx.require_local_endpoint()
    ecs = ctx.client("ecs")
    found = revisions(ctx.spec, ecs, service)
    if not any(r.live for r in found) and live_revision(ctx.spec, ecs, service) is None:
        raise not_deployed(ctx.spec, service)
    if to is not None and all(r.revision != to for r in found):
        found = revisions(ctx.spec, ecs, service, include_inactive=True)  # to say why --to is refused
    target = choose_target(found, to)
    if not ctx.spec.environment.is_local and to is None:
        in_flight = in_flight_deployment(ctx.spec, ecs, service)
        if in_flight:
            stop_in_flight(ecs, in_flight)
            ctx.emit(
                {"service": service, "stopped_deployment": in_flight, "stop_type": "ROLLBACK"},
                f"{service}: stopped in-flight deployment {in_flight} with ROLLBACK",
            )
            raise typer.Exit(ExitCode.OK)
    ctx.notes.print(
        f"{service}: rolling back to revision {target.revision} ({target.version or 'no version label'})"
    )
    deploy_then_status(ctx, pins={service: target.arn}, only_services=[service])


def prune(
    service: ServiceArgument,
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
    ctx = CommandContext.load(env, port, as_json)
    ctx.require_service(service)
    count = ctx.spec.environment.task_definition_revisions_kept if keep is None else keep
    if count < 1:
        raise BadInputError(f"--keep {count}: keep at least 1 revision")
    ecs = ctx.client("ecs")
    doomed = plan_prune(ctx.spec, ecs, service, revisions(ctx.spec, ecs, service), count)
    if not dry_run:
        with deploy_lock(ctx.spec, ctx.client("ssm"), f"prune {service}"):
            deregister(ecs, doomed)
    verb = "would deregister" if dry_run else "deregistered"
    listing = ", ".join(str(r.revision) for r in doomed) or "nothing"
    ctx.emit(
        {
            "service": service,
            "kept_newest": count,
            "dry_run": dry_run,
            "deregistered": [r.arn for r in doomed],
        },
        f"{service}: {verb} {listing} (keeping the newest {count} and every protected revision)",
    )


def diff(
    service: ServiceArgument,
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
    ctx = CommandContext.load(env, port, as_json)
    ctx.require_service(service)
    chosen = revisions_ or []
    if len(chosen) not in (0, 2):
        raise BadInputError(
            "give two revision numbers (REV_A REV_B), or none to compare live with synthesised"
        )
    ecs = ctx.client("ecs")
    family = naming.task_family(ctx.spec, service)

    def describe(ref: str) -> dict[str, Any]:
        try:
            return dict(ecs.describe_task_definition(taskDefinition=ref)["taskDefinition"])
        except ClientError as error:
            raise BadInputError(f"revision {ref}: {error.response['Error'].get('Message', error)}") from None

    if chosen:
        before, after = describe(f"{family}:{chosen[0]}"), describe(f"{family}:{chosen[1]}")
        labels = (f"{family}:{chosen[0]}", f"{family}:{chosen[1]}")
    else:
        live = live_revision(ctx.spec, ecs, service)
        if live is None:
            raise not_deployed(ctx.spec, service)
        before = describe(live)
        after = _synthesised(ctx, service, {})
        labels = (live.rsplit("/", 1)[-1], "synthesised")
    changes = compare(before, after)
    ctx.emit(
        [c.__dict__ for c in changes],
        f"{labels[0]} → {labels[1]}: {len(changes)} change(s)",
        *(f"{c.kind} {c.path}: {c.before!r} → {c.after!r}" for c in changes),
    )


def render(
    service: Annotated[str, typer.Option("--service", "-s", help="service name (required)")],
    env: EnvOption = "local",
    image: Annotated[str | None, typer.Option("--image", help="image for the main container")] = None,
    as_json: AlwaysJsonOption = False,
) -> None:
    """Print a service's task definition as native ECS JSON (what a deploy would register)."""
    ctx = CommandContext.load(env, as_json=True)
    ctx.require_service(service, "--service ")
    images = parse_image_overrides(ctx.spec, [f"{service}={image}"] if image else [])
    ctx.emit(_synthesised(ctx, service, images))


def _synthesised(ctx: CommandContext, service: str, images: dict[str, str]) -> dict[str, Any]:
    """The service's task definition as a deploy would register it, in native ECS JSON."""
    templates = synthesise_templates(ctx.spec, images)
    return render_task_definition(ctx.spec, service, templates[naming.service_stack_name(ctx.spec, service)])
