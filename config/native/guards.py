"""This project's policies, applied to native files as to spec containers: no secret-looking
plain variables, valid image references pinned as the environment asks (``config.image_pinning``),
valid role ARNs, no unfilled template placeholders; and the capacity this project does not
provide (Windows containers, GPUs and other accelerators) refused up front."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from config.container_checks import looks_like_secret
from config.image_pinning import ImagePinning
from config.image_reference import image_reference_problem
from config.native.model import FileProblem, json_path
from config.native.references import CONTAINERS

# ${…} (envsubst, Terraform templatefile), {{ … }} (ecspresso, Jinja, Helm), $$$…$$$ (ecs-cli),
# %NAME% (sed-style CI substitution).
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{\{.*?\}\}|\$\$\$[^$]*\$\$\$|%[A-Z][A-Z0-9_]*%")
_WHOLE_PLACEHOLDER = re.compile(rf"^\s*(?:{_PLACEHOLDER.pattern})\s*$")
# Values a shell or Fluent Bit expands at run time, where ${VAR} is meant literally (and the
# options of an awsfirelens log configuration, which become Fluent Bit configuration too).
_EXPANDED_AT_RUN_TIME = ("command", "entryPoint", "healthCheck.command", "firelensConfiguration.options")
_ROLE = re.compile(r"^(arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}|[\w+=,.@-]{1,64})$")
_HINT = (
    "an unfilled template placeholder: render the file first "
    "(envsubst, terraform, ecspresso render taskdef) and point task_definition_file at the result"
)


def guard_problems(body: dict[str, Any], pinning: ImagePinning) -> Iterator[FileProblem]:
    """Every policy ``body`` breaks (``pinning``: what the environment asks of image references)."""
    yield from _placeholder_problems(body, ())
    family = body.get("runtimePlatform", {}).get("operatingSystemFamily", "LINUX")
    if family != "LINUX":
        yield FileProblem(
            "runtimePlatform.operatingSystemFamily",
            f"{family}: Windows containers need Windows capacity (Fargate Windows or a Windows ECS-optimised "
            "AMI), which this project does not provide; run Linux images",
        )
    for index, volume in enumerate(body.get("volumes", [])):
        if "fsxWindowsFileServerVolumeConfiguration" in volume:
            path = json_path(("volumes", index, "fsxWindowsFileServerVolumeConfiguration"))
            yield FileProblem(
                path,
                "FSx for Windows File Server volumes are for Windows containers, "
                "which this project does not run",
            )
    if "inferenceAccelerators" in body:
        yield FileProblem(
            "inferenceAccelerators", "Elastic Inference accelerators are retired by AWS; remove them"
        )
    for field in ("taskRoleArn", "executionRoleArn"):
        value = body.get(field)
        if isinstance(value, str) and not _PLACEHOLDER.search(value) and not _ROLE.match(value):
            yield FileProblem(
                field, f"{value!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>) or role name"
            )
    for index, container in enumerate(body[CONTAINERS]):
        yield from _container_problems(index, container, pinning)


def _container_problems(
    index: int, container: dict[str, Any], pinning: ImagePinning
) -> Iterator[FileProblem]:
    image = container["image"]
    if not _PLACEHOLDER.search(image):
        problem = image_reference_problem(image) or pinning.problem(image)
        if problem:
            yield FileProblem(json_path((CONTAINERS, index, "image")), problem)
    for number, requirement in enumerate(container.get("resourceRequirements", [])):
        yield FileProblem(
            json_path((CONTAINERS, index, "resourceRequirements", number)),
            f"{requirement['type']} needs accelerated instances and their ECS-optimised AMI, which this "
            "project's EC2 groups do not provide; remove it",
        )
    for number, variable in enumerate(container.get("environment", [])):
        name = variable.get("name", "")
        if looks_like_secret(name):
            yield FileProblem(
                json_path((CONTAINERS, index, "environment", number)),
                f"{name} looks like a secret; move it to secrets (valueFrom a Secrets Manager or SSM ARN), "
                "where it is never stored in the task definition",
            )


def _placeholder_problems(value: Any, path: tuple[str | int, ...]) -> Iterator[FileProblem]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "options" and value.get("logDriver") == "awsfirelens":
                continue
            yield from _placeholder_problems(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholder_problems(item, (*path, index))
    elif isinstance(value, str) and _PLACEHOLDER.search(value) and _checked(path, value):
        yield FileProblem(json_path(path), f"{_PLACEHOLDER.search(value)[0]!r} is {_HINT}")  # type: ignore[index]


def _checked(path: tuple[str | int, ...], value: str) -> bool:
    named = ".".join(p for p in path if isinstance(p, str))
    if any(f".{field}" in f".{named}" for field in _EXPANDED_AT_RUN_TIME):
        return False
    if named.endswith("environment.value"):  # an application may expand ${VAR} itself
        others = [found for found in _PLACEHOLDER.findall(value) if not found.startswith("${")]
        return bool(_WHOLE_PLACEHOLDER.match(value) or others)
    return True
