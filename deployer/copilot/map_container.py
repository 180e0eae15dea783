"""Container fields, main container or sidecar: image, port, health check, dependencies,
labels, command, variables and secrets."""

from __future__ import annotations

from collections.abc import Mapping

from config.container_checks import SECRET_LIKE
from config.image_pinning import moves
from config.image_reference import without_tag
from config.yaml_source import Loc
from deployer.copilot.durations import whole_seconds
from deployer.copilot.models_container import ContainerHealthCheck, Image, Secrets, Variables
from deployer.copilot.names import Target, spec_name
from deployer.copilot.record import FieldLog

PLACEHOLDER_TAG = "replace-me"


def map_image(
    image: Image | None, log: FieldLog, *, target: Target, service: str, field: Loc, to: Loc
) -> None:
    """``image.location`` as is, unless it names ``:latest`` (every import is for ``target: aws``,
    which refuses it: ``config.image_pinning``); that, and ``image.build``, as a placeholder and
    the step that fills it."""
    if image is None or (image.location is None and image.build is None):
        log.manual(field, "Copilot needs image.location or image.build here", "give the container an image")
        return
    if image.location is not None and moves(image.location):
        repository = without_tag(image.location)
        log.put(
            (*field, "location"),
            (*to, "image"),
            f"{repository}:{PLACEHOLDER_TAG}",
            note=f"placeholder: {image.location} names :latest, which every push moves, so a rollback "
            "would not run the image it ran before; this project deploys a version tag or a digest",
            step=f"choose the version of {repository} to run, then {_deploy(service, repository, to)}",
        )
    elif image.location is not None:
        log.put((*field, "location"), (*to, "image"), image.location)
    if image.build is not None:
        build = image.build
        dockerfile = build.dockerfile or "Dockerfile"
        context = build.context or (dockerfile.rsplit("/", 1)[0] if "/" in dockerfile else ".")
        repository = target.ecr_repository(service)
        log.put(
            (*field, "build"),
            (*to, "image"),
            f"{repository}:{PLACEHOLDER_TAG}",
            note=f"placeholder: Copilot built {dockerfile} (context {context}) and pushed it to ECR; "
            "this project deploys images, it does not build them",
            step=f"build and push the image (docker build -f {dockerfile} {context}, then docker push "
            f"{repository}:<tag>), then {_deploy(service, repository, to)}",
        )
    if image.credentials is not None:
        log.manual(
            (*field, "credentials"),
            "private registry credentials (repositoryCredentials) are not modelled",
            "push the image to ECR (the task gets a pull grant on that repository only)",
        )
    if image.labels:
        log.put((*field, "labels"), (*to, "docker_labels"), {k: v or "" for k, v in image.labels.items()})
    if image.depends_on:
        map_depends_on(image.depends_on, log, (*field, "depends_on"), to)
    if image.healthcheck is not None:
        map_health_check(image.healthcheck, log, (*field, "healthcheck"), to)


def _deploy(service: str, repository: str, to: Loc) -> str:
    """How the chosen ``repository:<tag>`` reaches the container at ``to``."""
    if len(to) == 2:  # ("services", <name>): the main container
        return f"deploy with --image {service}={repository}:<tag>, or put that reference in the spec"
    return f"put that reference in {'.'.join(map(str, to))}.image"


def map_depends_on(depends_on: Mapping[str, str], log: FieldLog, field: Loc, to: Loc) -> None:
    conditions = {spec_name(name): condition.upper() for name, condition in depends_on.items()}
    log.put(field, (*to, "depends_on"), conditions)


def map_health_check(check: ContainerHealthCheck, log: FieldLog, field: Loc, to: Loc) -> None:
    """The container health check; unset timings keep this project's defaults."""
    value: dict[str, object] = {"command": list(check.command)}
    for key, spec_key in (
        ("interval", "interval_seconds"),
        ("timeout", "timeout_seconds"),
        ("start_period", "start_period_seconds"),
    ):
        text = getattr(check, key)
        if text is not None:
            value[spec_key] = whole_seconds(text)
    if check.retries is not None:
        value["retries"] = check.retries
    log.put(field, (*to, "health_check"), value)


def map_variables(variables: Variables, log: FieldLog, target: Target, field: Loc, to: Loc) -> None:
    """Plain values as ``environment``; names this project reserves for secrets, and CloudFormation
    imports, as manual steps."""
    plain: dict[str, str] = {}
    for name, variable in variables.items():
        source = (*field, name)
        if variable.from_cfn is not None:
            _from_cfn(log, source, variable.from_cfn, f"environment.{name}")
        elif SECRET_LIKE.search(name):
            parameter = f"/{target.application}/{target.environment}/{name}"
            log.put(
                source,
                (*to, "secrets", name),
                {"parameter": parameter},
                note="this project keeps variables named like secrets out of the task definition",
                step=f"create the SecureString parameter {parameter} with the value {log.manifest} sets "
                f"for variables.{name} (aws ssm put-parameter --type SecureString)",
            )
        else:
            plain[name] = variable.plain or ""
            log.put(
                source,
                (*to, "environment", name),
                plain[name],
                note="" if variable.plain else "no value: set empty",
            )


def map_secrets(secrets: Secrets, log: FieldLog, target: Target, field: Loc, to: Loc) -> None:
    """SSM parameter names and ARNs, Secrets Manager names and ARNs (with ``:key:stage:version``)."""
    for name, secret in secrets.items():
        source = (*field, name)
        if secret.from_cfn is not None:
            _from_cfn(log, source, secret.from_cfn, f"secrets.{name}.secret (its ARN)")
        elif secret.secretsmanager is not None:
            log.put(
                (*source, "secretsmanager"),
                (*to, "secrets", name),
                secrets_manager_ref(secret.secretsmanager, target),
            )
        elif secret.ssm is not None:
            log.put(source, (*to, "secrets", name), ssm_ref(secret.ssm))


def _from_cfn(log: FieldLog, source: Loc, export: str, key: str) -> None:
    log.manual(
        (*source, "from_cfn"),
        f"the value comes from the CloudFormation export {export!r}",
        f"read it (aws cloudformation list-exports) and set {key} to it, or move the resource into "
        "your CDK app",
    )


def secrets_manager_ref(value: str, target: Target) -> dict[str, str]:
    """``name[:key:stage:version]`` or ``arn:…:secret:name[:key:stage:version]`` as a secret ref.

    A name becomes the partial ARN in the environment's account and region, as Copilot does."""
    parts = value.split(":")
    if value.startswith("arn:"):
        arn, rest = ":".join(parts[:7]), parts[7:]
    else:
        arn = f"arn:aws:secretsmanager:{target.region}:{target.account}:secret:{parts[0]}"
        rest = parts[1:]
    ref = {"secret": arn}
    for key, text in zip(("key", "version_stage", "version_id"), rest, strict=False):
        if text:
            ref[key] = text
    return ref


def ssm_ref(value: str) -> dict[str, str]:
    """An SSM parameter name, or a Secrets Manager ARN Copilot also accepts here."""
    if value.startswith("arn:") and ":secretsmanager:" in value:
        return {"secret": value}
    if value.startswith("arn:") and ":parameter/" in value:
        name = value.split(":parameter/", 1)[1]
        return {"parameter": f"/{name}" if "/" in name else name}  # a hierarchy starts with '/'
    return {"parameter": value}
